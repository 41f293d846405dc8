"""A register on a team server: PostgreSQL, with the same models, migrations and services.

Everything PostgreSQL-specific lives here, beside `store/sqlite/` (SQLite and SQLCipher).

- **Who signs in.** Every person has their own PostgreSQL role (SCRAM-SHA-256), named
  `<user>@<database>` (store/server_roles.py). Its password is derived from their passphrase
  with Argon2id (`login_secret`), so the server keeps nothing that is cheaper to guess than
  the person's key slot, and the passphrase itself never reaches the server: wijkteam sends
  a SCRAM verifier libpq computed on this side (`scram_verifier`). Nobody else on the server may
  connect to the database.
- **What the server enforces** is in store/server_roles.py: no login may edit the audit log,
  the structure or anyone else's login or key slot except through the register's checked
  functions.
- **The keys.** The key slots live in the table `key_store`, as the same signed document as
  a local key file (store/keys/): the register key, which keys the audit chain, is still
  unwrapped only with the person's passphrase. On a server that key encrypts no database (the
  operator encrypts the server's disks); it seals the audit chain's key (`AUDIT_KEY`). A
  medewerker reads a colleague's slot without its encrypted private keys (`KEYS_READ`), so
  nobody can guess a colleague's passphrase offline.
- **Writing.** Every write transaction first takes the register's one advisory lock, as
  `BEGIN IMMEDIATE` does locally: the audit log is one chain, so its events are written one
  transaction at a time. A transaction runs READ COMMITTED from there, so the version column
  still refuses an edit of a record someone changed in the meantime. Reading is REPEATABLE
  READ: a screen reads one consistent state.
- **Freshness.** A transaction that wrote sends `NOTIFY wijkteam` at its commit; a screen
  listens on a connection of its own (`ChangeListener`, behind `freshness.watch`).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from wijkteam_tui.domain.accounts import validate_passphrase, validate_user_name
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AccessEndedError,
    AuthenticationError,
    KeyFileError,
    OneTimePassphraseError,
    RegisterError,
    RoleError,
    ServerUnreachableError,
    WijkteamError,
    WrongPassphraseError,
)
from wijkteam_tui.store.address import ServerAddress
from wijkteam_tui.store.keys.changes import new_key_file, set_user_passphrase
from wijkteam_tui.store.keys.keyfile import (
    REKEY_DUE,
    KeyFile,
    key_document,
    mac_ok,
    parse_key_document,
)
from wijkteam_tui.store.keys.primitives import (
    derive_key,
    derive_subkey,
    new_database_key,
    new_slot_cost,
)
from wijkteam_tui.store.keys.slots import Unlocked, open_recovery_slot, open_user_slot
from wijkteam_tui.store.keys.storage import Login
from wijkteam_tui.store.keys.unlock import ONE_TIME_REFUSAL
from wijkteam_tui.store.server_roles import (
    SCHEMA,
    close_login,
    grant_work,
    make_roles,
    make_server_objects,
    quoted,
    set_login,
)
from wijkteam_tui.store.transactions import (
    BEGIN_OPTION,
    BUSY_TIMEOUT_MS,
    WAIT_NOTICE_MS,
    WAITING_OPTION,
)

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register

CHANNEL = "wijkteam"
#: The advisory lock every write transaction takes first (one register per database).
WRITE_LOCK = 0x77696A6B  # "wijk"
#: Key document extra: the audit chain's key, sealed with the register key.
AUDIT_KEY = "audit_key_sealed"
_LOGIN_SALT = b"wijkteam server login\x00"


# --- signing in -------------------------------------------------------------------------------


def login_secret(user: str, passphrase: str) -> str:
    """The password of `user`'s PostgreSQL role: Argon2id of the passphrase (the cost of a new
    key slot), so that the server's SCRAM verifier is no cheaper to guess than the slot."""
    salt = hashlib.sha256(_LOGIN_SALT + user.encode("utf-8")).digest()[:16]
    return base64.b64encode(derive_key(passphrase, salt, new_slot_cost())).decode()


