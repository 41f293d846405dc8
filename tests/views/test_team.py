"""The Team screen as a teamleider uses it for the weekly review: the figures, one medewerker's
list and their client, sorting and filtering, handing clients over with the agreements that
move along, the team settings; and the refusal for a medewerker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, SelectionList

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, burst, drain, make_app, settle
from tests.views.test_forms import _message, _screen_text
from wijkteam_tui.domain.terms import Channel, MemberKind, Phase, Role
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store import services
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.client_file import client_timeline
from wijkteam_tui.store.read.edit import (
    list_users,
    setting_history,
    team_settings_for_edit,
    team_thresholds,
)
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.read.team import team_review
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.forms.reassign import ReassignForm
from wijkteam_tui.views.forms.settings import TeamSettingsForm
from wijkteam_tui.views.team import TeamScreen
from wijkteam_tui.views.today import TodayScreen

OPENED = date(2026, 9, 1)
BRAM = "bram zijn wachtwoord"


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    """anna (teamleider): Fatima, whose neighbour visits every 14 days (68 days late).
    bram (medewerker): Kees, whom bram phones every 28 days (54 days late), and Lies."""
    path = tmp_path / "wijk" / "register.db"
    made, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Zuid")
    crypto.add_user_slot(
        path, crypto.unlock(path, "anna", PASSPHRASE), "bram", Role.MEDEWERKER, BRAM
    )
    made.close()
    opened = open_register(path, "anna", PASSPHRASE)
    bram_id = next(u.id for u in list_users(opened) if u.name == "bram")
    fatima = services.create_client(
        opened, ClientInput("Fatima El Amrani", OPENED, casemanager_id=opened.user.id), TODAY
    )
    ayse = services.add_member(
        opened,
        fatima.id,
        MemberInput("Ayşe Yılmaz", MemberKind.INFORMAL, relation="buurvrouw"),
        TODAY,
    )
    services.add_agreement(
        opened,
        fatima.id,
        AgreementInput(Channel.VISIT, OPENED, member_id=ayse.id, interval_days=14),
        TODAY,
    )
    kees = services.create_client(
        opened, ClientInput("Kees Bakker", OPENED, casemanager_id=bram_id), TODAY
    )
    services.add_agreement(
        opened,
        kees.id,
        AgreementInput(Channel.PHONE, OPENED, user_id=bram_id, interval_days=28),
        TODAY,
    )
    services.create_client(
        opened, ClientInput("Lies de Vries", date(2026, 11, 20), casemanager_id=bram_id), TODAY
    )
    yield opened
    opened.close()


def _table(app) -> DataTable:  # type: ignore[no-untyped-def,type-arg]
    return app.screen.query_one("#team-table", DataTable)


def _names(app) -> list[str]:  # type: ignore[no-untyped-def]
    table = _table(app)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def _team(pilot) -> TeamScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    assert isinstance(pilot.app.screen, TodayScreen)
    await pilot.press("t")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TeamScreen)
    return screen


async def test_the_review_shows_each_medewerker_and_opens_a_client_from_their_list(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await _team(pilot)
        assert _names(app) == ["anna", "bram", "Team"], "sorted on te laat, the team last"
        row = [str(cell) for cell in _table(app).get_row_at(0)]
        assert row[:3] == ["anna", "1", "68 dg"]
        assert "Team: 3 cliënten · 2 te laat (langste 68 dagen)" in _screen_text(app)
        assert screen.focused is _table(app)

        await pilot.press("down")  # bram
        await settle(pilot)
        assert "bram: 1 contactmoment te laat" in _screen_text(app)
        await pilot.press("enter")  # into bram's list
        await settle(pilot)
        assert isinstance(screen.focused, OptionList)
        await pilot.press("enter")  # the client
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert app.screen.file is not None and app.screen.file.name == "Kees Bakker"


async def test_sorting_and_filtering(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await _team(pilot)
        for expected in ("langst te laat", "aandacht", "uit beeld", "naam"):
            await pilot.press("s")
            await settle(pilot)
            assert screen.sort.label == expected
        assert _names(app) == ["anna", "bram", "Team"]
        screen.query_one("#phase", Select).value = Phase.INTENSIVE
        await settle(pilot)
        assert "Team: 3 cliënten" in _screen_text(app)
        screen.query_one("#area", Input).value = "12ab"
        await pilot.press("f", "enter")
        await settle(pilot)
        assert "Een postcodegebied is het begin van een postcode" in _screen_text(app)


async def test_a_medewerker_has_no_team_key_and_the_store_refuses_the_screen(register):
    bram = open_register(register.path, "bram", BRAM)
    try:
        app = make_app(bram.path, register=bram)
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            assert isinstance(app.screen, TodayScreen), "no Team key for a medewerker"
            app.push_screen(TeamScreen())
            await settle(pilot)
            assert "Alleen een teamleider ziet het teamoverzicht." in _screen_text(app)
            assert _table(app).row_count == 0
    finally:
        bram.close()


async def test_keys_typed_ahead_act_on_the_row_they_were_typed_for(register):
    """t ↓ o at machine speed: ↓ waits for the team's list, so o hands over bram's clients,
    not anna's (the first row)."""
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "t", "down", "o")
        await drain(pilot)
        form = app.screen
        assert isinstance(form, ReassignForm)
        assert form.from_name == "bram"


