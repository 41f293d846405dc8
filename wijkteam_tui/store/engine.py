"""Opening the register: SQLCipher keying, pragmas, transactions and migrations.

Everything SQLite- and SQLCipher-specific lives here, so that the rest of `store/` can run on
PostgreSQL later with the same models and migrations.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import QueuePool

from wijkteam_tui.domain.accounts import validate_passphrase, validate_user_name
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AccessEndedError,
    ConflictError,
    KeyFileError,
    MigrationError,
    RegisterError,
    RoleError,
    WijkteamError,
    no_register,
)
from wijkteam_tui.store import audit, audit_head, faults, files, journal, last_seen, lock
from wijkteam_tui.store.address import Location, ServerAddress
from wijkteam_tui.store.keys.changes import DEMO_PASSPHRASE, new_key_file, set_user_passphrase
from wijkteam_tui.store.keys.slots import Unlocked
from wijkteam_tui.store.keys.storage import (
    FileKeys,
    KeyStore,
    backup_key_file_path,
    key_file_path,
    read_key_file,
)
from wijkteam_tui.store.keys.unlock import unlock
from wijkteam_tui.store.location import check_location
from wijkteam_tui.store.models import TeamSettings, User

if TYPE_CHECKING:  # Alembic is imported only when a register's structure must change
    from alembic.config import Config
    from alembic.script import ScriptDirectory

#: The Alembic migrations: `migrations/` at the project's root, where `alembic.ini` finds them;
#: an installed wheel carries the folder inside the package (pyproject.toml maps it there).
_PACKAGED_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
MIGRATIONS_DIR = (
    _PACKAGED_MIGRATIONS
    if (_PACKAGED_MIGRATIONS / "env.py").is_file()
    else Path(__file__).resolve().parent.parent.parent / "migrations"
)
#: The newest revision in `migrations/versions` (a test keeps the two in step). A register at
#: this revision opens without loading Alembic or reading the migration scripts: a command
#: such as `wijkteam overdue` starts that much faster.
HEAD_REVISION = "0020"
BUSY_TIMEOUT_MS = 30_000
# Decrypted pages kept per connection: SQLCipher decrypts on every cache miss, so a cache that
# holds the working set (agreements, clients, network of a 20,000-client register) keeps reads
# close to plain SQLite. Allocated only as pages are read; the pool keeps connections few.
# 32 MiB: at 48 the whole process peaked at 200 MB (the limit) with the same timings.
CACHE_KIB = 32 * 1024
# The WAL grows while a reader holds an old snapshot (a slow export, a colleague's long query):
# every commit must be kept until that reader is done. Once it is, the automatic checkpoint
# starts the WAL over; this limit then truncates the file, so it does not stay at its peak.
WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024
#: Execution options of write transactions, read by each backend's `begin` hook: the mode
#: ("IMMEDIATE" for a write), and what to call when the write waited for a colleague.
BEGIN_OPTION = "wijkteam_begin"
WAITING_OPTION = "wijkteam_waiting"
_SQLITE_BUSY = 5
#: After this long waiting for another writer (locally or on the team server), the person is
#: told that the program waits; after BUSY_TIMEOUT_MS the write is given up.
WAIT_NOTICE_MS = 2_000


# --- raw connections ---------------------------------------------------------------------------


def connect_keyed(
    path: Path, db_key: bytes, *, wal: bool = True, new: bool = False, read_only: bool = False
) -> sqlcipher.Connection:
    """A SQLCipher connection keyed with the raw database key and set up for safe writing.

    The key is checked by reading the schema before anything is written. Unless the database is
    `new` (being created or copied into), a database without any table is refused: SQLCipher
    accepts any key for an empty file, and setting WAL mode would then write a header to it.
    `read_only` opens it so that nothing in it can change (for `db check`). SQLCipher's own
    logging is switched off before anything else, so it never writes to the terminal.
    """
    target = str(path)
    if read_only:
        # On a location nobody can write (a read-only mount, a folder without write rights)
        # SQLite cannot make the -shm it needs for a WAL database; with no -wal to read, the
        # file cannot change under us there, so it is read as immutable.
        wal_file = path.with_name(path.name + "-wal")
        frozen = not os.access(path.parent, os.W_OK) and not wal_file.exists()
        target = f"file:{path}?{'immutable=1' if frozen else 'mode=ro'}"
    try:
        conn = sqlcipher.connect(
            target,
            uri=read_only,
            isolation_level=None,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
    except sqlcipher.Error as exc:
        raise faults.from_sqlite(exc, path) or faults.no_permission(path) from exc
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{db_key.hex()}'\"")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if not tables and not new:
            raise faults.not_a_register(path, "het bestand bevat geen tabellen")
        if wal and not read_only:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES}").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, not left in free pages (erasure, AVG 17).
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except sqlcipher.Error as exc:
        conn.close()
        raise faults.from_sqlite(exc, path) or faults.damaged(path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


_DAMAGED_PAGE = re.compile(r"page (\d+)")


def integrity_problems(conn: sqlcipher.Connection) -> list[str]:
    """What SQLite and SQLCipher find wrong with a database; empty when it is sound.

    Damaged pages (SQLCipher's check of every page's authentication code) are listed one by
    one; SQLite's own checks run only when every page is intact, since they stop at the first
    page they cannot decrypt."""
    problems = []
    for (row,) in conn.execute("PRAGMA cipher_integrity_check").fetchall()[:50]:
        page = _DAMAGED_PAGE.search(str(row))
        problems.append(f"pagina {page.group(1)} is beschadigd" if page else str(row))
    if problems:
        return problems
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            problems += [f"integrity_check: {row[0]}" for row in rows[:10]]
        problems += [
            f"foreign_key_check: {row[0]} rij {row[1]}"
            for row in conn.execute("PRAGMA foreign_key_check").fetchall()[:10]
        ]
    except sqlcipher.DatabaseError as exc:
        problems.append(f"de structuur is beschadigd ({exc})")
    return problems


def copy_database(source: sqlcipher.Connection, dest_path: Path, db_key: bytes) -> None:
    """Copy an open register to `dest_path`, encrypted with the same key, and check the copy.

    The copy is a single file (rollback journal, no WAL) so that it can be moved as one. It is
    made under a name nobody can guess (files.temporary_beside) and moved into place only while
    that name still leads to it.
    """
    fd, made = files.temporary_beside(dest_path)
    os.close(fd)  # SQLite opens it by its name
    tmp_path = made.path
    try:
        dest = connect_keyed(tmp_path, db_key, wal=False, new=True)
    except BaseException:
        made.remove()
        raise
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE").fetchone()
        problems = integrity_problems(dest)
    except sqlcipher.Error as exc:
        dest.close()
        made.remove()
        # The driver's backup() carries no SQLite error code: ask the disk what it lacks.
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        page_size = source.execute("PRAGMA page_size").fetchone()[0]
        needed = int(pages) * int(page_size)
        raise faults.from_sqlite(exc, tmp_path) or faults.write_failed(dest_path, needed) from exc
    finally:
        dest.close()
    if problems:
        made.remove()
        raise RegisterError(f"De kopie van het register is niet in orde: {problems[0]}")
    try:
        made.move_to(dest_path)
    except BaseException:
        made.remove()
        raise


# --- the register ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentUser:
    """Who is working: name and role as the key file and the users table agree."""

    id: int
    name: str
    role: Role


@dataclass(frozen=True)
class MigrationReport:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None


class Register:
    """An opened, unlocked register: sessions for reading and writing, and the current user."""

    def __init__(
        self,
        location: Location,
        engine: Engine,
        unlocked: Unlocked,
        user: CurrentUser | None,
        migration: MigrationReport | None,
        *,
        audit_key: bytes,
        held: lock.RegisterLock | None = None,
        keys: KeyStore | None = None,
        fault: Callable[[BaseException | None], WijkteamError | None] | None = None,
    ) -> None:
        #: A local register's path, or a team server's address (store/server.py).
        self.location = location
        self.server = location if isinstance(location, ServerAddress) else None
        #: Where the key slots are kept: the key file beside the database, or a server table.
        self.keys: KeyStore = keys or FileKeys(self.path)
        # What a database error means, in Dutch (None: an error of the program itself).
        self._fault = fault or (lambda exc: faults.from_sqlite(exc, self.path))
        #: The audit chain's key (kept in the database: see `register_keys`).
        self.audit_key = audit_key
        # The shared lock that tells `restore` this register is open here (store/lock.py).
        self._held = held
        self.engine = engine
        self.unlocked = unlocked
        self.user = user
        self.migration = migration
        # The day the daily sweep last ran for this opened register (sweep.sweep_if_new_day),
        # and the lock that makes screens asking at the same moment share one sweep.
        self.swept_on: date | None = None
        self.closed = False
        # The key file as last looked at ((inode, size, mtime)), to notice at the next write
        # that a teamleider took this person's slot away (`access_problem`).
        self._keys_looked_at: tuple[int, int, int] | None = None
        #: What the person should know about this register beyond the key file's warnings
        #: (a cut-off audit log, found at opening).
        self.notices: list[str] = []
        #: Set at opening when the register is older than this person saw it last, until
        #: that is accepted (store/last_seen.py); what they saw is not overwritten meanwhile.
        self.went_back: last_seen.WentBack | None = None
        self.sweep_lock = threading.Lock()
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        #: Called (from the writing thread) when a write has waited WAIT_NOTICE_MS for another
        #: process's write lock; the screen or the command line says that it is waiting.
        self.on_wait: Callable[[], None] | None = None
        # Every change made in a write session is logged in the same transaction.
        context = audit.Context(
            user.name if user else "systeem",
            user.role.value if user else "",
            audit_key,
        )
        self._write_sessions = sessionmaker(
            bind=engine.execution_options(
                **{BEGIN_OPTION: "IMMEDIATE", WAITING_OPTION: self._waiting}
            ),
            expire_on_commit=False,
            info={audit.CONTEXT: context},
        )
        audit.install(self._write_sessions)

    @property
    def path(self) -> Path:
        """The local register's database file; refused for a register on a team server,
        which has no files on this computer to back up, restore, check or copy."""
        if isinstance(self.location, Path):
            return self.location
        raise RegisterError(
            f"Dit register staat op een teamserver ({self.location}). Dit kan alleen bij een"
            " register op deze computer; de beheerder van de server maakt de back-ups."
        )

    def saw_key_generation(self, generation: int) -> None:
        """Record that the key file was rewritten to `generation` (see `_check_generation`)."""
        with self.write() as session:
            settings = session.get(TeamSettings, 1)
            if settings is not None and settings.key_generation < generation:
                settings.key_generation = generation

    def require_teamleider(self, refusal: str) -> int:
        """The acting user's id when they are a teamleider; RoleError (`refusal`) otherwise.
        Every teamleider-only service asks this, so the role holds whatever screen calls."""
        if self.user is None or self.user.role is not Role.TEAMLEIDER:
            raise RoleError(refusal)
        return self.user.id

    def _waiting(self) -> None:
        if self.on_wait is not None:
            self.on_wait()

    @property
    def warnings(self) -> tuple[str, ...]:
        return (*self.unlocked.warnings, *self.notices)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read-only session (deferred transaction, rolled back at the end)."""
        with self._read_sessions() as session, _translated_errors(self._fault):
            yield session

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection in a deferred read transaction: the fast path for read models."""
        # Translated from the connecting on: a server that is gone, or a login closed
        # meanwhile, shows when the pool makes a new connection.
        with _translated_errors(self._fault), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (`BEGIN IMMEDIATE`), committed when the block ends cleanly.

        A version conflict raises ConflictError; any error rolls everything back. Someone
        switched off meanwhile gets AccessEndedError and nothing is written.
        """
        problem = self.access_problem()
        if problem:
            raise AccessEndedError(problem)
        with _translated_errors(self._fault), self._write_sessions.begin() as session:
            yield session

    def meaning(self, exc: BaseException) -> WijkteamError | None:
        """What an error of work on this register means for the person (None: a bug)."""
        if isinstance(exc, WijkteamError):
            return exc
        return self._fault(exc.orig if isinstance(exc, DBAPIError) else exc)

    def access_problem(self) -> str | None:
        """Why the person who opened this register may no longer work in it (their key slot
        was taken away, on a local register), or None. Costs a `stat` of the key file when it
        did not change; on a team server the server itself refuses a closed login."""
        if self.server is not None or self.user is None:
            return None
        try:
            seen = key_file_path(self.path).stat()
        except OSError:
            return None  # a missing key file is the next open's to report
        looked = (seen.st_ino, seen.st_size, seen.st_mtime_ns)
        if looked == self._keys_looked_at:
            return None
        try:
            slot = self.keys.current().user_slot(self.user.name)
        except WijkteamError:
            return None  # a damaged key file is the next open's to report
        if slot is None:
            return ended_access(self.user.name)
        self._keys_looked_at = looked
        return None

    @contextmanager
    def raw(self) -> Iterator[Any]:
        """The DBAPI connection (keyed, for a local register), for backup and checks."""
        with self.engine.connect() as conn:
            yield conn.connection.dbapi_connection

    def check(self) -> list[str]:
        """Integrity problems of the local database (empty when sound)."""
        self.path  # noqa: B018 (refuses a register on a server: its operator checks it)
        with self.raw() as raw:
            return integrity_problems(raw)

    def close(self) -> tuple[str, ...]:
        """Close the register (again: nothing happens); returns warnings to show (in Dutch)."""
        if self.closed:
            return ()
        self.closed = True
        warnings: list[str] = []
        # The newest audit event goes into the key file, so that cutting off the log's tail
        # is caught; a busy or full disk must not stop the closing (the next close writes it).
        with suppress(OSError, sqlcipher.Error, DBAPIError, WijkteamError):
            kept_back = audit_head.keep_head(self)
            if kept_back is not None:
                warnings.append(kept_back)
        with suppress(OSError, sqlcipher.Error, DBAPIError, WijkteamError):
            last_seen.remember(self)
        if self.server is not None:
            self.engine.dispose()
            self.unlocked.forget()
            return tuple(warnings)
        # SQLite's advice for connections that wrote: refresh planner statistics where they
        # went stale (bounded by analysis_limit, so it stays quick).
        try:
            with self.raw() as raw:
                raw.execute("PRAGMA analysis_limit = 400")
                raw.execute("PRAGMA optimize")
        except (sqlcipher.Error, DBAPIError, RegisterError):
            pass  # busy, or the file is gone: statistics can wait for the next close
        self.engine.dispose()
        self.unlocked.forget()
        if self._held is not None:
            self._held.release()
        return tuple(warnings)


