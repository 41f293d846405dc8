"""The key file: the database key, sealed once per user and once for the recovery key.

`register.db` is encrypted by SQLCipher with a random 256-bit raw key. That key never leaves
memory unsealed; the key file beside the database (`register.keys`) holds it once per *slot*:

- a slot per user, opened by that user's passphrase, and one recovery slot, opened by the
  recovery key shown once at `init`;
- each slot has its own X25519 key pair. The database key is sealed to the slot's public key
  (so a teamleider can give every remaining slot a new database key without knowing anyone's
  passphrase: see `store.rekey`), and the private key is encrypted under a key derived from the
  passphrase with Argon2id (parameters and salt in the slot) with AES-256-GCM; the slot's
  header (register id, signer, kind, user, role, public key, KDF parameters) is the associated
  data, so editing any of it fails at the tag;
- every slot's role is *granted*: signed with the register's Ed25519 key, whose private half is
  kept only in teamleider slots and the recovery slot. A role without a valid grant is refused
  at unlock, so someone who holds the database key still cannot raise their own role;
- the whole file carries a SHA-256 checksum (finds a damaged file before any passphrase is
  asked) and an HMAC keyed from the database key (finds an edited file once a slot is open).
  Both cover each slot's encrypted private keys by their SHA-256 (version 3), so that a team
  server can withhold a colleague's slot from a medewerker, against guessing their passphrase
  offline, and the medewerker can still check the document and change their own slot;
- it is written atomically (temp file, fsync, rename) and then copied the same way to
  `register.keys.bak`, which is used when the main file turns out damaged.

A wrong passphrase fails at the slot's tag: the database is never touched. Wrong tries in a row
are counted per user beside the register (`store.attempts`); after a few, the next try must
wait, and is refused before any key is derived.

Version 1 of the file (before signed roles) wrapped the database key directly under each
passphrase; it is converted once by a teamleider with `wijkteam db upgrade` (`store.rekey`).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from wijkteam_tui.domain.accounts import (
    seconds_text,
    validate_new_user_name,
    validate_passphrase,
    validate_user_name,
)
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AuthenticationError,
    KeyFileError,
    OneTimePassphraseError,
    RoleError,
    TooManyAttemptsError,
    UsageError,
    WrongPassphraseError,
)
from wijkteam_tui.store import attempts, journal, lock
from wijkteam_tui.store.files import NotAPlainFileError, atomic_write, open_beside, read_beside

FORMAT = "wijkteam-sleutelbestand"
#: The documented passphrase of the demo register (`wijkteam demo`), which holds only
#: generated, fictitious people.
DEMO_PASSPHRASE = "demo"
#: Version 3: the checksum and the MAC cover each slot's encrypted private keys by their
#: SHA-256 (`_covered`), so that a document with colleagues' slots withheld (what a team server
#: shows a medewerker, store/server_roles.py) is checked, and changed, as the whole.
FORMAT_VERSION = 3
#: Version 2 covered the slots' encrypted keys themselves; still read, written as version 3.
WHOLE_FORM_VERSION = 2
#: The version before signed roles and sealed slots; only `db upgrade` reads it (store/rekey.py).
LEGACY_VERSION = 1
DB_KEY_BYTES = 32
RECOVERY_KEY_BYTES = 20
#: A slot's private keys: its X25519 key, and for a teamleider or the recovery slot also the
#: seed of the register's Ed25519 signing key.
BOX_KEY_BYTES = 32
SIGNING_SEED_BYTES = 32
#: A sealed database key: ephemeral X25519 public key, nonce, AES-GCM ciphertext and tag.
SEALED_BYTES = 32 + 12 + DB_KEY_BYTES + 16
GRANT_BYTES = 64
RECOVERY_KIND = "recovery"
USER_KIND = "user"
#: Key file extra: who was deactivated since the database key last changed.
REKEY_DUE = "rekey_due"

#: The one test setting: `WIJKTEAM_KDF=test` makes new slots use very light Argon2id
#: parameters so that the test suite stays fast. Slots keep their own parameters, so a
#: register made with the test setting can only be told apart by its weak slots.
KDF_PROFILE_ENV = "WIJKTEAM_KDF"


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost: passes over memory, parallel lanes, memory in KiB."""

    iterations: int
    lanes: int
    memory_cost: int


#: ~0.5 s on the 2-core reference machine (see README, "Gemeten"); 64 MiB keeps the TUI's
#: peak memory low while the passes make guessing expensive.
PRODUCTION_KDF = KdfCost(iterations=16, lanes=4, memory_cost=64 * 1024)
TEST_KDF = KdfCost(iterations=1, lanes=1, memory_cost=64)

#: The most a slot may ask of the key derivation: an edited key file that asks for 4 GiB and
#: 1000 passes would keep the program busy for hours. At most 1 GiB, 64 passes and 16 lanes,
#: and at most 4x the work (passes x memory) of the production setting: about 2 s here.
MAX_KDF = KdfCost(iterations=64, lanes=16, memory_cost=1024 * 1024)
MAX_KDF_WORK = 4 * PRODUCTION_KDF.iterations * PRODUCTION_KDF.memory_cost
#: Limits on the file itself, checked before and while it is parsed.
MAX_KEY_FILE_BYTES = 256 * 1024
MAX_SLOTS = 256


def new_slot_cost() -> KdfCost:
    """The Argon2id cost for slots written now: production, unless the test suite runs.

    The light test setting is honoured only while pytest drives the program (it sets
    PYTEST_CURRENT_TEST, also for the processes a test starts), so that a stray
    WIJKTEAM_KDF=test in someone's environment cannot make a register with weak slots."""
    under_tests = "PYTEST_CURRENT_TEST" in os.environ
    return TEST_KDF if under_tests and os.environ.get(KDF_PROFILE_ENV) == "test" else PRODUCTION_KDF


def _weaker(cost: KdfCost, than: KdfCost) -> bool:
    return cost.iterations < than.iterations or cost.memory_cost < than.memory_cost


