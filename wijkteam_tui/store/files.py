"""Files beside the register: owner-only from the moment they exist, and written so that a
crash leaves the old or the new one.

Everything the program creates is private to the account that runs it: files 0600, folders
0700, whatever the umask says (a register holds special categories of personal data)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` (owner-only, 0600): temp file, fsync, rename, fsync folder."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
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
    """Create `path` empty and 0600 (refusing an existing file), so that SQLite, which gives
    its -wal and -shm the database file's mode, never makes anything wider."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    os.chmod(path, FILE_MODE)
