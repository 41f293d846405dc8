"""The thread behind the screens of an open register: it shows colleagues' changes (through
`store.freshness`), notices that the person's access ended, and that a team server went away
and came back. It never touches a widget: what it sees goes to the app's `Reactions`."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wijkteam_tui.errors import AccessEndedError, ServerUnreachableError

if TYPE_CHECKING:
    from wijkteam_tui.store.freshness import Pace
    from wijkteam_tui.store.register import Register


def _nothing(pending: bool) -> None:
    pass


@dataclass(frozen=True)
class Reactions:
    """What the app does (each called from the watching thread)."""

    changed: Callable[[], None]
    access_ended: Callable[[str], None]
    server_gone: Callable[[str], None]
    server_back: Callable[[], None]
    cannot_watch: Callable[[], None]
    #: After every look: whether a change is still waiting to be shown (the throttle).
    looked: Callable[[bool], None] = _nothing


def keep_watching(
    register: Register, stop: threading.Event, react: Reactions, pace: Pace | None = None
) -> None:
    """Look every `pace.poll_seconds` (half a second) until `stop` is set, the access ended or
    watching failed."""
    # Lazy: imported here, in the thread: the store loads after the first screen is up.
    from wijkteam_tui.store.freshness import Pace, Throttle, Watcher, watch

    pace = pace or Pace()
    watcher: Watcher | None = None
    unreachable = lost = False
    throttle = Throttle(pace.min_reload_seconds)
    try:
        while not stop.is_set():
            if watcher is None:
                try:
                    watcher = watch(register)
                except Exception as exc:
                    if not _keep_trying(register, exc, unreachable, react):
                        return
                    unreachable = True
                    stop.wait(pace.retry_seconds)
                    continue
                if unreachable:
                    react.server_back()
                elif lost:  # the server ended its session: changes may have been missed
                    react.changed()
                unreachable = lost = False
            try:
                problem = register.access_problem()
                if problem:
                    react.access_ended(problem)
                    return
                if throttle.ready(watcher.changed(), time.monotonic()):
                    react.changed()
                react.looked(throttle.pending)
            except Exception:
                # Its connection ended: a new one, at once, tells a closed login or a server
                # that is gone from a session the server ended.
                with contextlib.suppress(Exception):
                    watcher.close()
                watcher, lost = None, True
                continue
            stop.wait(pace.poll_seconds)
    finally:
        if watcher is not None:
            watcher.close()


def _keep_trying(register: Register, exc: Exception, told: bool, react: Reactions) -> bool:
    """A new watcher could not be made: the access ended (stop), the server is gone (say so
    once, keep trying), or anything else (changes now show with `r`: stop)."""
    meant = register.meaning(exc)
    if isinstance(meant, AccessEndedError):
        react.access_ended(meant.message)
        return False
    if isinstance(meant, ServerUnreachableError):
        if not told:
            react.server_gone(meant.message)
        return True
    react.cannot_watch()
    return False
