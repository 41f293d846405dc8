"""Absence and cover, on both backends: a teamleider records anyone's absence and a medewerker
their own; while it lasts (its first to its last day, or until ended) the cover's Vandaag holds
the absent colleague's overdue contacts, moments due and alerts, each marked "(voor …)"; the
day after it ends they are gone from it. Overlaps, a cover who is away, a wrong order of days
and someone covering themselves are refused in Dutch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.store.conftest import OPENED, TODAY
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome, Role
from wijkteam_tui.errors import ConflictError, RoleError, ValidationError
from wijkteam_tui.export.digest import digest_text
from wijkteam_tui.store import services
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.cover.absences import absences, add_absence, end_absence, summary_seen
from wijkteam_tui.store.models import User
from wijkteam_tui.store.read.team import absent_today, digest_data, overdue_items
from wijkteam_tui.store.read.today import today_list
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput
from wijkteam_tui.store.users import add_user

WEEK = timedelta(days=7)


@pytest.fixture
def bram_has_work(register, bram):
    """Kees, a client of bram's, with a visit overdue since a week."""
    kees = services.create_client(
        register, ClientInput("Kees Bakker", OPENED, casemanager_id=bram.user.id), TODAY
    )
    ria = services.add_member(
        register, kees.id, MemberInput("Ria Bakker", MemberKind.INFORMAL), TODAY
    )
    services.add_agreement(
        register,
        kees.id,
        AgreementInput(Channel.VISIT, TODAY - 3 * WEEK, member_id=ria.id, interval_days=14),
        TODAY,
    )
    return kees


def _mine(register, user_id: int, day):
    lists = today_list(register, user_id, day)
    return {i.client_name for i in [*lists.overdue, *lists.due_soon]}, lists


def test_the_cover_sees_the_absent_colleagues_work_while_it_lasts(register, bram, bram_has_work):
    anna = register.user.id
    assert "Kees Bakker" not in _mine(register, anna, TODAY)[0]
    add_absence(register, "bram", TODAY, TODAY + WEEK, cover="anna", today=TODAY)

    names, lists = _mine(register, anna, TODAY)
    assert "Kees Bakker" in names
    assert lists.covered == {bram_has_work.id: "bram"}
    assert lists.covering == ["voor bram (afwezig t/m zo 29 nov 2026)"]
    # Bram's own Vandaag still has it: it is his work, and he sees it on return.
    assert "Kees Bakker" in _mine(register, bram.user.id, TODAY)[0]
    # On the last day, still; the day after, no more.
    assert "Kees Bakker" in _mine(register, anna, TODAY + WEEK)[0]
    names, lists = _mine(register, anna, TODAY + WEEK + timedelta(days=1))
    assert "Kees Bakker" not in names and lists.covering == []
    [row] = absences(register, TODAY)
    assert (row.name, row.cover, row.until_text()) == ("bram", "anna", "t/m zo 29 nov 2026")
    events = [e for e in log.events(register) if e.object_type == "absences"]
    assert [e.action for e in events] == ["create"]


def test_back_early_ends_the_cover_that_day(register, bram, bram_has_work):
    add_absence(register, "bram", TODAY - WEEK, None, cover="anna", today=TODAY)
    assert "Kees Bakker" in _mine(register, register.user.id, TODAY)[0]
    row = end_absence(bram, "bram", TODAY)  # bram says so himself
    assert row.until_text() == "terug sinds zo 22 nov 2026"
    assert "Kees Bakker" not in _mine(register, register.user.id, TODAY)[0]
    with pytest.raises(ValidationError, match="bram is niet afwezig"):
        end_absence(bram, "bram", TODAY)


def test_a_medewerker_records_only_their_own(register, bram):
    with pytest.raises(RoleError, match="Alleen een teamleider"):
        add_absence(bram, "anna", TODAY, None, cover="bram", today=TODAY)
    add_absence(bram, "bram", TODAY + WEEK, TODAY + 2 * WEEK, cover="anna", today=TODAY)
    assert [r.name for r in absences(register, TODAY)] == ["bram"]