@dataclass(frozen=True)
class Slot:
    """One sealed copy of the database key, with the private key that opens it."""

    kind: str
    user: str | None
    role: str | None
    salt: bytes
    cost: KdfCost
    #: The slot's X25519 public key; the database key is sealed to it.
    box_public: bytes
    #: The database key sealed to `box_public`: ephemeral public key, nonce, ciphertext.
    sealed_key: bytes
    #: The slot's private keys (see BOX_KEY_BYTES), AES-GCM under the key derived from the
    #: passphrase, with the header as associated data: nonce, then ciphertext.
    secret: bytes
    #: The register's Ed25519 signature over the slot's register, kind, user, role and public
    #: key: the role holds only with it.
    grant: bytes
    #: A one-time passphrase set by a teamleider: the user must choose their own before the
    #: register opens (part of the authenticated header, so it cannot be edited away).
    must_change: bool = False
    #: When `secret` is withheld (a colleague's slot as a team server shows it to a
    #: medewerker): its SHA-256 in hex, which the MAC covers; `secret` is then empty.
    withheld: str = ""

    def header(self, register_id: str, signer: bytes) -> bytes:
        """The authenticated header: everything about the slot but its ciphertexts."""
        fields: dict[str, Any] = {
            "register_id": register_id,
            "signer": _b64(signer),
            "kind": self.kind,
            "user": self.user,
            "role": self.role,
            "box_public": _b64(self.box_public),
            "kdf": _kdf_json(self.salt, self.cost),
        }
        if self.must_change:
            fields["must_change"] = True
        return _canonical(fields)

    def grant_message(self, register_id: str) -> bytes:
        """What the register's signing key signs to grant this slot its role."""
        return _canonical(
            {
                "purpose": "wijkteam rol",
                "register_id": register_id,
                "kind": self.kind,
                "user": self.user,
                "role": self.role,
                "box_public": _b64(self.box_public),
            }
        )

    @property
    def holds_signing_key(self) -> bool:
        """Teamleider slots and the recovery slot keep the register's signing key."""
        return self.kind == RECOVERY_KIND or self.role == Role.TEAMLEIDER.value


