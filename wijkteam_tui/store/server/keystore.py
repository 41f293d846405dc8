"""The key slots on a team server: the table `key_store`, holding the same signed document as
a local key file, read and rewritten only through the server's checked functions.
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from wijkteam_tui.errors import (
    KeyFileError,
    RegisterError,
    RoleError,
    WijkteamError,
)
from wijkteam_tui.store.address import ServerAddress
from wijkteam_tui.store.keys.keyfile import (
    KeyFile,
    key_document,
    mac_ok,
    parse_key_document,
)
from wijkteam_tui.store.keys.primitives import (
    derive_subkey,
    open_secret,
    seal_secret,
)
from wijkteam_tui.store.keys.storage import Login
from wijkteam_tui.store.server.connection import (
    ROW_LOCKED,
    login_secret,
    scram_verifier,
    server_fault,
)
from wijkteam_tui.store.server.roles import (
    close_login,
    set_login,
)
from wijkteam_tui.store.transactions import (
    BEGIN_OPTION,
)

#: Key document extra: the audit chain's key, sealed with the register key.
AUDIT_KEY = "audit_key_sealed"
#: The key slots as this login may see them: a medewerker sees a colleague's slot without its
#: encrypted private keys (store/server/roles.py, `keys_read`).
KEYS_READ = "SELECT document, generation FROM keys_read()"


class ServerKeys:
    """The register's key slots in the table `key_store`: one signed document, as a local
    key file holds it. It changes only through the server's `keys_write`, which keeps every
    earlier version in `key_history` and takes the next generation only: two people changing
    the slots at once cannot both win, and the one who lost tries again on what the other
    wrote. The logins a change implies (`Login`) change in the same transaction."""

    #: How often a change is tried again after a colleague changed the slots first.
    TRIES = 5

    def __init__(self, engine: Engine, address: ServerAddress) -> None:
        self.engine = engine
        self.address = address

    def read(self) -> tuple[bytes, KeyFile]:
        """The key document as kept (for its MAC, once a slot is open) and parsed."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(KEYS_READ).first()
        if row is None:
            raise KeyFileError(f"De sleutels van {self.address} ontbreken; is het een register?")
        raw = bytes(row[0] or b"")
        key_file, problem = parse_key_document(raw)
        if key_file is None:
            raise KeyFileError(f"De sleutels van {self.address} zijn {problem or 'beschadigd'}.")
        return raw, key_file

    def current(self) -> KeyFile:
        return self.read()[1]

    def write_new(self, key_file: KeyFile, db_key: bytes) -> int:
        raise AssertionError("a server register gets its keys from create_server_register")

    def rewrite(
        self,
        db_key: bytes,
        change: Callable[[KeyFile], KeyFile],
        *,
        login: Login | None = None,
        new_key: bytes | None = None,
    ) -> tuple[KeyFile, int]:
        """Apply `change` to the slots as they are now (checked with `db_key`) and keep the
        result, its MAC keyed with `new_key` when the register key changes with it."""
        for attempt in range(self.TRIES):
            try:
                with self.engine.execution_options(**{BEGIN_OPTION: ROW_LOCKED}).begin() as conn:
                    current, generation = self._checked(conn, db_key)
                    changed = keep(conn, change(current), new_key or db_key, generation + 1)
                    if login is not None:
                        apply_login(conn, self.address, login)
                return changed, generation + 1
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) != "40001" or attempt == self.TRIES - 1:
                    raise server_fault(exc.orig) or _refusal(exc) from exc
        raise AssertionError("unreachable")

    def _checked(self, conn: Connection, db_key: bytes | bytearray) -> tuple[KeyFile, int]:
        row = conn.exec_driver_sql(KEYS_READ).first()
        if row is None:
            raise KeyFileError(f"De sleutels van {self.address} ontbreken.")
        raw, generation = bytes(row[0] or b""), int(row[1])
        current, problem = parse_key_document(raw)
        if current is None or not mac_ok(raw, db_key):
            what = problem or "gewijzigd buiten wijkteam om"
            raise KeyFileError(
                f"De sleutels van {self.address} zijn {what}; er is niets gewijzigd."
            )
        return current, generation


def keep(
    conn: Connection, key_file: KeyFile, db_key: bytes | bytearray, generation: int
) -> KeyFile:
    """Write `key_file` as the slots' `generation` through `keys_write`, its MAC keyed with
    `db_key`."""
    kept = key_file.with_extra(generation=generation)
    conn.execute(
        text("SELECT keys_write(:d, :g)"),
        {"d": key_document(kept, db_key), "g": generation},
    )
    return kept


def _refusal(exc: DBAPIError) -> WijkteamError:
    """A change the server refused (a check in one of the register's functions)."""
    if getattr(exc.orig, "sqlstate", None) == "42501":
        primary = getattr(getattr(exc.orig, "diag", None), "message_primary", None)
        return RoleError(
            f"De server weigert dit: {primary or 'geen recht'}. Er is niets gewijzigd."
        )
    return RegisterError(f"De sleutels konden niet worden gewijzigd ({exc.orig}).")


def apply_login(conn: Connection, address: ServerAddress, login: Login) -> None:
    """Give `login` effect on the server: a new role, a new password or no login at all, each
    through the register's own functions (store/server/roles.py)."""
    if not login.active:
        close_login(conn, address, login.user)
        return
    assert login.secret is not None
    verifier = scram_verifier(conn, login.user, login_secret(login.user, login.secret))
    set_login(conn, address, login.user, verifier, role=login.role)


def seal_audit_key(audit_key: bytes, db_key: bytes | bytearray) -> str:
    """The audit chain's key, encrypted with a key derived from the register key."""
    return seal_secret(derive_subkey(bytes(db_key), "wijkteam audit key seal"), audit_key, b"audit")


def unseal_audit_key(key_file: KeyFile, db_key: bytes | bytearray) -> bytes:
    sealed = key_file.extra.get(AUDIT_KEY)
    try:
        return open_secret(
            derive_subkey(bytes(db_key), "wijkteam audit key seal"), str(sealed), b"audit"
        )
    except (ValueError, InvalidTag):
        raise KeyFileError(
            "De sleutel van het auditlog in de sleutels van dit register is onleesbaar of"
            " gewijzigd. Er is niets geopend."
        ) from None
