"""Setting up and keeping a team server's register: a new register in an empty database, the
structure brought up to date by the operator's set-up role, and the upkeep after bulk loads
and erasures.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from wijkteam_tui.domain.accounts import validate_passphrase, validate_user_name
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    MigrationError,
    RegisterError,
    WijkteamError,
)
from wijkteam_tui.store.address import ServerAddress
from wijkteam_tui.store.keys.changes import new_key_file
from wijkteam_tui.store.keys.keyfile import (
    KeyFile,
    key_document,
)
from wijkteam_tui.store.keys.slots import Unlocked
from wijkteam_tui.store.keys.storage import Login
from wijkteam_tui.store.migrate import (
    HEAD_REVISION,
    MigrationReport,
    current_revision,
    head_revision,
    migration_config,
    run_alembic_on,
    stored_revision,
)
from wijkteam_tui.store.models import DEFAULT_TEAM_NAME, Base, TeamSettings, User
from wijkteam_tui.store.server.connection import make_server_engine, scram_verifier, server_fault
from wijkteam_tui.store.server.keystore import AUDIT_KEY, apply_login, seal_audit_key
from wijkteam_tui.store.server.roles import (
    SCHEMA,
    grant_work,
    make_extensions,
    make_roles,
    make_server_objects,
    quoted,
    set_login,
)
from wijkteam_tui.store.transactions import (
    BEGIN_OPTION,
)


def migrate(engine: Engine, address: ServerAddress) -> Any:
    """Bring a server's register up to date, as the owner role under the write lock: only the
    operator's set-up role may (the structure is the owner's, and no colleague is a member of
    it); its DDL is transactional, so a failure leaves it as it was."""
    from alembic import command  # Lazy: Alembic only when the structure must change

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
            conn.exec_driver_sql("RESET ROLE")
            make_extensions(conn)
            conn.exec_driver_sql(f"SET LOCAL ROLE {quoted(address.owner_role)}")
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
    from alembic import command  # Lazy: Alembic only when a register is made

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
            make_extensions(conn)
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
            apply_login(conn, address, Login(user, secret=passphrase, role=Role.TEAMLEIDER))
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
