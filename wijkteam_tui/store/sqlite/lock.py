"""Who has the register open: a lock file beside it (`register.lock`).

Every process that opens the register holds a shared lock on it for as long as the register is
open; `restore` needs the exclusive lock, so it can tell that nobody (no colleague, no second
window, no script) is still writing into a register it is about to set aside. The locks are
`flock` locks on a file of their own: they vanish with the process that held them (also on a
crash), and they cannot disturb SQLite's own locks on the database file.

The lock file is empty, private (see `files`), and never removed (removing a lock file races
with the next process opening it).
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from pathlib import Path

from wijkteam_tui.errors import RegisterError
from wijkteam_tui.store.files import foreign_file, open_beside
from wijkteam_tui.store.sqlite import faults

#: How long opening waits for a restore that is under way (restoring takes seconds).
OPEN_WAIT_SECONDS = 30.0


def lock_file_path(db_path: Path) -> Path:
    """`register.db` → `register.lock`."""
    return db_path.with_name(db_path.stem + ".lock")


class RegisterLock:
    """A held lock on the register's lock file; `release()` lets go (also when not held)."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file lets go of the flock
            self._fd = None


def _open(db_path: Path) -> int:
    path = lock_file_path(db_path)
    try:
        fd = open_beside(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError as exc:
        if faults.from_os(exc, path) is None:
            raise
        if exc.errno in (errno.EACCES, errno.EPERM) and os.access(path.parent, os.W_OK):
            # Not a read-only copy: someone put a file of their own here that this account
            # cannot open. Going on without the lock would let a restore set the register
            # aside under whoever has it open.
            raise foreign_file(path) from exc
        # A location this account cannot write (a read-only copy): nobody can write the
        # register there either, so there is nothing to guard.
        return -1
    return fd


def hold_open(db_path: Path, wait: float = OPEN_WAIT_SECONDS) -> RegisterLock:
    """The shared lock that says "this process has the register open". Waits while a restore
    holds the exclusive lock; refuses when that takes longer than `wait` seconds."""
    fd = _open(db_path)
    if fd < 0:
        return RegisterLock(None)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return RegisterLock(fd)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise RegisterError(
                    "Er wordt net een back-up teruggezet in dit register. Probeer het over een"
                    " minuut opnieuw."
                ) from None
            time.sleep(0.05)


def hold_alone(db_path: Path) -> RegisterLock | None:
    """The exclusive lock, or None when any process has the register open."""
    fd = _open(db_path)
    if fd < 0:
        return RegisterLock(None)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return RegisterLock(fd)