def ended_access(user: str) -> str:
    """What someone is told whose access ended while the register was open."""
    return (
        f"Gebruiker '{user}' heeft geen toegang meer tot dit register (uitgeschakeld of een"
        " nieuw wachtwoord gekregen van de teamleider). Er is niets meer opgeslagen; het"
        " register is gesloten."
    )


@contextmanager
def _translated_errors(
    fault: Callable[[BaseException | None], WijkteamError | None],
) -> Iterator[None]:
    try:
        yield
    except StaleDataError as exc:
        raise ConflictError() from exc
    except DBAPIError as exc:
        meant = fault(exc.orig)
        if meant is not None:
            raise meant from exc
        raise


def _make_engine(path: Path, db_key: bytes, *, new: bool = False) -> Engine:
    return make_engine(lambda: connect_keyed(path, db_key, new=new))


def make_engine(connect: Callable[[], sqlcipher.Connection]) -> Engine:
    """An engine over connections made by `connect`, with our pool and transaction rules."""
    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher,
        creator=connect,
        poolclass=QueuePool,
        # Few connections: each keeps its own page cache (CACHE_KIB), so memory stays bounded.
        pool_size=2,
        max_overflow=2,
        # Reuse the most recently used connection: its page cache is the warm one.
        pool_use_lifo=True,
        pool_timeout=30,
        hide_parameters=True,
    )
    event.listen(engine, "begin", _begin)
    return engine


