"""The cyclic garbage collector's full passes (20–100 ms each, at random moments) moved to a
moment without keys: its quick young-generation passes stay as they are, a full pass runs once
nobody has pressed a key for GC_IDLE_SECONDS, and never waits longer than GC_LONGEST_SECONDS."""

from __future__ import annotations

import gc
import time

#: How often the app asks whether now is a good moment (`IdleCollector.collect_if_idle`).
GC_CHECK_SECONDS = 0.5
GC_IDLE_SECONDS = 1.0
GC_LONGEST_SECONDS = 60.0
#: A threshold no count reaches: no full pass by itself.
NEVER = 1 << 30


class IdleCollector:
    """Full collections for an app that knows when the last key came."""

    def __init__(self) -> None:
        # The collector's thresholds before `hold_full_passes` changed them.
        self._thresholds: tuple[int, int, int] | None = None
        self._collected_at = time.monotonic()

    def hold_full_passes(self) -> None:
        """From now on a full pass waits for `collect_if_idle` (until `restore`)."""
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _ = self._thresholds
            gc.set_threshold(young, middle, NEVER)
        self._collected_at = time.monotonic()

    def collect_if_idle(self, last_activity: float) -> None:
        """A full pass when the keys have rested since there was work, or when one is overdue
        (`last_activity`: the monotonic time of the last key)."""
        if self._thresholds is None:
            return
        now = time.monotonic()
        idle = now - last_activity >= GC_IDLE_SECONDS
        busy_since_last = last_activity > self._collected_at
        overdue = now - self._collected_at >= GC_LONGEST_SECONDS
        if (idle and busy_since_last) or overdue:
            gc.collect()
            self._collected_at = time.monotonic()

    def restore(self) -> None:
        """The collector's own thresholds again (Textual's exit: `on_unmount`)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None
