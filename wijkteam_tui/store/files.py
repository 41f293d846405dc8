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
"""

from __future__ import annotations

import contextlib
import grp
import os
import stat
import tempfile
from pathlib import Path

from wijkteam_tui.errors import UsageError


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` (owner-only, 0600): temp file, fsync, rename, fsync folder."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, file_mode(path.parent))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


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
        os.chmod(level, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def new_private_file(path: Path) -> None:
    """Create `path` empty (refusing an existing file) with the folder's file mode (0600, or
    0660 in a shared register's folder), so that SQLite, which gives its -wal and -shm the
    database file's mode, never makes anything wider."""
    mode = file_mode(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))
    os.chmod(path, mode)


def open_beside(path: Path, flags: int) -> int:
    """`os.open` of a file beside the register (a lock file), created with the folder's file
    mode when it is not there yet. The umask cannot narrow it: a colleague of a shared register
    must be able to open a lock file that another made."""
    mode = file_mode(path.parent)
    fd = os.open(path, flags | os.O_CREAT, mode)
    try:
        made = os.fstat(fd)
        if made.st_uid == os.geteuid() and stat.S_IMODE(made.st_mode) != mode:
            os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


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
            os.chown(level, -1, gid)
            os.chmod(level, 0o750)  # noqa: S103
    os.chown(folder, -1, gid)
    os.chmod(folder, GROUP_FOLDER_MODE)
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
