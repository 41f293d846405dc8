"""The numbers the shared documents print, as the teamleider enters them: a new user's phone in
Gebruiker toevoegen and the team's office number in Teaminstellingen, each checked at its field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.conftest import PASSPHRASE
from tests.views.conftest import burst, drain, make_app, settle
from wijkteam_tui.store import users
from wijkteam_tui.store.engine import Register, create_register, open_register
from wijkteam_tui.store.team import team_settings_for_edit
from wijkteam_tui.views.forms.settings import TeamSettingsForm
from wijkteam_tui.views.forms.user import AddUserForm
from wijkteam_tui.views.team import TeamScreen
from wijkteam_tui.views.users import OneTimePassphraseDialog


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
