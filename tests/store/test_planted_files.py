"""A colleague on a shared host cannot turn the files beside the register against another.

bram (a member of the register's group) puts a symbolic link, a fifo or a file of his own where
the program keeps a lock file, the wrong-passphrase counts, a restore journal, a copy's key file
or an export's temporary file; cem then works as usual under his own account. The program
refuses what is not a plain file, in Dutch, or does not use it, and cem's private file that the
link points at is neither opened, nor made readable for the group, nor written.

Real accounts (tests/accounts.py) in processes of their own, a real SQLCipher register."""

from __future__ import annotations

import encodings.cp437  # noqa: F401 (zipfile needs it in the child; see tests/accounts.py)
import json
import os
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.accounts import ANNA, CEM, MEMBERS, Account, FailedAs, as_account
from tests.store.test_migrations import _extra_revision
from wijkteam_tui.errors import MigrationError, WijkteamError
from wijkteam_tui.export import card, ical, markdown, pdf  # noqa: F401 (see tests/accounts.py)
from wijkteam_tui.export.to_disk import export_agreements
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store import services
from wijkteam_tui.store.keys.rekey import renew_key
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.sqlite.connection import connect_keyed, copy_database
from wijkteam_tui.store.users import deactivate_user

# Only on a local register: the files beside it.
pytestmark = pytest.mark.local_only

SECRET = b"cem zijn eigen aantekeningen\n"
REFUSED = "is geen gewoon bestand (een symbolische koppeling?); er is niets geopend"
TODAY = date(2026, 11, 23)


@pytest.fixture
def bram_account(accounts) -> Account:
    return accounts[MEMBERS[0]]


@pytest.fixture
def cem_account(accounts) -> Account:
    return accounts[MEMBERS[1]]


def _find(path: Path, user: str, passphrase: str, name: str) -> list[int]:
    register = open_register(path, user, passphrase)
    try:
        return [hit.id for hit in search_clients(register, name)]
    finally:
        register.close()


def _change_passphrase(path: Path, user: str, old: str, new: str) -> None:
    unlocked = crypto.unlock(path, user, old)
    crypto.set_user_passphrase(path, unlocked, user, new)


@pytest.fixture
def cems_file(shared: Path, cem_account: Account) -> Path:
    """A file only cem may read, in a folder of his own beside the register's."""
    home = shared.parent.parent / "cem"
    home.mkdir()
    os.chown(home, cem_account.uid, cem_account.gid)
    os.chmod(home, 0o700)
    private = home / "geheim.txt"
    private.write_bytes(SECRET)
    os.chown(private, cem_account.uid, cem_account.gid)
    os.chmod(private, 0o600)
    return private


def _untouched(private: Path, owner: Account) -> None:
    st = private.lstat()
    assert stat.S_ISREG(st.st_mode)
    assert f"{stat.S_IMODE(st.st_mode):04o}" == "0600", "made readable for others"
    assert (st.st_uid, st.st_nlink) == (owner.uid, 1)
    assert private.read_bytes() == SECRET


def _run(account: Account, work, *args) -> FailedAs | None:  # type: ignore[no-untyped-def]
    """What `work` raised as `account` (None when it did not raise)."""
    try:
        as_account(account, work, *args)
    except FailedAs as failed:
        return failed
    return None


def _refused(outcome: FailedAs | None, kind: str = "NotAPlainFileError") -> str:
    assert outcome is not None, "it was not refused"
    assert outcome.kind == kind, outcome.trace
    return outcome.message


def _plant_link(at: Path, to: Path) -> None:
    at.unlink(missing_ok=True)
    at.symlink_to(to)


def _plant_fifo(at: Path, _to: Path) -> None:
    at.unlink(missing_ok=True)
    os.mkfifo(at)
    os.chmod(at, 0o660)  # the group may open it


def _wrong_passphrase(path: Path, user: str) -> None:
    crypto.unlock(path, user, "niet het goede wachtwoord")


@pytest.mark.parametrize("plant", [_plant_link, _plant_fifo], ids=["link", "fifo"])
def test_a_lock_file_planted_by_a_colleague_is_refused_and_what_it_points_at_untouched(
    shared, cems_file, bram_account, cem_account, plant
):
    as_account(bram_account, plant, shared.with_name("register.lock"), cems_file)
    outcome = _run(cem_account, _find, shared, "cem", CEM, "Fatima")
    _untouched(cems_file, cem_account)
    assert f"{shared.with_name('register.lock')} {REFUSED}" in _refused(outcome)


