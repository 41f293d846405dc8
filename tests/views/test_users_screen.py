"""Gebruikers (teamleider, `u` on Team): who can log in, and `x` takes bram's access away after
the question; a snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import from_team, make_app, settle, until
from tests.views.test_snapshots import SIZES, _steady
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AuthenticationError,
    OneTimePassphraseError,
    WijkteamError,
    WrongPassphraseError,
)
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.audit import chain
from wijkteam_tui.store.keys import changes
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sqlite.connection import connect_keyed
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.forms.user import AddUserForm
from wijkteam_tui.views.users import OneTimePassphraseDialog, UsersScreen

BRAM = "bram zijn wachtwoord"


@pytest.fixture
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Register]:
    monkeypatch.setattr(chain, "now", lambda: datetime(2026, 11, 22, 9, 15))
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
    return await from_team(pilot, "u", UsersScreen)


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


def _names(screen: UsersScreen) -> list[str]:
    table = screen.query_one("#users-table", DataTable)
    return [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]


async def test_n_adds_a_user_typed_at_machine_speed_with_a_one_time_passphrase(register):
    """t u n, the new user's name, Tab, their full name, Ctrl+S in one burst: the user is there
    and the one-time passphrase is shown once; it opens the register only to choose their own."""
    from tests.views.conftest import burst, drain

    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "t", "u", "n", "cem.demir", "tab", "Cem Demir", "ctrl+s")
        await drain(pilot)
        dialog = app.screen
        assert isinstance(dialog, OneTimePassphraseDialog)
        assert dialog.user_name == "cem.demir"
        shown = str(dialog.query_one("#one-time-passphrase", Static).render())
        assert shown == dialog.passphrase
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UsersScreen)
        assert _names(screen) == ["anna", "bram", "cem.demir"]
        row = screen.rows[2]
        assert (row.display_name, row.role, row.can_log_in) == ("Cem Demir", Role.MEDEWERKER, True)
    with pytest.raises(OneTimePassphraseError):
        crypto.unlock(register.path, "cem.demir", dialog.passphrase)
    crypto.unlock(register.path, "cem.demir", dialog.passphrase, one_time_ok=True)


async def test_a_name_in_use_or_not_a_login_name_is_said_at_the_field(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await _users(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AddUserForm)
        await pilot.press(*"Brâm", "ctrl+s")
        await settle(pilot)
        assert "letters a-z" in form.message("name")
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"bram", "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "bestaat al" in form.message("name")
        # Leaving asks first: what was typed would be lost.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("j")
        await settle(pilot)
        assert app.screen is screen
        assert _names(screen) == ["anna", "bram"]


async def test_w_gives_a_one_time_passphrase_after_the_question(register):
    """t u down w j in one burst: bram's passphrase ends, the one-time one is shown once."""
    from tests.views.conftest import burst, drain

    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "t", "u", "down", "w", "j")
        await drain(pilot)
        dialog = app.screen
        assert isinstance(dialog, OneTimePassphraseDialog)
        assert dialog.user_name == "bram"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        # anna herself: a reset is refused with where her own passphrase is changed.
        await pilot.press("up", "w", "j")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        await until(
            pilot,
            lambda: any("Uw eigen wachtwoord" in n.message for n in app._notifications),
            "the refusal of a reset of one's own passphrase",
        )
    with pytest.raises(WrongPassphraseError):
        crypto.unlock(register.path, "bram", BRAM)
    with pytest.raises(OneTimePassphraseError):
        crypto.unlock(register.path, "bram", dialog.passphrase)


async def test_w_on_someone_without_access_says_how_to_give_it_again(register):
    from wijkteam_tui.store.users import deactivate_user

    deactivate_user(register, "bram")
    key_file = crypto.key_file_path(register.path).read_bytes()
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _users(pilot)
        await pilot.press("down", "w")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen)
        assert any("opnieuw toegang met n" in n.message for n in app._notifications)
    assert crypto.key_file_path(register.path).read_bytes() == key_file


@pytest.mark.parametrize("size", SIZES)
def test_add_user_form(snap_compare, register, size):
    async def form(pilot):  # type: ignore[no-untyped-def]
        await _users(pilot)
        await pilot.press("n", *"fatima.elamrani", "tab", *"Fatima El Amrani")
        await _steady(pilot)

    assert snap_compare(make_app(register.path, register=register), terminal_size=size,
                        run_before=form)  # fmt: skip


@pytest.mark.parametrize("size", SIZES)
def test_one_time_passphrase_dialog(snap_compare, register, size, monkeypatch):
    monkeypatch.setattr(changes, "one_time_passphrase", lambda: "k7qm-2xwa-p4td-9nre-hv3c")

    async def reset(pilot):  # type: ignore[no-untyped-def]
        await _users(pilot)
        await pilot.press("down", "w", "j")
        await settle(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(register.path, register=register), terminal_size=size,
                        run_before=reset)  # fmt: skip


async def test_locking_takes_the_one_time_passphrase_off_the_screen_for_good(register):
    from tests.conftest import PASSPHRASE
    from wijkteam_tui.views.unlock import UnlockScreen

    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _users(pilot)
        await pilot.press("down", "w", "j")
        await settle(pilot)
        assert isinstance(app.screen, OneTimePassphraseDialog)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert not any(isinstance(s, OneTimePassphraseDialog) for s in app.screen_stack)
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, UnlockScreen)
        assert not any(isinstance(s, OneTimePassphraseDialog) for s in app.screen_stack)


async def test_names_are_whole_when_there_is_room_and_every_column_fits_at_80(register):
    long_name = "sanne.elidrissi"
    from wijkteam_tui.store.users import add_user

    add_user(register, long_name, Role.MEDEWERKER, passphrase="sanne haar wachtwoord")
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await _users(pilot)
        table = screen.query_one("#users-table", DataTable)

        def shown() -> str:
            return " ".join(
                str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)
            )

        assert long_name in shown(), "whole with room to spare"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert sum(c.width + 2 for c in table.ordered_columns) <= 80
        assert long_name not in shown() and "sanne.elid" in shown(), "cut to its column at 80"
        await pilot.resize_terminal(120, 35)
        await settle(pilot)
        assert long_name in shown()
