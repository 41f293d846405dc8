"""The key document: its slots, their signed roles, and its checksum and MAC.

- every slot's role is *granted*: signed with the register's Ed25519 key, whose private half is
  kept only in teamleider slots and the recovery slot; a role without a valid grant is refused;
- a slot's header (register id, signer, kind, user, role, public key, KDF parameters) is the
  associated data of its encrypted private keys, so editing any of it fails at the tag;
- the document carries a SHA-256 checksum (finds a damaged file before any passphrase is asked)
  and an HMAC keyed from the database key (finds an edited file once a slot is open). Both
  cover each slot's encrypted private keys by their SHA-256 (version 3), so that a team server
  can withhold a colleague's slot from a medewerker and the document still checks.

Version 2 is still read; version 1 (before signed roles) only by `db upgrade` (rekey.py).
"""

from __future__ import annotations

import binascii
import dataclasses
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.store.keys.primitives import (
    BOX_KEY_BYTES,
    GRANT_BYTES,
    MAX_KDF,
    MAX_KDF_WORK,
    SEALED_BYTES,
    SIGNING_SEED_BYTES,
    KdfCost,
    b64,
    canonical,
    derive_subkey,
    seal,
    unb64,
)

FORMAT = "wijkteam-sleutelbestand"
#: Version 3: the checksum and the MAC cover each slot's encrypted private keys by their
#: SHA-256 (`_covered`), so that a document with colleagues' slots withheld (what a team server
#: shows a medewerker, store/server/roles.py) is checked, and changed, as the whole.
FORMAT_VERSION = 3
#: Version 2 covered the slots' encrypted keys themselves; still read, written as version 3.
WHOLE_FORM_VERSION = 2
#: The version before signed roles and sealed slots; only `db upgrade` reads it (rekey.py).
LEGACY_VERSION = 1
RECOVERY_KIND = "recovery"
USER_KIND = "user"
#: Key file extra: who was deactivated since the database key last changed.
REKEY_DUE = "rekey_due"
#: Limits on the file itself, checked before and while it is parsed.
MAX_KEY_FILE_BYTES = 256 * 1024
MAX_SLOTS = 256


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
            "signer": b64(signer),
            "kind": self.kind,
            "user": self.user,
            "role": self.role,
            "box_public": b64(self.box_public),
            "kdf": _kdf_json(self.salt, self.cost),
        }
        if self.must_change:
            fields["must_change"] = True
        return canonical(fields)

    def grant_message(self, register_id: str) -> bytes:
        """What the register's signing key signs to grant this slot its role."""
        return canonical(
            {
                "purpose": "wijkteam rol",
                "register_id": register_id,
                "kind": self.kind,
                "user": self.user,
                "role": self.role,
                "box_public": b64(self.box_public),
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
            dataclasses.replace(s, sealed_key=seal(db_key, s.box_public, self.register_id))
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
        """Who was deactivated while the database key could not be renewed (store/keys/rekey.py):
        until it is, what they knew still opens the database."""
        names = self.extra.get(REKEY_DUE)
        return [str(n) for n in names] if isinstance(names, list) else []

    @property
    def generation(self) -> int:
        """How many times this key file has been written; the newer of two copies is higher."""
        value = self.extra.get("generation", 0)
        return value if type(value) is int and value >= 0 else 0


OLD_VERSION = "van een oudere versie (1, zonder ondertekende rollen)"


def parse_key_document(raw: bytes) -> tuple[KeyFile | None, str | None]:
    """(key file, None), or (None, a Dutch description of what is wrong with `raw`)."""
    if len(raw) > MAX_KEY_FILE_BYTES:
        return None, "te groot voor een sleutelbestand"
    try:
        return parse(raw), None
    except UnusableKeyFile as unusable:
        return None, unusable.reason


def key_document(key_file: KeyFile, db_key: bytes | bytearray) -> bytes:
    """The key file as kept: its body, a checksum and a MAC keyed from `db_key`."""
    body = _body(key_file)
    covered = canonical(_covered(body))
    document = {
        **body,
        "checksum": hashlib.sha256(covered).hexdigest(),
        "mac": hmac.new(_mac_key(bytes(db_key)), covered, hashlib.sha256).hexdigest(),
    }
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _body(key_file: KeyFile) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "register_id": key_file.register_id,
        "created_at": key_file.created_at,
        "signer": b64(key_file.signer),
        "slots": [
            {
                "kind": s.kind,
                "user": s.user,
                "role": s.role,
                "kdf": _kdf_json(s.salt, s.cost),
                "box_public": b64(s.box_public),
                "sealed_key": b64(s.sealed_key),
                **({"secret_sha256": s.withheld} if s.withheld else {"secret": b64(s.secret)}),
                "grant": b64(s.grant),
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
    digest = hashlib.sha256(unb64(slot["secret"])).hexdigest()
    return {**{k: v for k, v in slot.items() if k != "secret"}, "secret_sha256": digest}


def document_checksum(body: dict[str, Any]) -> str:
    """The checksum of a key document's body (without checksum and MAC), for its version."""
    return hashlib.sha256(canonical(_covered(body))).hexdigest()


class UnusableKeyFile(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse(raw: bytes) -> KeyFile:
    """The key file in `raw`, every part of it checked; raises UnusableKeyFile with the reason."""
    damaged = UnusableKeyFile("beschadigd")
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        checksum = document.pop("checksum")
        document.pop("mac")
        if document.get("format") == FORMAT and document.get("version") == LEGACY_VERSION:
            raise UnusableKeyFile(OLD_VERSION)
        version = document.get("version")
        if document.get("format") != FORMAT or version not in (WHOLE_FORM_VERSION, FORMAT_VERSION):
            raise UnusableKeyFile("geen wijkteam-sleutelbestand van een bekende versie")
        if not isinstance(checksum, str) or not hmac.compare_digest(
            document_checksum(document), checksum
        ):
            raise damaged
        if not isinstance(document["slots"], list) or len(document["slots"]) > MAX_SLOTS:
            raise damaged
        signer = unb64(document["signer"])
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
        raise UnusableKeyFile("voorzien van ongeldige sleutelparameters") from None
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


def mac_ok(raw: bytes, db_key: bytes | bytearray) -> bool:
    """Whether the key document `raw` was written by someone who holds `db_key`."""
    try:
        document = json.loads(raw.decode("utf-8"))
        document.pop("checksum")
        mac = document.pop("mac")
        covered = canonical(_covered(document))
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
        secret = unb64(data["secret"])
    elif not (isinstance(withheld, str) and re.fullmatch("[0-9a-f]{64}", withheld)):
        raise ValueError("a withheld secret is known by its SHA-256")
    else:
        secret = b""
    slot = Slot(
        kind=kind,
        user=user,
        role=role,
        salt=unb64(kdf["salt"]),
        cost=cost,
        box_public=unb64(data["box_public"]),
        sealed_key=unb64(data["sealed_key"]),
        secret=secret,
        grant=unb64(data["grant"]),
        must_change=must_change,
        withheld=withheld,
    )
    # Whether the keys fit the role is checked once they are decrypted (open_slot).
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
        "salt": b64(salt),
        "iterations": cost.iterations,
        "lanes": cost.lanes,
        "memory_cost": cost.memory_cost,
    }


def _mac_key(db_key: bytes) -> bytes:
    return derive_subkey(db_key, "wijkteam key file mac")