def _begin(conn: Connection) -> None:
    # pysqlite's own BEGIN is off (isolation_level=None); we issue ours so that writers take
    # the write lock up front (IMMEDIATE) and wait in busy_timeout instead of failing later.
    options = conn.get_execution_options()
    mode = options.get(BEGIN_OPTION, "DEFERRED")
    waiting = options.get(WAITING_OPTION)
    if mode != "IMMEDIATE" or waiting is None:
        conn.exec_driver_sql(f"BEGIN {mode}")
        return
    # A writer that waits for a colleague's write lock longer than WAIT_NOTICE_MS is told so
    # (the screen or the terminal says it is waiting), then waits out the rest of the timeout.
    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.execute(f"PRAGMA busy_timeout = {WAIT_NOTICE_MS}")
    try:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlcipher.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF != _SQLITE_BUSY:
                raise
        waiting()
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS - WAIT_NOTICE_MS}")
        raw.execute("BEGIN IMMEDIATE")
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


DEFAULT_TEAM_NAME = "Wijkteam"


def create_register(
    path: Location,
    user: str,
    passphrase: str,
    *,
    team_name: str = "",
    display_name: str = "",
    demo: bool = False,
    server_password: str | None = None,
) -> tuple[Register, str]:
    """Create a new register with `user` as its first teamleider: (register, recovery key).

    Nothing is left behind when any step fails. On a team server `user` signs in the one time
    with the password the operator gave (`server_password`, or what libpq finds)."""
    if isinstance(path, ServerAddress):
        from wijkteam_tui.store import server

        if demo:
            raise RegisterError("Het demoregister staat altijd op deze computer.")
        unlocked, recovery_key = server.create_server_register(
            path,
            user,
            passphrase,
            team_name=team_name,
            display_name=display_name,
            bootstrap_password=server_password,
        )
        unlocked.forget()
        return _made(server.open_server_register(path, user, passphrase), user), recovery_key
    path = path.expanduser()
    validate_user_name(user)
    if not (demo and passphrase == DEMO_PASSPHRASE):
        validate_passphrase(passphrase)
    key_path = key_file_path(path)
    ours = [path, key_path, backup_key_file_path(path)]
    ours += [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    for existing in ours:
        if existing.exists():
            # A leftover -wal or key file of an earlier register would be taken for this one's.
            raise RegisterError(f"Er staat al een register op {existing}; kies een andere plek.")
    files.private_folder(path.parent)
    check_location(path)
    # None of them was there: a failure removes only what this call made.
    created = ours + [lock.lock_file_path(path)] * (not lock.lock_file_path(path).exists())
    try:
        # Created empty first so that the database and its -wal/-shm are private to the owner.
        files.new_private_file(path)
        unlocked, recovery_key = new_key_file(path, user, Role.TEAMLEIDER, passphrase, demo=demo)
        db_key = bytes(unlocked.db_key)
        engine = _make_engine(path, db_key, new=True)
        try:
            _run_migrations(engine, path, db_key, None)
            with (
                Session(engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})) as s,
                s.begin(),
            ):
                s.add(
                    TeamSettings(
                        id=1,
                        register_id=unlocked.key_file.register_id,
                        audit_key=secrets.token_bytes(32).hex(),
                        signer=base64.b64encode(unlocked.key_file.signer).decode("ascii"),
                        team_name=team_name.strip() or DEFAULT_TEAM_NAME,
                        demo=demo,
                    )
                )
                s.add(
                    User(
                        name=user,
                        display_name=display_name.strip() or user,
                        role=Role.TEAMLEIDER,
                    )
                )
        finally:
            engine.dispose()
        register = _made(open_unlocked(path, unlocked), user)
    except BaseException:
        for leftover in created:
            leftover.unlink(missing_ok=True)
        raise
    return register, recovery_key