def scram_verifier(conn: Connection, role: str, password: str) -> str:
    """A SCRAM-SHA-256 verifier, made by libpq itself (PQencryptPasswordConn, with the server's
    iteration count): the server stores it, and the password is never sent. libpq asks for the
    `role`, though SCRAM does not use it."""
    driver = conn.connection.driver_connection
    assert driver is not None
    verifier: bytes = driver.pgconn.encrypt_password(
        password.encode("utf-8"), role.encode("utf-8"), b"scram-sha-256"
    )
    return verifier.decode("ascii")


def make_server_engine(address: ServerAddress, role: str, password: str | None) -> Engine:
    """An engine signed in as the PostgreSQL `role` (with `password`; a local socket may
    check the account instead), in the schema `wijkteam`.
    The first connection is made here, so that a wrong password or an unreachable server is
    reported at once and in Dutch."""
    options = f"-c search_path={SCHEMA} -c timezone=UTC"
    url = address.url.set(username=role, password=password)
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=3,
        max_overflow=3,
        pool_use_lifo=True,
        pool_timeout=30,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"options": options, "application_name": "wijkteam", "connect_timeout": 10},
    )
    event.listen(engine, "begin", _begin)
    event.listen(engine, "commit", _notify_if_written)
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise connect_fault(exc.orig, address, role) from exc
    return engine


#: A transaction that changes only the key slots (READ COMMITTED, without the write lock: a
#: write transaction holding it may change the slots, as at close); `keys_write` on the server
#: takes the row's lock and refuses a generation someone else already wrote.
ROW_LOCKED = "ROW"


def _begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    mode = options.get(BEGIN_OPTION)
    if mode == ROW_LOCKED:
        return
    if mode != "IMMEDIATE":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return
    # On the driver's connection, as sqlite/connection.py does for SQLite: an error here must not make
    # SQLAlchemy roll back a transaction it does not know has begun.
    raw = conn.connection.dbapi_connection
    assert raw is not None
    lock = f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"
    if raw.execute(f"SELECT pg_try_advisory_xact_lock({WRITE_LOCK})").fetchone()[0]:
        return
    waiting = options.get(WAITING_OPTION)
    try:
        # Wait for the colleague's write; after WAIT_NOTICE_MS the person is told so.
        raw.execute(f"SET LOCAL lock_timeout = {WAIT_NOTICE_MS}")
        raw.execute("SAVEPOINT wijkteam_wait")
        try:
            raw.execute(lock)
        except psycopg.errors.LockNotAvailable:
            raw.execute("ROLLBACK TO SAVEPOINT wijkteam_wait")
            if waiting is not None:
                waiting()
            raw.execute(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS - WAIT_NOTICE_MS}")
            raw.execute(lock)
        raw.execute("RELEASE SAVEPOINT wijkteam_wait")
        raw.execute("SET LOCAL lock_timeout TO DEFAULT")
    except psycopg.errors.LockNotAvailable:
        raise server_fault(psycopg.errors.LockNotAvailable()) or RegisterError("bezet") from None


def _notify_if_written(conn: Connection) -> None:
    # Reads commit without a word (no round trip on the hot path). Of the writes, only one
    # that changed something has a transaction id: an empty write stays quiet too.
    if conn.get_execution_options().get(BEGIN_OPTION) not in ("IMMEDIATE", ROW_LOCKED):
        return
    raw = conn.connection.dbapi_connection
    if raw is not None:
        raw.execute(
            "SELECT pg_notify(%s, '') WHERE pg_current_xact_id_if_assigned() IS NOT NULL",
            (CHANNEL,),
        )


