"""The daily sweep behind the screens (`store.sweep.daily_sweep`), in a thread of its own.

Vandaag and every other screen show what is stored at once; the sweep brings the clients whose
day of change has come up to today meanwhile, the top bar says so quietly, and when it has
evaluated anyone the screens read anew. It runs after unlocking, past midnight and after a
changed team threshold; asked again while it runs, it runs once more when done. Locking or
closing the register stops it after the batch it is in (the rest stays due)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.message import Message

from wijkteam_tui.views.base import failure_text

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register
    from wijkteam_tui.views.base import WijkteamAppLike

#: How long locking or closing waits for the batch in hand (a batch takes about a second).
STOP_WAIT_SECONDS = 15.0


class SweepEnded(Message):
    """The sweep of `register` ended: `done` clients evaluated, or `error`."""

    def __init__(
        self,
        thread: threading.Thread,
        register: Register,
        done: int,
        error: BaseException | None,
    ) -> None:
        super().__init__()
        self.thread = thread
        self.register = register
        self.done = done
        self.error = error


class BackgroundSweep:
    """One sweep at a time for the app; `changed` shows the screens what it changed."""

    def __init__(self, app: App[Any], changed: Callable[[], None]) -> None:
        self._app = app
        self._changed = changed
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._again = False

    @property
    def running(self) -> bool:
        """From the start until the app has taken in its end (the lists read anew)."""
        return self._thread is not None

    @property
    def _wijkteam(self) -> WijkteamAppLike:
        return cast("WijkteamAppLike", self._app)

    def start(self) -> None:
        """Sweep the app's register up to today (from the app's thread)."""
        register = self._wijkteam.register
        if register is None:
            return
        if self.running:
            self._again = True
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run,
            args=(register, self._wijkteam.clock(), self._stop),
            name="wijkteam-sweep",
            daemon=True,
        )
        self._thread.start()
        self._show()

    def _run(self, register: Register, today: date, stop: threading.Event) -> None:
        # Lazy: the store loads in the background while the passphrase is typed (views.preload).
        from wijkteam_tui.store.sweep import daily_sweep

        done, error = 0, None
        try:
            done = daily_sweep(register, today, stop)
        except Exception as exc:  # told on the app's thread, unless locked meanwhile
            error = exc
        # A message, not call_from_thread: that waits for the app, which may be waiting for
        # this thread to end (locking, quitting).
        with contextlib.suppress(RuntimeError):  # the app has stopped meanwhile
            self._app.post_message(SweepEnded(threading.current_thread(), register, done, error))

    def ended(self, message: SweepEnded) -> None:
        """On the app's thread, when the sweep has ended (the app's `on_sweep_ended`)."""
        register, done, error = message.register, message.done, message.error
        if self._thread is not message.thread:
            return  # a sweep stopped on purpose; the one that runs now ends by itself
        self._thread = None
        self._show()
        again, self._again = self._again, False
        if register is not self._wijkteam.register:
            return  # locked or closed meanwhile: the next opening sweeps again
        if error is not None:
            self._app.notify(failure_text(error), severity="error", timeout=10)
            return
        if done:
            self._changed()  # what it raised or resolved shows as a colleague's change does
        if again:
            self.start()

    def _show(self) -> None:
        from wijkteam_tui.views.topbar import TopBar  # Lazy: it imports the store

        for screen in self._app.screen_stack:
            for bar in screen.query(TopBar):
                bar.show_sweeping(self.running)

    def stop(self) -> None:
        """End the sweep after its batch and wait for it, before the register is closed or its
        key renewed (a batch takes about a second). From any thread."""
        self._stop.set()
        self._again = False
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=STOP_WAIT_SECONDS)
        self._show_later()

    def _show_later(self) -> None:
        with contextlib.suppress(RuntimeError):  # the app has stopped meanwhile
            self._app.call_later(self._show)