def _made(register: Register, user: str) -> Register:
    """A register just made, with its making logged (closed again if that fails)."""
    try:
        made = f"register aangemaakt, teamleider {user}"
        audit.record(register, audit.Event("create", "register", detail=made))
    except BaseException:
        register.close()
        raise
    return register


def open_register(
    path: Location,
    user: str,
    passphrase: str,
    *,
    script_location: Path | None = None,
    accept_older: bool = False,
) -> Register:
    """Unlock the slot of `user` and open the register, migrating it if needed. A register
    older than `user` saw it last is refused unless a restore explains it or `accept_older`
    (see store/last_seen.py)."""
    if isinstance(path, ServerAddress):
        from wijkteam_tui.store.server import open_server_register

        return last_seen.settle(open_server_register(path, user, passphrase), accept_older)
    path = existing_register(path)
    unlocked = unlock(path, user, passphrase)
    opened = open_unlocked(path, unlocked, script_location=script_location)
    return last_seen.settle(opened, accept_older)


def unlock_and_open(
    location: Location, user: str, passphrase: str, *, how: str, accept_older: bool = False
) -> Register:
    """Open the slot of `user` and the register (for the unlock screen: `how` is "login", or
    "unlock" after a lock), refused like `open_register` when it went back in time."""
    if isinstance(location, ServerAddress):
        from wijkteam_tui.store.server import open_server_register

        opened = open_server_register(location, user, passphrase, how=how)
    else:
        opened = open_unlocked(location, unlock(location, user, passphrase), how=how)
    return last_seen.settle(opened, accept_older)