def connect_fault(exc: BaseException | None, address: ServerAddress, role: str) -> WijkteamError:
    """What a failed connection of `role` means, in Dutch (a person's login named as their
    wijkteam user)."""
    user = role.removesuffix(f"@{address.database}")
    state = getattr(exc, "sqlstate", None)
    message = str(exc or "")
    if role == address.setup_role and (
        "no password supplied" in message or "password authentication failed" in message
    ):
        return AuthenticationError(
            f"De rol '{role}' van de beheerder van {address} heeft een eenmalig wachtwoord"
            " nodig, in $PGPASSWORD: vraag de beheerder van de server. Er is niets gewijzigd."
        )
    if state in ("28P01", "28000") or "password authentication failed" in message:
        return WrongPassphraseError(
            f"Wachtwoord onjuist voor gebruiker '{user}', of '{user}' heeft geen toegang tot"
            f" {address}."
        )
    if "not permitted to log in" in message:
        return AuthenticationError(
            f"Gebruiker '{user}' heeft geen toegang (meer) tot {address}; vraag de teamleider."
        )
    refusals = (
        (state == "3D000", f"De database van {address} bestaat niet (vraag de beheerder)."),
        (
            state in ("42704", "42501") or "does not exist" in message,
            f"'{user}' heeft geen toegang tot de database van {address}. Vraag de teamleider om"
            " u toe te voegen ('wijkteam user add').",
        ),
        (
            "certificate" in message or "ssl" in message.lower(),
            f"Er is geen veilige verbinding met {address}: het certificaat van de server kon"
            f" niet worden gecontroleerd ({_first_line(message)}). Er is niets verzonden.",
        ),
    )
    said = next((text for applies, text in refusals if applies), None)
    return RegisterError(
        said
        or f"De server {address} is niet bereikbaar ({_first_line(message)}). Er is niets"
        " gewijzigd."
    )


#: What someone is told whose login was closed (or got a new password) while they worked.
ACCESS_ENDED = (
    "Uw toegang tot dit register is beëindigd: u bent uitgeschakeld, of de teamleider gaf u een"
    " nieuw wachtwoord. Er is niets meer opgeslagen; het register is gesloten."
)
#: What a libpq error says when the server cannot be reached (or went away).
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "server closed the connection",
    "connection is closed",
    "connection timeout",
    "timeout expired",
    "no route to host",
    "the database system is shutting down",
    "the database system is starting up",
    "consuming input failed",
)


def server_fault(
    exc: BaseException | None, address: ServerAddress | None = None
) -> WijkteamError | None:
    """What an error during work on the server means (None: an error of the program itself)."""
    state = str(getattr(exc, "sqlstate", "") or "")
    message = str(exc or "").lower()
    if "not permitted to log in" in message or "password authentication failed" in message:
        return AccessEndedError(ACCESS_ENDED)
    if state in ("57P01", "57P02", "57P03") or any(m in message for m in _UNREACHABLE):
        where = f"De server {address}" if address is not None else "De server"
        return ServerUnreachableError(
            f"{where} is niet bereikbaar; er is niets opgeslagen. Wat u typte blijft staan;"
            " wijkteam gaat verder zodra de server er weer is."
        )
    if state == "55P03" or isinstance(
        exc, psycopg.errors.LockNotAvailable
    ):  # lock_not_available: the write lock was not free in time
        return RegisterError(
            "Een collega is al lang bezig met opslaan; er is niets opgeslagen. Probeer het zo"
            " nog eens."
        )
    if state.startswith("08"):
        return RegisterError(
            "De verbinding met de server is verbroken; er is niets opgeslagen. Probeer het opnieuw."
        )
    if state == "53100":
        return RegisterError("De schijf van de server is vol; er is niets opgeslagen.")
    return None


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "onbekende fout"
    return line.removeprefix("connection failed: ")


# --- the key slots ----------------------------------------------------------------------------


def migrate(engine: Engine, address: ServerAddress) -> Any:
    """Bring a server's register up to date, as the owner role under the write lock: only the
    operator's set-up role may (the structure is the owner's, and no colleague is a member of
    it); its DDL is transactional, so a failure leaves it as it was."""
    from alembic import command

    from wijkteam_tui.errors import MigrationError
    from wijkteam_tui.store.migrate import (
        HEAD_REVISION,
        MigrationReport,
        current_revision,
        head_revision,
        migration_config,
        run_alembic_on,
        stored_revision,
    )

    if stored_revision(engine) == HEAD_REVISION:
        return None
    head = head_revision()
    before = current_revision(engine)
    writing = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
    try:
        with writing.connect() as conn, conn.begin():
            try:
                conn.exec_driver_sql(f"SET LOCAL ROLE {quoted(address.owner_role)}")
            except DBAPIError:
                raise MigrationError(
                    f"Het register op {address} moet worden bijgewerkt naar versie {head}; dat"
                    " doet de beheerder van de server met 'wijkteam db upgrade' (zie de"
                    " README). Er is niets gewijzigd."
                ) from None
            run_alembic_on(conn, migration_config(), command.upgrade, "head")
            grant_work(conn, address)
    except MigrationError:
        raise
    except Exception as exc:
        raise MigrationError(
            f"Het bijwerken van het register naar versie {head} is mislukt ({type(exc).__name__})."
            " Er is niets gewijzigd: het register werkt zoals voorheen."
        ) from exc
    return MigrationReport(before, head, None)