@dataclass(frozen=True)
class KeyFile:
    """The parsed key file."""

    register_id: str
    created_at: str
    #: The register's Ed25519 public key: every slot's grant must verify under it.
    signer: bytes
    slots: tuple[Slot, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def user_slot(self, user: str) -> Slot | None:
        return next((s for s in self.slots if s.kind == USER_KIND and s.user == user), None)

    def recovery_slot(self) -> Slot | None:
        return next((s for s in self.slots if s.kind == RECOVERY_KIND), None)

    def users(self) -> list[tuple[str, Role]]:
        """(name, role) of every user who has a slot, in the order they were added."""
        return [
            (s.user, Role(s.role)) for s in self.slots if s.kind == USER_KIND and s.user and s.role
        ]

    def with_slot(self, slot: Slot) -> KeyFile:
        """A copy with `slot` replacing the slot of the same kind and user, or added."""
        kept = tuple(s for s in self.slots if (s.kind, s.user) != (slot.kind, slot.user))
        return dataclasses.replace(self, slots=(*kept, slot))

    def without_user(self, user: str) -> KeyFile:
        """A copy without the slot of `user`."""
        kept = tuple(s for s in self.slots if not (s.kind == USER_KIND and s.user == user))
        return dataclasses.replace(self, slots=kept)

    def with_extra(self, **values: Any) -> KeyFile:
        return dataclasses.replace(self, extra={**self.extra, **values})

    def resealed(self, db_key: bytes | bytearray) -> KeyFile:
        """A copy in which every slot holds `db_key` (a new database key): sealed to each
        slot's public key, so no passphrase is needed and every grant stays valid."""
        slots = tuple(
            dataclasses.replace(s, sealed_key=_seal(db_key, s.box_public, self.register_id))
            for s in self.slots
        )
        return dataclasses.replace(self, slots=slots)

    def grant_ok(self, slot: Slot) -> bool:
        """Whether the slot's role is signed by this register's signing key."""
        try:
            Ed25519PublicKey.from_public_bytes(self.signer).verify(
                slot.grant, slot.grant_message(self.register_id)
            )
        except (InvalidSignature, ValueError):
            return False
        return True

    def unsigned(self) -> list[str]:
        """Who holds a slot whose role no teamleider of this register signed (an edit)."""
        return [s.user or "herstelsleutel" for s in self.slots if not self.grant_ok(s)]

    @property
    def rekey_due(self) -> list[str]:
        """Who was deactivated while the database key could not be renewed (store/rekey.py):
        until it is, what they knew still opens the database."""
        names = self.extra.get(REKEY_DUE)
        return [str(n) for n in names] if isinstance(names, list) else []

    @property
    def generation(self) -> int:
        """How many times this key file has been written; the newer of two copies is higher."""
        value = self.extra.get("generation", 0)
        return value if type(value) is int and value >= 0 else 0


@dataclass(frozen=True)
class Unlocked:
    """The result of opening a slot: the database key and what the key file says of the user.

    The key and the slot's private keys are held in mutable buffers of their own that
    `forget()` overwrites when the register is closed or locked. (Python cannot wipe the
    immutable copies that the decryption and the driver's key statement briefly make; see the
    README, "Wat er in het geheugen staat".)"""

    db_key: bytes
    key_file: KeyFile
    user: str | None
    role: Role | None
    warnings: tuple[str, ...] = ()
    #: Wrong tries in a row before this unlock, and when the last was (for the audit log).
    failed_tries: tuple[int, datetime | None] = (0, None)
    #: The opened slot's private keys (empty when the key came from elsewhere, as at `init`
    #: with the key in hand): the X25519 key, and for a teamleider the signing key's seed.
    keys: bytes = b""

    def __post_init__(self) -> None:
        object.__setattr__(self, "db_key", bytearray(self.db_key))
        object.__setattr__(self, "keys", bytearray(self.keys))

    def signing_key(self) -> Ed25519PrivateKey:
        """The register's signing key, held by a teamleider and by the recovery key."""
        if len(self.keys) != BOX_KEY_BYTES + SIGNING_SEED_BYTES:
            raise RoleError("Alleen een teamleider kent rollen toe.")
        return Ed25519PrivateKey.from_private_bytes(bytes(self.keys[BOX_KEY_BYTES:]))

    def forget(self) -> None:
        """Overwrite the keys in memory; nothing can be opened with this object afterwards."""
        for secret in (self.db_key, self.keys):
            if isinstance(secret, bytearray):
                secret[:] = bytes(len(secret))


def key_file_path(db_path: Path) -> Path:
    """`register.db` → `register.keys`."""
    return db_path.with_name(db_path.stem + ".keys")


def backup_key_file_path(db_path: Path) -> Path:
    """`register.db` → `register.keys.bak`."""
    return db_path.with_name(db_path.stem + ".keys.bak")


# --- creating and changing slots -------------------------------------------------------------


def new_database_key() -> bytes:
    return secrets.token_bytes(DB_KEY_BYTES)


def new_recovery_key() -> str:
    """A fresh recovery key, grouped for writing down: `ABCD-EFGH-…` (160 bits, base32)."""
    raw = base64.b32encode(secrets.token_bytes(RECOVERY_KEY_BYTES)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_recovery_key(text: str) -> str:
    """Accept the recovery key with or without dashes, spaces or lower case."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    try:
        raw = base64.b32decode(cleaned)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != RECOVERY_KEY_BYTES:
        raise AuthenticationError(
            "De herstelsleutel heeft niet de juiste vorm (8 groepen van 4 tekens)."
        )
    return cleaned


def make_slot(
    register_id: str,
    signing_key: Ed25519PrivateKey,
    db_key: bytes | bytearray,
    secret: str,
    *,
    kind: str,
    user: str | None,
    role: Role | None,
    cost: KdfCost | None = None,
    must_change: bool = False,
    box_private: X25519PrivateKey | None = None,
) -> Slot:
    """A slot for `secret` (a passphrase, or a normalised recovery key): a key pair of its own
    (or `box_private`), `db_key` sealed to it, and its role signed with `signing_key`."""
    box_private = box_private or X25519PrivateKey.generate()
    box_public = box_private.public_key().public_bytes_raw()
    draft = Slot(
        kind=kind,
        user=user,
        role=role.value if role else None,
        salt=b"",
        cost=cost or new_slot_cost(),
        box_public=box_public,
        sealed_key=_seal(db_key, box_public, register_id),
        secret=b"",
        grant=b"",
        must_change=must_change,
    )
    draft = dataclasses.replace(draft, grant=signing_key.sign(draft.grant_message(register_id)))
    signer = signing_key.public_key().public_bytes_raw()
    keys = _private_keys(box_private, signing_key if draft.holds_signing_key else None)
    return _locked(draft, register_id, signer, secret, keys)


def _private_keys(box_private: X25519PrivateKey, signing_key: Ed25519PrivateKey | None) -> bytes:
    raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw
    none = serialization.NoEncryption()
    box = box_private.private_bytes(*raw, none)
    return box + (signing_key.private_bytes(*raw, none) if signing_key else b"")


def _locked(
    slot: Slot,
    register_id: str,
    signer: bytes,
    secret: str,
    keys: bytes | bytearray,
    *,
    cost: KdfCost | None = None,
    must_change: bool | None = None,
) -> Slot:
    """`slot` with its private keys encrypted under `secret` (new salt; the public key, the
    sealed database key and the grant stay as they are)."""
    slot = dataclasses.replace(
        slot,
        salt=secrets.token_bytes(16),
        cost=cost or slot.cost,
        must_change=slot.must_change if must_change is None else must_change,
    )
    nonce = secrets.token_bytes(12)
    kek = derive_key(secret, slot.salt, slot.cost)
    encrypted = AESGCM(kek).encrypt(nonce, bytes(keys), slot.header(register_id, signer))
    return dataclasses.replace(slot, secret=nonce + encrypted)


def _seal(db_key: bytes | bytearray, box_public: bytes, register_id: str) -> bytes:
    """`db_key` sealed to an X25519 public key (ephemeral-static ECDH, HKDF, AES-256-GCM)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(box_public))
    nonce = secrets.token_bytes(12)
    key = _seal_key(shared, ephemeral_public, box_public)
    aad = _canonical({"register_id": register_id, "box_public": _b64(box_public)})
    return ephemeral_public + nonce + AESGCM(key).encrypt(nonce, bytes(db_key), aad)


def _unseal(sealed: bytes, box_private: X25519PrivateKey, register_id: str) -> bytes:
    ephemeral_public, nonce, ciphertext = sealed[:32], sealed[32:44], sealed[44:]
    box_public = box_private.public_key().public_bytes_raw()
    shared = box_private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _seal_key(shared, ephemeral_public, box_public)
    aad = _canonical({"register_id": register_id, "box_public": _b64(box_public)})
    return AESGCM(key).decrypt(nonce, ciphertext, aad)


def _seal_key(shared: bytes, ephemeral_public: bytes, box_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"wijkteam slot").derive(
        shared + ephemeral_public + box_public
    )


def new_key_file(
    where: Path | KeyStore, user: str, role: Role, passphrase: str, *, demo: bool = False
) -> tuple[Unlocked, str]:
    """Create and write the key file of a new register: (the first user unlocked, recovery key).

    Only the demo register (fictitious by construction) may keep its documented passphrase
    `demo`; every other passphrase must be strong."""
    if not (demo and passphrase == DEMO_PASSPHRASE):
        validate_passphrase(passphrase)
    register_id = secrets.token_hex(16)
    signing_key = Ed25519PrivateKey.generate()
    db_key = new_database_key()
    recovery_key = new_recovery_key()
    box_private = X25519PrivateKey.generate()
    slots = (
        make_slot(
            register_id,
            signing_key,
            db_key,
            passphrase,
            kind=USER_KIND,
            user=user,
            role=role,
            box_private=box_private,
        ),
        make_slot(
            register_id,
            signing_key,
            db_key,
            normalise_recovery_key(recovery_key),
            kind=RECOVERY_KIND,
            user=None,
            role=None,
        ),
    )
    created = datetime.now(UTC).replace(microsecond=0).isoformat()
    signer = signing_key.public_key().public_bytes_raw()
    key_file = KeyFile(register_id, created, signer, slots)
    generation = keys_at(where).write_new(key_file, db_key)
    keys = _private_keys(box_private, signing_key if slots[0].holds_signing_key else None)
    key_file = key_file.with_extra(generation=generation)
    return Unlocked(db_key, key_file, user, role, keys=keys), recovery_key


def set_user_passphrase(
    where: Path | KeyStore, unlocked: Unlocked, user: str, new_passphrase: str
) -> KeyFile:
    """Give `user`'s slot a new passphrase: their own (their keys stay; the database is not
    touched), or, opened with the recovery key, a new slot with the same role."""
    validate_passphrase(new_passphrase)
    change = _new_secret_for(user, unlocked, new_passphrase, must_change=False)
    login = Login(user, secret=new_passphrase)
    return keys_at(where).rewrite(bytes(unlocked.db_key), change, login=login)[0]


def _new_secret_for(
    user: str, unlocked: Unlocked, secret: str, *, must_change: bool
) -> Callable[[KeyFile], KeyFile]:
    """The change that gives `user`'s existing slot (same role) a new secret: the same keys
    under it when `user` is the one who unlocked, new keys granted by the signing key else."""
    own = unlocked.user == user and len(unlocked.keys) >= BOX_KEY_BYTES

    def change(key_file: KeyFile) -> KeyFile:
        current = key_file.user_slot(user)
        if current is None:
            raise AuthenticationError(f"Gebruiker '{user}' bestaat niet in dit register.")
        if own:
            box = X25519PrivateKey.from_private_bytes(bytes(unlocked.keys[:BOX_KEY_BYTES]))
            if box.public_key().public_bytes_raw() != current.box_public:
                raise AuthenticationError(
                    f"De toegang van {user} is intussen gewijzigd (door de teamleider?); er is"
                    " niets gewijzigd. Open het register opnieuw."
                )
            slot = _locked(
                current,
                key_file.register_id,
                key_file.signer,
                secret,
                unlocked.keys,
                must_change=must_change,
            )
        else:
            slot = make_slot(
                key_file.register_id,
                unlocked.signing_key(),
                unlocked.db_key,
                secret,
                kind=USER_KIND,
                user=user,
                role=Role(current.role) if current.role else None,
                must_change=must_change,
            )
        return key_file.with_slot(slot)

    return change


def one_time_passphrase() -> str:
    """A passphrase for once, to read out to a colleague: 5 groups of 4 (100 bits, base32)."""
    raw = base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


def reset_user_passphrase(
    where: Path | KeyStore, unlocked: Unlocked, user: str
) -> tuple[KeyFile, str]:
    """A teamleider gives `user` a new slot with a one-time passphrase, which must be changed
    at the next unlock; returns the key file and that passphrase (shown once)."""
    if unlocked.role is not Role.TEAMLEIDER:
        raise RoleError("Alleen een teamleider stelt een wachtwoord opnieuw in.")
    passphrase = one_time_passphrase()
    change = _new_secret_for(user, unlocked, passphrase, must_change=True)
    login = Login(user, secret=passphrase)
    return keys_at(where).rewrite(bytes(unlocked.db_key), change, login=login)[0], passphrase


def add_user_slot(
    where: Path | KeyStore,
    unlocked: Unlocked,
    user: str,
    role: Role,
    passphrase: str,
    *,
    must_change: bool = False,
) -> KeyFile:
    """Give a new user a slot; only a teamleider may, and a name is used once. With
    `must_change` the passphrase is a one-time one, replaced at the user's first unlock."""
    if unlocked.role is not Role.TEAMLEIDER:
        raise RoleError("Alleen een teamleider kan gebruikers toevoegen.")
    validate_user_name(user)
    validate_passphrase(passphrase)
    signing_key = unlocked.signing_key()

    def change(key_file: KeyFile) -> KeyFile:
        if key_file.user_slot(user) is not None:
            raise UsageError(f"Gebruiker '{user}' bestaat al.")
        # Here, under the key store's lock, two teamleiders adding "Anna" and "anna" at once
        # cannot both succeed.
        validate_new_user_name(user, (name for name, _role in key_file.users()))
        slot = make_slot(
            key_file.register_id,
            signing_key,
            unlocked.db_key,
            passphrase,
            kind=USER_KIND,
            user=user,
            role=role,
            must_change=must_change,
        )
        return key_file.with_slot(slot)

    login = Login(user, secret=passphrase, role=role)
    return keys_at(where).rewrite(bytes(unlocked.db_key), change, login=login)[0]


# --- opening slots ---------------------------------------------------------------------------


ONE_TIME_REFUSAL = (
    "Dit is een eenmalig wachtwoord van de teamleider. Kies eerst uw eigen wachtwoord:"
    " 'wijkteam passwd' (het eenmalige wachtwoord is dan het huidige)."
)
OLD_VERSION = "van een oudere versie (1, zonder ondertekende rollen)"


def unlock(
    db_path: Path,
    user: str,
    passphrase: str,
    *,
    repair: bool = True,
    one_time_ok: bool = False,
) -> Unlocked:
    """Open the slot of `user` with `passphrase`.

    Raises AuthenticationError for an unknown user, WrongPassphraseError for a wrong passphrase
    (the register's files are not touched; the try is counted beside them), TooManyAttemptsError
    while the user must still wait after wrong tries, KeyFileError when neither the key file nor
    its backup copy can be trusted (also when the slot's role is not signed by the register).
    With `repair=False` (for `db check`) a damaged main file is reported in the warnings but not
    rewritten from its backup copy.
    """
    unlocked = _counted(
        db_path,
        user,
        f"een verkeerd wachtwoord voor {user}",
        lambda: _unlock(db_path, user, lambda kf: kf.user_slot(user), passphrase, repair),
    )
    slot = unlocked.key_file.user_slot(user)
    if slot is not None and slot.must_change and not one_time_ok:
        unlocked.forget()
        raise OneTimePassphraseError(ONE_TIME_REFUSAL)
    return unlocked


def unlock_with_recovery_key(db_path: Path, recovery_key: str) -> Unlocked:
    """Open the recovery slot; the caller then sets a new passphrase for a user.

    Wrong recovery keys are counted and make the next try wait, as wrong passphrases do."""
    secret = normalise_recovery_key(recovery_key)
    return _counted(
        db_path,
        attempts.RECOVERY_KEY,
        "een verkeerde herstelsleutel",
        lambda: _unlock(db_path, None, lambda kf: kf.recovery_slot(), secret),
    )


def _counted(db_path: Path, name: str, mistake: str, open_slot: Callable[[], Unlocked]) -> Unlocked:
    """Refuse while `name` must wait; count a wrong secret; forget the count on success."""
    wait = attempts.wait_seconds(db_path, name)
    if wait > 0:
        raise TooManyAttemptsError(
            f"Te vaak {mistake}. Probeer het over {seconds_text(wait)} opnieuw.", wait
        )
    before = attempts.failures(db_path, name)
    try:
        unlocked = open_slot()
    except WrongPassphraseError as wrong:
        wrong.wait_seconds = attempts.record_failure(db_path, name)
        raise
    attempts.forget(db_path, name)
    if before is not None:
        # Not dataclasses.replace: that would copy the key into a buffer never wiped.
        when = datetime.fromtimestamp(before[1], UTC).replace(tzinfo=None)
        object.__setattr__(unlocked, "failed_tries", (before[0], when))
    return unlocked


class _Forged(Exception):
    """A slot that opens with the secret but whose keys or role the register did not grant."""


def _unlock(
    db_path: Path, user: str | None, pick: Any, secret: str, repair: bool = True
) -> Unlocked:
    main_path, bak_path = key_file_path(db_path), backup_key_file_path(db_path)
    if repair:
        _finish_interrupted_moves(db_path)
    main, main_problem = _try_load(main_path)
    bak, _ = _try_load(bak_path)
    if main and bak and bak.generation > main.generation:
        # An older key file put back over the main one: it may still hold an old passphrase
        # or user. The newer copy decides, and the old one is never written over it.
        main, main_problem = None, "ouder dan de reservekopie (een oud bestand teruggezet?)"
    candidates = [(kf, path) for kf, path in ((main, main_path), (bak, bak_path)) if kf]
    if not candidates:
        raise _no_key_file(main_path, bak_path, main_problem)
    who = f"gebruiker '{user}'" if user else "de herstelsleutel"
    tried: set[Slot] = set()
    forged = False
    for key_file, path in candidates:
        slot = pick(key_file)
        if slot is None or slot in tried:
            continue
        tried.add(slot)
        try:
            db_key, keys = _open_slot(slot, key_file, secret)
        except InvalidTag:
            continue
        except _Forged:
            forged = True
            continue
        unlocked = _verified(
            db_path=db_path,
            key_file=key_file,
            used_path=path,
            db_key=db_key,
            keys=keys,
            slot=slot,
            main_problem=main_problem,
            repair=repair,
        )
        if repair and _weaker(slot.cost, new_slot_cost()):
            unlocked = _strengthened(db_path, unlocked, slot, secret)
        return _noting_unsigned(unlocked)
    if forged:
        raise KeyFileError(
            f"De toegang van {who} in het sleutelbestand is niet ondertekend door een teamleider"
            " van dit register: het bestand is buiten wijkteam om gewijzigd. Er is niets geopend;"
            " vraag de teamleider om een nieuw wachtwoord ('wijkteam user reset')."
        )
    if not tried:
        if user is None:
            raise KeyFileError("Dit sleutelbestand heeft geen herstelsleutel.")
        raise AuthenticationError(f"Gebruiker '{user}' bestaat niet in dit register.")
    if user is None:
        raise WrongPassphraseError("Herstelsleutel onjuist.")
    raise WrongPassphraseError(f"Wachtwoord onjuist voor {who}.")


def _finish_interrupted_moves(db_path: Path) -> None:
    """A restore or a re-key stopped half-way put some new files in place and not yet the
    rest: finish it first, so that the key file read is the one that fits the database."""
    if not os.path.lexists(journal.journal_path(db_path)):
        return
    held = lock.hold_open(db_path)
    try:
        journal.finish_interrupted_restore(db_path)
    finally:
        held.release()


def _no_key_file(main_path: Path, bak_path: Path, main_problem: str | None) -> KeyFileError:
    if not main_path.exists() and not bak_path.exists():
        return KeyFileError(f"Geen sleutelbestand gevonden naast het register ({main_path}).")
    if main_problem == OLD_VERSION:
        return KeyFileError(
            f"Het sleutelbestand {main_path} is {OLD_VERSION}. De teamleider zet het één"
            " keer om met 'wijkteam db upgrade'; er is niets gewijzigd."
        )
    return KeyFileError(
        f"Het sleutelbestand {main_path} is {main_problem} en er is geen bruikbare"
        " reservekopie; herstel het uit een back-up."
    )


def _noting_unsigned(unlocked: Unlocked) -> Unlocked:
    """Warn when other slots carry a role no teamleider signed (someone edited the file)."""
    unsigned = unlocked.key_file.unsigned()
    if unsigned:
        notice = (
            "Het sleutelbestand bevat toegang zonder geldige ondertekening door een"
            f" teamleider ({', '.join(unsigned)}): die opent niets. Meld het de teamleider."
        )
        object.__setattr__(unlocked, "warnings", (*unlocked.warnings, notice))
    return unlocked


def _open_slot(slot: Slot, key_file: KeyFile, secret: str) -> tuple[bytes, bytes]:
    """(database key, the slot's private keys). InvalidTag for a wrong secret; _Forged when
    the slot opens but its keys or its role are not what the register granted."""
    if slot.withheld:
        raise _Forged  # one's own slot is never withheld: this document was made up
    kek = derive_key(secret, slot.salt, slot.cost)
    header = slot.header(key_file.register_id, key_file.signer)
    keys = AESGCM(kek).decrypt(slot.secret[:12], slot.secret[12:], header)
    expected = BOX_KEY_BYTES + (SIGNING_SEED_BYTES if slot.holds_signing_key else 0)
    if len(keys) != expected or not key_file.grant_ok(slot):
        raise _Forged
    box = X25519PrivateKey.from_private_bytes(keys[:BOX_KEY_BYTES])
    if box.public_key().public_bytes_raw() != slot.box_public:
        raise _Forged
    if slot.holds_signing_key:
        seed = keys[BOX_KEY_BYTES:]
        signer = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
        if signer != key_file.signer:
            raise _Forged
    try:
        return _unseal(slot.sealed_key, box, key_file.register_id), keys
    except InvalidTag:
        raise _Forged from None


def _strengthened(db_path: Path, unlocked: Unlocked, slot: Slot, secret: str) -> Unlocked:
    """Re-encrypt a slot made with lighter key-derivation settings than today's, with today's."""
    key_file = unlocked.key_file
    stronger = _locked(
        slot, key_file.register_id, key_file.signer, secret, unlocked.keys, cost=new_slot_cost()
    )
    key_file = key_file.with_slot(stronger)
    write_key_file(db_path, key_file, unlocked.db_key)
    notice = (
        "Uw wachtwoord was met lichtere instellingen beveiligd dan nu gelden; het is opnieuw"
        " versleuteld met de huidige, sterkere instellingen."
    )
    result = dataclasses.replace(unlocked, key_file=key_file, warnings=(*unlocked.warnings, notice))
    unlocked.forget()
    return result


def unlocked_with_key(
    db_path: Path, db_key: bytes, user: str | None, keys: bytes = b""
) -> Unlocked:
    """An Unlocked for a key already in hand (just created, or just renewed: then `keys`, the
    user's slot keys, come along), checked against the file's MAC."""
    path = key_file_path(db_path)
    key_file = read_key_file(path)
    if not file_mac_ok(path, db_key):
        raise KeyFileError(f"Het sleutelbestand {path} hoort niet bij deze sleutel.")
    slot = key_file.user_slot(user) if user else None
    role = Role(slot.role) if slot and slot.role else None
    return Unlocked(db_key, key_file, user if slot else None, role, keys=keys)


def _verified(
    *,
    db_path: Path,
    key_file: KeyFile,
    used_path: Path,
    db_key: bytes,
    keys: bytes,
    slot: Slot,
    main_problem: str | None,
    repair: bool,
) -> Unlocked:
    """Check the whole-file MAC of the copy the slot came from; repair the main file if needed."""
    main_path, bak_path = key_file_path(db_path), backup_key_file_path(db_path)
    role = Role(slot.role) if slot.role else None
    if used_path == main_path:
        if file_mac_ok(main_path, db_key):
            return Unlocked(db_key, key_file, slot.user, role, keys=keys)
        trusted, _ = _try_load(bak_path)
        if trusted is None or not file_mac_ok(bak_path, db_key):
            raise KeyFileError(
                f"Het sleutelbestand {main_path} is gewijzigd buiten wijkteam om en de"
                " reservekopie is niet bruikbaar; herstel het uit een back-up."
            )
        reason = "gewijzigd buiten wijkteam om"
    else:
        if not file_mac_ok(bak_path, db_key):
            raise KeyFileError(
                f"Het sleutelbestand {main_path} is {main_problem or 'onbruikbaar'} en de"
                " reservekopie is gewijzigd buiten wijkteam om; herstel het uit een back-up."
            )
        if main_problem is None and file_mac_ok(main_path, db_key):
            # The main file is authentic and newer (a write stopped between the two copies):
            # the secret opens only the outdated copy, so it is no longer valid.
            if repair:
                atomic_write(bak_path, read_beside(main_path))
            who = f"gebruiker '{slot.user}'" if slot.user else "de herstelsleutel"
            raise WrongPassphraseError(f"Wachtwoord onjuist voor {who}.")
        trusted = key_file
        reason = main_problem or "gewijzigd buiten wijkteam om"
    if not repair:
        warning = (
            f"Het sleutelbestand is {reason}; de reservekopie is bruikbaar en wordt teruggezet"
            " zodra het register gewoon wordt geopend."
        )
        return Unlocked(db_key, trusted, slot.user, role, (warning,), keys=keys)
    write_key_file(db_path, trusted, db_key)
    warning = f"Het sleutelbestand was {reason}; de reservekopie is gebruikt en teruggezet."
    return Unlocked(db_key, trusted, slot.user, role, (warning,), keys=keys)


def derive_key(secret: str, salt: bytes, cost: KdfCost) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=cost.iterations,
        lanes=cost.lanes,
        memory_cost=cost.memory_cost,
    ).derive(secret.encode("utf-8"))


