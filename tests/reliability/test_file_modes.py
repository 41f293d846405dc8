"""Everything the program creates is the owner's only: files 0600, folders 0700, whatever the
umask says; and `db check` warns about anything wider (tests/reliability/test_foreign_files)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.helpers import make_client
from tests.store.test_migrations import _extra_revision
from wijkteam_tui.store.copies.backup import restore_backup, write_backup
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.register import Register

# Only on a local register: file modes of a local register.
pytestmark = pytest.mark.local_only


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The common default (022): without care, files come out 0644 and folders 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> str:
    return f"{stat.S_IMODE(path.stat().st_mode):04o}"


def _modes(folder: Path) -> dict[str, str]:
    return {child.name: _mode(child) for child in sorted(folder.iterdir())}


def _write_something(register: Register) -> None:
    with register.write() as session:
        session.add(make_client("1001", "Ilse de Boer"))


def test_a_new_register_and_every_folder_made_for_it_are_private(tmp_path: Path):
    path = tmp_path / "nieuw" / "diep" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    _write_something(register)
    files = _modes(path.parent)
    register.close()
    assert {"register.db", "register.db-wal", "register.db-shm", "register.keys"} <= set(files)
    assert set(files.values()) == {"0600"}, files
    assert _mode(tmp_path / "nieuw") == "0700"
    assert _mode(tmp_path / "nieuw" / "diep") == "0700"


def test_a_restored_register_with_its_wal_and_shm_is_private(tmp_path: Path):
    source, _ = create_register(tmp_path / "bron" / "register.db", "anna", PASSPHRASE)
    _write_something(source)
    bundle = tmp_path / "zondag.wkb"
    write_backup(source, bundle)
    source.close()
    assert _mode(bundle) == "0600"
    target = tmp_path / "elders" / "hier" / "register.db"
    restore_backup(bundle, target, "anna", PASSPHRASE)
    register = open_register(target, "anna", PASSPHRASE)
    with register.write() as session:
        session.add(make_client("1002", "Kees Jansen"))
    files = _modes(target.parent)
    register.close()
    assert {"register.db", "register.db-wal", "register.db-shm", "register.keys"} <= set(files)
    assert set(files.values()) == {"0600"}, files
    assert _mode(tmp_path / "elders") == "0700"
    assert _mode(tmp_path / "elders" / "hier") == "0700"


def test_the_copy_made_before_an_upgrade_is_private(tmp_path: Path):
    path = tmp_path / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    _write_something(register)
    register.close()
    location = _extra_revision(
        tmp_path, 'op.add_column("clients", sa.Column("bijnaam", sa.String(40)))'
    )
    upgraded = open_register(path, "anna", PASSPHRASE, script_location=location)
    assert upgraded.migration is not None and upgraded.migration.backup_path is not None
    copy = upgraded.migration.backup_path
    upgraded.close()
    assert _mode(copy) == "0600"
