"""What went wrong with the register's files, said so that a person knows what to do.

A read-only location, a full disk, a permission problem, a damaged page, a key file that does not
fit and a file that is no register at all each have their own message: they need different
actions, and the advice for one (putting back a back-up) destroys good data when given for
another. Everything here is about the register's own files; SQLite's error codes and the
operating system's errno values are read, never the wording of a message.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from wijkteam_tui.errors import RegisterError
from wijkteam_tui.store.files import not_a_plain_file, shared_group

SQLITE_HEADER = b"SQLite format 3\x00"
MIN_PAGE_SIZE = 512

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


class FileFault(RegisterError):
    """A fault of the register's files; `reason` says what, without the path or advice."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ReadOnlyError(RegisterError):
    """The register's folder or file system cannot be written."""


class DiskFullError(RegisterError):
    """No room left on the disk (or over quota)."""


class NoPermissionError(RegisterError):
    """This account may not read or write the register's files."""


class DamagedError(FileFault):
    """The database has damaged pages."""


class WrongKeyError(FileFault):
    """The database cannot be decrypted with this key file's key (another register's key
    file, or the start of the database is damaged)."""


class NotARegisterError(FileFault):
    """The file is empty, or something else than a wijkteam register."""


class ForeignRegisterError(FileFault):
    """The database is a register, but not the one the key file belongs to."""


class BusyError(RegisterError):
    """Another process holds the register's write lock for too long."""


def read_only(where: Path) -> ReadOnlyError:
    return ReadOnlyError(
        f"In {where} kan niet worden geschreven (alleen-lezen). Er is niets gewijzigd en het"
        " register is niet beschadigd: zet de rechten goed of werk op een schrijfbare plek."
    )


def disk_full(where: Path) -> DiskFullError:
    return DiskFullError(
        f"De schijf van {where} is vol. Er is niets half opgeslagen; maak ruimte vrij en"
        " probeer het opnieuw."
    )


def no_permission(path: Path) -> NoPermissionError:
    group = shared_group(path if os.path.isdir(path) else path.parent)
    if group:
        return NoPermissionError(
            f"Geen toestemming voor {path}. Dit register is gedeeld met de Unix-groep"
            f" '{group}'; alleen leden daarvan kunnen het openen. Vraag de beheerder van deze"
            " computer om u toe te voegen (en log daarna opnieuw in). Er is niets gewijzigd."
        )
    return NoPermissionError(
        f"Geen toestemming voor {path}. Het register hoort bij het account dat het maakte;"
        " controleer eigenaar en rechten (ls -l). Er is niets gewijzigd."
    )


def damaged(path: Path, detail: str = "") -> DamagedError:
    what = f" ({detail})" if detail else ""
    return DamagedError(
        f"Het register {path} is beschadigd{what}. Er is niets gewijzigd. 'wijkteam db check'"
        " toont welke pagina's; zet daarna een back-up terug met 'wijkteam restore --force'.",
        f"de database is beschadigd{what}",
    )


def wrong_key(path: Path) -> WrongKeyError:
    return WrongKeyError(
        f"{path} kan met dit sleutelbestand niet worden ontsleuteld: het sleutelbestand hoort bij"
        " een ander register, of het begin van het databasebestand is beschadigd. Er is niets"
        " gewijzigd. Zet het sleutelbestand terug dat erbij hoort; helpt dat niet, een back-up.",
        "de database past niet bij het sleutelbestand",
    )


def not_a_register(path: Path, why: str) -> NotARegisterError:
    return NotARegisterError(
        f"{path} is geen wijkteam-register: {why}. Er is niets gewijzigd. Geef het juiste"
        " bestand op met --db, of zet een back-up terug met 'wijkteam restore'.",
        why,
    )


def foreign_register(path: Path) -> ForeignRegisterError:
    return ForeignRegisterError(
        f"Het sleutelbestand naast {path} hoort bij een ander register. Er is niets"
        " gewijzigd. Zet het sleutelbestand terug dat bij dit register hoort.",
        "de database hoort bij een ander register dan het sleutelbestand",
    )


def busy() -> BusyError:
    return BusyError(
        "Het register is bezet door een andere gebruiker; er is niets opgeslagen."
        " Probeer het zo opnieuw."
    )


