"""Signing in to a team server, its engine and write lock, and what its errors mean in Dutch.

A write transaction first takes the advisory locks of its scope (store/transactions.py):
`WRITE_LOCK` exclusively for a team write, as `BEGIN IMMEDIATE` does locally; shared, and the
client's own lock, for a write about one client, so that writes for different clients run side
by side. A transaction that wrote announces itself with `NOTIFY wijkteam` as it commits
(store/server/listen.py).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from wijkteam_tui.errors import (
    AccessEndedError,
    AuthenticationError,
    RegisterError,
    ServerUnreachableError,
    WijkteamError,
    WrongPassphraseError,
)
from wijkteam_tui.store.address import ServerAddress
from wijkteam_tui.store.keys.primitives import (
    derive_key,
    new_slot_cost,
)
from wijkteam_tui.store.server.roles import (
    SCHEMA,
)
from wijkteam_tui.store.transactions import (
    BEGIN_OPTION,
    BUSY_TIMEOUT_MS,
    CLIENT_LOCK,
    LOG,
    SCOPE_OPTION,
    TEAM,
    WAIT_NOTICE_MS,
    WAITING_OPTION,
    WRITE_LOCK,
)

CHANNEL = "wijkteam"
#: The advisory lock of the daily sweep: one process sweeps, the others wait for its result.
SWEEP_LOCK = 0x7377656B  # "swek"
_LOGIN_SALT = b"wijkteam server login\x00"


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
    # No JIT compilation: it spends 50-100 ms compiling a large read (the Buurt view's at
    # 100,000 clients) that then runs in a few hundred; every read here is someone waiting.
    options = f"-c search_path={SCHEMA} -c timezone=UTC -c jit=off"
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


@contextmanager
def sweep_lock(engine: Engine) -> Iterator[None]:
    """Hold the sweep's advisory lock (waiting for another process's sweep to end), on a
    connection of its own outside any transaction; released at the end, or by the server when
    the process is gone."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute(f"SELECT pg_advisory_lock({SWEEP_LOCK})")
        raw.commit()
        try:
            yield
        finally:
            raw.execute(f"SELECT pg_advisory_unlock({SWEEP_LOCK})")
            raw.commit()


def _begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    mode = options.get(BEGIN_OPTION)
    if mode == ROW_LOCKED:
        return
    if mode != "IMMEDIATE":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return
    # On the driver's connection, as sqlite/connection.py does for SQLite: an error here must
    # not make SQLAlchemy roll back a transaction it does not know has begun.
    raw = conn.connection.dbapi_connection
    assert raw is not None
    waiting = options.get(WAITING_OPTION)
    try:
        for lock in write_locks(options.get(SCOPE_OPTION, TEAM)):
            _take(raw, lock, waiting)
    except psycopg.errors.LockNotAvailable:
        raise server_fault(psycopg.errors.LockNotAvailable()) or RegisterError("bezet") from None


def write_locks(scope: int | str) -> list[str]:
    """The advisory locks a write of `scope` takes as it begins, in the one order every write
    keeps (store/transactions.py): a team write holds the register to itself; a client's
    write shares it and holds the client; the log's shares it."""
    if scope == TEAM:
        return [f"pg_advisory_xact_lock({WRITE_LOCK})"]
    shared = f"pg_advisory_xact_lock_shared({WRITE_LOCK})"
    if scope == LOG:
        return [shared]
    if not isinstance(scope, int):
        raise ValueError(f"onbekende reikwijdte van een schrijfactie: {scope!r}")
    return [shared, f"pg_advisory_xact_lock({CLIENT_LOCK}, {scope})"]


def hold_client(conn: Connection, client_id: int) -> None:
    """Take `client_id`'s lock in a write that began with the shared lock only (its client
    found once it began, `Register.write(of=...)`)."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    try:
        _take(raw, write_locks(client_id)[-1], conn.get_execution_options().get(WAITING_OPTION))
    except psycopg.errors.LockNotAvailable:
        raise server_fault(psycopg.errors.LockNotAvailable()) or RegisterError("bezet") from None


def _take(raw: Any, lock: str, waiting: Callable[[], None] | None) -> None:
    """Take the advisory `lock` ("pg_advisory_xact_lock(...)"): at once when it is free;
    else wait for the colleague's write, telling the person after WAIT_NOTICE_MS, and give up
    after BUSY_TIMEOUT_MS (LockNotAvailable)."""
    attempt = lock.replace("pg_advisory_xact_lock", "pg_try_advisory_xact_lock", 1)
    if raw.execute(f"SELECT {attempt}").fetchone()[0]:
        return
    raw.execute(f"SET LOCAL lock_timeout = {WAIT_NOTICE_MS}")
    raw.execute("SAVEPOINT wijkteam_wait")
    try:
        raw.execute(f"SELECT {lock}")
    except psycopg.errors.LockNotAvailable:
        raw.execute("ROLLBACK TO SAVEPOINT wijkteam_wait")
        if waiting is not None:
            waiting()
        raw.execute(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS - WAIT_NOTICE_MS}")
        raw.execute(f"SELECT {lock}")
    raw.execute("RELEASE SAVEPOINT wijkteam_wait")
    raw.execute("SET LOCAL lock_timeout TO DEFAULT")


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