def replace_one_time(location: Location, user: str, one_time: str, chosen: str) -> None:
    """Put the passphrase `user` chose in place of the one-time one a teamleider gave."""
    if isinstance(location, ServerAddress):
        from wijkteam_tui.store import server

        engine, keys, given = server.unlock(location, user, one_time, one_time_ok=True)
        try:
            set_user_passphrase(keys, given, user, chosen)
        finally:
            given.forget()
            engine.dispose()
        return
    given = unlock(location, user, one_time, one_time_ok=True)
    try:
        set_user_passphrase(location, given, user, chosen)
    finally:
        given.forget()


def existing_register(path: Path, *, write: bool = True) -> Path:
    """The register's path, once it exists, lies in a safe place and looks like a register
    (see `faults.preflight`); otherwise a RegisterError that says what is wrong."""
    path = path.expanduser()
    try:
        found = path.exists()
    except PermissionError:
        raise faults.no_permission(path) from None
    if not found:
        raise no_register(path)
    check_location(path)
    faults.preflight(path, write=write)
    return path


def open_unlocked(
    path: Path,
    unlocked: Unlocked,
    *,
    script_location: Path | None = None,
    how: str = "login",
) -> Register:
    """Open the register with an already unlocked key, migrate it and sync its users; the
    audit log gets a `how` ("login", or "unlock" after a lock) and the failed tries before it.

    Before anything is written the database must show itself to be this key file's register:
    an empty file, another program's database or another register's file is refused, never
    turned into an empty register by the migrations."""
    held = lock.hold_open(path.expanduser())
    try:
        journal.finish_interrupted_restore(path.expanduser())
        path = existing_register(path)
        conn = connect_keyed(path, unlocked.db_key, read_only=True)
        try:
            verify_identity(conn, path, unlocked.key_file.register_id, script_location)
        finally:
            conn.close()
        engine = _make_engine(path, unlocked.db_key)
        try:
            report = _run_migrations(engine, path, unlocked.db_key, script_location)
            _check_generation(engine, path)
            audit_key = register_keys(engine, unlocked)
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        held.release()
        raise
    return open_on_engine(
        path, engine, unlocked, audit_key=audit_key, how=how, report=report, held=held
    )


