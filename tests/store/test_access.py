"""Access that follows the work, on both backends. A team that chose "werk" lets a medewerker
open a client only as casemanager, as the performer of an active agreement, as cover during an
absence, by a teamleider's grant, or with noodtoegang (a reason, for the team's hours); each
way's end takes the access away again. Search still finds the others by name and number,
without details; a teamleider opens every client; the default ("team") changes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.store.conftest import OPENED
from wijkteam_tui.domain.terms import Channel, MemberKind, Role
from wijkteam_tui.errors import ConflictError, NotWorkingForError, RoleError, ValidationError
from wijkteam_tui.store import services
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.cover.absences import add_absence, end_absence
from wijkteam_tui.store.cover.access import emergencies_since, may_open
from wijkteam_tui.store.cover.grants import end_grant, grant_access, grants, open_emergency
from wijkteam_tui.store.mail.reminders import due_reminders
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.client_file import client_file, client_timeline, contact_choices
from wijkteam_tui.store.read.edit import client_for_edit, team_settings_for_edit
from wijkteam_tui.store.read.inzage import client_inzage
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.read.team import overdue_items, team_review
from wijkteam_tui.store.read.today import today_list
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.sharing import sharing_facts
from wijkteam_tui.store.users import add_user
from wijkteam_tui.store.write.agreements import end_agreement
from wijkteam_tui.store.write.settings import update_team_settings

DAY, HOUR = timedelta(days=1), timedelta(hours=1)
#: The real day and moment: on a team server the database decides with its own clock what a
#: medewerker's session may read (and stamps noodtoegang with it); the program is asked about
#: other days and hours (the injected clock) within what that lets through.
TODAY = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
NOON = utc_now()
REASON = "Dochter belt in paniek, casemanager is afwezig"


@pytest.fixture
def cem(new_register):
    add_user(new_register.register, "cem", Role.MEDEWERKER, passphrase="cem zijn wachtwoord")
    opened = open_register(new_register.path, "cem", "cem zijn wachtwoord")
    yield opened
    opened.close()


@pytest.fixture
def team(register, bram, cem):
    """Kees (bram's client) and Lies (cem's, Vlierhof 3, with neighbour Truus); "werk"."""
    kees = services.create_client(
        register, ClientInput("Kees Bakker", OPENED, casemanager_id=bram.user.id), TODAY
    )
    lies = services.create_client(
        register,
        ClientInput(
            "Lies Vermeer", OPENED, casemanager_id=cem.user.id, street="Vlierhof",
            house_number="3",
        ),
        TODAY,
    )  # fmt: skip
    truus = MemberInput("Truus Hendriks", MemberKind.INFORMAL)
    services.add_member(register, lies.id, truus, TODAY)
    _set_access(register, "werk")
    return kees, lies


def _set_access(register, access: str, hours: int | None = None) -> None:
    current, version = team_settings_for_edit(register)
    wanted = replace(current, access=access, emergency_hours=hours or current.emergency_hours)
    update_team_settings(register, version, wanted)


def _opens(who, client_id, day=TODAY) -> bool:
    with who.read_connection() as conn:
        return may_open(who, conn, client_id, day, NOON)


def test_the_default_lets_every_medewerker_open_every_client(register, bram, cem):
    lies = services.create_client(
        register, ClientInput("Lies Vermeer", OPENED, casemanager_id=cem.user.id), TODAY
    )
    assert team_settings_for_edit(register)[0].access == "team"
    assert client_file(bram, lies.id, TODAY).name == "Lies Vermeer"
    [hit] = search_clients(bram, "vermeer", today=TODAY)
    assert not hit.closed


def test_werk_refuses_every_read_of_a_client_one_does_not_work_for(register, bram, team):
    kees, lies = team
    assert client_file(bram, kees.id, TODAY).name == "Kees Bakker"
    for read in (
        lambda: client_file(bram, lies.id, TODAY),
        lambda: client_timeline(bram, lies.id, today=TODAY),
        lambda: contact_choices(bram, lies.id, TODAY),
        lambda: sharing_facts(bram, lies.id, TODAY),
    ):
        with pytest.raises(NotWorkingForError, match="U werkt niet voor Lies Vermeer"):
            read()
    # The teamleider opens every client.
    assert client_file(register, lies.id, TODAY).name == "Lies Vermeer"
    assert _opens(register, lies.id)


def test_search_finds_the_others_by_name_and_number_only(register, bram, team):
    _, lies = team
    [hit] = search_clients(bram, "vermeer", today=TODAY)
    assert (hit.name, hit.number, hit.closed) == ("Lies Vermeer", lies.number, True)
    assert (hit.street, hit.house_number, hit.has_open_alert, hit.via_member) == ("", "", False, "")
    assert search_clients(bram, lies.number, today=TODAY)[0].closed
    # Not by her address, nor through her network: that would tell what is not his to know.
    assert search_clients(bram, "vlierhof", today=TODAY) == []
    assert search_clients(bram, "truus", today=TODAY) == []
    # The teamleider finds her by all of it, open.
    assert [h.closed for h in search_clients(register, "vlierhof", today=TODAY)] == [False]
    assert not search_clients(bram, "kees", today=TODAY)[0].closed


def test_performing_an_agreement_opens_the_client_until_it_ends(register, bram, team):
    _, lies = team
    assert not _opens(bram, lies.id)
    made = services.add_agreement(
        register,
        lies.id,
        AgreementInput(Channel.VISIT, OPENED, user_id=bram.user.id, interval_days=14),
        TODAY,
    )
    assert _opens(bram, lies.id)
    end_agreement(register, made.id, TODAY - DAY, TODAY)
    assert not _opens(bram, lies.id)


def test_cover_opens_the_absent_colleagues_clients_through_the_last_day(register, bram, team):
    _, lies = team
    add_absence(register, "cem", TODAY, TODAY + DAY, cover="bram", today=TODAY)
    assert _opens(bram, lies.id) and _opens(bram, lies.id, TODAY + DAY)
    assert not _opens(bram, lies.id, TODAY + 2 * DAY)
    end_absence(register, "cem", TODAY)
    assert not _opens(bram, lies.id)


def test_a_grant_opens_the_client_until_its_day_or_its_end(register, bram, team):
    _, lies = team
    with pytest.raises(RoleError):
        grant_access(bram, lies.number, "bram", until_on=None, reason="", today=TODAY)
    tomorrow = TODAY + DAY
    grant_access(register, lies.number, "bram", until_on=tomorrow, reason="overdracht", today=TODAY)
    assert _opens(bram, lies.id) and _opens(bram, lies.id, TODAY + DAY)
    assert not _opens(bram, lies.id, TODAY + 2 * DAY)
    [row] = grants(register, TODAY)
    assert (row.user_name, row.number, row.until_on, row.reason) == (
        "bram", lies.number, TODAY + DAY, "overdracht",
    )  # fmt: skip
    with pytest.raises(ConflictError, match="bram heeft al toegang"):
        grant_access(register, lies.number, "bram", until_on=None, reason="", today=TODAY)
    assert end_grant(register, lies.number, "bram", TODAY) == 1
    assert not _opens(bram, lies.id) and grants(register, TODAY) == []
    with pytest.raises(ValidationError, match="geen toegang tot"):
        end_grant(register, lies.number, "bram", TODAY)
    with pytest.raises(ValidationError, match="anna is teamleider"):
        grant_access(register, lies.number, "anna", until_on=None, reason="", today=TODAY)


def test_noodtoegang_lasts_the_teams_hours_and_is_seen(register, bram, team):
    _, lies = team
    with pytest.raises(ValidationError, match="een paar woorden"):
        open_emergency(bram, lies.id, "nood", TODAY, NOON)
    opened = open_emergency(bram, lies.id, REASON, TODAY, NOON)
    # (A team server stamps it with its own clock: a moment later than NOON.)
    assert NOON + 8 * HOUR <= opened.until_at <= utc_now() + 8 * HOUR
    with bram.read_connection() as conn:
        assert may_open(bram, conn, lies.id, TODAY, opened.until_at - timedelta(minutes=1))
        assert not may_open(bram, conn, lies.id, TODAY, opened.until_at)
    with pytest.raises(ValidationError, match="noodtoegang is niet nodig"):
        open_emergency(bram, lies.id, REASON, TODAY, opened.until_at - HOUR)
    # The teamleider sees who, when and why; bram his own; cem nothing of bram's.
    [seen] = emergencies_since(register, NOON - DAY)
    assert (seen.user, seen.number, seen.reason) == ("bram", lies.number, REASON)
    # The audit log and the client's inzage have it.
    events = [e for e in log.events(register) if e.object_type == "emergency_access"]
    assert [(e.user_name, e.action, e.what) for e in events] == [
        ("bram", "create", "noodtoegang aangemaakt")
    ]
    [row] = client_inzage(register, lies.id).document["emergency_access"]
    assert (row["user_name"], row["reason"]) == ("bram", REASON)


def test_noodtoegang_hours_follow_the_team_setting(register, bram, team):
    _, lies = team
    _set_access(register, "werk", hours=2)
    until = open_emergency(bram, lies.id, REASON, TODAY, NOON).until_at
    assert NOON + 2 * HOUR <= until <= utc_now() + 2 * HOUR
    with pytest.raises(ValidationError, match="1 tot 24 uur"):
        _set_access(register, "werk", hours=25)
    with pytest.raises(ValidationError, match="Kies 'team'"):
        _set_access(register, "iedereen")


def test_a_medewerker_may_not_change_the_setting(bram, team):
    with pytest.raises(RoleError):
        _set_access(bram, "team")


def test_every_read_path_keeps_a_medewerker_to_the_clients_he_works_for(register, bram, team):
    """Vandaag and `overdue` hold his own clients (and, while he covers, the absent one's);
    the inzage and the team's review are a teamleider's; the shared agreements are refused."""
    kees, lies = team
    for client in (kees, lies):
        made = services.add_member(
            register, client.id, MemberInput("Buur", MemberKind.INFORMAL), TODAY
        )
        services.add_agreement(
            register, client.id,
            AgreementInput(Channel.VISIT, TODAY - 30 * DAY, member_id=made.id, interval_days=7),
            TODAY,
        )  # fmt: skip
    names = {i.client_name for i in today_list(bram, bram.user.id, TODAY).overdue}
    assert names == {"Kees Bakker"}
    assert {i.client_name for i in overdue_items(bram, TODAY)} == {"Kees Bakker"}
    with pytest.raises(RoleError):
        overdue_items(bram, TODAY, "cem")
    with pytest.raises(RoleError):
        client_inzage(bram, lies.id)
    with pytest.raises(RoleError):
        team_review(bram, TODAY)
    with pytest.raises(NotWorkingForError):
        sharing_facts(bram, lies.id, TODAY)
    # Covering cem today: Lies is on his Vandaag, and hers opens.
    add_absence(register, "cem", TODAY, TODAY, cover="bram", today=TODAY)
    names = {i.client_name for i in today_list(bram, bram.user.id, TODAY).overdue}
    assert names == {"Kees Bakker", "Lies Vermeer"}
    assert sharing_facts(bram, lies.id, TODAY).client_name == "Lies Vermeer"


def test_a_medewerker_registers_a_client_for_himself(register, bram, cem, team):
    """One he would not work for he could not open once made (on a team server not even
    make): refused in Dutch, and nothing is written; for himself it goes."""
    with pytest.raises(ValidationError, match="bij zichzelf aan"):
        services.create_client(
            bram, ClientInput("Piet Jansen", OPENED, casemanager_id=cem.user.id), TODAY
        )
    assert search_clients(register, "piet", today=TODAY) == []
    made = services.create_client(
        bram, ClientInput("Piet Jansen", OPENED, casemanager_id=bram.user.id), TODAY
    )
    assert client_file(bram, made.id, TODAY).name == "Piet Jansen"


def test_handing_a_client_over_moves_the_access_with_it(register, bram, cem, team):
    kees, _ = team
    assert _opens(bram, kees.id) and not _opens(cem, kees.id)
    details, version = client_for_edit(register, kees.id)
    services.update_client(
        register, kees.id, version, replace(details, casemanager_id=cem.user.id), TODAY
    )
    assert _opens(cem, kees.id) and not _opens(bram, kees.id)


def test_a_medewerker_cannot_make_a_client_his_own(register, bram, cem, team):
    """With noodtoegang (or a cover) he may work in the file, but not take the client over nor
    make himself the performer of an agreement: the access would outlast its reason."""
    kees, lies = team
    open_emergency(bram, lies.id, REASON, TODAY)
    details, version = client_for_edit(bram, lies.id)
    with pytest.raises(ValidationError, match="draagt de teamleider een cliënt over"):
        services.update_client(
            bram, lies.id, version, replace(details, casemanager_id=bram.user.id), TODAY
        )
    mine = AgreementInput(Channel.PHONE, TODAY, user_id=bram.user.id, interval_days=7)
    with pytest.raises(ValidationError, match="uitvoerder"):
        services.add_agreement(bram, lies.id, mine, TODAY)
    # His own client's agreements he performs as he likes; handing Kees over is the
    # teamleider's (above).
    assert services.add_agreement(bram, kees.id, mine, TODAY).id
    details, version = client_for_edit(bram, kees.id)
    with pytest.raises(ValidationError, match="draagt de teamleider"):
        services.update_client(
            bram, kees.id, version, replace(details, casemanager_id=cem.user.id), TODAY
        )


def test_a_medewerkers_reminder_run_keeps_to_his_clients(register, bram, team):
    """Run (or tried) by a medewerker, `remind` sends only for the clients he works for; the
    teamleider's run (a timer's, as one) sends the team's."""
    for client, name in zip(team, ("Ria", "Truus"), strict=True):
        member = services.add_member(
            register,
            client.id,
            MemberInput(name, MemberKind.INFORMAL, email=f"{name.lower()}@example.nl",
                        remind_by_mail=True),
            TODAY,
        )  # fmt: skip
        services.add_agreement(
            register,
            client.id,
            AgreementInput(Channel.PHONE, TODAY - 6 * DAY, member_id=member.id, interval_days=7),
            TODAY,
        )
    kees, lies = team
    assert {d.client_id for d in due_reminders(register, TODAY)} == {kees.id, lies.id}
    assert {d.client_id for d in due_reminders(bram, TODAY)} == {kees.id}