@pytest.mark.parametrize(
    ("start", "end", "cover", "message"),
    [
        (0, -1, "anna", "De laatste dag ligt voor de eerste"),
        (-9, -2, "anna", "al voorbij"),
        (0, 7, "bram", "niet zijn eigen werk"),
        (0, 7, "piet", "'piet' is geen gebruiker"),
        (17, None, "anna", "bram is dan al afwezig"),
        (0, 7, "cem", "cem is op zo 22 nov 2026 zelf afwezig"),
    ],
)
def test_what_cannot_be_is_refused(register, bram, start, end, cover, message):  # noqa: PLR0917
    add_user(register, "cem", Role.MEDEWERKER, passphrase="cem zijn lange wachtwoord")
    add_absence(register, "bram", TODAY + 2 * WEEK, None, cover="anna", today=TODAY)
    add_absence(register, "cem", TODAY - WEEK, TODAY + WEEK, cover="anna", today=TODAY)
    last = None if end is None else TODAY + timedelta(days=end)
    with pytest.raises((ValidationError, ConflictError), match=message):
        add_absence(register, "bram", TODAY + timedelta(days=start), last, cover=cover, today=TODAY)
    assert len(absences(register, TODAY)) == 2


def test_the_teamleider_is_told_who_is_away_uncovered_with_work_waiting(
    register, bram, bram_has_work
):
    anna = register.user.id
    add_absence(register, "bram", TODAY, None, cover=None, today=TODAY)
    lists = today_list(register, anna, TODAY, teamleider=True)
    assert lists.uncovered == ["bram (afwezig tot nader bericht): 1 te laat, 0 urgent"]
    assert "Kees Bakker" not in {i.client_name for i in lists.overdue}  # nobody covers
    [away], waiting = absent_today(register, TODAY)
    assert away.text() == "bram tot nader bericht (niemand neemt waar)"
    assert waiting == {bram.user.id: "1 te laat, 0 urgent"}
    # A medewerker is not told (nor may ask who is away).
    assert today_list(register, bram.user.id, TODAY).uncovered == []
    with pytest.raises(RoleError):
        absent_today(bram, TODAY)


def test_overdue_of_the_cover_counts_the_absent_colleagues_items(register, bram, bram_has_work):
    assert [i.client_name for i in overdue_items(register, TODAY, "anna")] == []
    add_absence(register, "bram", TODAY, TODAY, cover="anna", today=TODAY)
    assert [i.client_name for i in overdue_items(register, TODAY, "anna")] == ["Kees Bakker"]
    tomorrow = TODAY + timedelta(days=1)
    assert [i.client_name for i in overdue_items(register, tomorrow, "anna")] == []


def test_back_the_person_sees_what_happened_that_day_only(register, bram, bram_has_work):
    add_absence(register, "bram", TODAY, TODAY + WEEK, cover="anna", today=TODAY)
    services.log_contact(
        register,
        ContactInput(bram_has_work.id, TODAY + timedelta(days=2), Channel.PHONE, Outcome.GOOD),
        TODAY + timedelta(days=2),
    )
    back = TODAY + WEEK + timedelta(days=1)
    assert today_list(bram, bram.user.id, TODAY + WEEK).welcome is None  # still away
    welcome = today_list(bram, bram.user.id, back).welcome
    assert welcome is not None
    absence_id, text = welcome
    assert text == (
        "Welkom terug. Terwijl u weg was (zo 22 nov 2026 t/m zo 29 nov 2026, anna nam waar):"
        " 1 contact vastgelegd (door anna), 1 aandachtspunt nieuw, 1 opgelost. De tijdlijn"
        " van elke cliënt zegt wat."
    )
    summary_seen(bram, absence_id, back)
    assert today_list(bram, bram.user.id, back).welcome is not None  # all that day
    assert today_list(bram, bram.user.id, back + timedelta(days=1)).welcome is None
    assert today_list(register, register.user.id, back).welcome is None  # not anna's


