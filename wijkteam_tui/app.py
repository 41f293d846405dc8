"""The Textual application: screens, bindings, theme and the idle lock.

`WijkteamApp(db_path, register=None, clock=date.today)` receives where the register lives
and, optionally, an already opened register (the demo, tests). Everything that touches the
database runs in thread workers of the screens; the app owns the open register and the lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from wijkteam_tui.errors import WijkteamError
from wijkteam_tui.views.help import HelpScreen
from wijkteam_tui.views.preload import preload
from wijkteam_tui.views.unlock import SetupScreen, UnlockScreen

if TYPE_CHECKING:
    from wijkteam_tui.store.engine import Register
    from wijkteam_tui.store.records import TeamInfo
    from wijkteam_tui.views.messages import TodayLoaded


class WijkteamApp(App[None]):
    """The register for a medewerker's day."""

    CSS_PATH = "views/app.tcss"
    TITLE = "wijkteam"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("ctrl+l", "lock", "Vergrendel", id="lock", tooltip="Scherm nu vergrendelen"),
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            id="help",
            tooltip="Alle toetsen van dit scherm",
            key_display="?",
        ),
        Binding("ctrl+q", "quit", "Afsluiten", id="quit", tooltip="Register sluiten en stoppen"),
    ]

    def __init__(
        self,
        db_path: Path,
        *,
        register: Register | None = None,
        clock: Callable[[], date] = date.today,
        user_hint: str = "",
        idle_check_seconds: float = 5.0,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.register: Register | None = register
        self.team: TeamInfo | None = None
        self.clock = clock
        self.user_hint = user_hint
        self.idle_check_seconds = idle_check_seconds
        self.idle_limit_seconds: float | None = None
        self._last_activity = time.monotonic()

    # --- start, unlock, lock -------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.set_interval(self.idle_check_seconds, self._check_idle)
        if self.register is None:
            # After the first screen is drawn, so that the import work does not delay it.
            self.call_after_refresh(
                self.run_worker, preload, thread=True, group="preload", exit_on_error=False
            )
        if self.register is not None:
            self.register_opened(self.register)
        elif self.db_path.exists():
            self.push_screen(UnlockScreen(self.user_hint))
        else:
            self.push_screen(SetupScreen(self.db_path))

    def register_opened(self, register: Register, first_day: TodayLoaded | None = None) -> None:
        """Called once a register is unlocked: show Vandaag (with its data, when read already)."""
        preload()
        from wijkteam_tui.views.today import TodayScreen

        self.register = register
        self._last_activity = time.monotonic()
        if first_day is not None:
            self.team_known(first_day.team)
        self._clear_stack()
        self.push_screen(TodayScreen(first_day))
        for warning in register.warnings:
            self.notify(warning, severity="warning", timeout=15)

    def team_known(self, team: TeamInfo) -> None:
        """The team's settings as last read: name for the top bar, minutes for the idle lock."""
        self.team = team
        self.idle_limit_seconds = team.idle_lock_minutes * 60

    def action_lock(self) -> None:
        """Cover the screen, close the register; unlocking needs the passphrase again."""
        if self.register is None:
            return
        user = self.register.user.name if self.register.user else self.user_hint
        register, self.register = self.register, None
        self._clear_stack()
        self.push_screen(UnlockScreen(user, locked=True))
        self.run_worker(register.close, thread=True, group="close", exit_on_error=False)

    def _clear_stack(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown):
            self._last_activity = time.monotonic()
        await super().on_event(event)

    def _check_idle(self) -> None:
        limit = self.idle_limit_seconds
        idle = time.monotonic() - self._last_activity
        if self.register is not None and limit is not None and idle >= limit:
            self.action_lock()

    async def action_quit(self) -> None:
        if self.register is not None:
            self.register.close()
            self.register = None
        self.exit()

    # --- help, palette, errors -----------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every binding of the current screen is in the command palette too."""
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.action in seen or not binding.description or not active.enabled:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                partial(self._run_binding, binding.action, active.node),
            )
        yield SystemCommand("Thema kiezen", "Kleuren van het scherm", self.action_change_theme)

    def _run_binding(self, action: str, node: object) -> None:
        self.call_later(self.run_action, action, node)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Worker failures land here: a person's error as its Dutch message, a bug as one line."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, WijkteamError):
            self.notify(error.message, severity="error", timeout=10)
        else:
            self.notify(
                f"Onverwachte fout ({type(error).__name__}); er is niets half opgeslagen.",
                severity="error",
                timeout=10,
            )
