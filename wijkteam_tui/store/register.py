"""An opened, unlocked register: who works in it, its keys, its engine and its sessions.

How a register is made and opened, on this computer or on a team server, is store/opening.py;
what SQLite needs is store/sqlite/, what a server needs store/server/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AccessEndedError,
    ConflictError,
    RegisterError,
    RoleError,
    WijkteamError,
)
from wijkteam_tui.store.address import Location, ServerAddress
from wijkteam_tui.store.audit import chain
from wijkteam_tui.store.keys.slots import Unlocked
from wijkteam_tui.store.keys.storage import FileKeys, KeyStore, key_file_path
from wijkteam_tui.store.models import TeamSettings
from wijkteam_tui.store.sqlite import faults
from wijkteam_tui.store.sqlite.connection import integrity_problems
from wijkteam_tui.store.transactions import (
    BEGIN_OPTION,
    LOG,
    SCOPE_OPTION,
    TEAM,
    WAITING_OPTION,
    check_scope,
)

if TYPE_CHECKING:
    from wijkteam_tui.store.last_seen import WentBack
    from wijkteam_tui.store.migrate import MigrationReport
    from wijkteam_tui.store.sqlite.lock import RegisterLock


@dataclass(frozen=True)
class CurrentUser:
    """Who is working: name and role as the key file and the users table agree."""

    id: int
    name: str
    role: Role


#: A record of one client, as `Register.write(of=...)` takes it: (its model, its id).
Owned = tuple[Any, int]


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
        held: RegisterLock | None = None,
        keys: KeyStore | None = None,
        fault: Callable[[BaseException | None], WijkteamError | None] | None = None,
    ) -> None:
        #: A local register's path, or a team server's address (store/server/).
        self.location = location
        self.server = location if isinstance(location, ServerAddress) else None
        #: Where the key slots are kept: the key file beside the database, or a server table.
        self.keys: KeyStore = keys or FileKeys(self.path)
        # What a database error means, in Dutch (None: an error of the program itself).
        self._fault = fault or (lambda exc: faults.from_sqlite(exc, self.path))
        #: The audit chain's key (kept in the database: see `register_keys`).
        self.audit_key = audit_key
        # The shared lock that tells `restore` this register is open here (store/sqlite/lock.py).
        self._held = held
        self.engine = engine
        self.unlocked = unlocked
        self.user = user
        self.migration = migration
        self.closed = False
        # The key file as last looked at ((inode, size, mtime)), to notice at the next write
        # that a teamleider took this person's slot away (`access_problem`).
        self._keys_looked_at: tuple[int, int, int] | None = None
        #: What the person should know about this register beyond the key file's warnings
        #: (a cut-off audit log, found at opening).
        self.notices: list[str] = []
        #: Set at opening when the register is older than this person saw it last, until
        #: that is accepted (store/last_seen.py); what they saw is not overwritten meanwhile.
        self.went_back: WentBack | None = None
        #: Run in turn when the register closes, each may return a warning (store/opening.py
        #: puts the audit log's head and what this person saw here).
        self.closers: list[Callable[[Register], str | None]] = []
        self._read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        #: Called (from the writing thread) when a write has waited WAIT_NOTICE_MS for another
        #: process's write lock; the screen or the command line says that it is waiting.
        self.on_wait: Callable[[], None] | None = None
        # Every change made in a write session is logged in the same transaction.
        context = chain.Context(
            user.name if user else "systeem",
            user.role.value if user else "",
            audit_key,
        )
        self._write_sessions = sessionmaker(
            bind=engine.execution_options(
                **{BEGIN_OPTION: "IMMEDIATE", WAITING_OPTION: self._waiting}
            ),
            expire_on_commit=False,
            info={chain.CONTEXT: context},
        )
        chain.install(self._write_sessions)
        event.listen(self._write_sessions, "before_flush", check_scope)

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
        with self._read_sessions() as session, translated_errors(self._fault):
            yield session

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection in a deferred read transaction: the fast path for read models."""
        # Translated from the connecting on: a server that is gone, or a login closed
        # meanwhile, shows when the pool makes a new connection.
        with translated_errors(self._fault), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(
        self, *, client: int | None = None, of: Owned | None = None, log_only: bool = False
    ) -> Iterator[Session]:
        """One write transaction (`BEGIN IMMEDIATE`), committed when the block ends cleanly.

        What it may change is its scope (store/transactions.py): the whole team, unless it
        names one `client` (or a record `of` one: (model, id), whose client is looked up as
        the transaction begins), whose records alone it then changes, or is `log_only`,
        adding only audit events. On a team server a client's writes wait only for other
        writes for the same client and for team writes. A change outside the scope is refused
        as a program error (ScopeError). A version conflict raises ConflictError; any error
        rolls everything back. Someone switched off meanwhile gets AccessEndedError and nothing
        is written.
        """
        problem = self.access_problem()
        if problem:
            raise AccessEndedError(problem)
        scope = LOG if log_only or of is not None else TEAM if client is None else client
        with translated_errors(self._fault), self._write_sessions.begin() as session:
            session.info[SCOPE_OPTION] = scope
            # The transaction begins here, with its scope: the begin hook takes its locks.
            conn = session.connection(execution_options={SCOPE_OPTION: scope})
            if of is not None:
                model, record_id = of
                owner = session.scalar(select(model.client_id).where(model.id == record_id))
                # (None: the record is gone; the service's own lookup says so, changing nothing.)
                if owner is not None:
                    session.info[SCOPE_OPTION] = owner
                    if self.server is not None:
                        # Lazy: psycopg and the server's code only for a register on a server.
                        from wijkteam_tui.store.server.connection import hold_client

                        hold_client(conn, owner)
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
        # What opening asked to be done at the end (the newest audit event into the key file,
        # what this person saw): a busy or full disk must not stop the closing, the next
        # close does it again.
        for closer in self.closers:
            with suppress(OSError, sqlcipher.Error, DBAPIError, WijkteamError):
                said = closer(self)
                if said is not None:
                    warnings.append(said)
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
def translated_errors(
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
