"""Files beside the register: private from the moment they exist, and written so that a crash
leaves the old or the new one.

A register holds special categories of personal data, so everything the program creates beside
it is private, whatever the umask says:
- a register of one account (the default): files 0600, folder 0700;
- a **shared** register (`wijkteam init --group NAME`, a team on one host): its folder is
  setgid for that Unix group (2770), so every file made in it belongs to the group, and the
  files are 0660: each colleague opens them under their own account. Nobody else gets in.

Whether a register is shared is read from its folder (the setgid bit), so every process, of
whichever colleague, makes its files the same way.

In a shared folder every colleague may put anything under any name, so nothing here trusts a
name: every file beside the register is opened without following a symbolic link and must be
a plain file (`NotAPlainFileError` otherwise, and nothing of what stands there is touched); a
file is created exclusively (O_EXCL), temporary files under names nobody can guess; a mode is
set on the open file (fchmod), and only on a file made here and now or one of this account's
own, never through a path that someone could have swapped for a link meanwhile.
"""

from __future__ import annotations

import contextlib
import errno
import grp
import os
import pwd
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from wijkteam_tui.errors import RegisterError, UsageError

#: How every file beside the register is opened: never through a symbolic link in the last
#: part of its path, and never inherited by a program this one starts.
SAFE_FLAGS = os.O_NOFOLLOW | os.O_CLOEXEC
# What open(2) says when the name is a link (O_NOFOLLOW), a folder, or a fifo without a reader.
_NOT_PLAIN_ERRNOS = (errno.ELOOP, errno.EISDIR, errno.ENXIO)


class NotAPlainFileError(RegisterError):
    """Something other than a plain file (a symbolic link, a fifo, a folder) stands where the
    program keeps a file beside the register; nothing of it was opened or changed."""


def not_a_plain_file(path: Path) -> NotAPlainFileError:
    return NotAPlainFileError(
        f"{path} is geen gewoon bestand (een symbolische koppeling?); er is niets geopend."
        " Iemand met toegang tot de map heeft het daar neergezet: laat de beheerder van deze"
        " computer kijken wie, en verwijder het."
    )


class ForeignFileError(RegisterError):
    """A file beside the register that this account may not open although it may write the
    folder: someone else's file where the program keeps one of its own."""