def upgrade(address: ServerAddress, password: str | None) -> Any:
    """`db upgrade` on a server: the operator's set-up role brings the structure up to date
    (signed in with `password`, which stops working afterwards, as at `init`)."""
    engine = make_server_engine(address, address.setup_role, password)
    try:
        report = migrate(engine, address)
        # The server's own functions, triggers and grants as this version of wijkteam has
        # them, also when the tables were already up to date.
        with engine.begin() as conn:
            conn.exec_driver_sql(f"SET LOCAL ROLE {quoted(address.owner_role)}")
            conn.exec_driver_sql(f"SET LOCAL search_path = {SCHEMA}")
            make_server_objects(conn)
            grant_work(conn, address)
        if password is not None:
            with engine.begin() as conn:
                end_one_time_password(conn)
    finally:
        engine.dispose()
    return report


#: The key slots as this login may see them: a medewerker sees a colleague's slot without its
#: encrypted private keys (store/server_roles.py, `keys_read`).
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
                        _apply_login(conn, self.address, login)
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


def _apply_login(conn: Connection, address: ServerAddress, login: Login) -> None:
    """Give `login` effect on the server: a new role, a new password or no login at all, each
    through the register's own functions (store/server_roles.py)."""
    if not login.active:
        close_login(conn, address, login.user)
        return
    assert login.secret is not None
    verifier = scram_verifier(conn, login.user, login_secret(login.user, login.secret))
    set_login(conn, address, login.user, verifier, role=login.role)


def seal_audit_key(audit_key: bytes, db_key: bytes | bytearray) -> str:
    """The audit chain's key, encrypted with a key derived from the register key."""
    nonce = secrets.token_bytes(12)
    box = AESGCM(derive_subkey(bytes(db_key), "wijkteam audit key seal"))
    return base64.b64encode(nonce + box.encrypt(nonce, audit_key, b"audit")).decode("ascii")


def unseal_audit_key(key_file: KeyFile, db_key: bytes | bytearray) -> bytes:
    sealed = key_file.extra.get(AUDIT_KEY)
    try:
        raw = base64.b64decode(str(sealed), validate=True)
        box = AESGCM(derive_subkey(bytes(db_key), "wijkteam audit key seal"))
        return box.decrypt(raw[:12], raw[12:], b"audit")
    except (ValueError, InvalidTag):
        raise KeyFileError(
            "De sleutel van het auditlog in de sleutels van dit register is onleesbaar of"
            " gewijzigd. Er is niets geopend."
        ) from None


# --- making and opening -------------------------------------------------------------------------


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


def create_server_register(
    address: ServerAddress,
    user: str,
    passphrase: str,
    *,
    team_name: str,
    display_name: str = "",
    bootstrap_password: str | None = None,
) -> tuple[Unlocked, str]:
    """Make the register in the (empty) database of `address`, with `user` as its first
    teamleider: the team role, the schema, the tables, the key slots, and `user`'s password
    from now on. `user` signs in with `bootstrap_password` the one time; their role must be
    allowed to create roles and own the database (the operator's part, see README). All in
    one transaction: a failure leaves the database as it was."""
    from wijkteam_tui.store.models import TeamSettings, User
    from wijkteam_tui.store.opening import DEFAULT_TEAM_NAME

    unlocked, recovery_key = _new_keys(user, passphrase)
    audit_key = secrets.token_bytes(32)
    key_file = unlocked.key_file.with_extra(generation=1)
    with (
        new_structure(
            address,
            user,
            passphrase,
            key_file=key_file,
            db_key=unlocked.db_key,
            audit_key=audit_key,
            bootstrap_password=bootstrap_password,
        ) as conn,
        Session(bind=conn, join_transaction_mode="create_savepoint") as session,
    ):
        session.add(
            TeamSettings(
                id=1,
                register_id=key_file.register_id,
                audit_key=None,
                signer=base64.b64encode(key_file.signer).decode("ascii"),
                team_name=team_name.strip() or DEFAULT_TEAM_NAME,
                demo=False,
                key_generation=1,
            )
        )
        session.add(
            User(
                name=user,
                display_name=display_name.strip() or user,
                role=Role.TEAMLEIDER,
            )
        )
        session.commit()
    return unlocked, recovery_key