def open_on_engine(
    location: Location,
    engine: Engine,
    unlocked: Unlocked,
    *,
    audit_key: bytes,
    how: str,
    report: MigrationReport | None = None,
    held: lock.RegisterLock | None = None,
    keys: KeyStore | None = None,
    fault: Callable[[BaseException | None], WijkteamError | None] | None = None,
) -> Register:
    """The part of opening shared by both backends, once the engine is made and the key is
    open: a team server's structure brought up to date (a local one was, with a backup copy,
    by `open_unlocked`), the users synced, and the opening logged."""
    try:
        if isinstance(location, ServerAddress):
            from wijkteam_tui.store.server import migrate

            report = migrate(engine, location)
            register_keys(engine, unlocked, audit_key=audit_key)
        current = _sync_users(engine, unlocked)
    except BaseException:
        engine.dispose()
        if held is not None:
            held.release()
        raise
    register = Register(
        location,
        engine,
        unlocked,
        current,
        report,
        audit_key=audit_key,
        held=held,
        keys=keys,
        fault=fault,
    )
    try:
        cut_off = audit_head.missing_at_opening(register)
        if cut_off is not None:
            register.notices.append(cut_off)
        register.went_back = last_seen.look(register)
        tries, last = unlocked.failed_tries
        failed = audit.logins_failed(tries, last, unlocked.user or "") if tries else []
        audit.record(register, *failed, audit.Event(how, "users", unlocked.user or ""))
    except BaseException:
        register.close()
        raise
    return register