#: An I/O error while this little room is left on the register's disk is the disk being
#: full: SQLite says SQLITE_FULL only when it sees ENOSPC itself, not when the journal or a
#: page write in the kernel's buffers ran out of room.
NEARLY_FULL_BYTES = 64 * 1024


def _io_error(path: Path) -> RegisterError:
    try:
        stats = os.statvfs(path.parent)
    except OSError:
        stats = None
    if stats is not None and stats.f_bavail * stats.f_frsize < NEARLY_FULL_BYTES:
        return disk_full(path.parent)
    return from_os(_why_not_open(path), path) or RegisterError(
        f"Lezen of schrijven van {path} mislukte (schijffout). Er is niets half opgeslagen;"
        " controleer de schijf en probeer het opnieuw."
    )


_BY_SQLITE_CODE: dict[int, Callable[[Path], RegisterError]] = {
    _SQLITE_READONLY: lambda path: read_only(path.parent),
    _SQLITE_FULL: lambda path: disk_full(path.parent),
    _SQLITE_PERM: no_permission,
    _SQLITE_CANTOPEN: lambda path: (
        _planted_beside(path) or from_os(_why_not_open(path), path) or no_permission(path)
    ),
    _SQLITE_CORRUPT: damaged,
    _SQLITE_NOTADB: wrong_key,
    _SQLITE_BUSY: lambda _path: busy(),
    _SQLITE_LOCKED: lambda _path: busy(),
    _SQLITE_IOERR: _io_error,
}


def from_sqlite(exc: BaseException | None, path: Path) -> RegisterError | None:
    """The fault behind a SQLite/SQLCipher error on the register at `path`, if it is one a
    person or a disk can cause (None for a programming error)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    make = _BY_SQLITE_CODE.get(code & 0xFF)
    return make(path) if make else None


def from_os(exc: OSError | None, path: Path | None = None) -> RegisterError | None:
    """The fault behind an operating-system error, if it is one a person or a disk can cause."""
    if exc is None:
        return None
    where = path or Path(exc.filename or ".")
    if exc.errno == errno.EROFS:
        return read_only(where if where.is_dir() else where.parent)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(where if where.is_dir() else where.parent)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return no_permission(where)
    return None


def _planted_beside(path: Path) -> RegisterError | None:
    """A link or anything but a plain file where SQLite keeps its own files beside the
    database (it does not open those through a link; a colleague could have put one there)."""
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        try:
            if not stat.S_ISREG(os.lstat(companion).st_mode):
                return not_a_plain_file(companion)
        except OSError:
            continue
    return None


def _why_not_open(path: Path) -> OSError | None:
    """Why SQLite could not open or write next to `path`, as the operating system says it."""
    folder = path.parent
    for target, mode in ((path, os.R_OK | os.W_OK), (folder, os.W_OK | os.X_OK)):
        if target.exists() and not os.access(target, mode):
            readonly_fs = bool(os.statvfs(target).f_flag & os.ST_RDONLY)
            code = errno.EROFS if readonly_fs else errno.EACCES
            return OSError(code, os.strerror(code), str(target))
    return None


def write_failed(path: Path, needed: int) -> RegisterError:
    """Why writing `needed` bytes to `path` failed, when the error itself does not say."""
    folder = path.parent
    stats = os.statvfs(folder)
    if stats.f_bavail * stats.f_frsize < needed:
        return disk_full(folder)
    return from_os(_why_not_open(path), path) or RegisterError(
        f"Schrijven van {path} mislukte. Er is niets half opgeslagen; controleer de schijf en"
        " probeer het opnieuw."
    )


def preflight(path: Path, *, write: bool) -> None:
    """Refuse, before SQLite touches it, a register file that is empty, plain SQLite, or that
    this account cannot read (or, when `write`, write beside)."""
    if path.is_dir():
        raise not_a_register(path, "het is een map")
    try:
        with path.open("rb") as handle:
            start = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise from_os(exc, path) or no_permission(path) from exc
    if not start:
        raise not_a_register(path, "het bestand is leeg (0 bytes)")
    if start == SQLITE_HEADER:
        raise not_a_register(path, "het is een onversleutelde SQLite-database")
    if path.stat().st_size % MIN_PAGE_SIZE:
        # A database is whole pages; anything else is some other kind of file.
        raise not_a_register(path, "het is geen database")
    if write:
        problem = _why_not_open(path)
        if problem is not None:
            raise from_os(problem, path) or no_permission(path)
