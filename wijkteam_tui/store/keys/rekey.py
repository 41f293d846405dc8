"""A new database key: after a user is deactivated, and when a key file of version 1 is converted.

What a deactivated person knew must open nothing any more: not their passphrase, not a copy of
the key file they kept, not the database key itself (anyone who opened the register could have
noted it). So the register gets a new random database key:

- every remaining slot gets the new key sealed to its own public key (no passphrase is needed,
  and the roles' grants stay valid);
- the database is copied into a new file under the new key with `sqlcipher_export` (in a
  staging folder beside it, then checked), and the new files are put in place with the restore
  journal (`store.journal`): a stop half-way is finished by the next program that opens the
  register, and at no moment is there no register;
- the copies kept beside the register (`-voor-bijwerken-`, `-voor-herstel-`) that the old key
  opens are re-encrypted under the new key too.

It needs the register to itself: while anyone else has it open (a colleague, a second window),
their program would go on writing into the old file. Then the deactivation stands (the slot is
gone) and the re-key is due: `db check` says so, and `wijkteam db rekey` does it later.

Back-ups written elsewhere with `wijkteam backup` keep the key they were made with; the README
says so.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AuthenticationError,
    KeyFileError,
    RegisterError,
    RoleError,
    WijkteamError,
    WrongPassphraseError,
)
from wijkteam_tui.store import files
from wijkteam_tui.store.audit.chain import Event
from wijkteam_tui.store.audit.log import record
from wijkteam_tui.store.erasure import copies_of
from wijkteam_tui.store.files import fsync_dir
from wijkteam_tui.store.keys.changes import one_time_passphrase
from wijkteam_tui.store.keys.keyfile import (
    LEGACY_VERSION,
    MAX_KEY_FILE_BYTES,
    RECOVERY_KIND,
    REKEY_DUE,
    USER_KIND,
    KeyFile,
    Slot,
)
from wijkteam_tui.store.keys.primitives import MAX_KDF_WORK, KdfCost, derive_key, new_database_key
from wijkteam_tui.store.keys.slots import (
    Unlocked,
    make_slot,
    new_recovery_key,
    normalise_recovery_key,
)
from wijkteam_tui.store.keys.storage import (
    backup_key_file_path,
    file_mac_ok,
    key_file_locked,
    key_file_path,
    key_file_problem,
    read_key_file,
    write_key_file,
)
from wijkteam_tui.store.keys.unlock import unlocked_with_key
from wijkteam_tui.store.opening import open_unlocked, prepare_for_new_key
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sqlite import faults, journal, lock
from wijkteam_tui.store.sqlite.connection import connect_keyed, integrity_problems


class OpenElsewhere(RegisterError):
    """Someone else has the register open: the database key cannot change now."""


OPEN_ELSEWHERE = (
    "Het register is nog geopend (door een collega, in een ander venster of een script);"
    " de databasesleutel kan pas worden vernieuwd als niemand het open heeft."
)


def rekey(db_path: Path, old_key: bytes, key_file_for: Callable[[bytes], KeyFile]) -> bytes:
    """Give the register a new database key; `key_file_for(new_key)` makes its key file.
    Returns the new key. Refuses (RegisterError) while any process has the register open."""
    held = lock.hold_alone(db_path)
    if held is None:
        raise OpenElsewhere(OPEN_ELSEWHERE + " Er is niets gewijzigd.")
    try:
        journal.finish_interrupted_restore(db_path)
        new_key = new_database_key()
        staging = Path(
            tempfile.mkdtemp(prefix=f"{journal.STAGING_PREFIX}{os.getpid()}-", dir=db_path.parent)
        )
        try:
            staged = staging / db_path.name
            _fold_wal(db_path, old_key)
            files.new_private_file(staged)
            _export(db_path, old_key, staged, new_key)
            # Nobody changes the key file between reading it here and the new one in place.
            with key_file_locked(db_path):
                generation = write_key_file(staged, key_file_for(new_key), new_key)
                _record_generation(staged, new_key, generation)
                fsync_dir(staging)
                moves = [
                    (key_file_path(staged), key_file_path(db_path)),
                    (backup_key_file_path(staged), backup_key_file_path(db_path)),
                    (staged, db_path),
                ]
                journal.write(db_path, staging, moves)
                journal.finish_interrupted_restore(db_path)
        except sqlcipher.Error as exc:
            # Before the journal: nothing was moved (a full disk, most likely).
            needed = db_path.stat().st_size
            raise faults.from_sqlite(exc, db_path) or faults.write_failed(
                staging / db_path.name, needed
            ) from exc
        finally:
            # Once the journal is written, the staged files are what it puts in place: they
            # stay until the moves are finished (by the next opening, if not here).
            if not journal.journal_path(db_path).exists():
                shutil.rmtree(staging, ignore_errors=True)
        _rekey_copies(db_path, old_key, new_key)
    finally:
        held.release()
    return new_key


def rekey_after_deactivation(db_path: Path, old_key: bytes) -> bytes:
    """The re-key that makes a deactivation complete: the same slots, the new key sealed in."""

    def resealed(new_key: bytes) -> KeyFile:
        current = read_key_file(key_file_path(db_path))
        if key_file_problem(key_file_path(db_path), old_key, current.register_id):
            raise KeyFileError(
                "Het sleutelbestand is niet in orde; open het register eerst gewoon (de"
                " reservekopie wordt dan gebruikt). Er is niets gewijzigd."
            )
        extra = {k: v for k, v in current.extra.items() if k != REKEY_DUE}
        return KeyFile(
            current.register_id, current.created_at, current.signer, current.slots, extra
        ).resealed(new_key)

    return rekey(db_path, old_key, resealed)


def renew_key(register: Register, reason: str) -> tuple[Register, str | None]:
    """Close `register`, give it a new database key (teamleider) and open it again under the
    new key, logging why; returns (the register opened again, None). When someone else has it
    open, it is opened again under the old key and the second part says that the re-key is
    still due."""
    register.require_teamleider("Alleen een teamleider vernieuwt de databasesleutel.")
    if register.server is not None:
        return _renew_on_server(register, reason)
    path, unlocked = register.path, register.unlocked
    user = unlocked.user
    # Copies outlive the close, which wipes the register's own buffers.
    old_key, keys = bytes(unlocked.db_key), bytes(unlocked.keys)
    register.close()
    try:
        key, pending = rekey_after_deactivation(path, old_key), None
    except OpenElsewhere:
        key, pending = old_key, OPEN_ELSEWHERE + " Dat gebeurt met 'wijkteam db rekey'."
    except (WijkteamError, OSError) as exc:
        # Nothing was moved (a full disk, a damaged copy): the register stays as it was.
        key, pending = old_key, f"De databasesleutel is niet vernieuwd: {exc}"
    reopened = open_unlocked(path, unlocked_with_key(path, key, user, keys), how="unlock")
    if pending is None:
        record(reopened, Event("rekey", "register", detail=f"databasesleutel vernieuwd {reason}"))
    return reopened, pending


def _fold_wal(db_path: Path, key: bytes) -> None:
    """Bring the write-ahead log into the database file and remove it, so that nothing of
    the old key's pages stays beside the new file."""
    conn = connect_keyed(db_path, key)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise OpenElsewhere(OPEN_ELSEWHERE + " Er is niets gewijzigd.")
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    finally:
        conn.close()