def verify_identity(
    conn: sqlcipher.Connection,
    path: Path,
    register_id: str,
    script_location: Path | None = None,
) -> str:
    """Check, reading only, that the database is the register of `register_id` with a
    structure this program knows; return its structure revision."""
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not {"alembic_version", "team_settings"} <= tables:
            raise faults.not_a_register(path, "de tabellen van een register ontbreken")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        stored = conn.execute("SELECT register_id FROM team_settings WHERE id = 1").fetchone()
    except sqlcipher.Error as exc:
        raise faults.from_sqlite(exc, path) or faults.damaged(path) from exc
    if revision is None or stored is None:
        raise faults.not_a_register(path, "het register is nooit afgemaakt")
    if stored[0] != register_id:
        raise faults.foreign_register(path)
    if revision[0] == HEAD_REVISION and script_location is None:
        return HEAD_REVISION
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migration_config(script_location))
    if not _known(script, revision[0]):
        raise faults.FileFault(
            f"{path} is gemaakt of bijgewerkt door een nieuwere versie van wijkteam"
            f" (structuurversie {revision[0]}). Werk wijkteam bij; er is niets gewijzigd.",
            "het register is van een nieuwere versie van wijkteam",
        )
    return str(revision[0])


def _known(script: ScriptDirectory, revision: str) -> bool:
    return revision in {rev.revision for rev in script.walk_revisions()}


def _check_generation(engine: Engine, path: Path) -> None:
    """A key file older than the newest the register has seen is a copy put back (to bring
    an old passphrase or a removed user back): refused. A newer one is recorded."""
    on_disk = read_key_file(key_file_path(path)).generation
    with Session(engine) as session:
        seen = session.scalar(select(TeamSettings.key_generation).where(TeamSettings.id == 1))
    seen = int(seen or 0)
    if on_disk < seen:
        raise KeyFileError(
            f"Het sleutelbestand (generatie {on_disk}) is ouder dan het register (dat kent"
            f" generatie {seen}): een oude kopie is teruggezet. Die opent dit register niet meer."
            " Zet het nieuwste sleutelbestand terug, of vraag de teamleider om een nieuw"
            " wachtwoord."
        )
    if on_disk > seen:
        writing = Session(engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}))
        with writing, writing.begin():
            settings = writing.get(TeamSettings, 1)
            if settings is not None and settings.key_generation < on_disk:
                settings.key_generation = on_disk


def register_keys(engine: Engine, unlocked: Unlocked, *, audit_key: bytes | None = None) -> bytes:
    """The audit chain's key, and the check that the key file is signed by this register's key.

    Both are kept in team_settings. A register from before they were kept (migration 0017) gets
    them at this opening: the chain key its events were made with, and the key file's signer.
    A key file signed by another key (its roles re-signed by someone who made their own
    signing key) is refused. A team server keeps the chain key sealed among its key slots
    (store/server.py) and passes it as `audit_key`: only the signer is checked then."""
    signer = base64.b64encode(unlocked.key_file.signer).decode("ascii")
    with Session(engine) as session:
        row = session.execute(
            select(TeamSettings.audit_key, TeamSettings.signer).where(TeamSettings.id == 1)
        ).first()
    if row is None:
        raise RegisterError("Het register is nooit afgemaakt (de teaminstellingen ontbreken).")
    kept_key, known_signer = row
    if known_signer is not None and known_signer != signer:
        raise KeyFileError(
            "Het sleutelbestand is ondertekend met een andere sleutel dan dit register kent: het"
            " is buiten wijkteam om gemaakt of gewijzigd. Er is niets geopend; zet het"
            " sleutelbestand terug uit een back-up."
        )
    if audit_key is not None:
        if known_signer is None:
            raise KeyFileError("Het register kent de ondertekenaar van zijn sleutels niet.")
        return audit_key
    if kept_key is None or known_signer is None:
        kept_key = kept_key or audit.chain_key(unlocked.db_key).hex()
        writing = Session(engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}))
        with writing, writing.begin():
            settings = writing.get(TeamSettings, 1)
            assert settings is not None
            settings.audit_key = settings.audit_key or kept_key
            settings.signer = settings.signer or signer
            kept_key = settings.audit_key
    return bytes.fromhex(kept_key)


def prepare_for_new_key(path: Path, db_key: bytes, register_id: str, signer: str) -> None:
    """Before a register made under a key file of version 1 gets a new database key: bring its
    structure up to date and keep the chain key its audit events were made with (which was
    derived from the old database key), and record the new signer."""
    conn = connect_keyed(path, db_key, read_only=True)
    try:
        verify_identity(conn, path, register_id)
    finally:
        conn.close()
    engine = _make_engine(path, db_key)
    try:
        _run_migrations(engine, path, db_key, None)
        writing = Session(engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}))
        with writing, writing.begin():
            settings = writing.get(TeamSettings, 1)
            assert settings is not None
            settings.audit_key = settings.audit_key or audit.chain_key(db_key).hex()
            settings.signer = signer
    finally:
        engine.dispose()


