"""A key file older than the register is refused: putting back an old copy does not bring an
old passphrase back, and cannot be rewritten into a newer one. Two changes of the key file at
the same moment both land."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import keep_key_files, put_back_key_files, run_cli
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import KeyFileError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.opening import open_register

# Only on a local register: key file copies put back beside a local register.
pytestmark = pytest.mark.local_only

NEW = "een heel nieuw wachtwoord"


def test_an_old_key_file_put_back_is_refused(new_register: NewRegister, tmp_path: Path):
    path = new_register.path
    new_register.register.close()
    keep_key_files(path, tmp_path / "oud")
    env = {"WIJKTEAM_PASSPHRASE": PASSPHRASE, "WIJKTEAM_NEW_PASSPHRASE": NEW}
    changed = run_cli("passwd", "--db", str(path), "--user", "anna", env=env)
    assert changed.returncode == 0, changed.stderr
    open_register(path, "anna", NEW).close()
    put_back_key_files(path, tmp_path / "oud")
    with pytest.raises(KeyFileError, match="ouder dan het register"):
        open_register(path, "anna", PASSPHRASE)
    # Nor can the old file be rewritten, generation by generation, into a newer one.
    for _ in range(3):
        again = run_cli("passwd", "--db", str(path), "--user", "anna", env=env)
        assert again.returncode != 0
        assert "ouder dan het register" in again.stderr
    with pytest.raises(KeyFileError):
        open_register(path, "anna", PASSPHRASE)
    checked = run_cli("db", "check", "--db", str(path), "--user", "anna", env=env)
    assert checked.returncode == 1
    assert "is ouder dan het register" in checked.stdout


def test_two_changes_at_once_both_land(new_register: NewRegister):
    path = new_register.path
    unlocked = crypto.unlock(path, "anna", PASSPHRASE)
    start = threading.Barrier(2)

    def add(name: str) -> None:
        start.wait()
        crypto.add_user_slot(path, unlocked, name, Role.MEDEWERKER, f"{name} zijn wachtwoord")

    threads = [threading.Thread(target=add, args=(name,)) for name in ("bram", "cees")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    users = dict(crypto.read_key_file(crypto.key_file_path(path)).users())
    assert {"anna", "bram", "cees"} <= set(users)


def test_the_one_time_flag_cannot_be_edited_away_even_with_the_key(new_register: NewRegister):
    import dataclasses

    from wijkteam_tui.errors import WrongPassphraseError
    from wijkteam_tui.store.files import atomic_write

    path = new_register.path
    anna = crypto.unlock(path, "anna", PASSPHRASE)
    crypto.add_user_slot(path, anna, "bram", Role.MEDEWERKER, "bram zijn wachtwoord")
    _, one_time = crypto.reset_user_passphrase(path, anna, "bram")
    key_file = crypto.read_key_file(crypto.key_file_path(path))
    slot = key_file.user_slot("bram")
    assert slot is not None and slot.must_change
    edited = key_file.with_slot(dataclasses.replace(slot, must_change=False))
    data = crypto.key_document(edited, bytes(anna.db_key))  # a valid file MAC: the key is known
    atomic_write(crypto.key_file_path(path), data)
    atomic_write(crypto.backup_key_file_path(path), data)
    with pytest.raises(WrongPassphraseError):
        crypto.unlock(path, "bram", one_time)
