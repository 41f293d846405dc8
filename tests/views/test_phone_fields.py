"""The numbers the shared documents print, as they are entered: a new user's phone in Gebruiker
toevoegen, anyone's with `t` on Gebruikers, one's own from the command palette, and the team's
office number in Teaminstellingen, each checked at its field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import burst, drain, make_app, settle
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import RoleError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store import users
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.edit import team_settings_for_edit
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.forms.settings import TeamSettingsForm
from wijkteam_tui.views.forms.user import AddUserForm, PhoneForm
from wijkteam_tui.views.team import TeamScreen
from wijkteam_tui.views.users import OneTimePassphraseDialog, UsersScreen

BRAM = "bram zijn wachtwoord"


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    path = tmp_path / "wijk" / "register.db"
    made, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Zuid")
    made.close()
    opened = open_register(path, "anna", PASSPHRASE)
    yield opened
    opened.close()


async def test_a_new_user_s_phone_is_checked_at_its_field_and_saved(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "t", "u", "n", "cem.demir", "tab", "Cem Demir", "tab", "06-1234", "ctrl+s")
        await drain(pilot)
        form = app.screen
        assert isinstance(form, AddUserForm)
        assert "10 tot 15 cijfers (nu 6)" in form.message("phone")
        assert not users.can_log_in(register, "cem.demir"), "nothing saved"
        await pilot.press(*" 5678", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OneTimePassphraseDialog)
    assert users.user_phone(register, "cem.demir") == "06-1234 5678"


async def test_the_office_number_is_checked_at_its_field_and_saved(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TeamSettingsForm)
        form.query_one("#office_phone", Input).value = "kantoor"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "cijfers" in form.message("office_phone")
        assert team_settings_for_edit(register)[0].office_phone == ""
        form.query_one("#office_phone", Input).value = "020-765 4321"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
    assert team_settings_for_edit(register)[0].office_phone == "020-765 4321"


async def test_t_on_gebruikers_changes_the_chosen_user_s_phone(register):
    users.add_user(register, "cem.demir", Role.MEDEWERKER, phone="06-1111 2222")
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "t", "u", "down")
        await drain(pilot)
        screen = app.screen
        assert isinstance(screen, UsersScreen)
        chosen = screen.query_one("#users-chosen", Static)
        assert "Telefoon van cem.demir: 06-1111 2222" in str(chosen.render())
        await pilot.press("t")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PhoneForm)
        assert form.query_one("#phone", Input).value == "06-1111 2222"
        form.query_one("#phone", Input).value = "06-33"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "cijfers" in form.message("phone")
        assert users.user_phone(register, "cem.demir") == "06-1111 2222", "nothing saved"
        form.query_one("#phone", Input).value = "06-3333 4444"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "Telefoon van cem.demir: 06-3333 4444" in str(chosen.render())
    assert users.user_phone(register, "cem.demir") == "06-3333 4444"


async def test_a_medewerker_sets_her_own_phone_from_the_command_palette(tmp_path: Path):
    path = tmp_path / "wijk" / "register.db"
    made, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Zuid")
    made.close()
    crypto.add_user_slot(
        path, crypto.unlock(path, "anna", PASSPHRASE), "bram", Role.MEDEWERKER, BRAM
    )
    bram = open_register(path, "bram", BRAM)
    try:
        app = make_app(path, register=bram)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            commands = {c.title: c for c in app.get_system_commands(app.screen)}
            commands["Mijn telefoonnummer"].callback()
            await settle(pilot)
            form = app.screen
            assert isinstance(form, PhoneForm)
            assert form.title_text == "Telefoonnummer van bram"
            assert form.query_one("#phone", Input).value == ""
            form.query_one("#phone", Input).value = "06 5555 6666"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, PhoneForm)
        assert users.user_phone(bram, "bram") == "06 5555 6666"
        with pytest.raises(RoleError):
            users.set_phone(bram, "anna", "06 7777 8888")
    finally:
        bram.close()