# --- where the key slots are kept -------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    """What a change of the key slots means for a person's login to a team server (their own
    PostgreSQL role: store/server.py). A local register has no logins of its own: the key
    file beside it ignores this."""

    user: str
    #: The person's passphrase from now on (new, reset or changed).
    secret: str | None = None
    #: Given when the person is new: teamleiders may add people, medewerkers may not.
    role: Role | None = None
    #: False when the person is switched off.
    active: bool = True


class KeyStore(Protocol):
    """Where a register's key slots are kept: the key file beside a local register
    (`FileKeys`), or a table in a team server's database (`store.server.ServerKeys`)."""

    def current(self) -> KeyFile:
        """The slots as they are kept now (checksum checked; authenticity needs the key)."""
        ...

    def write_new(self, key_file: KeyFile, db_key: bytes) -> int:
        """Keep the slots of a register being made; returns the generation written."""
        ...

    def rewrite(
        self,
        db_key: bytes,
        change: Callable[[KeyFile], KeyFile],
        *,
        login: Login | None = None,
    ) -> tuple[KeyFile, int]:
        """Apply `change` to the slots as they are now, one writer at a time, and keep the
        result (with `login`, on a server, in the same step); returns it and its generation."""
        ...


class FileKeys:
    """The key file beside a local register (`register.keys`, and `register.keys.bak`)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def current(self) -> KeyFile:
        return read_key_file(key_file_path(self.db_path))

    def write_new(self, key_file: KeyFile, db_key: bytes) -> int:
        return write_key_file(self.db_path, key_file, db_key)

    def rewrite(
        self,
        db_key: bytes,
        change: Callable[[KeyFile], KeyFile],
        *,
        login: Login | None = None,
    ) -> tuple[KeyFile, int]:
        # Whoever can read the files beside a local register may open it: no login to change.
        return rewrite_key_file(self.db_path, db_key, change)


def keys_at(where: Path | KeyStore) -> KeyStore:
    """The key store of a local register's path, or the store itself."""
    return FileKeys(where) if isinstance(where, Path) else where