def foreign_file(path: Path) -> ForeignFileError:
    return ForeignFileError(
        f"{path} kan dit account niet openen, terwijl de map wel te beschrijven is: het bestand"
        " is van iemand anders of alleen voor hem leesbaar. Er is niets geopend. Iemand met"
        " toegang tot de map heeft het daar neergezet: laat de beheerder van deze computer"
        " kijken wie, en verwijder het."
    )


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` (the folder's file mode): temp file, fsync, rename, fsync
    folder. What stands at `path` is replaced, never written through."""
    _write_into_place(path, lambda handle: handle.write(data))


def copy_beside(source: Path, target: Path) -> None:
    """Replace `target` with a copy of the plain file `source` (not read through a link), as
    `atomic_write` does."""
    with os.fdopen(_open_existing(source, os.O_RDONLY), "rb") as reading:
        _write_into_place(target, lambda handle: shutil.copyfileobj(reading, handle, 1 << 20))


def _write_into_place(path: Path, write: Callable[[BinaryIO], object]) -> None:
    fd, temporary = temporary_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.move_to(path)
    except BaseException:
        temporary.remove()
        raise
    fsync_dir(path.parent)


@dataclass(frozen=True)
class Temporary:
    """A file made by `temporary_beside`, known by its inode: it is moved into place only
    while its name still leads to it."""

    path: Path
    device: int
    inode: int

    def move_to(self, target: Path) -> None:
        """Rename it to `target` (replacing what is there); NotAPlainFileError, and nothing
        moved, when someone put something else under its name meanwhile."""
        try:
            found = os.lstat(self.path)
        except FileNotFoundError:
            raise not_a_plain_file(self.path) from None
        if (found.st_dev, found.st_ino) != (self.device, self.inode):
            raise not_a_plain_file(self.path)
        os.replace(self.path, target)

    def remove(self) -> None:
        """Remove it, when its name still leads to it."""
        with contextlib.suppress(OSError):
            found = os.lstat(self.path)
            if (found.st_dev, found.st_ino) == (self.device, self.inode):
                self.path.unlink()


def temporary_beside(
    path: Path, *, suffix: str = ".tmp", mode: int | None = None
) -> tuple[int, Temporary]:
    """A new empty file in `path`'s folder, `.<name>.<random><suffix>`: a name nobody can guess,
    made exclusively and not through a link (mkstemp), its mode (the folder's file mode, or
    `mode`) set on the open file. Returns its descriptor and the file."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    try:
        os.fchmod(fd, file_mode(path.parent) if mode is None else mode)
        made = os.fstat(fd)
    except BaseException:
        os.close(fd)
        Path(name).unlink(missing_ok=True)
        raise
    return fd, Temporary(Path(name), made.st_dev, made.st_ino)


def read_beside(path: Path, limit: int = -1) -> bytes:
    """The contents (at most `limit` bytes) of the plain file `path`, not read through a link.
    OSError as `open` gives it (FileNotFoundError when it is not there)."""
    with os.fdopen(_open_existing(path, os.O_RDONLY), "rb") as handle:
        return handle.read(limit)


def _open_existing(path: Path, flags: int) -> int:
    """Open what is at `path`, refusing it unless it is a plain file: a link is not followed,
    and opening a fifo does not wait for its other end."""
    try:
        fd = os.open(path, flags | SAFE_FLAGS | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno in _NOT_PLAIN_ERRNOS:
            raise not_a_plain_file(path) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise not_a_plain_file(path)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform; the rename is still atomic
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


FILE_MODE = 0o600
FOLDER_MODE = 0o700
#: A shared register's files and folder (setgid: new files get the folder's group).
GROUP_FILE_MODE = 0o660
GROUP_FOLDER_MODE = 0o2770


def is_shared(folder: Path) -> bool:
    """Whether `folder` holds a shared register (made by `init --group`: setgid)."""
    try:
        return bool(folder.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def shared_group(folder: Path) -> str:
    """The Unix group of a shared register's folder ("" when `folder` is not shared)."""
    try:
        st = folder.stat()
    except OSError:
        return ""
    if not st.st_mode & stat.S_ISGID:
        return ""
    try:
        return grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        return str(st.st_gid)


def file_mode(folder: Path) -> int:
    """The mode of a file made in `folder`: 0660 in a shared register's folder, else 0600."""
    return GROUP_FILE_MODE if is_shared(folder) else FILE_MODE


def folder_mode(folder: Path) -> int:
    """The mode `folder` should have: 2770 when shared, else 0700."""
    return GROUP_FOLDER_MODE if is_shared(folder) else FOLDER_MODE


def private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents 0700 (an existing folder is left as it is)."""
    missing = []
    for level in (folder, *folder.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        try:
            level.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        _set_folder(level, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def _set_folder(folder: Path, mode: int, gid: int = -1) -> None:
    """Give `folder` (not a link put in its place) `mode` and, when given, the group `gid`."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | SAFE_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise RegisterError(
                f"{folder} is geen gewone map (een symbolische koppeling?); er is niets gewijzigd."
            ) from None
        raise
    try:
        if gid != -1:
            os.fchown(fd, -1, gid)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def create_beside(path: Path) -> int:
    """Create `path` empty, exclusively (an existing file is FileExistsError, a link or
    anything else NotAPlainFileError), with the folder's file mode (0600, or 0660 in a shared
    register's folder) set on it, so that SQLite, which gives its -wal and -shm the database
    file's mode, never makes anything wider. Returns it open for writing."""
    mode = file_mode(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | SAFE_FLAGS, mode)
    except FileExistsError:
        if path.is_symlink() or not path.is_file():
            raise not_a_plain_file(path) from None
        raise
    try:
        os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def new_private_file(path: Path) -> None:
    """`create_beside`, closed again: for a file that SQLite then opens."""
    os.close(create_beside(path))


# Tries at opening a lock file that a colleague's process removes and makes at the same time.
_OPEN_TRIES = 3


def open_beside(path: Path, flags: int) -> int:
    """`os.open` of a file beside the register (a lock file), made when it is not there yet.

    It is never opened through a link and must be a plain file (else NotAPlainFileError, and
    what stands there is not touched). A new file is made exclusively, with the folder's file
    mode, which the umask cannot narrow: a colleague of a shared register must be able to open
    a lock file that another made. An existing one gets that mode only when it is this
    account's own (a colleague's is theirs to keep)."""
    mode = file_mode(path.parent)
    fd, made = _made_or_opened(path, flags, mode)
    try:
        found = os.fstat(fd)
        if (made or found.st_uid == os.geteuid()) and stat.S_IMODE(found.st_mode) != mode:
            os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _made_or_opened(path: Path, flags: int, mode: int) -> tuple[int, bool]:
    """(descriptor, whether this call made the file)."""
    for _ in range(_OPEN_TRIES):
        try:
            return os.open(path, flags | os.O_CREAT | os.O_EXCL | SAFE_FLAGS, mode), True
        except FileExistsError:
            with contextlib.suppress(FileNotFoundError):  # removed in between: make it anew
                return _open_existing(path, flags), False
    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))


def check_can_make(folder: Path, group: str | None) -> None:
    """Before anything is asked: UsageError when this account cannot make `folder` (its nearest
    existing parent is not writable for it), naming the command an administrator runs."""
    existing = next((level for level in (folder, *folder.parents) if level.exists()), None)
    if existing is None or existing == folder:
        return
    if os.access(existing, os.W_OK | os.X_OK) or os.statvfs(existing).f_flag & os.ST_RDONLY:
        return  # it may; or a read-only disk, which making the folder says in its own words
    me = pwd.getpwuid(os.geteuid()).pw_name
    mode = f"-g {group} -m 2770" if group else "-m 0700"
    raise UsageError(
        f"U mag in {existing} geen map maken, dus ook {folder} niet. Laat de beheerder van deze"
        f" computer de map voor het register maken: sudo install -d -o {me} {mode} {folder}"
        " — en maak het register daarna opnieuw. Er is niets gewijzigd."
    )


def shared_folder(folder: Path, group: str) -> list[str]:
    """Make `folder` (new, or empty) the folder of a register shared by the Unix group `group`:
    owned by that group, setgid, 2770. Missing parents are made 0750 for the group so that its
    members can reach it. Returns warnings: parents that the group cannot pass through."""
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise UsageError(f"Er is geen Unix-groep '{group}' op deze computer.") from None
    if os.geteuid() != 0 and gid not in os.getgroups() and gid != os.getegid():
        raise UsageError(
            f"U bent geen lid van de groep '{group}'; alleen een lid kan er een register voor"
            " maken. Vraag de beheerder van deze computer om u toe te voegen (en log opnieuw in)."
        )
    if folder.exists() and any(folder.iterdir()):
        raise UsageError(
            f"De map {folder} bestaat al en is niet leeg. Een gedeeld register krijgt een map"
            " voor zich alleen: kies een nieuwe map (--db)."
        )
    missing = [level for level in (folder, *folder.parents) if not level.exists()]
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):
            level.mkdir()
        if level != folder:
            # Passing through only: the group may enter, not write; nobody else may enter.
            _set_folder(level, 0o750, gid)
    _set_folder(folder, GROUP_FOLDER_MODE, gid)
    return [
        f"Leden van '{group}' kunnen niet door de map {level} ({stat.S_IMODE(st.st_mode):04o}):"
        f" zij kunnen het register niet openen. Geef hun toegang tot die map (chmod o+x, of"
        f" chgrp {group} en chmod g+x)."
        for level in folder.parents
        for st in (level.stat(),)
        if not _passable(st, gid)
    ]


def _passable(st: os.stat_result, gid: int) -> bool:
    """Whether members of `gid` (not owning it) may pass through a folder."""
    return bool(st.st_mode & stat.S_IXOTH) or (st.st_gid == gid and bool(st.st_mode & stat.S_IXGRP))