def _plant_own_file(at: Path) -> None:
    at.unlink(missing_ok=True)
    at.write_bytes(b"")
    os.chmod(at, 0o600)  # only bram may open it


def _hold_alone(path: Path) -> None:
    from wijkteam_tui.store.sqlite import lock

    held = lock.hold_alone(path)
    assert held is not None
    held.release()


def test_a_lock_file_only_its_planter_can_open_refuses_opening_and_restoring(
    shared, bram_account, cem_account
):
    """Not a read-only copy, so not a reason to go on without the lock: cem's opening and the
    exclusive lock a restore takes are both refused, saying what is wrong."""
    lock_file = shared.with_name("register.lock")
    as_account(bram_account, _plant_own_file, lock_file)
    for work, args in ((_find, (shared, "cem", CEM, "Fatima")), (_hold_alone, (shared,))):
        outcome = _run(cem_account, work, *args)
        assert outcome is not None and outcome.kind == "ForeignFileError", outcome
        assert f"{lock_file} kan dit account niet openen" in outcome.message


@pytest.mark.parametrize("name", ["register.db-wal", "register.db-shm"])
def test_a_link_where_sqlite_keeps_its_own_files_is_refused_in_dutch(
    shared, cems_file, bram_account, cem_account, name
):
    as_account(bram_account, _plant_link, shared.with_name(name), cems_file)
    outcome = _run(cem_account, _find, shared, "cem", CEM, "Fatima")
    _untouched(cems_file, cem_account)
    assert f"{shared.with_name(name)} {REFUSED}" in _refused(outcome)


def test_a_link_at_the_key_files_lock_is_refused_and_what_it_points_at_untouched(
    shared, cems_file, bram_account, cem_account
):
    as_account(bram_account, _plant_link, crypto.key_lock_path(shared), cems_file)
    outcome = _run(cem_account, _change_passphrase, shared, "cem", CEM, "cem kiest een nieuwe zin")
    _untouched(cems_file, cem_account)
    assert REFUSED in _refused(outcome)
    # Nothing changed: cem's old passphrase still opens the register.
    as_account(cem_account, _find, shared, "cem", CEM, "Fatima")


def test_a_link_at_the_wrong_passphrase_counts_is_refused_before_anything_is_tried(
    shared, cems_file, bram_account, cem_account
):
    counts = shared.with_name("register.pogingen")
    as_account(bram_account, _plant_link, counts, cems_file)
    outcome = _run(cem_account, _wrong_passphrase, shared, "cem")
    assert f"{counts} {REFUSED}" in _refused(outcome)
    assert counts.is_symlink(), "left as bram made it, for the administrator to see"
    _untouched(cems_file, cem_account)


def _plant_journal(folder: Path, target: Path) -> None:
    """A journal as a restore writes one, but with renames and a staging folder that reach
    outside the register's folder."""
    (folder / "van-bram").write_bytes(b"bram zijn bestand\n")
    outside = os.path.relpath(target, folder)
    journal = {"staging": os.path.dirname(outside), "moves": [["van-bram", outside]]}
    planted = folder / "register.herstel.json"
    planted.write_text(json.dumps(journal))
    os.chmod(planted, 0o660)


def test_a_journal_planted_by_a_colleague_moves_and_removes_nothing_outside_the_folder(
    shared, cems_file, bram_account, cem_account
):
    as_account(bram_account, _plant_journal, shared.parent, cems_file)
    outcome = _run(cem_account, _find, shared, "cem", CEM, "Fatima")
    _untouched(cems_file, cem_account)
    assert "niet door wijkteam geschreven" in _refused(outcome, "RegisterError")
    assert (shared.parent / "van-bram").exists()


def test_a_link_at_the_journal_is_refused_and_what_it_points_at_untouched(
    shared, cems_file, bram_account, cem_account
):
    as_account(bram_account, _plant_link, shared.with_name("register.herstel.json"), cems_file)
    outcome = _run(cem_account, _find, shared, "cem", CEM, "Fatima")
    _untouched(cems_file, cem_account)
    assert REFUSED in _refused(outcome)


@pytest.fixture
def anna_only(shared: Path) -> Path:
    """A file of anna's (the test process) that the group would read if it were 0660."""
    private = shared.parent.parent / "anna-alleen.txt"
    private.write_bytes(SECRET)
    os.chown(private, -1, shared.parent.stat().st_gid)
    os.chmod(private, 0o600)
    return private