def key_document(key_file: KeyFile, db_key: bytes | bytearray) -> bytes:
    """The key file as kept: its body, a checksum and a MAC keyed from `db_key`."""
    return _serialise(key_file, bytes(db_key))


def parse_key_document(raw: bytes) -> tuple[KeyFile | None, str | None]:
    """(key file, None), or (None, a Dutch description of what is wrong with `raw`)."""
    if len(raw) > MAX_KEY_FILE_BYTES:
        return None, "te groot voor een sleutelbestand"
    try:
        return _parse(raw), None
    except _Unusable as unusable:
        return None, unusable.reason


def open_recovery_slot(key_file: KeyFile, raw: bytes, recovery_key: str) -> Unlocked:
    """Open the recovery slot of a key document kept elsewhere than in a file (a team
    server's table), checked as `open_user_slot` checks a user's."""
    slot = key_file.recovery_slot()
    if slot is None:
        raise KeyFileError("Deze sleutels hebben geen herstelsleutel.")
    try:
        db_key, keys = _open_slot(slot, key_file, normalise_recovery_key(recovery_key))
    except InvalidTag:
        raise WrongPassphraseError("Herstelsleutel onjuist.") from None
    except _Forged:
        raise KeyFileError(
            "De herstelsleutel in de sleutels van dit register is buiten wijkteam om gewijzigd."
            " Er is niets geopend."
        ) from None
    if not mac_ok(raw, db_key):
        raise KeyFileError(
            "De sleutels van dit register zijn buiten wijkteam om gewijzigd. Er is niets geopend."
        )
    return Unlocked(db_key, key_file, None, None, keys=keys)