def _export(source: Path, old_key: bytes, target: Path, new_key: bytes) -> None:
    """Copy the database into `target` (an empty file made with its mode) under `new_key` and
    check the copy."""
    conn = connect_keyed(source, old_key, wal=False)
    try:
        conn.execute(f"ATTACH DATABASE ? AS rekeyed KEY \"x'{new_key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('rekeyed')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
        conn.execute("DETACH DATABASE rekeyed")
    finally:
        conn.close()
    copy = connect_keyed(target, new_key, wal=False)
    try:
        problems = integrity_problems(copy)
    finally:
        copy.close()
    if problems:
        raise RegisterError(
            f"De opnieuw versleutelde kopie is niet in orde ({problems[0]}); er is niets gewijzigd."
        )


def _record_generation(staged: Path, key: bytes, generation: int) -> None:
    conn = connect_keyed(staged, key, wal=False)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE team_settings SET key_generation = max(key_generation, ?) WHERE id = 1",
            (generation,),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def _rekey_copies(db_path: Path, old_key: bytes, new_key: bytes) -> None:
    """Re-encrypt the copies beside the register that the old key opens; the key files kept
    with a copy before a restore are replaced by the register's new one (replaced, never
    written through: a link put in a key file's place stays pointing at an untouched file)."""
    for copy in copies_of(db_path):
        try:
            connect_keyed(copy, old_key, wal=False, read_only=True).close()
        except (WijkteamError, OSError):
            continue  # another key: the copy of another register, or damaged
        fd, staged = files.temporary_beside(copy)
        os.close(fd)  # SQLite opens it by its name
        try:
            _export(copy, old_key, staged.path, new_key)
            staged.move_to(copy)
        except (sqlcipher.Error, WijkteamError, OSError):
            # No room for it (or it is damaged): a copy that the old key still opens must not
            # stay. The live register is complete and newer than any copy.
            staged.remove()
            copy.unlink()
            continue
        for kept in (key_file_path(copy), backup_key_file_path(copy)):
            if os.path.lexists(kept):
                files.atomic_write(kept, files.read_beside(key_file_path(db_path)))
    fsync_dir(db_path.parent)


# --- converting a key file of version 1 --------------------------------------------------------


@dataclass(frozen=True)
class Upgraded:
    """What `upgrade_legacy` hands out once: a new recovery key and the others' one-time
    passphrases (they choose their own at the next opening)."""

    recovery_key: str
    one_time: dict[str, str]
    new_key: bytes


def upgrade_legacy(db_path: Path, user: str, passphrase: str) -> Upgraded:
    """Convert a key file of version 1 (database key wrapped under each passphrase, roles not
    signed) by its teamleider: a signing key, new slots, a new recovery key, and a new database
    key, so that nothing the old file opened still opens."""
    path, document = _legacy_document(key_file_path(db_path), backup_key_file_path(db_path))
    register_id = str(document["register_id"])
    slots = [s for s in document["slots"] if isinstance(s, dict)]
    mine = next((s for s in slots if s.get("kind") == "user" and s.get("user") == user), None)
    if mine is None:
        raise AuthenticationError(f"Gebruiker '{user}' bestaat niet in dit register.")
    try:
        old_key = _open_legacy_slot(mine, register_id, passphrase)
    except (InvalidTag, KeyError, TypeError, ValueError):
        raise WrongPassphraseError(f"Wachtwoord onjuist voor gebruiker '{user}'.") from None
    if not file_mac_ok(path, old_key):
        raise KeyFileError(f"Het sleutelbestand {path} is gewijzigd buiten wijkteam om.")
    if mine.get("role") != Role.TEAMLEIDER.value:
        raise RoleError("Alleen een teamleider zet het sleutelbestand om.")
    # The passphrase stays what it was (it was checked when it was chosen; the demo keeps
    # its documented one); only how it is kept changes.
    signing_key = Ed25519PrivateKey.generate()
    signer = signing_key.public_key().public_bytes_raw()
    prepare_for_new_key(db_path, old_key, register_id, base64.b64encode(signer).decode("ascii"))
    recovery_key = new_recovery_key()
    others = {
        str(s["user"]): Role(s["role"])
        for s in slots
        if s.get("kind") == "user" and s.get("user") != user and s.get("role")
    }
    one_time = {name: one_time_passphrase() for name in others}

    def key_file_for(new_key: bytes) -> KeyFile:
        def slot(secret: str, kind: str, name: str | None, role: Role | None) -> Slot:
            return make_slot(
                register_id,
                signing_key,
                new_key,
                secret,
                kind=kind,
                user=name,
                role=role,
                must_change=kind == USER_KIND and name != user,
            )

        made = [
            slot(passphrase, USER_KIND, user, Role.TEAMLEIDER),
            slot(normalise_recovery_key(recovery_key), RECOVERY_KIND, None, None),
            *(slot(one_time[n], USER_KIND, n, role) for n, role in others.items()),
        ]
        extra = document.get("extra")
        created = str(document.get("created_at", ""))
        kept = dict(extra) if isinstance(extra, dict) else {}
        return KeyFile(register_id, created, signer, tuple(made), kept)

    new_key = rekey(db_path, old_key, key_file_for)
    register = open_unlocked(db_path, unlocked_with_key(db_path, new_key, user))
    try:
        done = "sleutelbestand omgezet naar versie 2 (ondertekende rollen); databasesleutel"
        record(register, Event("rekey", "register", detail=f"{done} vernieuwd"))
    finally:
        register.close()
    return Upgraded(recovery_key, one_time, new_key)


def _legacy_document(main: Path, backup: Path) -> tuple[Path, dict[str, Any]]:
    for path in (main, backup):
        try:
            document = json.loads(files.read_beside(path, MAX_KEY_FILE_BYTES))
        except (OSError, ValueError):
            continue
        if isinstance(document, dict) and document.get("version") == LEGACY_VERSION:
            return path, document
    raise KeyFileError(f"Het sleutelbestand {main} is niet van versie 1; er is niets om te zetten.")


def _open_legacy_slot(slot: dict[str, Any], register_id: str, passphrase: str) -> bytes:
    """The database key from a slot of version 1: AES-GCM under the passphrase's key, with the
    slot's header as associated data."""
    kdf = slot["kdf"]
    cost = KdfCost(int(kdf["iterations"]), int(kdf["lanes"]), int(kdf["memory_cost"]))
    if not (cost.iterations * cost.memory_cost <= MAX_KDF_WORK):
        raise ValueError("kdf parameters out of range")
    header: dict[str, Any] = {
        "register_id": register_id,
        "kind": slot["kind"],
        "user": slot["user"],
        "role": slot["role"],
        "kdf": kdf,
    }
    if slot.get("must_change"):
        header["must_change"] = True
    kek = derive_key(passphrase, base64.b64decode(str(kdf["salt"])), cost)
    aad = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    nonce = base64.b64decode(str(slot["nonce"]))
    return AESGCM(kek).decrypt(nonce, base64.b64decode(str(slot["wrapped_key"])), aad)


def _renew_on_server(register: Register, reason: str) -> tuple[Register, str | None]:
    """A new register key on a team server (after someone was switched off): every slot gets it
    sealed in and the audit chain's key is sealed with it, in one transaction; the register
    stays open, now holding the new key. What a switched-off person knew opens nothing: their
    role may not log in, and the key they may remember no longer fits the slots."""
    # Lazy: psycopg and the server's code only for a register on a team server.
    from wijkteam_tui.store.server.keystore import AUDIT_KEY, ServerKeys, seal_audit_key

    keys = register.keys
    assert isinstance(keys, ServerKeys)
    old = register.unlocked
    new_key = new_database_key()

    def resealed(current: KeyFile) -> KeyFile:
        extra = {k: v for k, v in current.extra.items() if k != REKEY_DUE}
        extra[AUDIT_KEY] = seal_audit_key(register.audit_key, new_key)
        return KeyFile(
            current.register_id, current.created_at, current.signer, current.slots, extra
        ).resealed(new_key)

    renewed, _ = keys.rewrite(bytes(old.db_key), resealed, new_key=new_key)
    register.unlocked = Unlocked(
        new_key, renewed, old.user, old.role, old.warnings, keys=bytes(old.keys)
    )
    old.forget()
    record(register, Event("rekey", "register", detail=f"registersleutel vernieuwd {reason}"))
    return register, None