def _mode(path: Path) -> str:
    return f"{stat.S_IMODE(path.stat().st_mode):04o}"


def test_a_temporary_file_swapped_for_a_link_while_the_key_file_is_written_changes_nothing(
    shared, bram_account, anna_only, monkeypatch
):
    """bram replaces the key file's temporary file by a link the moment it is written (the
    race an attacker would run); anna's program must not give the link's target the group's
    mode, nor put the link in the key file's place."""
    real_fsync = os.fsync
    swapped: list[Path] = []

    def fsync_after_bram(fd: int) -> None:
        for entry in shared.parent.iterdir():
            if entry.name.endswith(".tmp") and not swapped:
                swapped.append(entry)
                as_account(bram_account, _plant_link, entry, anna_only)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_after_bram)
    refusal = ""
    try:
        _change_passphrase(shared, "anna", ANNA, "anna kiest een nieuwe zin")
    except WijkteamError as refused:
        refusal = str(refused)
    monkeypatch.undo()
    assert swapped, "the key file was written through a temporary file"
    assert _mode(anna_only) == "0600"
    assert anna_only.read_bytes() == SECRET
    assert REFUSED in refusal
    assert not crypto.key_file_path(shared).is_symlink()
    open_register(shared, "anna", ANNA).close()


def _migrations(path: Path, extra: str) -> Path:
    """Our migrations and one more, in a folder beside the register's."""
    folder = path.parent.parent / "migraties"
    folder.mkdir(exist_ok=True)
    return _extra_revision(folder, extra)


def _upgrade(path: Path) -> None:
    """Open with one more migration: the register is copied beside itself first."""
    added = 'op.add_column("clients", sa.Column("nickname", sa.String(40)))'
    open_register(path, "anna", ANNA, script_location=_migrations(path, added)).close()


def _failed_upgrade(path: Path) -> None:
    """A migration that fails: the copy made before it is put back."""
    broken = 'op.add_column("clients", sa.Column("nickname", sa.String(40)))\nraise RuntimeError'
    with pytest.raises(MigrationError):
        open_register(path, "anna", ANNA, script_location=_migrations(path, broken))


def _rekey_with_a_copy(path: Path) -> None:
    """A re-key after bram is switched off re-encrypts the copy beside the register too."""
    key = bytes(crypto.unlock(path, "anna", ANNA).db_key)
    source = connect_keyed(path, key)
    copy_database(source, path.with_name("register-voor-herstel-20261101T090000.db"), key)
    source.close()
    register = open_register(path, "anna", ANNA)
    deactivate_user(register, "bram")
    renew_key(register, "na het uitschakelen van bram")[0].close()


@pytest.mark.parametrize("step", [_upgrade, _failed_upgrade, _rekey_with_a_copy])
def test_no_mode_is_set_through_a_name_a_colleague_could_swap(
    shared, bram_account, anna_only, monkeypatch, step
):
    """Wherever the program would set a mode by a file's name in the register's folder, bram
    swaps that name for a link to anna's file just before (the race, won): the program must
    set modes on the files it made, not on what a name leads to a moment later."""
    real_chmod = os.chmod

    def chmod_after_bram(path: Any, mode: int, **options: Any) -> None:
        if Path(path).parent == shared.parent and not Path(path).is_symlink():
            as_account(bram_account, _plant_link, Path(path), anna_only)
        real_chmod(path, mode, **options)

    monkeypatch.setattr(os, "chmod", chmod_after_bram)
    try:
        step(shared)
    finally:  # also when the step failed: what did it do to anna's file?
        monkeypatch.undo()
        assert _mode(anna_only) == "0600"
        assert anna_only.read_bytes() == SECRET


def test_a_link_at_the_key_file_is_not_read_through_but_replaced_from_its_copy(
    shared, bram_account, cem_account, cems_file
):
    """bram puts a link to a key file of his choosing (here one cem keeps) in the key file's
    place; it is not read, the backup copy is used and the link replaced by a plain file."""
    keys = crypto.key_file_path(shared)
    copied = keys.read_bytes()
    cems_file.write_bytes(copied)
    as_account(bram_account, _plant_link, keys, cems_file)
    unlocked = as_account(cem_account, _warnings_at_unlock, shared)
    assert any("geen gewoon bestand (een symbolische koppeling?)" in w for w in unlocked)
    assert not keys.is_symlink() and keys.read_bytes() != b""
    assert cems_file.read_bytes() == copied and _mode(cems_file) == "0600"


