"""The Textual application: screens, bindings, theme, the idle lock and the daily sweep.

`WijkteamApp(db_path, register=None, clock=date.today)` receives where the register lives
and, optionally, an already opened register (the demo, tests). Everything that touches the
database runs in thread workers of the screens; the app owns the open register and the lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from wijkteam_tui.store.address import Location
from wijkteam_tui.views.base import WIDE_FROM, StoreWorkers, failure_text
from wijkteam_tui.views.collector import GC_CHECK_SECONDS, IdleCollector
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.help import HelpScreen
from wijkteam_tui.views.key_sequencer import KeySequencer
from wijkteam_tui.views.palette import (
    DutchCommandPalette,
    PurposeProvider,
    screen_commands,
)
from wijkteam_tui.views.preload import preload
from wijkteam_tui.views.refusals import RefusalNotices
from wijkteam_tui.views.sweeping import BackgroundSweep, SweepEnded
from wijkteam_tui.views.unlock import SetupScreen, UnlockScreen
from wijkteam_tui.views.watching import Reactions, keep_watching

if TYPE_CHECKING:
    from wijkteam_tui.store.audit.chain import Event
    from wijkteam_tui.store.freshness import Pace
    from wijkteam_tui.store.records import RefusalItem, TeamInfo
    from wijkteam_tui.store.register import Register
    from wijkteam_tui.views.base import WijkteamAppLike
    from wijkteam_tui.views.day import Day


class WijkteamApp(App[None]):
    """The register for a medewerker's day."""

    CSS_PATH = "views/app.tcss"
    TITLE = "wijkteam"
    COMMANDS = {PurposeProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_FROM, "-wide")]
    BINDINGS = [
        # Priority: they work in every dialog and field too.
        Binding(
            "ctrl+l",
            "lock",
            "Vergrendel",
            id="lock",
            tooltip="Scherm nu vergrendelen",
            priority=True,
        ),
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            id="help",
            tooltip="Alle toetsen van dit scherm",
            key_display="?",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Afsluiten",
            id="quit",
            tooltip="Register sluiten en stoppen",
            priority=True,
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Opdrachten",
            id="palette",
            tooltip="Alle opdrachten, doorzoekbaar",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        db_path: Location,
        *,
        register: Register | None = None,
        clock: Callable[[], date] = date.today,
        user_hint: str = "",
        idle_check_seconds: float = 5.0,
        pace: Pace | None = None,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.register: Register | None = register
        self.team: TeamInfo | None = None
        self._refusals = RefusalNotices(self)
        self.clock = clock
        self.user_hint = user_hint
        self.idle_check_seconds = idle_check_seconds
        self.idle_limit_seconds: float | None = None
        self._last_activity = time.monotonic()
        # Full garbage collections wait for a moment without keys (views/collector.py).
        self._collector = IdleCollector()
        self._day = clock()
        self._keys = KeySequencer(self, partial(App.on_event, self))
        # A dialog with typed text that the idle lock closed: (user, rebuild), memory only.
        self._draft: tuple[str, Callable[[], Screen[Any]]] | None = None
        # Set to end the thread that shows colleagues' changes (see `_watch_changes`).
        self._stop_watching = threading.Event()
        self._watching: threading.Thread | None = None
        #: How often the watching thread looks and lets the screens read anew (None: the
        #: store's own pace; tests pass a quicker one).
        self.pace = pace
        #: How many times the watching thread has looked, and whether a change it saw is
        #: still to be shown: what a test waits on instead of the clock.
        self.watcher_looks = 0
        self.watcher_pending = False
        self._sweep = BackgroundSweep(self, changed=self._colleague_changed)

    # --- start, unlock, lock -------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        # A terminal that is gone (an SSH session dropped, a closed window: SIGHUP) or a
        # shutdown (SIGTERM) ends the program the orderly way: the register is closed (its
        # audit head kept, its lock released) by whoever runs the app, once `run` returns.
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGHUP, self._terminal_gone)
            loop.add_signal_handler(signal.SIGTERM, self._asked_to_stop)
        self.set_interval(self.idle_check_seconds, self._tick)
        self.set_interval(
            GC_CHECK_SECONDS, lambda: self._collector.collect_if_idle(self._last_activity)
        )
        if self.register is None:
            # After the first screen is drawn, so that the import work does not delay it.
            self.call_after_refresh(
                self.run_worker, preload, thread=True, group="preload", exit_on_error=False
            )
        if self.register is not None:
            self.register_opened(self.register)
        elif not isinstance(self.db_path, Path) or self.db_path.exists():
            # A team server's register is made with 'wijkteam init --db postgresql://…'.
            self.push_screen(UnlockScreen(self.user_hint))
        else:
            self.push_screen(SetupScreen(self.db_path))

    def register_opened(self, register: Register, first_day: Day | None = None) -> None:
        """Called once a register is unlocked: show Vandaag (with its data, when read already)."""
        preload()
        # Lazy: Vandaag and the store load after the unlock screen is up (views.preload).
        from wijkteam_tui.views.today import TodayScreen

        # Everything loaded so far lives as long as the program: keep it out of the cyclic
        # collector's full passes, which otherwise stall a keystroke for ~100 ms now and then.
        gc.freeze()
        self._collector.hold_full_passes()
        self.register = register
        register.on_wait = self._waiting_for_a_colleague
        self._watch_changes(register)
        self._last_activity = time.monotonic()
        if first_day is not None:
            self.team_known(first_day.team)
        self._clear_stack()
        self.push_screen(TodayScreen(first_day))
        self.start_sweep()
        draft, self._draft = self._draft, None
        if draft is not None and register.user is not None and draft[0] == register.user.name:
            self.push_screen(draft[1](), self._draft_closed)
        for warning in register.warnings:
            self.notify(warning, severity="warning", timeout=15)

    def register_reopened(self, register: Register) -> None:
        """The register was closed and opened again under a new database key (after a user
        was deactivated): the screens go on with it where they were."""
        self.register = register
        register.on_wait = self._waiting_for_a_colleague
        self._watch_changes(register)
        self.start_sweep()  # what stopping it for the new key left due
        for warning in register.warnings:
            self.notify(warning, severity="warning", timeout=15)

    def _watch_changes(self, register: Register) -> None:
        """Colleagues' changes show by themselves: a thread looks every half second whether
        anyone else committed (store.freshness) and, if so, the screens show it (keeping each
        person's place, see `WijkteamScreen.colleague_changed`). Ends when the register is
        locked, closed or opened again."""
        self._stop_watcher()
        stop = self._stop_watching = threading.Event()
        react = Reactions(
            changed=partial(self._from_watcher, stop, self._colleague_changed),
            access_ended=partial(self._from_watcher, stop, self.access_ended),
            server_gone=partial(self._from_watcher, stop, self._server_gone),
            server_back=partial(self._from_watcher, stop, self._server_back),
            cannot_watch=partial(self._cannot_watch, stop),
            looked=self._watcher_looked,
        )

        # A thread of its own rather than a worker: it runs as long as the register is open,
        # and waiting for the screens' workers to finish must not wait for it.
        self._watching = threading.Thread(
            target=keep_watching,
            args=(register, stop, react, self.pace),
            name="wijkteam-freshness",
            daemon=True,
        )
        self._watching.start()

    def _watcher_looked(self, pending: bool) -> None:
        """From the watching thread, after each look (it alone writes these)."""
        self.watcher_pending = pending
        self.watcher_looks += 1

    @property
    def watching(self) -> bool:
        """Whether the thread that shows colleagues' changes runs."""
        return self._watching is not None and self._watching.is_alive()

    def stop_watching(self) -> None:
        """End the watching thread and the sweep, and wait until their connections are done
        (before the database is re-keyed, its files swapped under it). From any thread."""
        self._stop_watcher()
        self._sweep.stop()

    def _stop_watcher(self) -> None:
        self._stop_watching.set()
        thread = self._watching
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _terminal_gone(self) -> None:
        """SIGHUP: close the register and end at once. Textual's own ending would restore the
        terminal first, and writing to a terminal that is gone blocks for ever."""
        self._stop_watching.set()
        register, self.register = self.register, None
        try:
            if register is not None:
                register.close()
        finally:
            os._exit(128 + signal.SIGHUP)

    def _asked_to_stop(self) -> None:
        """SIGTERM (a shutdown): end the orderly way; `run_tui` closes the register."""
        self._stop_watching.set()
        self.exit()

    def _from_watcher(self, stop: threading.Event, act: Callable[..., Any], *args: Any) -> None:
        """Run `act` on the app's thread, unless watching was stopped on purpose meanwhile."""
        if stop.is_set():
            return
        with contextlib.suppress(RuntimeError):  # the app has stopped meanwhile
            self.call_from_thread(act, *args)

    def _server_gone(self, message: str) -> None:
        """The team server went away: the screens keep what they show; saving is refused
        (with the typed text kept) until it is back, which the watcher notices by itself."""
        self.notify(message, title="Server niet bereikbaar", severity="error", timeout=30)

    def _server_back(self) -> None:
        self.clear_notifications()  # the outage's messages no longer hold
        self.notify("De server is weer bereikbaar; u kunt verder.", timeout=8)
        self._colleague_changed()

    def access_ended(self, message: str) -> None:
        """The person was switched off (or got a new passphrase) while working here: close
        the register without writing anything more and lock, saying why."""
        register, self.register = self.register, None
        if register is None:
            return
        self._stop_watching.set()
        self._draft = None
        self._clear_stack()
        user = register.user.name if register.user else self.user_hint
        self.push_screen(UnlockScreen(user, locked=True, reason=message))
        self.notify(message, title="Geen toegang meer", severity="error", timeout=30)

        def close() -> None:
            self._sweep.stop()  # after the batch in hand
            register.close()

        self.run_worker(close, thread=True, group="close", exit_on_error=False)

    def _cannot_watch(self, stop: threading.Event) -> None:
        """Watching failed (the register was closed under it, a disk error): say once that
        changes now show with `r`, unless it was stopped on purpose meanwhile."""
        if stop.is_set():
            return
        message = (
            "Wijzigingen van collega's verschijnen nu niet meer vanzelf; druk op r om ze te zien."
        )
        with contextlib.suppress(RuntimeError):  # the app has stopped meanwhile
            self.call_from_thread(self.notify, message, severity="warning", timeout=15)

    def _colleague_changed(self) -> None:
        self._refusals.check()
        for screen in self.screen_stack:
            if isinstance(screen, StoreWorkers):
                screen.colleague_changed(in_front=screen is self.screen)
                # A dialog that was loading when the server went away loads now.
                screen.resume_loads()

    def _waiting_for_a_colleague(self) -> None:
        """A write has waited 2 s for another process's write lock: say so (from its thread)."""
        message = "Wacht op een collega die het register bijwerkt; uw wijziging volgt."
        if threading.current_thread() is threading.main_thread():
            self.notify(message, title="Even geduld", timeout=8)
        else:
            self.call_from_thread(self.notify, message, title="Even geduld", timeout=8)

    def _draft_closed(self, saved: object) -> None:
        if saved and isinstance(self.screen, StoreWorkers):
            self.screen.action_reload()

    @property
    def sweeping(self) -> bool:
        """Whether the daily sweep runs behind the screens (the top bar says so)."""
        return self._sweep.running

    def start_sweep(self) -> None:
        """The daily sweep in the background (views/sweeping.py): after unlocking, past
        midnight and after a changed team threshold; the screens never wait for it."""
        self._sweep.start()

    def on_sweep_ended(self, message: SweepEnded) -> None:
        self._sweep.ended(message)

    def log_access(self, *events: Event) -> None:
        """Append `events` to the audit log in a worker (a failure is told, see below)."""
        # Lazy: the store loads in the background while the passphrase is typed (views.preload).
        from wijkteam_tui.store.audit.log import record

        register = self.register
        if register is not None:
            self.run_worker(
                lambda: record(register, *events), thread=True, group="audit", exit_on_error=False
            )

    def tell_refusals(self, refused: Sequence[RefusalItem]) -> None:
        self._refusals.tell(refused)

    def team_known(self, team: TeamInfo) -> None:
        """The team's settings as last read: name for the top bar, minutes for the idle lock."""
        self.team = team
        self.idle_limit_seconds = team.idle_lock_minutes * 60

    def action_lock(self) -> None:
        """Cover the screen, close the register; unlocking needs the passphrase again."""
        if self.register is None:
            return
        # Only a screen that must not be covered refuses (the recovery key, shown once); a
        # form with typed text is kept as a draft instead and comes back after unlocking.
        screen = self.screen if isinstance(self.screen, StoreWorkers) else None
        warning = screen.lock_warning() if screen is not None else ""
        if warning:
            self.notify(warning, severity="warning")
            return
        user = self.register.user.name if self.register.user else self.user_hint
        rebuild = screen.draft() if screen is not None else None
        self._draft = (user, rebuild) if rebuild is not None else None
        register, self.register = self.register, None
        self._stop_watching.set()
        self._clear_stack()
        self.push_screen(UnlockScreen(user, locked=True))

        # Lazy: the store loads in the background while the passphrase is typed (views.preload).
        from wijkteam_tui.store.audit.chain import Event
        from wijkteam_tui.store.audit.log import record

        def lock_and_close() -> None:
            self._sweep.stop()  # after the batch in hand; the rest stays due
            try:
                record(register, Event("lock", "users", user or ""))
            finally:
                for warning in register.close():  # the audit log's head kept back
                    with contextlib.suppress(RuntimeError):  # the app has stopped meanwhile
                        self.call_from_thread(self.notify, warning, severity="warning", timeout=15)

        self.run_worker(lock_and_close, thread=True, group="close", exit_on_error=False)

    def _clear_stack(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown):
            self._last_activity = time.monotonic()
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            await self._keys.feed(event)
            return
        await super().on_event(event)

    @property
    def keys_settled(self) -> bool:
        """Every key and paste received so far has been handled (for tests and benchmarks)."""
        return self._keys.idle

    def on_unmount(self) -> None:
        self._stop_watching.set()
        self._collector.restore()

    def _tick(self) -> None:
        """Every few seconds: lock when idle, and start a new day after midnight."""
        limit = self.idle_limit_seconds
        idle = time.monotonic() - self._last_activity
        if self.register is not None and limit is not None and idle >= limit:
            self.action_lock()
            return
        today = self.clock()
        if today != self._day:
            self._day = today
            if self.register is not None:
                self.start_sweep()
                for screen in self.screen_stack:
                    if isinstance(screen, StoreWorkers):
                        screen.new_day()

    def _leave_warning(self) -> str:
        screen = self.screen
        return screen.leave_warning() if isinstance(screen, StoreWorkers) else ""

    async def action_quit(self) -> None:
        warning = self._leave_warning()
        if warning:
            self.push_screen(
                ConfirmDialog(warning, yes="Toch afsluiten", no="Terug"), self._quit_confirmed
            )
            return
        self._quit_now()

    def _quit_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self._quit_now()

    def _quit_now(self) -> None:
        if self.register is not None:
            self._sweep.stop()
            self.register.close()
            self.register = None
        self.exit()

    # --- help, palette, errors -----------------------------------------------------------------

    def action_help_quit(self) -> None:
        # Textual's own answer to Ctrl+C is English.
        self.notify("Afsluiten doet u met Ctrl+Q.", title="Afsluiten?")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_command_palette(self) -> None:
        if not DutchCommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(DutchCommandPalette(id="--command-palette"))

    def action_change_theme(self) -> None:
        self.push_screen(DutchCommandPalette.for_themes())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The same commands for whoever asks Textual's way (the palette asks ours)."""
        for command in screen_commands(self, screen):
            yield SystemCommand(command.title, command.help, command.callback)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (loading, closing): a failure is told, never swallowed."""
        if event.state is WorkerState.ERROR:
            self.notify(failure_text(event.worker.error), severity="error", timeout=10)


if TYPE_CHECKING:

    def _satisfies_the_screens_protocol(app: WijkteamApp) -> WijkteamAppLike:
        return app  # mypy checks that WijkteamApp gives screens all they may ask of it
