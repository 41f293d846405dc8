"""The cryptographic building blocks of the key file: Argon2id, sealing, subkeys.

A slot's private keys are encrypted with AES-256-GCM under a key derived from its passphrase
with Argon2id (`derive_key`); the database key is sealed to the slot's X25519 public key
(`seal`: ephemeral-static ECDH, HKDF, AES-256-GCM), so a teamleider can give every slot a new
database key without knowing anyone's passphrase (store/keys/rekey.py).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DB_KEY_BYTES = 32
RECOVERY_KEY_BYTES = 20
#: A slot's private keys: its X25519 key, and for a teamleider or the recovery slot also the
#: seed of the register's Ed25519 signing key.
BOX_KEY_BYTES = 32
SIGNING_SEED_BYTES = 32
#: A sealed database key: ephemeral X25519 public key, nonce, AES-GCM ciphertext and tag.
SEALED_BYTES = 32 + 12 + DB_KEY_BYTES + 16
GRANT_BYTES = 64

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


def new_slot_cost() -> KdfCost:
    """The Argon2id cost for slots written now: production, unless the test suite runs.

    The light test setting is honoured only while pytest drives the program (it sets
    PYTEST_CURRENT_TEST, also for the processes a test starts), so that a stray
    WIJKTEAM_KDF=test in someone's environment cannot make a register with weak slots."""
    under_tests = "PYTEST_CURRENT_TEST" in os.environ
    return TEST_KDF if under_tests and os.environ.get(KDF_PROFILE_ENV) == "test" else PRODUCTION_KDF


def weaker(cost: KdfCost, than: KdfCost) -> bool:
    return cost.iterations < than.iterations or cost.memory_cost < than.memory_cost


def new_database_key() -> bytes:
    return secrets.token_bytes(DB_KEY_BYTES)


def private_keys(box_private: X25519PrivateKey, signing_key: Ed25519PrivateKey | None) -> bytes:
    raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw
    none = serialization.NoEncryption()
    box = box_private.private_bytes(*raw, none)
    return box + (signing_key.private_bytes(*raw, none) if signing_key else b"")


def seal(db_key: bytes | bytearray, box_public: bytes, register_id: str) -> bytes:
    """`db_key` sealed to an X25519 public key (ephemeral-static ECDH, HKDF, AES-256-GCM)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(box_public))
    nonce = secrets.token_bytes(12)
    key = _seal_key(shared, ephemeral_public, box_public)
    aad = canonical({"register_id": register_id, "box_public": b64(box_public)})
    return ephemeral_public + nonce + AESGCM(key).encrypt(nonce, bytes(db_key), aad)


def unseal(sealed: bytes, box_private: X25519PrivateKey, register_id: str) -> bytes:
    ephemeral_public, nonce, ciphertext = sealed[:32], sealed[32:44], sealed[44:]
    box_public = box_private.public_key().public_bytes_raw()
    shared = box_private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _seal_key(shared, ephemeral_public, box_public)
    aad = canonical({"register_id": register_id, "box_public": b64(box_public)})
    return AESGCM(key).decrypt(nonce, ciphertext, aad)


def _seal_key(shared: bytes, ephemeral_public: bytes, box_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"wijkteam slot").derive(
        shared + ephemeral_public + box_public
    )


def derive_key(secret: str, salt: bytes, cost: KdfCost) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=cost.iterations,
        lanes=cost.lanes,
        memory_cost=cost.memory_cost,
    ).derive(secret.encode("utf-8"))


def derive_subkey(db_key: bytes, purpose: str) -> bytes:
    """A key for one purpose (the key file MAC, the audit chain), derived from the database key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        db_key
    )


def seal_secret(key: bytes, secret: bytes, aad: bytes) -> str:
    """`secret` sealed with AES-256-GCM under `key` (a subkey of one purpose), bound to `aad`:
    base64 of nonce and ciphertext, for a text column."""
    nonce = secrets.token_bytes(12)
    return b64(nonce + AESGCM(key).encrypt(nonce, secret, aad))


def open_secret(key: bytes, sealed: str, aad: bytes) -> bytes:
    """What `seal_secret` sealed; InvalidTag for another key, another `aad` or a changed byte."""
    raw = unb64(sealed)
    return AESGCM(key).decrypt(raw[:12], raw[12:], aad)


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
