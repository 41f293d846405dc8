"""Bewaartermijn (teamleider, `b` on Team): files past their retention date; `v` keeps one
longer with a date and a reason, `w` destroys one through the erasure form; a medewerker is
refused by the store; a snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, from_team, make_app, settle, watcher_caught_up
from tests.views.test_snapshots import SIZES, _steady
from wijkteam_tui.domain.terms import Phase, Role
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store import services
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.forms.erase import EraseForm
from wijkteam_tui.views.forms.retention import ExtendRetentionForm
from wijkteam_tui.views.retention import RetentionScreen

BRAM = "bram zijn wachtwoord"


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    path = tmp_path / "wijk" / "register.db"
    made, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Zuid")
    for name, closed in (("Oud Dossier", date(2005, 6, 1)), ("Ouder Dossier", date(2004, 3, 1))):
        client = services.create_client(made, ClientInput(name, date(2000, 1, 3)), TODAY)
        services.change_phase(made, client.id, Phase.CLOSED, "Afgerond.", TODAY, on=closed)
    made.close()
    crypto.add_user_slot(
        path, crypto.unlock(path, "anna", PASSPHRASE), "bram", Role.MEDEWERKER, BRAM
    )
    opened = open_register(path, "anna", PASSPHRASE)
    yield opened
    opened.close()


async def _retention(pilot) -> RetentionScreen:  # type: ignore[no-untyped-def]
    return await from_team(pilot, "b", RetentionScreen)


def _numbers(screen: RetentionScreen) -> list[str]:
    table = screen.query_one("#retention-table", DataTable)
    return [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]


async def test_keep_one_longer_and_destroy_the_other(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await _retention(pilot)
        first, second = _numbers(screen)
        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExtendRetentionForm)
        form.query_one("#until", Input).value = "1-1-2020"
        form.query_one("#reason", Input).value = "Klachtprocedure loopt nog."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExtendRetentionForm), "a date in the past is refused"
        form.query_one("#until", Input).value = "1-1-2030"
        await pilot.press("ctrl+s")
        # The list reads anew after the save, and once more when the watcher sees the commit.
        await watcher_caught_up(pilot)
        assert app.screen is screen and _numbers(screen) == [second]

        await pilot.press("w")
        await settle(pilot)
        erase = app.screen
        assert isinstance(erase, EraseForm)
        erase.query_one("#reason", Input).value = "Bewaartermijn verstreken."
        erase.query_one("#confirm", Input).value = second
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and _numbers(screen) == []
        summary = str(screen.query_one("#retention-summary", Static).render())
        assert "Geen dossiers voorbij de bewaartermijn" in summary
    reopened = open_register(register.path, "anna", PASSPHRASE)
    try:
        assert log.verify(reopened).ok
        kept = log.events(reopened, client_number=first)
        assert any(e.action == "retention" and "Klachtprocedure" in e.detail for e in kept)
        assert any(e.action == "erase" for e in log.events(reopened, client_number=second))
    finally:
        reopened.close()


async def test_a_medewerker_is_refused(register):
    path = register.path
    register.close()
    bram = open_register(path, "bram", BRAM)
    app = make_app(path, register=bram)
    async with app.run_test(size=(120, 35)) as pilot:
        # Team (and so `b`) is not offered to a medewerker; even pushed, the store refuses.
        await settle(pilot)
        screen = RetentionScreen()
        app.push_screen(screen)
        await settle(pilot)
        assert _numbers(screen) == []
        assert "Alleen een teamleider" in str(
            screen.query_one("#retention-summary", Static).render()
        )
    bram.close()


@pytest.mark.parametrize("size", SIZES)
def test_retention_screen(snap_compare, register, size):
    async def shown(pilot):  # type: ignore[no-untyped-def]
        await _retention(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(register.path, register=register), terminal_size=size,
                        run_before=shown)  # fmt: skip
