"""An empty or foreign database is never turned into a register, and `db check` only reads.

Each test puts something that is not this key file's register where the register should be,
then opens it the way a person would (the store, and `wijkteam` as a separate process), and
checks that it is refused with its own message and that not one byte changed."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import fingerprint, run_cli_process
from wijkteam_tui.errors import RegisterError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.copies.backup import _sha256, write_backup
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.sqlite import faults
from wijkteam_tui.store.sqlite.connection import connect_keyed

# Only on a local register: files that are not this register's.
pytestmark = pytest.mark.local_only

ENV = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}


def _folder(path: Path) -> dict[str, tuple[str, int] | None]:
    """Every file in the register's folder, with its contents' hash and modification time."""
    return fingerprint(*sorted(path.parent.iterdir()))


def _closed(new_register: NewRegister) -> Path:
    new_register.register.close()
    return new_register.path


def _check(path: Path) -> tuple[int, str, str]:
    result = run_cli_process("db", "check", "--db", str(path), env=ENV)
    return result.returncode, result.stdout, result.stderr


def test_an_empty_database_file_is_refused_and_stays_empty(new_register: NewRegister):
    path = _closed(new_register)
    path.write_bytes(b"")
    before = _folder(path)
    with pytest.raises(faults.NotARegisterError, match="leeg"):
        open_register(path, "anna", PASSPHRASE)
    code, out, err = _check(path)
    assert code == 1 and "leeg (0 bytes)" in err and "in orde" not in out
    for command in (["db", "upgrade"], ["backup", "-o", str(path.parent.parent / "b.wkb")]):
        result = run_cli_process(*command, "--db", str(path), env=ENV)
        assert result.returncode == 1 and "geen wijkteam-register" in result.stderr
    assert _folder(path) == before
    assert path.stat().st_size == 0


def test_a_plain_sqlite_database_is_refused_untouched(new_register: NewRegister):
    path = _closed(new_register)
    path.unlink()
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE boodschappen (wat TEXT)")
    before = _folder(path)
    with pytest.raises(faults.NotARegisterError, match="onversleutelde SQLite"):
        open_register(path, "anna", PASSPHRASE)
    code, _, err = _check(path)
    assert code == 1 and "onversleutelde SQLite" in err
    assert _folder(path) == before


def test_a_file_of_another_kind_is_refused_untouched(new_register: NewRegister):
    path = _closed(new_register)
    path.write_bytes(b"%PDF-1.7\n" + b"x" * 1000)
    before = _folder(path)
    with pytest.raises(faults.NotARegisterError, match="geen database"):
        open_register(path, "anna", PASSPHRASE)
    assert _folder(path) == before


def test_another_registers_database_is_refused_untouched(new_register: NewRegister, tmp_path: Path):
    path = _closed(new_register)
    other, _ = create_register(tmp_path / "ander" / "register.db", "anna", PASSPHRASE)
    other.close()
    shutil.copyfile(other.path, path)
    before = _folder(path)
    with pytest.raises(faults.WrongKeyError, match="ander register"):
        open_register(path, "anna", PASSPHRASE)
    code, _, err = _check(path)
    assert code == 1 and "niet worden ontsleuteld" in err
    assert _folder(path) == before


def test_a_database_with_this_key_but_without_a_register_in_it_is_refused(
    new_register: NewRegister,
):
    key = bytes(new_register.register.unlocked.db_key)
    path = _closed(new_register)
    path.unlink()
    conn = connect_keyed(path, key, new=True, wal=False)
    conn.execute("CREATE TABLE iets (x)")
    conn.close()
    before = _folder(path)
    with pytest.raises(faults.NotARegisterError, match="tabellen van een register ontbreken"):
        open_register(path, "anna", PASSPHRASE)
    assert _folder(path) == before


def test_db_check_writes_nothing_on_a_sound_register(new_register: NewRegister):
    path = _closed(new_register)
    register_files = [path, crypto.key_file_path(path), crypto.backup_key_file_path(path)]
    before = fingerprint(*register_files)
    code, out, err = _check(path)
    assert code == 0, err
    assert "in orde" in out
    assert fingerprint(*register_files) == before


def test_db_check_lists_damaged_pages_and_changes_nothing(new_register: NewRegister):
    register = new_register.register
    with register.raw() as raw:
        page_count = int(raw.execute("PRAGMA page_count").fetchone()[0])
        page_size = int(raw.execute("PRAGMA page_size").fetchone()[0])
    path = _closed(new_register)
    assert page_count >= 12
    data = bytearray(path.read_bytes())
    for page in (6, 11):  # 1-based page numbers, as SQLite counts them
        data[(page - 1) * page_size + 100] ^= 0xFF
    path.write_bytes(bytes(data))
    register_files = [path, crypto.key_file_path(path), crypto.backup_key_file_path(path)]
    before = fingerprint(*register_files)
    code, out, err = _check(path)
    assert code == 1
    assert "FOUT: pagina 6 is beschadigd" in out
    assert "FOUT: pagina 11 is beschadigd" in out
    assert "2 problemen gevonden" in err and "Traceback" not in err
    assert fingerprint(*register_files) == before


def test_db_check_finds_a_key_file_backup_that_is_no_key_file(new_register: NewRegister):
    path = _closed(new_register)
    crypto.backup_key_file_path(path).write_text("geen sleutels\n")
    code, out, _ = _check(path)
    assert code == 1
    assert "reservekopie van het sleutelbestand" in out and "beschadigd" in out


def test_db_check_warns_about_files_others_may_read(new_register: NewRegister):
    path = _closed(new_register)
    path.chmod(0o644)
    path.parent.chmod(0o755)
    code, out, _ = _check(path)
    assert code == 0
    assert f"{path} staat open voor anderen (0644)" in out
    assert f"{path.parent} staat open voor anderen (0755)" in out


def _backup_with_database(source: NewRegister, target: Path, database: bytes) -> None:
    """A back-up of `source` whose database is replaced by `database`, with a manifest whose
    checksums match (so only the contents can give it away)."""
    write_backup(source.register, target)
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        keys = archive.read("register.keys")
    manifest["files"]["register.db"] = _sha256(database)
    target.unlink()
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("register.db", database)
        archive.writestr("register.keys", keys)


@pytest.mark.parametrize("database", [b"", b"\0" * 4096], ids=["leeg", "nullen"])
def test_a_backup_without_a_register_is_never_restored_over_a_good_one(
    new_register: NewRegister, tmp_path: Path, database: bytes
):
    bundle = tmp_path / "zondag.wkb"
    _backup_with_database(new_register, bundle, database)
    path = _closed(new_register)
    before = _folder(path)
    result = run_cli_process("restore", str(bundle), "--force", "--db", str(path), env=ENV)
    assert result.returncode == 1
    assert "is niet terug te zetten" in result.stderr
    assert _folder(path) == before
    assert open_register(path, "anna", PASSPHRASE).check() == []


@pytest.mark.parametrize(
    "name",
    ["register.db", "register.db-wal", "register.db-shm", "register.keys", "register.keys.bak"],
)
def test_a_back_up_is_never_written_over_the_registers_own_files(
    new_register: NewRegister, name: str
):
    register = new_register.register
    with register.write() as session:  # the -wal and -shm exist while it is open
        session.execute(text("UPDATE team_settings SET team_name = 'Wijkteam Noord'"))
    target = register.path.with_name(name)
    files = [
        register.path.with_name(n) for n in ("register.db", "register.keys", "register.keys.bak")
    ]
    before = fingerprint(*files)
    with pytest.raises(RegisterError, match="bestand van het register zelf"):
        write_backup(register, target)
    link = register.path.parent.parent / "koppeling.wkb"
    link.hardlink_to(register.path.with_name("register.keys.bak"))
    with pytest.raises(RegisterError, match="bestand van het register zelf"):
        write_backup(register, link)
    assert fingerprint(*files) == before


@pytest.mark.parametrize(
    "name",
    ["register.pogingen", "register.keys.lock", "register.lock", "register.herstel.json"],
)
@pytest.mark.parametrize("reached", ["by its name", "through a link", "by another spelling"])
def test_a_back_up_is_never_written_over_a_lock_journal_or_attempts_file(
    new_register: NewRegister, name: str, reached: str
):
    register = new_register.register
    own = register.path.with_name(name)
    own.write_bytes(b"{}")  # as if there (a wrong passphrase, a restore under way)
    target = {
        "by its name": own,
        "through a link": register.path.parent.parent / "koppeling.wkb",
        "by another spelling": register.path.parent / ".." / register.path.parent.name / name,
    }[reached]
    if reached == "through a link":
        target.symlink_to(own)
    before = fingerprint(own)
    with pytest.raises(RegisterError, match="bestand van het register zelf"):
        write_backup(register, target)
    assert fingerprint(own) == before


@pytest.mark.parametrize("leftover", ["register.keys.bak", "register.db-wal", "register.db-shm"])
def test_init_beside_files_it_did_not_make_refuses_and_deletes_none(tmp_path: Path, leftover: str):
    folder = tmp_path / "team"
    folder.mkdir()
    theirs = folder / leftover
    theirs.write_bytes(b"van iemand anders")
    result = run_cli_process("init", "--db", str(folder / "register.db"), env=ENV)
    assert result.returncode == 1
    assert "Er staat al een register" in result.stderr
    assert theirs.read_bytes() == b"van iemand anders"
    assert sorted(p.name for p in folder.iterdir()) == [leftover]
