"""Where a register may live: a local disk, not a network share or a cloud-sync folder.

SQLite's locking and WAL need a local file system: on a network share two hosts can both think
they hold the write lock, and a sync client copies `register.db` without its `-wal`, so both can
silently lose or corrupt data. We refuse such a location with a clear message.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from wijkteam_tui.errors import UnsafeLocationError, no_register
from wijkteam_tui.store.sqlite import faults

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afs",
        "ncpfs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "9p",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.gcsfuse",
        "fuse.davfs2",
        "fuse.glusterfs",
        "fuse.cephfs",
        "fuse.onedriver",
        "fuse.google-drive-ocamlfuse",
    }
)

# Folder names that sync clients create; compared case-insensitively to each path component.
SYNC_FOLDER_NAMES = (
    "dropbox",
    "onedrive",
    "google drive",
    "googledrive",
    "my drive",
    "icloud drive",
    "icloud~",
    "mobile documents",
    "clouddocs",
    "nextcloud",
    "owncloud",
    "box sync",
    "box",
    "pcloud drive",
    "synologydrive",
    "sync.com",
    "tresorit",
    "megasync",
)

MOUNTS_FILE = Path("/proc/self/mounts")


def check_location(path: Path, mounts_text: str | None = None) -> None:
    """Raise UnsafeLocationError when `path` lies on a network share or in a sync folder."""
    folder = path.resolve().parent
    sync = _sync_folder(folder)
    if sync:
        raise UnsafeLocationError(
            f"Het register staat in een synchronisatiemap ({sync}); dat kan gegevens beschadigen."
            " Kies een map op de eigen schijf."
        )
    if sys.platform == "win32" and str(folder).startswith("\\\\"):
        raise UnsafeLocationError(
            "Het register staat op een netwerkschijf; dat kan gegevens beschadigen."
            " Kies een map op de eigen schijf."
        )
    fs_type = filesystem_type(folder, mounts_text)
    if fs_type and (fs_type in NETWORK_FILESYSTEMS or fs_type.startswith("fuse.rclone")):
        raise UnsafeLocationError(
            f"Het register staat op een netwerkschijf ({fs_type}); dat kan gegevens beschadigen."
            " Kies een map op de eigen schijf."
        )


def _sync_folder(folder: Path) -> str | None:
    for part in folder.parts:
        lowered = part.lower()
        for name in SYNC_FOLDER_NAMES:
            if lowered == name or (len(name) > 4 and lowered.startswith(name)):
                return part
    return None


def filesystem_type(folder: Path, mounts_text: str | None = None) -> str | None:
    """The type of the file system holding `folder`, from the longest matching mount point."""
    if mounts_text is None:
        try:
            mounts_text = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    best: tuple[int, str] | None = None
    target = os.fspath(folder)
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fields[2])
    return best[1] if best else None


def existing_register(path: Path, *, write: bool = True) -> Path:
    """The register's path, once it exists, lies in a safe place and looks like a register
    (see `faults.preflight`); otherwise a RegisterError that says what is wrong."""
    path = path.expanduser()
    try:
        found = path.exists()
    except PermissionError:
        raise faults.no_permission(path) from None
    if not found:
        raise no_register(path)
    check_location(path)
    faults.preflight(path, write=write)
    return path