def _warnings_at_unlock(path: Path) -> tuple[str, ...]:
    unlocked = crypto.unlock(path, "cem", CEM)
    unlocked.forget()
    return unlocked.warnings


def _export_own_client(path: Path, target: Path) -> tuple[int, int]:
    register = open_register(path, "cem", CEM)
    try:
        assert register.user is not None
        client = services.create_client(
            register, ClientInput(name="Henk Dijkstra", opened_on=TODAY,
                                  casemanager_id=register.user.id), TODAY,
        )  # fmt: skip
        export_agreements(register, client.id, "md", target, TODAY)
    finally:
        register.close()
    st = target.lstat()
    return st.st_uid, stat.S_IMODE(st.st_mode)


def _plant_file(at: Path, _to: Path) -> None:
    at.write_bytes(b"")
    os.chmod(at, 0o666)


@pytest.mark.parametrize("plant", [_plant_link, _plant_file], ids=["link", "file"])
def test_an_export_never_writes_into_a_temporary_file_a_colleague_planted(
    shared, cems_file, bram_account, cem_account, plant
):
    exchange = shared.parent.parent / "uitwisseling"
    exchange.mkdir()
    os.chown(exchange, -1, shared.parent.stat().st_gid)  # a folder the team shares
    os.chmod(exchange, 0o2770)
    target = exchange / "afspraken.md"
    planted = exchange / ".afspraken.md.wijkteam-tmp"  # the name an export used to write
    as_account(bram_account, plant, planted, cems_file)
    owner, mode = as_account(cem_account, _export_own_client, shared, target)
    assert (owner, f"{mode:04o}") == (cem_account.uid, "0600")
    assert b"Henk Dijkstra" in target.read_bytes()
    if planted.is_symlink():
        _untouched(cems_file, cem_account)
    else:
        assert planted.read_bytes() == b"", "bram's file got the export"
    assert not list(exchange.glob(".afspraken.md.*.wijkteam-tmp"))


def test_a_copys_key_file_swapped_for_a_link_is_replaced_not_written_through(
    shared, cems_file, bram_account, cem_account
):
    """A re-key writes the register's new key file beside each copy it re-encrypts; a link
    bram put in place of a copy's key file is replaced, its target not written."""
    key = bytes(crypto.unlock(shared, "anna", ANNA).db_key)
    copy = shared.with_name("register-voor-herstel-20261101T090000.db")
    source = connect_keyed(shared, key)
    copy_database(source, copy, key)
    source.close()
    as_account(bram_account, _plant_link, crypto.key_file_path(copy), cems_file)
    register = open_register(shared, "anna", ANNA)
    deactivate_user(register, "bram")
    register, pending = renew_key(register, "na het uitschakelen van bram")
    register.close()
    assert pending is None
    _untouched(cems_file, cem_account)
    assert not crypto.key_file_path(copy).is_symlink()
    kept = crypto.read_key_file(crypto.key_file_path(copy))
    assert kept.register_id == crypto.read_key_file(crypto.key_file_path(shared)).register_id


def test_a_link_at_the_key_files_backup_copy_makes_a_restore_refuse(
    shared, cems_file, bram_account, cem_account, tmp_path
):
    """restore keeps the current register's files under another name first (a hard link, or
    a copy on another file system); a link in place of one of them is refused, not followed
    into cem's file."""
    from wijkteam_tui.store.copies.backup import write_backup

    bundle = shared.parent.parent / "zondag.wkb"
    register = open_register(shared, "anna", ANNA)
    write_backup(register, bundle)
    register.close()
    os.chown(bundle, cem_account.uid, -1)
    as_account(bram_account, _plant_link, crypto.backup_key_file_path(shared), cems_file)
    outcome = _run(cem_account, _restore, bundle, shared)
    _untouched(cems_file, cem_account)
    assert not list(shared.parent.glob("*voor-herstel*"))
    assert REFUSED in _refused(outcome)


def _restore(bundle: Path, path: Path) -> None:
    """A restore in cem's Unix account; only a teamleider restores, so with anna's slot."""
    from wijkteam_tui.store.copies.backup import restore_backup

    restore_backup(bundle, path, "anna", ANNA, force=True)