def open_user_slot(key_file: KeyFile, raw: bytes, user: str, secret: str) -> Unlocked:
    """Open the slot of `user` in a key document kept elsewhere than in a file (a team
    server's table): its grant and keys are checked as at a local unlock, and the whole
    document's MAC once the key is known. WrongPassphraseError when `secret` does not open
    it, KeyFileError when the slot or the document was not written by this register."""
    slot = key_file.user_slot(user)
    if slot is None:
        raise AuthenticationError(f"Gebruiker '{user}' bestaat niet in dit register.")
    try:
        db_key, keys = _open_slot(slot, key_file, secret)
    except InvalidTag:
        raise WrongPassphraseError(f"Wachtwoord onjuist voor gebruiker '{user}'.") from None
    except _Forged:
        raise KeyFileError(
            f"De toegang van gebruiker '{user}' is niet ondertekend door een teamleider van dit"
            " register: de sleutels zijn buiten wijkteam om gewijzigd. Er is niets geopend."
        ) from None
    if not mac_ok(raw, db_key):
        raise KeyFileError(
            "De sleutels van dit register zijn buiten wijkteam om gewijzigd. Er is niets geopend."
        )
    role = Role(slot.role) if slot.role else None
    return _noting_unsigned(Unlocked(db_key, key_file, user, role, keys=keys))


