"""Seeing a colleague's change on a team server: `NOTIFY wijkteam` heard on a connection of
its own (behind `freshness.watch`)."""

from __future__ import annotations

from sqlalchemy import Engine

from wijkteam_tui.store.server.connection import CHANNEL


class ChangeListener:
    """Listens for `NOTIFY wijkteam` on a connection of its own (`freshness.watch`)."""

    def __init__(self, engine: Engine) -> None:
        self._conn = engine.raw_connection()
        raw = self._conn.dbapi_connection
        assert raw is not None
        raw.autocommit = True
        raw.execute(f"LISTEN {CHANNEL}")
        self._raw = raw

    def changed(self) -> bool:
        """Whether a commit that wrote was announced since the last look."""
        seen = False
        for _ in self._raw.notifies(timeout=0, stop_after=1000):
            seen = True
        return seen

    def close(self) -> None:
        self._conn.invalidate()  # LISTEN belongs to this connection: never back in the pool
        self._conn.close()
