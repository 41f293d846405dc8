"""Earlier versions of a team server's key slots, and putting one back.

The server keeps every key document that was replaced (`key_history`, store/server/roles.py),
whoever replaced it: through `keys_write`, or with the server's own tools. When the current
one is damaged or was written badly, a teamleider lists the versions (`wijkteam db keys`) and
puts one back (`wijkteam db keys --restore N`) with nothing but wijkteam and their own
passphrase: their slot in that version opens it, its signatures and MAC are checked as at an
unlock, and it becomes the next generation (the damaged one stays in the history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import KeyFileError, RoleError, UsageError
from wijkteam_tui.store.address import ServerAddress
from wijkteam_tui.store.keys.keyfile import parse_key_document
from wijkteam_tui.store.keys.slots import open_user_slot
from wijkteam_tui.store.server.connection import (
    ROW_LOCKED,
    login_secret,
    make_server_engine,
    server_fault,
)
from wijkteam_tui.store.server.keystore import keep
from wijkteam_tui.store.transactions import BEGIN_OPTION

REFUSAL = "Alleen een teamleider ziet en herstelt eerdere versies van de sleutels."


@dataclass(frozen=True, slots=True)
class KeyVersion:
    generation: int
    #: When it was replaced, and by whom (the PostgreSQL role that did it).
    replaced_at: datetime | None
    replaced_by: str
    #: Who had a slot in it; empty when the document is unreadable.
    users: tuple[str, ...]
    #: Why it cannot be put back as it is ("" when it is readable).
    problem: str = ""


def key_versions(address: ServerAddress, user: str, passphrase: str) -> list[KeyVersion]:
    """Every version of the key slots, the current one first (teamleider)."""
    engine = _signed_in(address, user, passphrase)
    try:
        with engine.connect() as conn:
            current = conn.exec_driver_sql(
                "SELECT generation, NULL, '', document FROM key_store"
            ).all()
            earlier = conn.exec_driver_sql(
                "SELECT generation, replaced_at, replaced_by, document FROM key_history"
                " ORDER BY generation DESC"
            ).all()
    except DBAPIError as exc:
        raise _refused(exc) from exc
    finally:
        engine.dispose()
    return [_version(*row) for row in [*current, *earlier]]


def restore_key_version(
    address: ServerAddress, user: str, passphrase: str, generation: int
) -> KeyVersion:
    """Put the key slots of `generation` back as the next generation (teamleider): `user`'s
    slot in it must open with `passphrase`. Returns what is current now."""
    engine = _signed_in(address, user, passphrase)
    try:
        writing = engine.execution_options(**{BEGIN_OPTION: ROW_LOCKED})
        with writing.begin() as conn:
            row = conn.execute(
                text("SELECT document FROM key_history WHERE generation = :g"), {"g": generation}
            ).first()
            if row is None:
                raise UsageError(f"Er is geen eerdere versie {generation} van de sleutels.")
            raw = bytes(row[0])
            key_file, problem = parse_key_document(raw)
            if key_file is None:
                raise KeyFileError(f"Versie {generation} van de sleutels is {problem}.")
            unlocked = open_user_slot(key_file, raw, user, passphrase)
            try:
                if unlocked.role is not Role.TEAMLEIDER:
                    raise RoleError(REFUSAL)
                newest = int(conn.exec_driver_sql("SELECT generation FROM key_store").scalar_one())
                kept = keep(conn, key_file, unlocked.db_key, newest + 1)
            finally:
                unlocked.forget()
    except DBAPIError as exc:
        raise _refused(exc) from exc
    finally:
        engine.dispose()
    return KeyVersion(newest + 1, None, "", tuple(name for name, _role in kept.users()))


def _signed_in(address: ServerAddress, user: str, passphrase: str) -> Engine:
    return make_server_engine(address, address.login_role(user), login_secret(user, passphrase))


def _version(generation: int, at: datetime | None, by: str, document: bytes) -> KeyVersion:
    key_file, problem = parse_key_document(bytes(document))
    users = tuple(name for name, _role in key_file.users()) if key_file else ()
    return KeyVersion(int(generation), at, by or "", users, problem or "")


def _refused(exc: DBAPIError) -> Exception:
    if getattr(exc.orig, "sqlstate", None) == "42501":
        return RoleError(REFUSAL)
    return server_fault(exc.orig) or KeyFileError(
        f"De sleutels konden niet worden gelezen of hersteld ({exc.orig})."
    )