# --- reading and writing the file ------------------------------------------------------------


def read_key_file(path: Path) -> KeyFile:
    """Parse a key file and check its checksum (not its MAC: that needs the database key)."""
    key_file, problem = _try_load(path)
    if key_file is None:
        raise KeyFileError(f"Het sleutelbestand {path} is {problem}.")
    return key_file


def is_legacy_key_file(db_path: Path) -> bool:
    """Whether the register's key file is of version 1 (to be converted by `db upgrade`)."""
    return _try_load(key_file_path(db_path))[1] == OLD_VERSION


def key_file_problem(path: Path, db_key: bytes, register_id: str) -> str | None:
    """What is wrong with the key file at `path` as a key file of this register (a Dutch
    phrase), or None when it is sound: readable, intact, of this register and authentic."""
    key_file, problem = _try_load(path)
    if key_file is None:
        return problem
    if key_file.register_id != register_id:
        return "van een ander register"
    if not file_mac_ok(path, db_key):
        return "gewijzigd buiten wijkteam om"
    return None


def write_key_file(db_path: Path, key_file: KeyFile, db_key: bytes) -> int:
    """Write the key file and then its backup copy, each atomically, one generation on from
    both this one and the one on disk (generations only go up); returns the new generation."""
    on_disk, _problem = _try_load(key_file_path(db_path))
    newest = max(key_file.generation, on_disk.generation if on_disk else 0)
    key_file = key_file.with_extra(generation=newest + 1)
    data = _serialise(key_file, db_key)
    atomic_write(key_file_path(db_path), data)
    atomic_write(backup_key_file_path(db_path), data)
    return newest + 1


def key_lock_path(db_path: Path) -> Path:
    """`register.db` → `register.keys.lock`: held while the key file is read and rewritten."""
    return db_path.with_name(db_path.stem + ".keys.lock")


@contextmanager
def key_file_locked(db_path: Path) -> Iterator[None]:
    """Exclusive: one process at a time reads, changes and writes the key file (two people
    changing it at once would otherwise each write over the other's change)."""
    fd = open_beside(key_lock_path(db_path), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # lets go of the lock


def rewrite_key_file(
    db_path: Path, db_key: bytes, change: Callable[[KeyFile], KeyFile]
) -> tuple[KeyFile, int]:
    """Apply `change` to the key file as it is on disk now (not as it was when it was
    unlocked), under the lock, and write it; returns the new file and its generation."""
    with key_file_locked(db_path):
        current, problem = _try_load(key_file_path(db_path))
        if current is None or not file_mac_ok(key_file_path(db_path), db_key):
            raise KeyFileError(
                f"Het sleutelbestand is {problem or 'gewijzigd buiten wijkteam om'}; er is niets"
                " gewijzigd. Open het register eerst gewoon (de reservekopie wordt dan gebruikt)."
            )
        changed = change(current)
        generation = write_key_file(db_path, changed, db_key)
    return changed.with_extra(generation=generation), generation


def _serialise(key_file: KeyFile, db_key: bytes) -> bytes:
    body = _body(key_file)
    canonical = _canonical(_covered(body))
    document = {
        **body,
        "checksum": hashlib.sha256(canonical).hexdigest(),
        "mac": hmac.new(_mac_key(db_key), canonical, hashlib.sha256).hexdigest(),
    }
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _body(key_file: KeyFile) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "register_id": key_file.register_id,
        "created_at": key_file.created_at,
        "signer": _b64(key_file.signer),
        "slots": [
            {
                "kind": s.kind,
                "user": s.user,
                "role": s.role,
                "kdf": _kdf_json(s.salt, s.cost),
                "box_public": _b64(s.box_public),
                "sealed_key": _b64(s.sealed_key),
                **({"secret_sha256": s.withheld} if s.withheld else {"secret": _b64(s.secret)}),
                "grant": _b64(s.grant),
                **({"must_change": True} if s.must_change else {}),
            }
            for s in key_file.slots
        ],
        "extra": dict(key_file.extra),
    }


def _covered(body: dict[str, Any]) -> dict[str, Any]:
    """The body as its checksum and MAC cover it: in version 3 each slot's `secret` by its
    SHA-256 (a withheld slot already shows only that), in version 2 the body itself."""
    if body.get("version") == WHOLE_FORM_VERSION:
        return body
    return {**body, "slots": [_secret_by_digest(slot) for slot in body["slots"]]}


def _secret_by_digest(slot: dict[str, Any]) -> dict[str, Any]:
    if "secret" not in slot:
        return slot
    digest = hashlib.sha256(_unb64(slot["secret"])).hexdigest()
    return {**{k: v for k, v in slot.items() if k != "secret"}, "secret_sha256": digest}


def document_checksum(body: dict[str, Any]) -> str:
    """The checksum of a key document's body (without checksum and MAC), for its version."""
    return hashlib.sha256(_canonical(_covered(body))).hexdigest()