@contextmanager
def new_structure(
    address: ServerAddress,
    user: str,
    passphrase: str,
    *,
    key_file: KeyFile,
    db_key: bytes | bytearray,
    audit_key: bytes,
    bootstrap_password: str | None,
) -> Iterator[Connection]:
    """One transaction that makes a register's structure in the empty database of `address`,
    signed in as the operator's set-up role (`address.setup_role`, with `bootstrap_password`):
    the register's roles, the schema and its tables, the server's functions, and the key
    slots of `key_file` with the audit chain's key sealed in; the block fills the tables (as
    the owner); then every user with a slot gets a login (`user`'s from `passphrase`, the
    others' closed until a teamleider gives them a one-time passphrase), and the set-up role's
    password stops working. Committed when the block ends cleanly; otherwise the database
    stays as it was."""
    from alembic import command

    from wijkteam_tui.store.migrate import migration_config, run_alembic_on

    validate_user_name(user)
    validate_passphrase(passphrase)
    address.login_role(user)  # refuses a name too long for this database's logins
    engine = make_server_engine(address, address.setup_role, bootstrap_password)
    try:
        with engine.connect() as conn, conn.begin():
            found = conn.execute(
                text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": SCHEMA}
            ).first()
            if found is not None:
                raise RegisterError(
                    f"Er staat al een register in {address}; er is niets gewijzigd."
                )
            make_roles(conn, address)
            conn.exec_driver_sql(f"SET LOCAL ROLE {quoted(address.owner_role)}")
            conn.exec_driver_sql(f"SET LOCAL search_path = {SCHEMA}")
            run_alembic_on(conn, migration_config(), command.upgrade, "head")
            make_server_objects(conn)
            grant_work(conn, address)
            kept = key_file.with_extra(**{AUDIT_KEY: seal_audit_key(audit_key, db_key)})
            conn.execute(
                text("INSERT INTO key_store (id, document, generation) VALUES (1, :d, :g)"),
                {"d": key_document(kept, db_key), "g": kept.generation},
            )
            yield conn
            sync_sequences(conn)
            _apply_login(conn, address, Login(user, secret=passphrase, role=Role.TEAMLEIDER))
            for name, role in key_file.users():
                if name != user:
                    _closed_login(conn, address, name, role)
            conn.exec_driver_sql("SET LOCAL ROLE NONE")
            if bootstrap_password is not None:
                end_one_time_password(conn)
    except DBAPIError as exc:
        raise server_fault(exc.orig) or _setup_fault(exc, address, user) from exc
    finally:
        engine.dispose()


def _closed_login(conn: Connection, address: ServerAddress, name: str, role: Role) -> None:
    """A login for a user whose passphrase is not known here (a register copied to the
    server): a member of the team that may not log in until a teamleider resets their
    passphrase (its password is a random one nobody knows)."""
    verifier = scram_verifier(conn, name, secrets.token_urlsafe(32))
    set_login(conn, address, name, verifier, role=role, may_login=False)


def end_one_time_password(conn: Connection) -> None:
    """The operator's one-time password of the set-up role stops working (a superuser's
    password is never touched: an operator who signed in as one keeps it)."""
    superuser = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    if not conn.exec_driver_sql(superuser).scalar():
        conn.exec_driver_sql("ALTER ROLE CURRENT_USER PASSWORD NULL")


def sync_sequences(conn: Connection) -> None:
    """Set each table's id sequence past the highest id in it (rows were inserted with their
    ids: a copied register, or the generator)."""
    from wijkteam_tui.store.models import Base

    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence:
                # Names of our own tables and columns, quoted.
                highest = f"SELECT max({quoted(column.name)}) FROM {quoted(table.name)}"  # noqa: S608
                conn.execute(
                    text(f"SELECT setval(:s, coalesce(({highest}), 0) + 1, false)"),
                    {"s": sequence},
                )


