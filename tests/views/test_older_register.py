"""A register older than the person saw it last (an old copy put back by hand) is not opened
from the unlock screen until they say they know why; "no" leaves it closed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import burst, copy_register, drain, make_app
from wijkteam_tui.store import services
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.today import TodayScreen
from wijkteam_tui.views.unlock import UnlockScreen


def _old_copy_put_back(path: Path, tmp_path: Path) -> None:
    made, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Zuid")
    made.close()
    copy = copy_register(path, tmp_path / "kopie" / path.name)
    later = open_register(path, "anna", PASSPHRASE)
    services.create_client(later, ClientInput("Kees Jansen", date(2026, 9, 1)), date(2026, 11, 22))
    later.close()
    for leftover in ("-wal", "-shm"):
        path.with_name(path.name + leftover).unlink(missing_ok=True)
    copy_register(copy, path)


async def test_the_unlock_screen_asks_before_opening_an_older_copy(tmp_path: Path):
    path = tmp_path / "wijk" / "register.db"
    _old_copy_put_back(path, tmp_path)
    app = make_app(path, user_hint="anna")
    async with app.run_test(size=(110, 34)) as pilot:
        burst(app, PASSPHRASE, "enter")
        await drain(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Een teruggezette kopie?" in app.screen.question
        burst(app, "n")
        await drain(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.register is None
        message = str(app.screen.query_one("#unlock-message", Static).render())
        assert message.startswith("Niet geopend.")
        burst(app, PASSPHRASE, "enter")
        await drain(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        burst(app, "j")
        await drain(pilot)
        assert isinstance(app.screen, TodayScreen) and app.register is not None
        assert any("U opent een oudere stand" in n.message for n in app._notifications)
