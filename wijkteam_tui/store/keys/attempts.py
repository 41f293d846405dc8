"""Wrong passphrases in a row, remembered per user beside the register.

`register.db` → `register.pogingen`, a small JSON file: per user name (and "herstelsleutel" for
the recovery key) the number of wrong tries in a row and the time of the last one. Unlocking
reads it before deriving any key, so the growing wait (domain.accounts.failure_delay) holds
across restarts and is the same for the screen and the command line.

It slows down guessing by a person at this program; someone who copies the key file guesses
offline, which only Argon2id's cost slows down. So the file is kept simple and never in the
way: a damaged or unreadable file counts as empty, and a failed write is ignored, so that a
read-only folder never stops a correct unlock. Only a link or a fifo in its place (which a
colleague in a shared register's folder could put there) is refused, with a message: it is not
read through, and a count that anyone can reset that way is no count.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from pathlib import Path

from wijkteam_tui.domain.accounts import failure_delay
from wijkteam_tui.store.files import atomic_write, read_beside

#: The recovery key's entry: not a user, but guessed the same way.
RECOVERY_KEY = "herstelsleutel"
#: Names kept at most; the ones with the oldest failure go first.
MAX_NAMES = 200
# Far more than MAX_NAMES entries need; a larger file is not ours or is damaged.
_MAX_BYTES = 64 * 1024
# Beyond this the wait no longer grows; it also keeps an edited count from mattering.
_MAX_FAILURES = 1000

_Entries = dict[str, tuple[int, float]]


def attempts_file_path(db_path: Path) -> Path:
    """`register.db` → `register.pogingen`."""
    return db_path.with_name(db_path.stem + ".pogingen")


def wait_seconds(db_path: Path, name: str) -> float:
    """How long `name` must still wait before the next try (0 when they may try now)."""
    entry = _load(attempts_file_path(db_path)).get(name)
    if entry is None:
        return 0.0
    failures, last = entry
    delay = failure_delay(failures)
    # A clock set back must not make the wait longer than the delay itself.
    return max(0.0, min(delay, last + delay - time.time()))


def failures(db_path: Path, name: str) -> tuple[int, float] | None:
    """(wrong tries in a row, time of the last) of `name`, None when there are none."""
    return _load(attempts_file_path(db_path)).get(name)


def record_failure(db_path: Path, name: str) -> float:
    """Count a wrong try of `name`; returns how long the next try must wait."""
    path = attempts_file_path(db_path)
    entries = _load(path)
    failures = min(_MAX_FAILURES, entries.get(name, (0, 0.0))[0] + 1)
    entries[name] = (failures, time.time())
    _save(path, entries)
    return failure_delay(failures)


def forget(db_path: Path, name: str) -> None:
    """`name` got in: their next wrong try counts from zero again."""
    path = attempts_file_path(db_path)
    entries = _load(path)
    if entries.pop(name, None) is not None:
        _save(path, entries)


def _load(path: Path) -> _Entries:
    try:
        # A link or a fifo in its place is refused (NotAPlainFileError), not taken as empty.
        raw = read_beside(path, _MAX_BYTES + 1)
        document = json.loads(raw) if len(raw) <= _MAX_BYTES else None
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(document, dict):
        return {}
    entries: _Entries = {}
    for name, entry in document.items():
        if not isinstance(entry, dict):
            continue
        failures, last = entry.get("failures"), entry.get("last")
        # bool is an int to Python, not a count or a time to us.
        if (
            isinstance(failures, int)
            and not isinstance(failures, bool)
            and 0 < failures <= _MAX_FAILURES
            and isinstance(last, int | float)
            and not isinstance(last, bool)
            and math.isfinite(last)
        ):
            entries[name] = (failures, float(last))
    return entries


def _save(path: Path, entries: _Entries) -> None:
    newest = sorted(entries.items(), key=lambda item: item[1][1], reverse=True)[:MAX_NAMES]
    document = {name: {"failures": f, "last": last} for name, (f, last) in sorted(newest)}
    # Best effort: a folder we cannot write must not stop anyone getting in.
    with contextlib.suppress(OSError):
        atomic_write(path, (json.dumps(document, indent=1) + "\n").encode("utf-8"))
