"""Making and opening a slot: one sealed copy of the database key, per user or for recovery.

Opening checks more than the passphrase: the decrypted keys must match the slot's public key,
the role must be signed by the register, and a teamleider's signing key must be the register's.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import secrets
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AuthenticationError,
    KeyFileError,
    RoleError,
    WrongPassphraseError,
)
from wijkteam_tui.store.keys.keyfile import KeyFile, Slot, mac_ok
from wijkteam_tui.store.keys.primitives import (
    BOX_KEY_BYTES,
    RECOVERY_KEY_BYTES,
    SIGNING_SEED_BYTES,
    KdfCost,
    derive_key,
    new_slot_cost,
    private_keys,
    seal,
    unseal,
)


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
        sealed_key=seal(db_key, box_public, register_id),
        secret=b"",
        grant=b"",
        must_change=must_change,
    )
    draft = dataclasses.replace(draft, grant=signing_key.sign(draft.grant_message(register_id)))
    signer = signing_key.public_key().public_bytes_raw()
    keys = private_keys(box_private, signing_key if draft.holds_signing_key else None)
    return lock_slot(draft, register_id, signer, secret, keys)


def lock_slot(
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


class ForgedSlotError(Exception):
    """A slot that opens with the secret but whose keys or role the register did not grant."""


def noting_unsigned(unlocked: Unlocked) -> Unlocked:
    """Warn when other slots carry a role no teamleider signed (someone edited the file)."""
    unsigned = unlocked.key_file.unsigned()
    if unsigned:
        notice = (
            "Het sleutelbestand bevat toegang zonder geldige ondertekening door een"
            f" teamleider ({', '.join(unsigned)}): die opent niets. Meld het de teamleider."
        )
        object.__setattr__(unlocked, "warnings", (*unlocked.warnings, notice))
    return unlocked


def open_slot(slot: Slot, key_file: KeyFile, secret: str) -> tuple[bytes, bytes]:
    """(database key, the slot's private keys). InvalidTag for a wrong secret; ForgedSlotError when
    the slot opens but its keys or its role are not what the register granted."""
    if slot.withheld:
        raise ForgedSlotError  # one's own slot is never withheld: this document was made up
    kek = derive_key(secret, slot.salt, slot.cost)
    header = slot.header(key_file.register_id, key_file.signer)
    keys = AESGCM(kek).decrypt(slot.secret[:12], slot.secret[12:], header)
    expected = BOX_KEY_BYTES + (SIGNING_SEED_BYTES if slot.holds_signing_key else 0)
    if len(keys) != expected or not key_file.grant_ok(slot):
        raise ForgedSlotError
    box = X25519PrivateKey.from_private_bytes(keys[:BOX_KEY_BYTES])
    if box.public_key().public_bytes_raw() != slot.box_public:
        raise ForgedSlotError
    if slot.holds_signing_key:
        seed = keys[BOX_KEY_BYTES:]
        signer = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
        if signer != key_file.signer:
            raise ForgedSlotError
    try:
        return unseal(slot.sealed_key, box, key_file.register_id), keys
    except InvalidTag:
        raise ForgedSlotError from None


def open_recovery_slot(key_file: KeyFile, raw: bytes, recovery_key: str) -> Unlocked:
    """Open the recovery slot of a key document kept elsewhere than in a file (a team
    server's table), checked as `open_user_slot` checks a user's."""
    slot = key_file.recovery_slot()
    if slot is None:
        raise KeyFileError("Deze sleutels hebben geen herstelsleutel.")
    try:
        db_key, keys = open_slot(slot, key_file, normalise_recovery_key(recovery_key))
    except InvalidTag:
        raise WrongPassphraseError("Herstelsleutel onjuist.") from None
    except ForgedSlotError:
        raise KeyFileError(
            "De herstelsleutel in de sleutels van dit register is buiten wijkteam om gewijzigd."
            " Er is niets geopend."
        ) from None
    _require_authentic(raw, db_key)
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
        db_key, keys = open_slot(slot, key_file, secret)
    except InvalidTag:
        raise WrongPassphraseError(f"Wachtwoord onjuist voor gebruiker '{user}'.") from None
    except ForgedSlotError:
        raise KeyFileError(
            f"De toegang van gebruiker '{user}' is niet ondertekend door een teamleider van dit"
            " register: de sleutels zijn buiten wijkteam om gewijzigd. Er is niets geopend."
        ) from None
    _require_authentic(raw, db_key)
    role = Role(slot.role) if slot.role else None
    return noting_unsigned(Unlocked(db_key, key_file, user, role, keys=keys))


def _require_authentic(raw: bytes, db_key: bytes) -> None:
    """Refuse a key document whose MAC was not made with `db_key` (edited outside wijkteam)."""
    if not mac_ok(raw, db_key):
        raise KeyFileError(
            "De sleutels van dit register zijn buiten wijkteam om gewijzigd. Er is niets geopend."
        )
