"""The key file: passphrases, recovery, damage and tampering."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import fingerprint, make_client
from wijkteam_tui.domain.accounts import passphrase_strength
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import AuthenticationError, KeyFileError, RoleError, UsageError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.models import User
from wijkteam_tui.store.opening import create_register, open_register

# Only on a local register: the key file beside a local register (a server keeps the slots in a
# table: test_server.py).
pytestmark = pytest.mark.local_only


def _files(path: Path) -> list[Path]:
    return [
        path,
        crypto.key_file_path(path),
        crypto.backup_key_file_path(path),
        path.with_name(path.name + "-wal"),
    ]


def _edit_key_file(path: Path, change, *, fix_checksum: bool) -> None:
    document = json.loads(path.read_text())
    change(document)
    if fix_checksum:
        body = {k: v for k, v in document.items() if k not in {"checksum", "mac"}}
        document["checksum"] = crypto.document_checksum(body)
    path.write_text(json.dumps(document, indent=2, sort_keys=True))


def test_wrong_passphrase_is_refused_at_the_slot_and_changes_nothing(new_register: NewRegister):
    new_register.register.close()
    before = fingerprint(*_files(new_register.path))
    with pytest.raises(AuthenticationError, match="Wachtwoord onjuist voor gebruiker 'anna'"):
        open_register(new_register.path, "anna", "verkeerd wachtwoord")
    assert fingerprint(*_files(new_register.path)) == before


def test_unknown_user_is_refused(new_register: NewRegister):
    with pytest.raises(AuthenticationError, match="bestaat niet"):
        crypto.unlock(new_register.path, "onbekend", PASSPHRASE)


def test_changing_a_passphrase_leaves_the_database_bytes_unchanged(new_register: NewRegister):
    path = new_register.path
    new_register.register.close()
    db_before = fingerprint(path)
    unlocked = crypto.unlock(path, "anna", PASSPHRASE)
    crypto.set_user_passphrase(path, unlocked, "anna", "een heel nieuw wachtwoord")
    assert fingerprint(path) == db_before
    with pytest.raises(AuthenticationError):
        crypto.unlock(path, "anna", PASSPHRASE)
    register = open_register(path, "anna", "een heel nieuw wachtwoord")
    assert register.user is not None and register.user.role is Role.TEAMLEIDER
    register.close()
    assert crypto.unlock_with_recovery_key(path, new_register.recovery_key).db_key


def test_adding_a_user_leaves_the_database_bytes_unchanged(new_register: NewRegister):
    path = new_register.path
    new_register.register.close()
    db_before = fingerprint(path)
    unlocked = crypto.unlock(path, "anna", PASSPHRASE)
    crypto.add_user_slot(path, unlocked, "bram", Role.MEDEWERKER, "wachtwoord van bram")
    assert fingerprint(path) == db_before

    register = open_register(path, "bram", "wachtwoord van bram")
    assert register.user is not None
    assert (register.user.name, register.user.role) == ("bram", Role.MEDEWERKER)
    with register.read() as session:
        assert session.query(User).filter_by(name="bram").one().role is Role.MEDEWERKER
    register.close()


def test_a_medewerker_cannot_add_users(new_register: NewRegister):
    path = new_register.path
    crypto.add_user_slot(
        path,
        crypto.unlock(path, "anna", PASSPHRASE),
        "bram",
        Role.MEDEWERKER,
        "bram zijn wachtwoord",
    )
    bram = crypto.unlock(path, "bram", "bram zijn wachtwoord")
    with pytest.raises(RoleError, match="Alleen een teamleider"):
        crypto.add_user_slot(path, bram, "cem", Role.TEAMLEIDER, "cem zijn wachtwoord")


def test_a_user_name_is_used_once_and_must_be_plain(new_register: NewRegister):
    unlocked = crypto.unlock(new_register.path, "anna", PASSPHRASE)
    with pytest.raises(UsageError, match="bestaat al"):
        crypto.add_user_slot(
            new_register.path, unlocked, "anna", Role.MEDEWERKER, "een goed wachtwoord"
        )
    with pytest.raises(UsageError, match="gebruikersnaam"):
        crypto.add_user_slot(
            new_register.path, unlocked, "", Role.MEDEWERKER, "een goed wachtwoord"
        )


def test_the_recovery_key_opens_and_sets_a_new_passphrase(new_register: NewRegister):
    path = new_register.path
    key = new_register.recovery_key.lower().replace("-", " ")
    unlocked = crypto.unlock_with_recovery_key(path, key)
    crypto.set_user_passphrase(path, unlocked, "anna", "vergeten en hersteld")
    assert crypto.unlock(path, "anna", "vergeten en hersteld").role is Role.TEAMLEIDER
    with pytest.raises(AuthenticationError, match="Herstelsleutel onjuist"):
        crypto.unlock_with_recovery_key(path, crypto.new_recovery_key())
    with pytest.raises(AuthenticationError, match="juiste vorm"):
        crypto.unlock_with_recovery_key(path, "ABCD-EFGH")


def _assert_repaired(path: Path, good: bytes) -> None:
    """The main key file holds the good contents again (one generation on), like its copy."""
    key_path = crypto.key_file_path(path)
    assert key_path.read_bytes() == crypto.backup_key_file_path(path).read_bytes()
    repaired, original = crypto.read_key_file(key_path), crypto.parse(good)
    assert repaired.slots == original.slots
    assert repaired.generation == original.generation + 1


def test_a_flipped_byte_in_the_key_file_falls_back_to_the_backup_copy(
    new_register: NewRegister,
):
    path = new_register.path
    key_path = crypto.key_file_path(path)
    good = key_path.read_bytes()
    damaged = bytearray(good)
    middle = good.index(b'"sealed_key"') + 20
    damaged[middle] ^= 0x01
    key_path.write_bytes(bytes(damaged))

    unlocked = crypto.unlock(path, "anna", PASSPHRASE)
    assert unlocked.warnings and "beschadigd" in unlocked.warnings[0]
    assert "reservekopie is gebruikt" in unlocked.warnings[0]
    _assert_repaired(path, good)


def test_a_key_file_damaged_in_both_copies_is_refused(new_register: NewRegister):
    path = new_register.path
    for copy in (crypto.key_file_path(path), crypto.backup_key_file_path(path)):
        _edit_key_file(
            copy, lambda d: d["slots"][0]["kdf"].update(iterations=2), fix_checksum=False
        )
    with pytest.raises(KeyFileError, match="beschadigd en er is geen bruikbare reservekopie"):
        crypto.unlock(path, "anna", PASSPHRASE)


def test_edited_slot_parameters_are_refused_and_the_backup_copy_is_used(
    new_register: NewRegister,
):
    path = new_register.path
    key_path = crypto.key_file_path(path)
    good = key_path.read_bytes()
    # A careful edit: lower the cost and recompute the checksum. The slot header is the AES-GCM
    # associated data, so the tag fails; the untouched backup copy is used and restores the file.
    _edit_key_file(key_path, lambda d: d["slots"][0]["kdf"].update(lanes=2), fix_checksum=True)
    unlocked = crypto.unlock(path, "anna", PASSPHRASE)
    assert "gewijzigd buiten wijkteam om" in unlocked.warnings[0]
    _assert_repaired(path, good)


def test_an_edited_role_cannot_make_a_medewerker_teamleider(new_register: NewRegister):
    path = new_register.path
    crypto.add_user_slot(
        path,
        crypto.unlock(path, "anna", PASSPHRASE),
        "bram",
        Role.MEDEWERKER,
        "bram zijn wachtwoord",
    )

    def promote(document: dict) -> None:
        for slot in document["slots"]:
            if slot["user"] == "bram":
                slot["role"] = "teamleider"

    for copy in (crypto.key_file_path(path), crypto.backup_key_file_path(path)):
        _edit_key_file(copy, promote, fix_checksum=True)
    with pytest.raises(AuthenticationError):
        crypto.unlock(path, "bram", "bram zijn wachtwoord")


def test_absurd_slot_parameters_are_refused_before_any_work(new_register: NewRegister):
    path = new_register.path
    for copy in (crypto.key_file_path(path), crypto.backup_key_file_path(path)):
        _edit_key_file(
            copy,
            lambda d: d["slots"][0]["kdf"].update(memory_cost=100 * 1024 * 1024),
            fix_checksum=True,
        )
    started = time.perf_counter()
    with pytest.raises(KeyFileError, match="ongeldige sleutelparameters"):
        crypto.unlock(path, "anna", PASSPHRASE)
    assert time.perf_counter() - started < 1


def test_an_edit_to_the_user_list_is_caught_by_the_file_mac(new_register: NewRegister):
    path = new_register.path
    key_path = crypto.key_file_path(path)
    # Removing the recovery slot keeps every remaining slot valid; only the MAC notices.
    _edit_key_file(key_path, lambda d: d["slots"].pop(), fix_checksum=True)
    unlocked = crypto.unlock(path, "anna", PASSPHRASE)
    assert unlocked.key_file.recovery_slot() is not None
    assert unlocked.warnings


def test_a_key_file_of_version_2_opens_and_is_written_as_version_3(new_register: NewRegister):
    from tests.helpers import as_version_2

    path = new_register.path
    db_key = bytes(new_register.register.unlocked.db_key)
    new_register.register.close()
    old = as_version_2(crypto.key_file_path(path).read_bytes(), db_key)
    for copy in (crypto.key_file_path(path), crypto.backup_key_file_path(path)):
        copy.write_bytes(old)
    unlocked = crypto.unlock(path, "anna", PASSPHRASE)
    assert unlocked.warnings == ()
    crypto.set_user_passphrase(path, unlocked, "anna", "het nieuwe wachtwoord")
    assert json.loads(crypto.key_file_path(path).read_text())["version"] == 3
    assert crypto.unlock(path, "anna", "het nieuwe wachtwoord").warnings == ()


def test_a_withheld_slot_is_checked_as_the_whole_and_cannot_be_swapped(
    new_register: NewRegister,
):
    """A colleague's slot with its encrypted keys replaced by their SHA-256 (as a team server
    shows it to a medewerker) keeps the document's checksum and MAC; another digest, or a
    slot that has both, does not."""
    register = new_register.register
    db_key = bytes(register.unlocked.db_key)
    raw = crypto.key_file_path(new_register.path).read_bytes()

    def withheld(document: dict, digest: str | None = None, keep: bool = False) -> bytes:
        slot = next(s for s in document["slots"] if s["user"] == "anna")
        real = hashlib.sha256(base64.b64decode(slot["secret"])).hexdigest()
        slot["secret_sha256"] = digest or real
        if not keep:
            del slot["secret"]
        return json.dumps(document).encode()

    shown = withheld(json.loads(raw))
    key_file, problem = crypto.parse_key_document(shown)
    assert problem is None and key_file.user_slot("anna").withheld
    assert crypto.mac_ok(shown, db_key)
    with pytest.raises(KeyFileError):  # nobody opens a slot whose keys are not there
        crypto.open_user_slot(key_file, shown, "anna", PASSPHRASE)
    swapped = json.loads(shown)
    next(s for s in swapped["slots"] if s["user"] == "anna")["secret_sha256"] = "0" * 64
    swapped["checksum"] = crypto.document_checksum(
        {k: v for k, v in swapped.items() if k not in {"checksum", "mac"}}
    )
    assert crypto.parse_key_document(json.dumps(swapped).encode())[1] is None
    assert not crypto.mac_ok(json.dumps(swapped).encode(), db_key)
    both = withheld(json.loads(raw), keep=True)
    assert crypto.parse_key_document(both) == (None, "beschadigd")


def test_a_stale_backup_copy_does_not_bring_back_an_old_passphrase(new_register: NewRegister):
    path = new_register.path
    old_copy = crypto.key_file_path(path).read_bytes()
    crypto.set_user_passphrase(
        path, crypto.unlock(path, "anna", PASSPHRASE), "anna", "het nieuwe wachtwoord"
    )
    # As if the write stopped between the main file and its backup copy.
    crypto.backup_key_file_path(path).write_bytes(old_copy)
    with pytest.raises(AuthenticationError, match="Wachtwoord onjuist"):
        crypto.unlock(path, "anna", PASSPHRASE)
    assert crypto.backup_key_file_path(path).read_bytes() == crypto.key_file_path(path).read_bytes()
    assert crypto.unlock(path, "anna", "het nieuwe wachtwoord").warnings == ()


def test_a_missing_key_file_is_named(new_register: NewRegister):
    path = new_register.path
    crypto.key_file_path(path).unlink()
    crypto.backup_key_file_path(path).unlink()
    with pytest.raises(KeyFileError, match="Geen sleutelbestand gevonden"):
        crypto.unlock(path, "anna", PASSPHRASE)


def test_production_parameters_unlock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("WIJKTEAM_KDF")
    path = tmp_path / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    register.close()
    key_file = crypto.read_key_file(crypto.key_file_path(path))
    assert {slot.cost for slot in key_file.slots} == {crypto.PRODUCTION_KDF}
    started = time.perf_counter()
    register = open_register(path, "anna", PASSPHRASE)
    unlock_seconds = time.perf_counter() - started
    with register.write() as session:
        session.add(make_client("P1", "Productie Proef"))
    register.close()
    # The production cost is really paid (how long it takes is measured in benchmarks/).
    assert unlock_seconds > 0.1


def test_short_passphrases_are_refused(tmp_path: Path):
    with pytest.raises(UsageError, match="minstens 12 tekens"):
        create_register(tmp_path / "register.db", "anna", "abc")
    assert list(tmp_path.iterdir()) == []


def test_passphrase_strength_hint():
    assert passphrase_strength("abc123").startswith("te zwak")
    assert passphrase_strength("aaaaaaaaaaaaaaaa").startswith("te zwak")
    assert passphrase_strength("Zomer2026Zomer").startswith("voldoende")
    assert passphrase_strength("paard batterij nietje correct") == "sterk"
