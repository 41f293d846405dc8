"""A register is refused on network shares and in cloud-sync folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkteam_tui.errors import UnsafeLocationError
from wijkteam_tui.store.sqlite.location import check_location, filesystem_type

# Only on a local register: where a local register's files may be.
pytestmark = pytest.mark.local_only

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export/teams /mnt/teams nfs4 rw,relatime 0 0
//nas/wijk /mnt/wijk\\040share cifs rw 0 0
/dev/sdb1 /mnt/teams/local ext4 rw 0 0
"""


def test_local_disk_is_fine():
    check_location(Path("/home/anna/wijkteam/register.db"), MOUNTS)


@pytest.mark.parametrize("path", ["/mnt/teams/register.db", "/mnt/wijk share/a/register.db"])
def test_network_shares_are_refused(path: str):
    with pytest.raises(UnsafeLocationError, match="netwerkschijf"):
        check_location(Path(path), MOUNTS)


def test_the_longest_mount_point_decides():
    assert filesystem_type(Path("/mnt/teams/local/x"), MOUNTS) == "ext4"
    check_location(Path("/mnt/teams/local/register.db"), MOUNTS)


@pytest.mark.parametrize(
    "folder",
    ["Dropbox", "OneDrive - Gemeente Utrecht", "Nextcloud", "Google Drive", "iCloud Drive"],
)
def test_sync_folders_are_refused(folder: str):
    with pytest.raises(UnsafeLocationError, match="synchronisatiemap"):
        check_location(Path("/home/anna") / folder / "register.db", MOUNTS)
