"""Did someone else change the register? For screens that show a colleague's change by
themselves, within 2 s, without the person pressing `r`.

On SQLite the answer is `PRAGMA data_version` on a connection of its own: the number changes
when any other connection (a colleague's process, a script, another window, or this process's
own writes, which use other connections) has committed since the last look. Reading it costs
microseconds and touches no page of the database, so looking twice a second costs nothing
noticeable (see benchmarks: `--only freshness`).

On a team server every transaction that wrote announces itself with `NOTIFY wijkteam` as it
commits, and a watcher listens on a connection of its own (`server.ChangeListener`): looking
reads what has arrived on that connection, without asking the server anything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sqlite.connection import connect_keyed

#: How often a watcher looks: a change shows within this plus the screen's reload.
POLL_SECONDS = 0.5
#: How often a watcher tries again while the team server cannot be reached.
RETRY_SECONDS = 2.0


#: Screens read anew at most this often, however often commits are announced (a colleague's
#: tool could send `NOTIFY wijkteam` in a loop; a busy team commits many times a second).
MIN_RELOAD_SECONDS = 1.0


@dataclass(frozen=True)
class Pace:
    """How often a watcher looks, how often it tries again while the server is away, and how
    often the screens may read anew (the defaults above; tests pass their own)."""

    poll_seconds: float = POLL_SECONDS
    retry_seconds: float = RETRY_SECONDS
    min_reload_seconds: float = MIN_RELOAD_SECONDS


class Throttle:
    """Whether to read anew now: at once after a quiet spell, and at most once per
    MIN_RELOAD_SECONDS while changes keep coming (the last of a burst is never lost)."""

    def __init__(self, min_reload_seconds: float = MIN_RELOAD_SECONDS) -> None:
        self._every = min_reload_seconds
        self._last = -min_reload_seconds
        self._pending = False

    @property
    def pending(self) -> bool:
        """Whether a change was seen that the screens have not been told of yet."""
        return self._pending

    def ready(self, changed: bool, now: float) -> bool:
        """`changed`: whether the watcher saw a change this look; `now`: a monotonic time."""
        self._pending = self._pending or changed
        if not self._pending or now - self._last < self._every:
            return False
        self._pending, self._last = False, now
        return True


class ChangeWatcher:
    """Looks for commits by other connections (`changed`); one thread at a time."""

    def __init__(self, register: Register) -> None:
        self._conn = connect_keyed(register.path, bytes(register.unlocked.db_key), read_only=True)
        self._seen = self._version()

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """Whether another connection committed since the last look."""
        version = self._version()
        if version == self._seen:
            return False
        self._seen = version
        return True

    def close(self) -> None:
        self._conn.close()


class Watcher(Protocol):
    def changed(self) -> bool: ...

    def close(self) -> None: ...


def watch(register: Register) -> Watcher:
    """A watcher for `register` (its own connection; close it when done)."""
    if register.server is not None:
        # Lazy: psycopg and the server's code only for a register on a team server.
        from wijkteam_tui.store.server.listen import ChangeListener

        return ChangeListener(register.engine)
    return ChangeWatcher(register)
