"""A read-only location, a full disk and a permission problem each get their own message, and
none of them loses a committed row or is called damage.

The faults are real: a small tmpfs mounted for the test (filled to the brim, or remounted
read-only), and the command line run as another account (`nobody`). Mounting needs root, as
the test machine and CI have; elsewhere these tests are skipped and say why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.helpers import fingerprint, run_cli
from wijkteam_tui.store import crypto, faults
from wijkteam_tui.store.backup import write_backup
from wijkteam_tui.store.engine import Register, create_register, open_register
from wijkteam_tui.store.queries import search_clients
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.services import create_client

ENV = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}
TODAY = date(2026, 11, 23)


def _mount(where: Path, size_kib: int) -> None:
    where.mkdir(parents=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"kan geen tmpfs aankoppelen (root nodig): {done.stderr.decode().strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB file system of its own, unmounted afterwards."""
    where = tmp_path / "schijf"
    _mount(where, 4096)
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path, leave_kib: int) -> Path:
    """Fill `disk` until only `leave_kib` is free; the filler file is returned."""
    filler = disk / "opvulling"
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave_kib * 1024))
    return filler


def _client(number: int) -> ClientInput:
    return ClientInput(
        name=f"Fictieve Persoon {number}",
        opened_on=date(2026, 1, 5),
        street="Lange Voorbeeldstraat",
        house_number=str(number),
        postcode="1234 AB",
        own_words="Ik wil graag zelf blijven koken en mijn kleinkinderen zien. " * 4,
    )


def _names(register: Register) -> set[str]:
    return {hit.name for hit in search_clients(register, "fictieve", limit=10_000)}


def test_a_full_disk_during_writes_says_so_and_keeps_every_committed_row(small_disk: Path):
    path = small_disk / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    filler = _fill(small_disk, leave_kib=300)
    saved = []
    with pytest.raises(faults.DiskFullError, match="is vol"):
        for number in range(10_000):
            create_client(register, _client(number), TODAY)
            saved.append(f"Fictieve Persoon {number}")
    assert saved, "some writes fit before the disk was full"
    register.close()
    filler.unlink()
    reopened = open_register(path, "anna", PASSPHRASE)
    try:
        assert _names(reopened) == set(saved)
        assert reopened.check() == []
    finally:
        reopened.close()


def test_a_full_disk_during_restore_is_not_called_a_damaged_back_up(
    small_disk: Path, tmp_path: Path
):
    source, _ = create_register(tmp_path / "bron" / "register.db", "anna", PASSPHRASE)
    for number in range(40):
        create_client(source, _client(number), TODAY)
    bundle = tmp_path / "zondag.wkb"
    write_backup(source, bundle)
    source.close()
    path = small_disk / "team" / "register.db"
    live, _ = create_register(path, "anna", PASSPHRASE)
    live.close()
    _fill(small_disk, leave_kib=64)
    before = fingerprint(*sorted(path.parent.iterdir()))
    result = run_cli("restore", str(bundle), "--force", "--db", str(path), env=ENV)
    assert result.returncode == 1
    assert "is vol" in result.stderr and "beschadigd" not in result.stderr
    assert fingerprint(*sorted(path.parent.iterdir())) == before, "no temp files left"


def test_a_back_up_onto_a_full_disk_says_so_and_leaves_no_part(small_disk: Path, tmp_path: Path):
    register, _ = create_register(tmp_path / "team" / "register.db", "anna", PASSPHRASE)
    for number in range(40):
        create_client(register, _client(number), TODAY)
    register.close()
    _fill(small_disk, leave_kib=32)
    target = small_disk / "zondag.wkb"
    result = run_cli("backup", "-o", str(target), "--db", str(register.path), env=ENV)
    assert result.returncode == 1
    assert "is vol" in result.stderr and "onverwachte" not in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["opvulling"]


def test_a_read_only_location_is_named_and_still_checked(small_disk: Path):
    path = small_disk / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    register.close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    for command in (["db", "upgrade"], ["backup", "-o", "/dev/null/x.wkb"]):
        result = run_cli(*command, "--db", str(path), env=ENV)
        assert result.returncode == 1
        assert "alleen-lezen" in result.stderr, result.stderr
        assert "beschadigd" not in result.stderr.replace("niet beschadigd", "")
    check = run_cli("db", "check", "--db", str(path), env=ENV)
    assert check.returncode == 0, check.stderr
    assert "in orde" in check.stdout
    with pytest.raises(faults.ReadOnlyError):
        open_register(path, "anna", PASSPHRASE)


def test_init_on_a_read_only_location_says_so(small_disk: Path):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run_cli("init", "--db", str(small_disk / "team" / "register.db"), env=ENV)
    assert result.returncode == 1
    assert "alleen-lezen" in result.stderr and "onverwachte" not in result.stderr


def _as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = {"PATH": os.environ["PATH"], "WIJKTEAM_KDF": "test", "PYTEST_CURRENT_TEST": "x", **ENV}
    return subprocess.run(
        [*command, sys.executable, "-m", "wijkteam_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=60,
        check=False,
    )


def test_another_account_is_told_it_has_no_permission(tmp_path: Path):
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("nodig: root en setpriv, om als een ander account te draaien")
    if _as_nobody("--version").returncode != 0:
        pytest.skip("het account nobody kan deze Python-omgeving niet lezen")
    shared = tmp_path / "gedeeld"
    shared.mkdir()
    tmp_path.chmod(0o755)
    shared.chmod(0o755)
    path = shared / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    register.close()
    before = fingerprint(path, crypto.key_file_path(path))
    for command in (["db", "check"], ["db", "upgrade"]):
        result = _as_nobody(*command, "--db", str(path))
        assert result.returncode == 1, result.stderr
        assert "Geen toestemming" in result.stderr, result.stderr
        assert "onverwachte" not in result.stderr
    assert fingerprint(path, crypto.key_file_path(path)) == before


def test_a_full_disk_during_a_rekey_changes_nothing_and_says_so(small_disk: Path):
    from wijkteam_tui.store import crypto
    from wijkteam_tui.store.rekey import renew_key

    path = small_disk / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    for number in range(60):
        create_client(register, _client(number), TODAY)
    old_key = bytes(register.unlocked.db_key)
    with register.raw() as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # Room for the log to fold in, not for a whole second copy of the database.
    _fill(small_disk, leave_kib=path.stat().st_size // 2048)
    register, pending = renew_key(register, "test")
    try:
        assert pending is not None and "vol" in pending and "niet vernieuwd" in pending
        assert bytes(register.unlocked.db_key) == old_key
        assert len(_names(register)) == 60
    finally:
        register.close()
    assert not list(path.parent.glob("wijkteam-herstel-*")), "no staging left behind"
    assert not crypto.backup_key_file_path(path).with_suffix(".nieuw").exists()
    reopened = open_register(path, "anna", PASSPHRASE)
    try:
        assert reopened.check() == []
    finally:
        reopened.close()
