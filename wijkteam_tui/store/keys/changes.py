"""Changing the slots: a new register's key file, a new user, a new or reset passphrase.

Every change is applied to the document as it is kept now, one writer at a time
(`KeyStore.rewrite`), so two people changing it at once do not write over each other.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from wijkteam_tui.domain.accounts import (
    validate_new_user_name,
    validate_passphrase,
    validate_user_name,
)
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AuthenticationError,
    RoleError,
    UsageError,
)
from wijkteam_tui.store.keys.keyfile import RECOVERY_KIND, USER_KIND, KeyFile
from wijkteam_tui.store.keys.primitives import BOX_KEY_BYTES, new_database_key, private_keys
from wijkteam_tui.store.keys.slots import (
    Unlocked,
    lock_slot,
    make_slot,
    new_recovery_key,
    normalise_recovery_key,
)
from wijkteam_tui.store.keys.storage import KeyStore, Login, keys_at

#: The documented passphrase of the demo register (`wijkteam demo`), which holds only
#: generated, fictitious people.
DEMO_PASSPHRASE = "demo"


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
    keys = private_keys(box_private, signing_key if slots[0].holds_signing_key else None)
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
            slot = lock_slot(
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