async def test_handing_over_lists_the_agreements_that_move_and_records_the_reason(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _team(pilot)
        await pilot.press("down", "o")  # bram's clients
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReassignForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Kies ten minste één cliënt" in _message(form, "clients")
        await pilot.press("a")  # tick them all
        listing = form.query_one("#clients", SelectionList)
        assert len(listing.selected) == 2
        anna = register.user.id
        form.query_one("#to_user", Select).value = anna
        form.query_one("#reason", Input).value = "Bram is met verlof."
        await pilot.press("ctrl+s")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert "• Kees Bakker: bram, elke 4 weken" in _screen_text(app)
        await pilot.press("j")  # Overdragen (Enter would be the safe "Terug")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert _names(app)[0] == "anna"
        review = team_review(register, TODAY)
        assert {r.name: r.clients for r in review.rows} == {"anna": 3, "bram": 0}
    kees = search_clients(register, "kees")[0].id
    (entry,) = [e for e in client_timeline(register, kees) if e.kind == "overdracht"]
    assert entry.text.endswith("Bram is met verlof. (1 afspraak mee over)")


async def test_team_settings_are_checked_at_the_field_saved_and_recorded(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _team(pilot)
        await pilot.press("i")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TeamSettingsForm)
        assert "Nog niets gewijzigd" in _screen_text(app)
        form.query_one("#retention_years_youth_act", Input).value = "15"
        form.query_one("#grace_days", Input).value = "twee"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Jeugdwet bewaart ten minste 20 jaar" in _message(form, "retention_years_youth_act")
        assert "0 tot 30" in _message(form, "grace_days")
        assert setting_history(register) == [], "nothing saved"
        form.query_one("#retention_years_youth_act", Input).value = "25"
        form.query_one("#grace_days", Input).value = "2"
        form.query_one("#wijk", Input).value = "Zuid-Oost"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
    settings, _ = team_settings_for_edit(register)
    assert (settings.grace_days, settings.wijk, settings.retention_years_youth_act) == (
        2,
        "Zuid-Oost",
        25,
    )
    assert {h.setting for h in setting_history(register)} == {
        "coulance (dagen)",
        "wijk",
        "bewaartermijn Jeugdwet (jaren)",
    }


async def test_escape_leaves_the_teamgrenzen_form_at_once_when_nothing_was_typed(register):
    from wijkteam_tui.views.forms.team_threshold import TeamThresholdForm

    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _team(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, TeamThresholdForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen), "no question: nothing was changed"


async def test_the_teams_signal_thresholds_are_set_from_the_team_screen(register):
    from wijkteam_tui.domain.terms import ThresholdRule
    from wijkteam_tui.views.forms.team_threshold import TeamThresholdForm

    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _team(pilot)
        await pilot.press("g")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TeamThresholdForm)
        assert "Nu: na 42 dagen zonder contact. Standaard: na 42 dagen" in _screen_text(app)
        assert not form.changed(), "nothing typed is no change (14 in the store, '14' shown)"
        form.query_one("#days", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "1 tot 366" in _message(form, "days")
        # The wrong number is selected: what is typed replaces it; once right, the message goes.
        await pilot.press("3", "0")
        await settle(pilot)
        assert form.query_one("#days", Input).value == "30"
        assert "1 tot 366" not in _message(form, "days")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
    (row,) = [r for r in team_thresholds(register) if r.rule is ThresholdRule.OUT_OF_VIEW]
    assert row.team.days == 30
    (change,) = setting_history(register)
    assert (change.setting, change.old_value, change.new_value) == (
        "teamgrens uit beeld",
        "na 42 dagen zonder contact",
        "na 30 dagen zonder contact",
    )
