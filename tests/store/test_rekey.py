"""Revocation: deactivating a user gives the register a new database key, so that nothing the
deactivated person knew (passphrase, a kept key file, the database key) opens it; and roles are
signed, so that someone who holds the key cannot raise their own."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import secrets
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import keep_key_files, make_client, put_back_key_files, run_cli
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import AuthenticationError, KeyFileError, RoleError, WijkteamError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.audit.models import AuditEvent
from wijkteam_tui.store.keys import rekey
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.sqlite import journal
from wijkteam_tui.store.sqlite.connection import connect_keyed, copy_database
from wijkteam_tui.store.users import deactivate_user

# Only on a local register: re-encrypting a local SQLCipher file with a new key.
pytestmark = pytest.mark.local_only

BRAM = "bram zijn wachtwoord"
CEM = "cem zijn wachtwoord"


def _team(new_register: NewRegister) -> Path:
    """anna (teamleider) with medewerkers bram and cem, and one client."""
    path = new_register.path
    anna = crypto.unlock(path, "anna", PASSPHRASE)
    crypto.add_user_slot(path, anna, "bram", Role.MEDEWERKER, BRAM)
    crypto.add_user_slot(path, anna, "cem", Role.MEDEWERKER, CEM)
    with new_register.register.write() as session:
        session.add(make_client("100001", "Mevrouw Rekeytest"))
    new_register.register.close()
    return path


def _opens(path: Path, key: bytes) -> bool:
    try:
        connect_keyed(path, key, wal=False, read_only=True).close()
    except WijkteamError:
        return False
    return True


def test_deactivation_rekeys_so_nothing_the_person_knew_opens_the_register(
    new_register: NewRegister, tmp_path: Path
):
    path = _team(new_register)
    old_key = bytes(crypto.unlock(path, "bram", BRAM).db_key)
    keep_key_files(path, tmp_path / "bram-bewaard")
    # A copy beside the register under the same key, as an upgrade leaves one.
    before_upgrade = path.with_name("register-voor-bijwerken-20261101T090000.db")
    source = connect_keyed(path, old_key)
    copy_database(source, before_upgrade, old_key)
    source.close()

    register = open_register(path, "anna", PASSPHRASE)
    deactivate_user(register, "bram")
    assert crypto.read_key_file(crypto.key_file_path(path)).rekey_due == ["bram"]
    register, pending = rekey.renew_key(register, "na het uitschakelen van bram")
    try:
        assert pending is None
        new_key = bytes(register.unlocked.db_key)
        with register.read() as session:
            assert session.scalar(select(Client.name)) == "Mevrouw Rekeytest"
        assert log.verify(register).broken_at is None
        with register.read() as session:
            actions = list(session.scalars(select(AuditEvent.action)))
        assert "rekey" in actions
    finally:
        register.close()

    assert new_key != old_key
    assert crypto.read_key_file(crypto.key_file_path(path)).rekey_due == []
    # The old database key opens neither the register nor the copy beside it; the new does.
    assert not _opens(path, old_key)
    assert not _opens(before_upgrade, old_key)
    assert _opens(path, new_key) and _opens(before_upgrade, new_key)
    # bram's passphrase opens nothing; his kept key file does not bring him back.
    with pytest.raises(AuthenticationError):
        crypto.unlock(path, "bram", BRAM)
    put_back_key_files(path, tmp_path / "bram-bewaard")
    with pytest.raises(WijkteamError):
        open_register(path, "bram", BRAM)


def test_the_others_keep_their_passphrases_through_a_rekey(new_register: NewRegister):
    path = _team(new_register)
    register = open_register(path, "anna", PASSPHRASE)
    deactivate_user(register, "bram")
    rekey.renew_key(register, "test")[0].close()
    open_register(path, "cem", CEM).close()
    recovered = crypto.unlock_with_recovery_key(path, new_register.recovery_key)
    assert _opens(path, bytes(recovered.db_key))


def test_while_a_colleague_has_it_open_the_rekey_waits_and_db_rekey_does_it_later(
    new_register: NewRegister,
):
    path = _team(new_register)
    cem = open_register(path, "cem", CEM)
    register = open_register(path, "anna", PASSPHRASE)
    old_key = bytes(register.unlocked.db_key)
    deactivate_user(register, "bram")
    register, pending = rekey.renew_key(register, "test")
    register.close()
    assert pending and "nog geopend" in pending and "wijkteam db rekey" in pending
    assert _opens(path, old_key)  # nothing changed but the slot
    with pytest.raises(AuthenticationError):
        crypto.unlock(path, "bram", BRAM)
    env = {"WIJKTEAM_PASSPHRASE": PASSPHRASE}
    checked = run_cli("db", "check", "--db", str(path), "--user", "anna", env=env)
    assert "bram" in checked.stdout and "db rekey" in checked.stdout
    cem.close()

    done = run_cli("db", "rekey", "--db", str(path), "--user", "anna", env=env)
    assert done.returncode == 0, done.stderr
    assert not _opens(path, old_key)
    assert crypto.read_key_file(crypto.key_file_path(path)).rekey_due == []
    open_register(path, "cem", CEM).close()


def test_a_rekey_stopped_half_way_is_finished_by_the_next_opening(
    new_register: NewRegister, monkeypatch: pytest.MonkeyPatch
):
    path = _team(new_register)
    finish = journal.finish_interrupted_restore
    calls = []

    def stop_after_the_journal(db_path: Path) -> None:
        calls.append(db_path)
        if len(calls) == 2:  # the first call tidies up; the second would do the moves
            raise KeyboardInterrupt

    register = open_register(path, "anna", PASSPHRASE)
    old_key = bytes(register.unlocked.db_key)
    register.close()
    monkeypatch.setattr(rekey.journal, "finish_interrupted_restore", stop_after_the_journal)
    with pytest.raises(KeyboardInterrupt):
        rekey.rekey_after_deactivation(path, old_key)
    monkeypatch.setattr(rekey.journal, "finish_interrupted_restore", finish)
    assert journal.journal_path(path).exists()
    # The old files are still in place; the next opening finishes the moves first.
    register = open_register(path, "cem", CEM)
    try:
        assert bytes(register.unlocked.db_key) != old_key
        with register.read() as session:
            assert session.scalar(select(Client.number)) == "100001"
    finally:
        register.close()
    assert not journal.journal_path(path).exists()


def test_a_medewerker_slot_edited_to_teamleider_with_the_real_key_is_refused(
    new_register: NewRegister,
):
    path = _team(new_register)
    bram = crypto.unlock(path, "bram", BRAM)
    key_file, db_key = bram.key_file, bytes(bram.db_key)
    slot = key_file.user_slot("bram")
    assert slot is not None
    # With his passphrase and the database key he re-encrypts his own slot as teamleider
    # and rewrites the whole file with a valid checksum and MAC.
    raised = dataclasses.replace(slot, role=Role.TEAMLEIDER.value)
    forged = crypto.lock_slot(raised, key_file.register_id, key_file.signer, BRAM, bram.keys)
    crypto.write_key_file(path, key_file.with_slot(forged), db_key)
    with pytest.raises(KeyFileError, match="niet ondertekend door een teamleider"):
        crypto.unlock(path, "bram", BRAM)
    # The others see that the file holds an unsigned role.
    anna = crypto.unlock(path, "anna", PASSPHRASE)
    assert any("bram" in w and "ondertekening" in w for w in anna.warnings)


def test_a_key_file_re_signed_with_a_key_of_ones_own_is_refused(new_register: NewRegister):
    path = _team(new_register)
    bram = crypto.unlock(path, "bram", BRAM)
    key_file, db_key = bram.key_file, bytes(bram.db_key)
    # bram makes a signing key of his own, puts it in the file, signs every role with it,
    # and makes himself teamleider holding that key.
    own = Ed25519PrivateKey.generate()
    signer = own.public_key().public_bytes_raw()
    slots = []
    for original in key_file.slots:
        role = Role.TEAMLEIDER.value if original.user == "bram" else original.role
        slot = dataclasses.replace(original, role=role)
        slot = dataclasses.replace(slot, grant=own.sign(slot.grant_message(key_file.register_id)))
        if slot.user == "bram":
            keys = bytes(bram.keys) + own.private_bytes_raw()
            slot = crypto.lock_slot(slot, key_file.register_id, signer, BRAM, keys)
        slots.append(slot)
    forged = dataclasses.replace(key_file, signer=signer, slots=tuple(slots))
    crypto.write_key_file(path, forged, db_key)
    # His own slot now opens as teamleider, but the register knows its signer.
    assert crypto.unlock(path, "bram", BRAM).role is Role.TEAMLEIDER
    with pytest.raises(KeyFileError, match="andere sleutel dan dit register kent"):
        open_register(path, "bram", BRAM)
    # And nobody else's slot opens any more: the forgery cannot stay unnoticed.
    with pytest.raises(AuthenticationError):
        crypto.unlock(path, "anna", PASSPHRASE)


def test_passwd_keeps_the_grant_and_a_reset_gets_a_new_one(new_register: NewRegister):
    path = _team(new_register)
    bram = crypto.unlock(path, "bram", BRAM)
    before = bram.key_file.user_slot("bram")
    crypto.set_user_passphrase(path, bram, "bram", "bram zijn nieuwe wachtwoord")
    after = crypto.read_key_file(crypto.key_file_path(path)).user_slot("bram")
    assert before is not None and after is not None
    assert after.box_public == before.box_public and after.grant == before.grant
    anna = crypto.unlock(path, "anna", PASSPHRASE)
    _, one_time = crypto.reset_user_passphrase(path, anna, "bram")
    reset = crypto.read_key_file(crypto.key_file_path(path))
    slot = reset.user_slot("bram")
    assert slot is not None and slot.box_public != before.box_public and reset.grant_ok(slot)
    # A medewerker holds no signing key and cannot grant anyone a role.
    with pytest.raises(RoleError):
        crypto.unlock(path, "cem", CEM).signing_key()
    assert crypto.unlock(path, "bram", one_time, one_time_ok=True).role is Role.MEDEWERKER


# --- a key file of version 1 -----------------------------------------------------------------


def _legacy_slot(register_id: str, db_key: bytes, secret: str, **who: str | None) -> dict:
    cost = crypto.TEST_KDF
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kdf = {
        "name": "argon2id",
        "salt": base64.b64encode(salt).decode(),
        "iterations": cost.iterations,
        "lanes": cost.lanes,
        "memory_cost": cost.memory_cost,
    }
    header = {"register_id": register_id, "kdf": kdf, **who}
    aad = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    wrapped = AESGCM(crypto.derive_key(secret, salt, cost)).encrypt(nonce, db_key, aad)
    return {
        **who,
        "kdf": kdf,
        "nonce": base64.b64encode(nonce).decode(),
        "wrapped_key": base64.b64encode(wrapped).decode(),
    }


def _write_legacy_key_file(path: Path, db_key: bytes, recovery_key: str) -> None:
    """The key file as version 1 wrote it: no signer, every slot wrapping the database key."""
    current = crypto.read_key_file(crypto.key_file_path(path))
    rid, recovery = current.register_id, crypto.normalise_recovery_key(recovery_key)
    body = {
        "format": crypto.FORMAT,
        "version": 1,
        "register_id": current.register_id,
        "created_at": current.created_at,
        "slots": [
            _legacy_slot(rid, db_key, PASSPHRASE, kind="user", user="anna", role="teamleider"),
            _legacy_slot(rid, db_key, BRAM, kind="user", user="bram", role="medewerker"),
            _legacy_slot(rid, db_key, recovery, kind="recovery", user=None, role=None),
        ],
        "extra": dict(current.extra),
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    mac_key = crypto.derive_subkey(db_key, "wijkteam key file mac")
    document = {
        **body,
        "checksum": hashlib.sha256(canonical).hexdigest(),
        "mac": hmac.new(mac_key, canonical, hashlib.sha256).hexdigest(),
    }
    for copy in (crypto.key_file_path(path), crypto.backup_key_file_path(path)):
        copy.write_text(json.dumps(document, indent=2, sort_keys=True))


def test_a_key_file_of_version_1_is_converted_by_db_upgrade(new_register: NewRegister):
    path = new_register.path
    with new_register.register.write() as session:
        session.add(make_client("100001", "Mevrouw Versie-een"))
    old_key = bytes(new_register.register.unlocked.db_key)
    new_register.register.close()
    _write_legacy_key_file(path, old_key, new_register.recovery_key)

    with pytest.raises(KeyFileError, match=r"oudere versie.*wijkteam db upgrade"):
        crypto.unlock(path, "bram", BRAM)
    env = {"WIJKTEAM_PASSPHRASE": BRAM}
    refused = run_cli("db", "upgrade", "--db", str(path), "--user", "bram", env=env)
    assert refused.returncode != 0 and "teamleider" in refused.stderr
    env = {"WIJKTEAM_PASSPHRASE": PASSPHRASE}
    done = run_cli("db", "upgrade", "--db", str(path), "--user", "anna", env=env)
    assert done.returncode == 0, done.stderr
    assert "NIEUWE HERSTELSLEUTEL" in done.stdout
    one_time = done.stdout.split("Eenmalig wachtwoord voor bram: ")[1].split()[0]
    recovery = done.stdout.split("NIEUWE HERSTELSLEUTEL")[1].split("\n")[1].strip()

    assert not _opens(path, old_key)
    register = open_register(path, "anna", PASSPHRASE)
    try:
        assert log.verify(register).broken_at is None
        with register.read() as session:
            assert session.scalar(select(Client.name)) == "Mevrouw Versie-een"
    finally:
        register.close()
    with pytest.raises(AuthenticationError, match="eenmalig wachtwoord"):
        crypto.unlock(path, "bram", one_time)
    with pytest.raises(AuthenticationError):
        crypto.unlock_with_recovery_key(path, new_register.recovery_key)
    assert _opens(path, bytes(crypto.unlock_with_recovery_key(path, recovery).db_key))