def test_the_digest_counts_the_absent_colleagues_figures_for_the_cover(
    register, bram, bram_has_work
):
    add_absence(register, "bram", TODAY, TODAY + WEEK, cover="anna", today=TODAY)
    digest = digest_data(register, TODAY)
    [covered] = digest.covered
    assert (covered.away.name, covered.figures.overdue) == ("bram", 1)
    text = digest_text(
        digest.review, {}, None, team_name="Wijkteam", wijk="", today=TODAY, whole_team=False,
        covered=digest.covered,
    )  # fmt: skip
    anna_block = text[text.index("anna:") : text.index("bram:")]
    assert "  neemt waar voor          bram (t/m zo 29 nov 2026): 1 te laat, 0 urgent" in anna_block
    # Bram's own digest: no cover of his to count.
    assert digest_data(bram, TODAY).covered == []


def test_a_called_off_absence_blocks_nothing_and_says_no_welcome(register, bram, bram_has_work):
    add_absence(register, "bram", TODAY + WEEK, TODAY + 2 * WEEK, cover="anna", today=TODAY)
    row = end_absence(bram, "bram", TODAY)  # called off before it began
    assert row.ended_on == TODAY + WEEK
    # A new one overlapping the called-off days is fine.
    add_absence(register, "bram", TODAY + timedelta(days=5), TODAY + timedelta(days=9),
                cover="anna", today=TODAY)  # fmt: skip
    later = TODAY + timedelta(days=10)
    welcome = today_list(bram, bram.user.id, later).welcome
    assert welcome is not None and "(vr 27 nov 2026 t/m di 1 dec 2026" in welcome[1]
    summary_seen(bram, welcome[0], later)
    # The called-off one never says "welkom terug".
    assert today_list(bram, bram.user.id, later + timedelta(days=30)).welcome is None


def test_a_cover_who_is_away_too_covers_nobody(register, bram, bram_has_work):
    add_user(register, "cem", Role.MEDEWERKER, passphrase="cem zijn lange wachtwoord")
    add_absence(register, "bram", TODAY, None, cover="cem", today=TODAY)
    lists = today_list(register, register.user.id, TODAY, teamleider=True)
    assert lists.uncovered == []
    add_absence(register, "cem", TODAY, None, cover="anna", today=TODAY)
    lists = today_list(register, register.user.id, TODAY, teamleider=True)
    assert lists.uncovered == ["bram (afwezig tot nader bericht): 1 te laat, 0 urgent"]


def test_several_covers_by_client(register, bram, bram_has_work):
    add_user(register, "cem", Role.MEDEWERKER, passphrase="cem zijn lange wachtwoord")
    truus = services.create_client(
        register, ClientInput("Truus Smit", OPENED, casemanager_id=bram.user.id), TODAY
    )
    with pytest.raises(ValidationError, match="is geen cliënt van bram"):
        add_absence(register, "bram", TODAY, None, cover="anna", today=TODAY,
                    by_client={"100099": "cem"})  # fmt: skip
    # Nobody covers bram's clients as a whole; cem covers Kees.
    add_absence(register, "bram", TODAY, None, cover=None, today=TODAY,
                by_client={bram_has_work.number: "cem"})  # fmt: skip
    [row] = absences(register, TODAY)
    assert row.by_client == (f"{bram_has_work.number} → cem",)
    anna = _mine(register, register.user.id, TODAY)[1]
    assert "Kees Bakker" not in {i.client_name for i in anna.overdue}
    with register.read() as session:
        cem_id = session.scalars(select(User.id).where(User.name == "cem")).one()
    names, lists = _mine(register, cem_id, TODAY)
    assert "Kees Bakker" in names
    assert lists.covering == ["voor bram (afwezig tot nader bericht, 1 van zijn cliënten)"]
    assert lists.covered == {bram_has_work.id: "bram"}
    # Nobody covers the rest (Truus), but only Kees has work waiting, and cem has him.
    assert today_list(register, register.user.id, TODAY, teamleider=True).uncovered == []
    assert absent_today(register, TODAY)[1] == {}
    services.add_agreement(
        register,
        truus.id,
        AgreementInput(Channel.PHONE, TODAY - 3 * WEEK, user_id=bram.user.id, interval_days=7),
        TODAY,
    )
    assert today_list(register, register.user.id, TODAY, teamleider=True).uncovered == [
        "bram (afwezig tot nader bericht): 1 te laat, 0 urgent"
    ]
    assert absent_today(register, TODAY)[1] == {bram.user.id: "1 te laat, 0 urgent"}
