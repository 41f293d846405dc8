"""Nothing of a client is readable on disk: database, WAL, shared memory, key file, back-up."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import make_client
from wijkteam_tui.domain.terms import MemberKind
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.copies.backup import write_backup
from wijkteam_tui.store.models import Client, NetworkMember
from wijkteam_tui.store.opening import open_register

# Only on a local register: SQLCipher's encryption of the local file; a server's disks are the
# operator's.
pytestmark = pytest.mark.local_only


def _markers(count: int) -> list[str]:
    return [f"MARKER{uuid.uuid4().hex.upper()}" for _ in range(count)]


def _leaks(path: Path, markers: list[str]) -> list[str]:
    data = path.read_bytes()
    return [m for m in markers if m.encode() in data or m.encode("utf-16-le") in data]


def test_no_client_data_appears_in_any_file(new_register: NewRegister, tmp_path: Path):
    register, path = new_register.register, new_register.path
    markers = _markers(60)
    with register.write() as session:
        for i in range(20):
            name, words, member = markers[3 * i : 3 * i + 3]
            client = make_client(f"M{i}", name, own_words=words, street="Kerkpad")
            client.members.append(
                NetworkMember(name=member, relation="buurvrouw", kind=MemberKind.INFORMAL)
            )
            session.add(client)

    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    assert wal.exists() and wal.stat().st_size > 0, "the writes should still sit in the WAL"
    backup = tmp_path / "backup.wkb"
    write_backup(register, backup)

    files = [path, wal, shm, crypto.key_file_path(path), crypto.backup_key_file_path(path), backup]
    for file in files:
        assert _leaks(file, markers) == [], file.name
        assert b"SQLite format 3" not in file.read_bytes()[:100], file.name

    register.close()
    assert _leaks(path, markers) == []
    reopened = open_register(path, "anna", PASSPHRASE)
    with reopened.read() as session:
        assert {c.name for c in session.query(Client)} == set(markers[0::3])
    reopened.close()
