"""After a reset by the teamleider the unlock screen asks the person to choose their own
passphrase and then opens the register; typed at machine speed; a snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import Input, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import burst, drain, make_app
from tests.views.test_snapshots import SIZES, _steady
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import AuthenticationError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.audit.models import AuditEvent
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.views.today import TodayScreen
from wijkteam_tui.views.unlock import ChoosePassphraseScreen, UnlockScreen

OWN = "bram kiest zijn eigen zin"


def _reset_bram(path: Path) -> str:
    made, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Zuid")
    made.close()
    anna = crypto.unlock(path, "anna", PASSPHRASE)
    crypto.add_user_slot(path, anna, "bram", Role.MEDEWERKER, "bram zijn wachtwoord")
    return crypto.reset_user_passphrase(path, anna, "bram")[1]


async def test_a_one_time_passphrase_leads_to_choosing_ones_own(tmp_path: Path):
    path = tmp_path / "wijk" / "register.db"
    one_time = _reset_bram(path)
    app = make_app(path, user_hint="bram")
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, UnlockScreen)
        burst(app, one_time, "enter")
        await drain(pilot)
        assert isinstance(app.screen, ChoosePassphraseScreen)
        # Two different ones are refused at the field; nothing is set.
        burst(app, OWN, "enter", "iets anders", "enter")
        await drain(pilot)
        message = app.screen.query_one("#choose-message", Static)
        assert "niet gelijk" in str(message.render())
        assert app.screen.query_one("#again", Input).value == ""
        burst(app, OWN, "enter")
        await drain(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.register is not None and app.register.user.name == "bram"
    # The one-time passphrase opens nothing any more; the chosen one does, and it is logged.
    with pytest.raises(AuthenticationError):
        crypto.unlock(path, "bram", one_time, one_time_ok=True)
    register = open_register(path, "bram", OWN)
    register.close()
    register = open_register(path, "anna", PASSPHRASE)
    with register.read() as session:
        details = list(session.scalars(select(AuditEvent.detail)))
    register.close()
    assert "wachtwoord gewijzigd (eenmalig wachtwoord vervangen)" in details


async def test_escape_keeps_the_one_time_passphrase_valid(tmp_path: Path):
    path = tmp_path / "wijk" / "register.db"
    one_time = _reset_bram(path)
    app = make_app(path, user_hint="bram")
    async with app.run_test(size=(100, 32)) as pilot:
        burst(app, one_time, "enter")
        await drain(pilot)
        burst(app, "escape")
        await drain(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.register is None
        assert "Kies eerst een eigen wachtwoord" in str(
            app.screen.query_one("#unlock-message", Static).render()
        )
    assert crypto.unlock(path, "bram", one_time, one_time_ok=True).user == "bram"


@pytest.mark.parametrize("size", SIZES)
def test_choose_passphrase_screen(snap_compare, tmp_path, size):
    path = tmp_path / "wijk" / "register.db"
    one_time = _reset_bram(path)

    async def chosen(pilot):  # type: ignore[no-untyped-def]
        pilot.app.screen.query_one("#passphrase", Input).value = one_time
        await pilot.press("enter")
        await _steady(pilot)
        pilot.app.screen.query_one("#new", Input).value = "kort"
        await _steady(pilot)

    assert snap_compare(make_app(path, user_hint="bram"), terminal_size=size, run_before=chosen)
