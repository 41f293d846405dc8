"""Access that follows the work, in the screens: in a team that chose "werk", bram finds a
colleague's client by name on Cliënten without her details ("alleen met noodtoegang"); Enter
asks for a reason first (too short is refused in the dialog), and with one the file opens; the
teamleider's Team screen then says "noodtoegang: 1 deze week". The team setting is in the
Teaminstellingen form."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import Input, Select, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle
from tests.views.test_forms import _screen_text
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.store import services
from wijkteam_tui.store.models import User
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.edit import team_settings_for_edit
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.users import add_user
from wijkteam_tui.store.write.settings import update_team_settings
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.forms.emergency import EmergencyForm
from wijkteam_tui.views.forms.settings import TeamSettingsForm

BRAM = "bram zijn lange zin"


def _team(tmp_path: Path, access: str = "werk"):
    """anna (teamleider) with client Lies Vermeer, Vlierhof 3; medewerker bram."""
    register, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    try:
        add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
        with register.read() as session:
            anna = session.scalars(select(User.id).where(User.name == "anna")).one()
        services.create_client(
            register,
            ClientInput(
                "Lies Vermeer", TODAY - timedelta(days=90), casemanager_id=anna,
                street="Vlierhof", house_number="3",
            ),
            TODAY,
        )  # fmt: skip
        current, version = team_settings_for_edit(register)
        update_team_settings(register, version, replace(current, access=access))
    except BaseException:
        register.close()
        raise
    return register


async def test_noodtoegang_asked_before_a_colleagues_client_opens(tmp_path: Path):
    register = _team(tmp_path)
    bram = open_register(register.path, "bram", BRAM)
    try:
        app = make_app(bram.path, register=bram)
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await settle(pilot)
            await pilot.press(*"vlierhof")
            await settle(pilot)
            assert "Geen cliënten gevonden." in _screen_text(app)
            app.screen.query_one("#search", Input).value = "lies"
            await settle(pilot)
            text = _screen_text(app)
            assert "Lies Vermeer" in text and "alleen met noodtoegang" in text
            assert "Vlierhof" not in text
            await pilot.press("down", "enter")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, EmergencyForm)
            assert form.title_text.startswith("Noodtoegang tot Lies Vermeer")
            form.query_one("#reason", Input).value = "nood"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, EmergencyForm)
            assert "een paar woorden" in _screen_text(app)
            form.query_one("#reason", Input).value = "Dochter belt in paniek, anna is er niet"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ClientFileScreen)
            text = _screen_text(app)
            assert "Vlierhof 3" in text and "noodtoegang tot " in text
    finally:
        bram.close()
    try:
        app = make_app(register.path, register=register)
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            summary = str(app.screen.query_one("#team-summary", Static).render())
            assert "noodtoegang: 1 deze week" in summary
    finally:
        register.close()


async def test_the_setting_is_in_the_team_settings(tmp_path: Path):
    register = _team(tmp_path, access="team")
    try:
        app = make_app(register.path, register=register)
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, TeamSettingsForm)
            form.query_one("#access", Select).value = "werk"
            form.query_one("#emergency_hours", Input).value = "4"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, TeamSettingsForm)
        settings, _ = team_settings_for_edit(register)
        assert (settings.access, settings.emergency_hours) == ("werk", 4)
    finally:
        register.close()


#: The Cliënten screen with a colleague's client found by name, and the noodtoegang dialog.
SNAPSHOTS = {
    "closed_hit": ("slash", *"lies", "down"),
    "emergency_dialog": ("slash", *"lies", "down", "enter"),
}


@pytest.mark.parametrize("keys", SNAPSHOTS.values(), ids=SNAPSHOTS.keys())
@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
def test_snapshots(snap_compare, tmp_path, monkeypatch, size, keys):
    monkeypatch.chdir(tmp_path)
    _team(Path(".")).close()
    bram = open_register(Path("wijk/register.db"), "bram", BRAM)

    async def press(pilot):  # type: ignore[no-untyped-def]
        for key in keys:
            await settle(pilot)
            await pilot.press(key)
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    try:
        assert snap_compare(
            make_app(bram.path, register=bram), terminal_size=size, run_before=press
        )
    finally:
        bram.close()
