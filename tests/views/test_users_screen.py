"""Gebruikers (teamleider, `u` on Team): who can log in, and `x` takes bram's access away after
the question; a snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.conftest import PASSPHRASE
from tests.views.conftest import make_app, settle
from tests.views.test_snapshots import SIZES, _steady
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import AuthenticationError, WijkteamError
from wijkteam_tui.store import audit, crypto
from wijkteam_tui.store.engine import Register, connect_keyed, create_register, open_register
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.users import UsersScreen

BRAM = "bram zijn wachtwoord"


@pytest.fixture
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Register]:
    monkeypatch.setattr(audit, "_now", lambda: datetime(2026, 11, 22, 9, 15))
    path = tmp_path / "wijk" / "register.db"
    made, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Zuid")
    made.close()
    crypto.add_user_slot(
        path, crypto.unlock(path, "anna", PASSPHRASE), "bram", Role.MEDEWERKER, BRAM
    )
    open_register(path, "bram", BRAM).close()
    opened = open_register(path, "anna", PASSPHRASE)
    yield opened
    opened.close()


async def _users(pilot) -> UsersScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    await pilot.press("u")
    await settle(pilot)
    assert isinstance(pilot.app.screen, UsersScreen)
    return pilot.app.screen


async def test_x_takes_access_away_after_the_question(register):
    old_key = bytes(register.unlocked.db_key)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await _users(pilot)
        table = screen.query_one("#users-table", DataTable)
        names = [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]
        assert names == ["anna", "bram"]
        await pilot.press("down", "x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("j")
        await settle(pilot)
        assert [str(c).strip() for c in table.get_row_at(1)][3] == "nee"
        # The screens go on with the register opened again under its new database key, and
        # the teamleider can still grant roles (her slot's keys came along).
        reopened = app.register
        assert reopened is not None and reopened is not register
        assert bytes(reopened.unlocked.db_key) != old_key
        reopened.unlocked.signing_key()
        await pilot.press("r")
        await settle(pilot)
        assert table.row_count == 2
    with pytest.raises(WijkteamError):
        connect_keyed(register.path, old_key, read_only=True)
    with pytest.raises(AuthenticationError, match="bestaat niet in dit register"):
        crypto.unlock(register.path, "bram", BRAM)


@pytest.mark.parametrize("size", SIZES)
def test_users_screen(snap_compare, register, size):
    async def users(pilot):  # type: ignore[no-untyped-def]
        await _users(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(register.path, register=register), terminal_size=size,
                        run_before=users)  # fmt: skip


async def test_keys_typed_before_the_list_is_there_wait_for_it(register):
    """t, u, down, x at machine speed: the question comes for bram, nothing is lost."""
    from tests.views.conftest import burst, drain

    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "t", "u", "down", "x")
        await drain(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "(bram)" in str(app.screen.question)
