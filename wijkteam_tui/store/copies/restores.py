"""The journal of restores beside a register (`register.herstellog`): one line per restore.

A register that goes back in time is noticed by the next person who saw it later
(store/last_seen.py). When a teamleider's `wijkteam restore` is why, this journal says who
did it, when, to which back-up, and which audit event the restored register ended with: a
colleague then gets a warning that explains it, once, rather than a refusal. The register's
own audit log records the restore as well; this file outlives the register it replaced.

Only ever appended to. Like every file beside a register on a shared host, it is opened
without following a symbolic link (or blocking on a pipe) and must be a regular file; a new
one is created exclusively, with the folder's file mode (`files.file_mode`).
"""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from wijkteam_tui.errors import RegisterError
from wijkteam_tui.store.files import file_mode, fsync_dir

_FLAGS = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
#: Restores are rare: a journal larger than this is read from its end only.
_READ_AT_MOST = 1 << 20


@dataclass(frozen=True)
class Restore:
    """One restore: when (UTC, ISO), by whom, the back-up's own time, and the newest audit
    event of the back-up as it was put in place."""

    at: str
    user: str
    register_id: str
    backup_made: str
    head_seq: int
    head_mac: str
    #: The newest event the replaced register's key file knew (0: none, or no register).
    replaced_seq: int = 0


def now_text() -> str:
    """Now in UTC as the journal and store/last_seen.py write it (ISO, with microseconds, so
    that a restore is later than what anyone saw before it, in the same second too)."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def journal_path(db_path: Path) -> Path:
    """`register.db` → `register.herstellog`."""
    return db_path.with_name(db_path.stem + ".herstellog")


def append(db_path: Path, restore: Restore) -> None:
    """Add `restore` to the journal beside `db_path` (made when it is not there)."""
    path = journal_path(db_path)
    line = (json.dumps(asdict(restore), sort_keys=True) + "\n").encode("utf-8")
    flags = _FLAGS | os.O_WRONLY | os.O_APPEND
    made = True
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, file_mode(path.parent))
    except FileExistsError:
        made = False
        fd = _opened(path, flags)
    try:
        if made:
            os.fchmod(fd, file_mode(path.parent))  # the umask cannot narrow it
        else:
            _regular(fd, path)
        written = 0
        while written < len(line):
            written += os.write(fd, line[written:])
        os.fsync(fd)
    finally:
        os.close(fd)
    if made:
        fsync_dir(path.parent)


def entries(db_path: Path) -> list[Restore]:
    """The restores in the journal beside `db_path`, oldest first (lines that cannot be read
    as one are skipped)."""
    path = journal_path(db_path)
    try:
        fd = _opened(path, _FLAGS | os.O_RDONLY)
    except FileNotFoundError:
        return []
    try:
        size = _regular(fd, path)
        os.lseek(fd, max(0, size - _READ_AT_MOST), os.SEEK_SET)
        data = os.read(fd, _READ_AT_MOST)
    finally:
        os.close(fd)
    found = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            found.append(Restore(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return found


def _opened(path: Path, flags: int) -> int:
    try:
        return os.open(path, flags)
    except OSError as exc:
        # A symbolic link (O_NOFOLLOW), or a pipe nobody reads (O_NONBLOCK).
        if exc.errno in (errno.ELOOP, errno.ENXIO):
            raise _refused(path) from exc
        raise


def _regular(fd: int, path: Path) -> int:
    """The size of the open file; refused unless it is a regular file."""
    found = os.fstat(fd)
    if not stat.S_ISREG(found.st_mode):
        raise _refused(path)
    return found.st_size


def _refused(path: Path) -> RegisterError:
    return RegisterError(
        f"{path} is geen gewoon bestand (een koppeling of iets anders dan wijkteam maakte)."
        " Verwijder het of zet het opzij; er is niets gewijzigd."
    )
