"""The Buurt view (`b` on Vandaag) as a person uses it: the demo's volunteer who visits four
clients weekly is flagged, whom she supports and how she was found shows under the list and
in her own dialog, an area narrows the view and Esc widens it again; a teamleider parts a
member who is someone else; a medewerker in a team that chose "werk" sees only the clients he
works for and decides nothing. Snapshots at 80x24, 120x35 and without colour."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, copy_register, make_app, settle, until
from tests.views.test_snapshots import SIZES, _steady
from wijkteam_tui.domain.terms import Channel, MemberKind, Role
from wijkteam_tui.store import services
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.edit import team_settings_for_edit
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.users import add_user
from wijkteam_tui.store.write.settings import update_team_settings
from wijkteam_tui.views.neighbourhood import NeighbourhoodScreen, PersonScreen


def _cells(app, table_id: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _detail(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#buurt-person", Static).render())


async def _buurt(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("b")
    await until(pilot, lambda: isinstance(pilot.app.screen, NeighbourhoodScreen), "Buurt")
    await settle(pilot)


async def test_the_stretched_volunteer_whom_she_supports_and_the_areas(demo_register):
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(80, 24)) as pilot:
        await _buurt(pilot)
        first = _cells(app, "buurt-people")[0]
        assert first[:4] == ["Fenna de Vries", "4", "4", "17,4"]
        assert first[5].startswith("! draagt 4 cliënten, 17 contacten per maand")
        detail = _detail(app)
        assert detail.startswith("Fenna de Vries: ")
        assert detail.count("(e-mail, telefoon)") == 4
        assert "! draagt 4 cliënten, 17 contacten per maand" in detail
        await pilot.press("3")
        await settle(pilot)
        areas = _cells(app, "buurt-areas")
        assert [row[0] for row in areas] == ["7271", "7272", "7273", "7274", "7275", "7276"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.area == "7272"
        assert "gebied 7272 (Esc: hele team)" in str(
            app.screen.query_one("#buurt-head", Static).render()
        )
        assert [row[0] for row in _cells(app, "buurt-areas")] == ["7272"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.area == "" and len(_cells(app, "buurt-areas")) == 6
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NeighbourhoodScreen)


async def test_a_teamleider_parts_a_member_who_is_someone_else(demo_register):
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(80, 24)) as pilot:
        await _buurt(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PersonScreen), "her dialog")
        members = _cells(app, "person-members")
        assert [row[3] for row in members] == ["e-mail, telefoon"] * 4
        await pilot.press("down", "p")
        await settle(pilot)
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, NeighbourhoodScreen), "back")
        await until(pilot, lambda: _cells(app, "buurt-people")[0][1] == "3", "three clients left")
        assert _cells(app, "buurt-people")[0][0] == "Fenna de Vries"


@pytest.fixture
def bram_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Fenna visits Kees and Ria (bram's) and Lies (anna's) weekly; the team chose "werk"."""
    anna, _ = create_register(tmp_path / "register.db", "anna", PASSPHRASE)
    add_user(anna, "bram", Role.MEDEWERKER, passphrase="bram zijn wachtwoord")
    bram = open_register(anna.path, "bram", "bram zijn wachtwoord")
    for name, casemanager in (("Kees", bram.user.id), ("Ria", bram.user.id), ("Lies", 1)):
        client = services.create_client(
            anna,
            ClientInput(f"{name} Bakker", TODAY - timedelta(days=90), casemanager_id=casemanager),
            TODAY,
        ).id
        data = MemberInput("Fenna de Vries", MemberKind.INFORMAL, phone="06-12345678")
        fenna = services.add_member(anna, client, data, TODAY).id
        services.add_agreement(
            anna,
            client,
            AgreementInput(
                Channel.VISIT, TODAY - timedelta(days=60), member_id=fenna, interval_days=7
            ),
            TODAY,
        )
    settings, version = team_settings_for_edit(anna)
    update_team_settings(anna, version, replace(settings, access="werk"))
    anna.close()
    yield make_app(bram.path, register=bram)
    bram.close()


async def test_a_medewerker_sees_his_clients_and_decides_nothing(bram_app):
    async with bram_app.run_test(size=(80, 24)) as pilot:
        await _buurt(pilot)
        [row] = _cells(bram_app, "buurt-people")
        assert row[:3] == ["Fenna de Vries", "2", "2"]
        assert "Lies" not in _detail(bram_app)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(bram_app.screen, PersonScreen), "her dialog")
        assert bram_app.screen.check_action("part", ()) is False
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(bram_app.screen, PersonScreen)  # no question asked, nothing parted
        await pilot.press("escape")
        await settle(pilot)
        assert _cells(bram_app, "buurt-people")[0][1] == "2"


@pytest.mark.parametrize("size", [*SIZES, "monochrome"])
def test_buurt_snapshot(snap_compare, tmp_path, demo_template, monkeypatch, size):
    if size == "monochrome":
        monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    copy_register(demo_template, Path("demo.db"))
    register = open_register(Path("demo.db"), "demo", "demo")
    app = make_app(Path("demo.db"), register=register)

    async def press(pilot):  # type: ignore[no-untyped-def]
        await _buurt(pilot)
        await _steady(pilot)

    try:
        terminal = (80, 24) if size == "monochrome" else size
        assert snap_compare(app, terminal_size=terminal, run_before=press)
    finally:
        register.close()


@pytest.mark.parametrize("size", SIZES)
def test_person_snapshot(snap_compare, tmp_path, demo_template, monkeypatch, size):
    monkeypatch.chdir(tmp_path)
    copy_register(demo_template, Path("demo.db"))
    register = open_register(Path("demo.db"), "demo", "demo")
    app = make_app(Path("demo.db"), register=register)

    async def press(pilot):  # type: ignore[no-untyped-def]
        await _buurt(pilot)
        await pilot.press("enter")
        await _steady(pilot)

    try:
        assert snap_compare(app, terminal_size=size, run_before=press)
    finally:
        register.close()