def _sync_users(engine: Engine, unlocked: Unlocked) -> CurrentUser | None:
    """Make the users table agree with the key file's slots and return the current user.

    A user is added by giving them a slot only, so that adding one never touches the database
    file; their row appears here, at the next opening of the register.
    """
    slots = dict(unlocked.key_file.users())
    with Session(engine) as session:
        settings = session.get(TeamSettings, 1)
        if settings is not None and settings.register_id != unlocked.key_file.register_id:
            raise RegisterError("Het sleutelbestand hoort niet bij dit register.")
        rows = {u.name: (u.id, u.role) for u in session.scalars(select(User))}
        inactive = {u.name for u in session.scalars(select(User).where(User.active.is_(False)))}
    # A slot makes a user: new, with another role, or given access again after leaving.
    stale = {
        n: r for n, r in slots.items() if n not in rows or rows[n][1] is not r or n in inactive
    }
    if stale:
        with Session(engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})) as session:
            with session.begin():
                existing = {u.name: u for u in session.scalars(select(User))}
                for name, role in stale.items():
                    if name in existing:
                        existing[name].role = role
                        existing[name].active = True
                    else:
                        session.add(User(name=name, display_name=name, role=role))
            rows = {u.name: (u.id, u.role) for u in session.scalars(select(User))}
    if unlocked.user is None or unlocked.user not in rows:
        return None
    user_id, role = rows[unlocked.user]
    return CurrentUser(id=user_id, name=unlocked.user, role=role)


# --- migrations --------------------------------------------------------------------------------


def migration_config(script_location: Path | None = None) -> Config:
    """An Alembic configuration pointing at our migrations (or a test's own copy)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(script_location or MIGRATIONS_DIR))
    return cfg


def head_revision(script_location: Path | None = None) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(migration_config(script_location)).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def stored_revision(engine: Engine) -> str | None:
    """The register's revision, read without Alembic (None for a register being made)."""
    try:
        with engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    except DBAPIError:
        return None
    return None if row is None else str(row[0])


def run_alembic(engine: Engine, cfg: Config, action: Any, *args: Any) -> None:
    """Run an Alembic command over the keyed connection inside one write transaction."""
    with (
        engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).connect() as conn,
        conn.begin(),
    ):
        run_alembic_on(conn, cfg, action, *args)


def run_alembic_on(conn: Connection, cfg: Config, action: Any, *args: Any) -> None:
    """Run an Alembic command on `conn`, inside the transaction it is in."""
    cfg.attributes["connection"] = conn
    action(cfg, *args)


def _run_migrations(
    engine: Engine, path: Path, db_key: bytes, script_location: Path | None
) -> MigrationReport | None:
    if script_location is None and stored_revision(engine) == HEAD_REVISION:
        return None
    from alembic import command

    head = head_revision(script_location)
    before = current_revision(engine)
    if before == head:
        return None
    backup_path = None
    if before is not None:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            problems = integrity_problems(raw)
            if problems:
                raise MigrationError(
                    "Het register is beschadigd en wordt daarom niet bijgewerkt: "
                    f"{problems[0]}. Zet een back-up terug met 'wijkteam restore'."
                )
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            backup_path = path.with_name(f"{path.stem}-voor-bijwerken-{stamp}{path.suffix}")
            copy_database(raw, backup_path, db_key)
    try:
        run_alembic(engine, migration_config(script_location), command.upgrade, "head")
    except Exception as exc:
        after = current_revision(engine)
        if after != before and backup_path is not None:
            engine.dispose()
            _restore_file(backup_path, path)
        where = f" De reservekopie staat in {backup_path}." if backup_path else ""
        raise MigrationError(
            f"Het bijwerken van het register naar versie {head} is mislukt ({type(exc).__name__})."
            f" Er is niets gewijzigd: het register werkt zoals voorheen.{where}"
        ) from exc
    return MigrationReport(before, head, backup_path)


def _restore_file(copy: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    files.copy_beside(copy, path)
