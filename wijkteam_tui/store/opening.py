"""Making and opening a register: on this computer (a SQLCipher file beside its key file) or
on a team server (store/server/signin.py signs in and hands back its engine and keys); either
way the opening is finished here, so the server never calls back into it.

Before anything is written a local database must show itself to be the key file's register,
and its structure is brought up to date (store/migrate.py) with a checked copy kept first.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.accounts import validate_passphrase, validate_user_name
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import KeyFileError, RegisterError, WijkteamError
from wijkteam_tui.store import files, last_seen
from wijkteam_tui.store.address import Location, ServerAddress
from wijkteam_tui.store.audit import chain, head, log
from wijkteam_tui.store.keys.changes import DEMO_PASSPHRASE, new_key_file, set_user_passphrase
from wijkteam_tui.store.keys.slots import Unlocked
from wijkteam_tui.store.keys.storage import (
    KeyStore,
    backup_key_file_path,
    key_file_path,
    read_key_file,
)
from wijkteam_tui.store.keys.unlock import unlock
from wijkteam_tui.store.migrate import (
    HEAD_REVISION,
    MigrationReport,
    known,
    migration_config,
    run_migrations,
)
from wijkteam_tui.store.models import DEFAULT_TEAM_NAME, TeamSettings, User
from wijkteam_tui.store.register import CurrentUser, Register
from wijkteam_tui.store.sqlite import faults, journal, lock
from wijkteam_tui.store.sqlite.connection import connect_keyed, keyed_engine
from wijkteam_tui.store.sqlite.location import check_location, existing_register
from wijkteam_tui.store.transactions import BEGIN_OPTION


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
        # Lazy: psycopg and the server's code only for a register on a team server.
        from wijkteam_tui.store.server.setup import create_server_register

        if demo:
            raise RegisterError("Het demoregister staat altijd op deze computer.")
        unlocked, recovery_key = create_server_register(
            path,
            user,
            passphrase,
            team_name=team_name,
            display_name=display_name,
            bootstrap_password=server_password,
        )
        unlocked.forget()
        return _made(open_on_server(path, user, passphrase), user), recovery_key
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
        engine = keyed_engine(path, db_key, new=True)
        try:
            run_migrations(engine, path, db_key, None)
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
        log.record(register, chain.Event("create", "register", detail=made))
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
        return last_seen.settle(open_on_server(path, user, passphrase), accept_older)
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
        opened = open_on_server(location, user, passphrase, how=how)
    else:
        opened = open_unlocked(location, unlock(location, user, passphrase), how=how)
    return last_seen.settle(opened, accept_older)


def replace_one_time(location: Location, user: str, one_time: str, chosen: str) -> None:
    """Put the passphrase `user` chose in place of the one-time one a teamleider gave."""
    if isinstance(location, ServerAddress):
        # Lazy: psycopg and the server's code only for a register on a team server.
        from wijkteam_tui.store.server import signin

        engine, keys, given = signin.unlock(location, user, one_time, one_time_ok=True)
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
        conn = _identity_connection(path, unlocked.db_key)
        try:
            verify_identity(conn, path, unlocked.key_file.register_id, script_location)
        finally:
            conn.close()
        engine = keyed_engine(path, unlocked.db_key)
        try:
            report = run_migrations(engine, path, unlocked.db_key, script_location)
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


def _identity_connection(path: Path, db_key: bytes) -> sqlcipher.Connection:
    """A connection to check that the database is this key file's register before anything
    is written: read-only. A write that stopped halfway in rollback-journal mode (a crash, a
    killed re-key) leaves a hot journal that only a writing connection can roll back; a
    read-only one fails as if the folder were read-only. Where the folder is writable, the
    check then reads through a writing connection without WAL: SQLite rolls the interrupted
    write back (its own recovery, not a change) and nothing else is written before the check."""
    try:
        return connect_keyed(path, db_key, read_only=True)
    except faults.ReadOnlyError:
        if not os.access(path.parent, os.W_OK):
            raise
        return connect_keyed(path, db_key, wal=False)


def open_on_server(
    address: ServerAddress,
    user: str,
    passphrase: str,
    *,
    how: str = "login",
    one_time_ok: bool = False,
) -> Register:
    """Sign in to a team server, open the slot and open the register (migrating it if
    needed); not checked against what `user` saw last (`open_register` does that).
    `one_time_ok`: also with a one-time passphrase (to replace it)."""
    # Lazy: psycopg and the server's code only for a register on a team server.
    from wijkteam_tui.store.server.signin import sign_in

    signed = sign_in(address, user, passphrase, one_time_ok=one_time_ok)
    return open_on_engine(
        address,
        signed.engine,
        signed.unlocked,
        keys=signed.keys,
        audit_key=signed.audit_key,
        how=how,
        fault=signed.fault,
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
            # Lazy: psycopg and the server's code only for a register on a team server.
            from wijkteam_tui.store.server.setup import migrate

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
    # At closing: the newest audit event into the key file, so that cutting off the log's
    # tail is caught, and what this person saw of the register (store/last_seen.py).
    register.closers += [head.keep_head, last_seen.remember]
    try:
        cut_off = head.missing_at_opening(register)
        if cut_off is not None:
            register.notices.append(cut_off)
        register.went_back = last_seen.look(register)
        tries, last = unlocked.failed_tries
        failed = log.logins_failed(tries, last, unlocked.user or "") if tries else []
        log.record(register, *failed, chain.Event(how, "users", unlocked.user or ""))
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
    from alembic.script import ScriptDirectory  # Lazy: only for a register not at the head

    script = ScriptDirectory.from_config(migration_config(script_location))
    if not known(script, revision[0]):
        raise faults.FileFault(
            f"{path} is gemaakt of bijgewerkt door een nieuwere versie van wijkteam"
            f" (structuurversie {revision[0]}). Werk wijkteam bij; er is niets gewijzigd.",
            "het register is van een nieuwere versie van wijkteam",
        )
    return str(revision[0])


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
    (store/server/keystore.py) and passes it as `audit_key`: only the signer is checked then."""
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
        kept_key = kept_key or chain.chain_key(unlocked.db_key).hex()
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
    conn = _identity_connection(path, db_key)
    try:
        verify_identity(conn, path, register_id)
    finally:
        conn.close()
    engine = keyed_engine(path, db_key)
    try:
        run_migrations(engine, path, db_key, None)
        writing = Session(engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}))
        with writing, writing.begin():
            settings = writing.get(TeamSettings, 1)
            assert settings is not None
            settings.audit_key = settings.audit_key or chain.chain_key(db_key).hex()
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