def _setup_fault(exc: DBAPIError, address: ServerAddress, user: str) -> WijkteamError:
    state = getattr(exc.orig, "sqlstate", None)
    if state == "42501":
        return RegisterError(
            f"'{address.setup_role}' mag op {address} geen register maken: die rol van de"
            " beheerder moet rollen mogen maken (CREATEROLE) en eigenaar zijn van de database."
            " Zie de README, 'A team on a PostgreSQL server'. Er is niets gewijzigd."
        )
    if state == "42710":
        return RegisterError(
            f"De rol '{address.team_role}' bestaat al op de server; hoort die bij een ander"
            " register? Er is niets gewijzigd."
        )
    return RegisterError(f"Het register op {address} kon niet worden gemaakt ({exc.orig}).")


def _new_keys(user: str, passphrase: str) -> tuple[Unlocked, str]:
    """The key slots of a new register, kept in memory until they are inserted."""
    kept: list[KeyFile] = []

    class _Memory:
        def current(self) -> KeyFile:
            return kept[-1]

        def write_new(self, key_file: KeyFile, db_key: bytes) -> int:
            kept.append(key_file)
            return 1

        def rewrite(self, *_: Any, **__: Any) -> tuple[KeyFile, int]:
            raise AssertionError("not while making the register")

    return new_key_file(_Memory(), user, Role.TEAMLEIDER, passphrase)


def open_server_register(
    address: ServerAddress,
    user: str,
    passphrase: str,
    *,
    how: str = "login",
    one_time_ok: bool = False,
) -> Register:
    """Sign in, open the slot and open the register (migrating it if needed)."""
    from wijkteam_tui.store.opening import open_on_engine

    engine, keys, unlocked = unlock(address, user, passphrase, one_time_ok=one_time_ok)
    try:
        audit_key = unseal_audit_key(unlocked.key_file, unlocked.db_key)
    except BaseException:
        engine.dispose()
        unlocked.forget()
        raise
    return open_on_engine(
        address,
        engine,
        unlocked,
        keys=keys,
        audit_key=audit_key,
        how=how,
        fault=lambda exc: server_fault(exc, address),
    )


# --- seeing a colleague's change ----------------------------------------------------------------


class ChangeListener:
    """Listens for `NOTIFY wijkteam` on a connection of its own (`freshness.watch`)."""

    def __init__(self, engine: Engine) -> None:
        self._conn = engine.raw_connection()
        raw = self._conn.dbapi_connection
        assert raw is not None
        raw.autocommit = True
        raw.execute(f"LISTEN {CHANNEL}")
        self._raw = raw

    def changed(self) -> bool:
        """Whether a commit that wrote was announced since the last look."""
        seen = False
        for _ in self._raw.notifies(timeout=0, stop_after=1000):
            seen = True
        return seen

    def close(self) -> None:
        self._conn.invalidate()  # LISTEN belongs to this connection: never back in the pool
        self._conn.close()


def after_bulk_load(engine: Engine) -> None:
    """After rows were inserted with their own ids (the generator): sequences past them."""
    with engine.begin() as conn:
        sync_sequences(conn)


def analyze(engine: Engine, *, client_tables_only: bool = False) -> bool:
    """Fresh planner statistics, through the owner's `analyze_tables` (only a table's owner
    may analyse it). After an erasure (`client_tables_only`) this is what takes the client's
    name and address out of `pg_stats`, which samples the tables' values; the deleted rows
    themselves are cleared by autovacuum, and what remains in the WAL and the operator's
    backups is the README's ("Erasure on a server"). False when the server refused."""
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT analyze_tables(:only)"), {"only": client_tables_only})
    except DBAPIError:
        return False
    return True


def renew_key(register: Register, reason: str) -> tuple[Register, str | None]:
    """A new register key on a team server (after someone was switched off): every slot gets it
    sealed in and the audit chain's key is sealed with it, in one transaction; the register
    stays open, now holding the new key. What a switched-off person knew opens nothing: their
    role may not log in, and the key they may remember no longer fits the slots."""
    from wijkteam_tui.store.audit.chain import Event
    from wijkteam_tui.store.audit.log import record

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