def _try_load(path: Path) -> tuple[KeyFile | None, str | None]:
    """(key file, None) or (None, a Dutch description of what is wrong with it)."""
    try:
        return _parse(_read_limited(path)), None
    except _Unusable as unusable:
        return None, unusable.reason


class _Unusable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _read_limited(path: Path) -> bytes:
    try:
        raw = read_beside(path, MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise _Unusable("niet gevonden") from None
    except NotAPlainFileError:
        # Not read through: its backup copy is used, and the repair replaces the link itself.
        raise _Unusable("geen gewoon bestand (een symbolische koppeling?)") from None
    except OSError:
        raise _Unusable("niet leesbaar") from None
    if len(raw) > MAX_KEY_FILE_BYTES:
        raise _Unusable("te groot voor een sleutelbestand")
    return raw


def _parse(raw: bytes) -> KeyFile:
    """The key file in `raw`, every part of it checked; raises _Unusable with the reason."""
    damaged = _Unusable("beschadigd")
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        checksum = document.pop("checksum")
        document.pop("mac")
        if document.get("format") == FORMAT and document.get("version") == LEGACY_VERSION:
            raise _Unusable(OLD_VERSION)
        version = document.get("version")
        if document.get("format") != FORMAT or version not in (WHOLE_FORM_VERSION, FORMAT_VERSION):
            raise _Unusable("geen wijkteam-sleutelbestand van een bekende versie")
        if not isinstance(checksum, str) or not hmac.compare_digest(
            document_checksum(document), checksum
        ):
            raise damaged
        if not isinstance(document["slots"], list) or len(document["slots"]) > MAX_SLOTS:
            raise damaged
        signer = _unb64(document["signer"])
        if len(signer) != 32:
            raise damaged
        return KeyFile(
            register_id=str(document["register_id"]),
            created_at=str(document["created_at"]),
            signer=signer,
            slots=tuple(_slot_from_json(s, version) for s in document["slots"]),
            extra=dict(document.get("extra") or {}),
        )
    except _UnsafeSlot:
        raise _Unusable("voorzien van ongeldige sleutelparameters") from None
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        binascii.Error,
        OverflowError,
        RecursionError,
        MemoryError,
    ):
        # Deep nesting, huge numbers, NaN/Infinity and wrong types are damage, like any other.
        raise damaged from None


class _UnsafeSlot(ValueError):
    """A slot whose parameters lie outside what the program will attempt."""


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is geen getal in een sleutelbestand")


def file_mac_ok(path: Path, db_key: bytes) -> bool:
    try:
        raw = read_beside(path)
    except (OSError, NotAPlainFileError):
        return False
    return mac_ok(raw, db_key)


def mac_ok(raw: bytes, db_key: bytes | bytearray) -> bool:
    """Whether the key document `raw` was written by someone who holds `db_key`."""
    try:
        document = json.loads(raw.decode("utf-8"))
        document.pop("checksum")
        mac = document.pop("mac")
        covered = _canonical(_covered(document))
    except (ValueError, KeyError, AttributeError, TypeError):
        return False
    expected = hmac.new(_mac_key(bytes(db_key)), covered, hashlib.sha256).hexdigest()
    return isinstance(mac, str) and hmac.compare_digest(expected, mac)


def _slot_from_json(data: Mapping[str, Any], version: int = FORMAT_VERSION) -> Slot:
    """One slot, with every field's type and range checked (a key file may be hostile)."""
    kdf = data["kdf"]
    if kdf["name"] != "argon2id":
        raise ValueError("unknown kdf")
    numbers = [kdf["iterations"], kdf["lanes"], kdf["memory_cost"]]
    if not all(type(n) is int for n in numbers):
        raise TypeError("kdf parameters must be integers")
    cost = KdfCost(*numbers)
    sane = (
        1 <= cost.iterations <= MAX_KDF.iterations
        and 1 <= cost.lanes <= MAX_KDF.lanes
        and 8 * cost.lanes <= cost.memory_cost <= MAX_KDF.memory_cost
        and cost.iterations * cost.memory_cost <= MAX_KDF_WORK
    )
    if not sane:
        raise _UnsafeSlot("kdf parameters out of range")
    kind, user, role = data["kind"], data["user"], data["role"]
    if kind not in (USER_KIND, RECOVERY_KIND) or not (user is None or isinstance(user, str)):
        raise ValueError("bad slot kind or user")
    if role is not None and role not in {r.value for r in Role}:
        raise ValueError("bad role")
    must_change = data.get("must_change", False)
    if type(must_change) is not bool:
        raise TypeError("must_change must be true or false")
    withheld = data.get("secret_sha256", "")
    if "secret" in data or version != FORMAT_VERSION:
        if "secret_sha256" in data:
            raise ValueError("a slot's secret is either there or withheld, not both")
        secret = _unb64(data["secret"])
    elif not (isinstance(withheld, str) and re.fullmatch("[0-9a-f]{64}", withheld)):
        raise ValueError("a withheld secret is known by its SHA-256")
    else:
        secret = b""
    slot = Slot(
        kind=kind,
        user=user,
        role=role,
        salt=_unb64(kdf["salt"]),
        cost=cost,
        box_public=_unb64(data["box_public"]),
        sealed_key=_unb64(data["sealed_key"]),
        secret=secret,
        grant=_unb64(data["grant"]),
        must_change=must_change,
        withheld=withheld,
    )
    # Whether the keys fit the role is checked once they are decrypted (_open_slot).
    keys = (BOX_KEY_BYTES, BOX_KEY_BYTES + SIGNING_SEED_BYTES)
    sound = (
        16 <= len(slot.salt) <= 64
        and len(slot.box_public) == 32
        and len(slot.sealed_key) == SEALED_BYTES
        and (slot.withheld != "" or len(slot.secret) - 12 - 16 in keys)
        and len(slot.grant) == GRANT_BYTES
    )
    if not sound:
        raise ValueError("bad slot sizes")
    return slot


def _kdf_json(salt: bytes, cost: KdfCost) -> dict[str, Any]:
    return {
        "name": "argon2id",
        "salt": _b64(salt),
        "iterations": cost.iterations,
        "lanes": cost.lanes,
        "memory_cost": cost.memory_cost,
    }


def derive_subkey(db_key: bytes, purpose: str) -> bytes:
    """A key for one purpose (the key file MAC, the audit chain), derived from the database key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        db_key
    )


def _mac_key(db_key: bytes) -> bytes:
    return derive_subkey(db_key, "wijkteam key file mac")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
