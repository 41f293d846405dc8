"""Signing in to a register on a team server: the person's own login, then their key slot.
What comes back is finished into an opened register by store/opening.py, as for a local one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from wijkteam_tui.domain.accounts import validate_passphrase, validate_user_name
from wijkteam_tui.errors import AuthenticationError, OneTimePassphraseError, WijkteamError
from wijkteam_tui.store.address import ServerAddress
from wijkteam_tui.store.keys.changes import set_user_passphrase
from wijkteam_tui.store.keys.slots import Unlocked, open_recovery_slot, open_user_slot
from wijkteam_tui.store.keys.unlock import ONE_TIME_REFUSAL
from wijkteam_tui.store.server.connection import login_secret, make_server_engine, server_fault
from wijkteam_tui.store.server.keystore import ServerKeys, unseal_audit_key


def unlock(
    address: ServerAddress, user: str, passphrase: str, *, one_time_ok: bool = False
) -> tuple[Engine, ServerKeys, Unlocked]:
    """Sign in as `user` and open their key slot: (engine, key store, unlocked)."""
    validate_user_name(user)
    engine = make_server_engine(address, address.login_role(user), login_secret(user, passphrase))
    try:
        keys = ServerKeys(engine, address)
        raw, key_file = keys.read()
        unlocked = open_user_slot(key_file, raw, user, passphrase)
        slot = key_file.user_slot(user)
        if slot is not None and slot.must_change and not one_time_ok:
            unlocked.forget()
            raise OneTimePassphraseError(ONE_TIME_REFUSAL)
    except BaseException:
        engine.dispose()
        raise
    return engine, keys, unlocked


def recover(
    address: ServerAddress,
    user: str,
    recovery_key: str,
    new_passphrase: str,
    *,
    server_password: str,
) -> None:
    """A new passphrase for `user` with the register's recovery key, when it is forgotten
    (perhaps by the only teamleider). The person's role cannot sign in with a passphrase they
    no longer know: the server's operator gives it a temporary password (`server_password`)
    for this once. The slot and the login change in one transaction; afterwards only the new
    passphrase opens either."""
    validate_user_name(user)
    validate_passphrase(new_passphrase)
    engine = make_server_engine(address, address.login_role(user), server_password)
    try:
        keys = ServerKeys(engine, address)
        raw, key_file = keys.read()
        if key_file.user_slot(user) is None:
            raise AuthenticationError(f"Gebruiker '{user}' bestaat niet in dit register.")
        unlocked = open_recovery_slot(key_file, raw, recovery_key)
        try:
            set_user_passphrase(keys, unlocked, user, new_passphrase)
        finally:
            unlocked.forget()
    finally:
        engine.dispose()


@dataclass(frozen=True)
class SignedIn:
    """A person signed in to a team server with their key slot open: what store/opening.py
    needs to finish the opening (`open_on_engine`)."""

    engine: Engine
    keys: ServerKeys
    unlocked: Unlocked
    audit_key: bytes
    fault: Callable[[BaseException | None], WijkteamError | None]


def sign_in(
    address: ServerAddress, user: str, passphrase: str, *, one_time_ok: bool = False
) -> SignedIn:
    """Sign in and open the slot and the audit chain's key (sealed among the slots)."""
    engine, keys, unlocked = unlock(address, user, passphrase, one_time_ok=one_time_ok)
    try:
        audit_key = unseal_audit_key(unlocked.key_file, unlocked.db_key)
    except BaseException:
        engine.dispose()
        unlocked.forget()
        raise
    return SignedIn(engine, keys, unlocked, audit_key, lambda exc: server_fault(exc, address))
