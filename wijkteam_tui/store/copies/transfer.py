"""Moving a register between this computer and a team server: `wijkteam db copy --to`.

The source is only read, in one read transaction (one consistent state, even while colleagues
work in it), and nothing is written to it: not even the login the audit log records for an
ordinary opening. The target is made with the source's own key slots, so every user keeps
their passphrase, and the audit chain keeps its key, so the chain still verifies. The copy is
one transaction on a server, and a file that is only put in place once complete here. It
counts the rows of every table on both sides and verifies the audit chain of the target
before it says that it is done.

On a server, people log in with a role of their own whose password comes from their
passphrase (store/server/connection.py): the person who copies gets theirs; the others' roles
are made closed, and a teamleider gives each of them a one-time passphrase (`wijkteam user reset`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import RegisterError, RoleError, UsageError
from wijkteam_tui.store import files
from wijkteam_tui.store.address import Location, ServerAddress
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.keys.keyfile import KeyFile
from wijkteam_tui.store.keys.slots import Unlocked
from wijkteam_tui.store.keys.storage import FileKeys, backup_key_file_path, key_file_path
from wijkteam_tui.store.keys.unlock import unlock
from wijkteam_tui.store.migrate import HEAD_REVISION, migration_config, run_alembic, stored_revision
from wijkteam_tui.store.models import Base, TeamSettings
from wijkteam_tui.store.opening import open_register, verify_identity
from wijkteam_tui.store.server import keystore, setup, signin
from wijkteam_tui.store.sqlite import lock
from wijkteam_tui.store.sqlite.connection import connect_keyed, make_engine
from wijkteam_tui.store.sqlite.location import existing_register

REFUSAL = "Alleen een teamleider kopieert het register."
BATCH = 5_000


@dataclass
class Copied:
    target: Location
    #: Rows per table, the same on both sides.
    counts: dict[str, int]
    #: Audit events whose chain verified on the target.
    events: int
    #: Users who must get a one-time passphrase before they can log in to the target.
    closed_logins: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Source:
    engine: Engine
    unlocked: Unlocked
    key_file: KeyFile
    audit_key: bytes


def copy_register(
    source: Location,
    user: str,
    passphrase: str,
    target: Location,
    *,
    server_password: str | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Copied:
    """Copy the register at `source` to `target` (a server's empty database, or a new file
    here), as teamleider `user`; verify it; leave the source as it was."""
    started = time.perf_counter()
    if isinstance(source, Path) == isinstance(target, Path):
        raise UsageError("Kopieer van een register op deze computer naar een teamserver, of terug.")
    with (
        _opened_source(source, user, passphrase) as src,
        src.engine.connect() as reading,
        reading.begin(),
    ):
        counts = _counts(reading)
        if isinstance(target, ServerAddress):
            login = (user, passphrase, server_password)
            closed = _to_server(src, reading, target, login, progress)
        else:
            closed = []
            _to_file(src, reading, target, progress)
    copied = open_register(target, user, passphrase)
    try:
        with copied.read_connection() as conn:
            after = _counts(conn)
        differ = [t for t in counts if after.get(t) != counts[t] and t != "audit_events"]
        # The target's log has one event more: the opening just now.
        if differ or after["audit_events"] != counts["audit_events"] + 1:
            where = ", ".join(differ) or "het auditlog"
            raise RegisterError(
                f"De kopie telt niet hetzelfde aantal rijen in {where}; de bron is ongewijzigd."
            )
        verdict = log.verify(copied)
        if not verdict.ok:
            raise RegisterError(f"Het auditlog van de kopie klopt niet: {verdict.reason}.")
        detail = (
            f"register gekopieerd van {source} ({sum(counts.values())} rijen, keten gecontroleerd)"
        )
        log.record(copied, chain.Event("copy", "register", detail=detail))
    finally:
        copied.close()
    return Copied(target, counts, verdict.events, closed, time.perf_counter() - started)


@contextmanager
def _opened_source(source: Location, user: str, passphrase: str) -> Iterator[_Source]:
    """The source's key slots opened as `user` (a teamleider) and an engine that only reads."""
    if isinstance(source, ServerAddress):
        engine, keys, unlocked = signin.unlock(source, user, passphrase)
        try:
            key_file = keys.current()
            audit_key = keystore.unseal_audit_key(key_file, unlocked.db_key)
            if stored_revision(engine) != HEAD_REVISION:
                raise RegisterError(
                    "Het register op de server is van een oudere versie; open het eerst"
                    " gewoon (dan wordt het bijgewerkt) en kopieer het daarna."
                )
            yield from _as_teamleider(_Source(engine, unlocked, key_file, audit_key))
        finally:
            unlocked.forget()
            engine.dispose()
        return
    path = existing_register(source, write=False)
    unlocked = unlock(path, user, passphrase)
    try:
        key = bytes(unlocked.db_key)
        probe = connect_keyed(path, key, read_only=True)
        try:
            revision = verify_identity(probe, path, unlocked.key_file.register_id)
        finally:
            probe.close()
        if revision != HEAD_REVISION:
            raise RegisterError(
                "Het register is van een oudere versie; werk het eerst bij met"
                " 'wijkteam db upgrade' en kopieer het daarna. Er is niets gewijzigd."
            )
        engine = make_engine(lambda: connect_keyed(path, key, read_only=True))
        try:
            with engine.connect() as conn:
                kept = conn.scalar(select(TeamSettings.audit_key).where(TeamSettings.id == 1))
            if kept is None:
                raise RegisterError(
                    "Open het register eerst één keer gewoon (het krijgt dan de sleutel van zijn"
                    " auditlog in de eigen tabel) en kopieer het daarna."
                )
            source_keys = FileKeys(path).current()
            yield from _as_teamleider(_Source(engine, unlocked, source_keys, bytes.fromhex(kept)))
        finally:
            engine.dispose()
    finally:
        unlocked.forget()


def _as_teamleider(source: _Source) -> Iterator[_Source]:
    if source.unlocked.role is not Role.TEAMLEIDER:
        raise RoleError(REFUSAL)
    yield source


def _counts(conn: Connection) -> dict[str, int]:
    return {
        t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
        for t in Base.metadata.sorted_tables
    }


def _copy_rows(
    reading: Connection,
    writing: Connection,
    settings: dict[str, Any],
    progress: Callable[[str, int], None] | None,
) -> None:
    """Every row of every table, parents first; team_settings with `settings` laid over it.
    A column the database computes itself (the Buurt view's match keys) is left to the
    database it goes to."""
    for table in Base.metadata.sorted_tables:
        done = 0
        stored = [column for column in table.columns if column.computed is None]
        result = reading.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(*stored)
        )
        for chunk in result.partitions(BATCH):
            rows = [dict(row._mapping) for row in chunk]
            if table.name == TeamSettings.__tablename__:
                rows = [{**row, **settings} for row in rows]
            writing.execute(insert(table), rows)
            done += len(rows)
            if progress:
                progress(table.name, done)


def _to_server(
    src: _Source,
    reading: Connection,
    target: ServerAddress,
    login: tuple[str, str, str | None],
    progress: Callable[[str, int], None] | None,
) -> list[str]:
    """Make the target's structure with the source's slots and copy the rows into it, in one
    transaction; returns who must get a one-time passphrase. `login`: (user, passphrase, the
    operator's one-time password)."""
    user, passphrase, bootstrap_password = login
    key_file = src.key_file.with_extra(generation=src.key_file.generation + 1)
    with setup.new_structure(
        target,
        user,
        passphrase,
        key_file=key_file,
        db_key=src.unlocked.db_key,
        audit_key=src.audit_key,
        bootstrap_password=bootstrap_password,
    ) as writing:
        settings = {"audit_key": None, "key_generation": key_file.generation}
        _copy_rows(reading, writing, settings, progress)
    return [name for name, _role in key_file.users() if name != user]


def _to_file(
    src: _Source,
    reading: Connection,
    target: Path,
    progress: Callable[[str, int], None] | None,
) -> None:
    target = target.expanduser()
    key_path = key_file_path(target)
    ours = [target, key_path, backup_key_file_path(target)]
    if any(p.exists() for p in ours):
        raise RegisterError(f"Er staat al een register op {target}; kies een andere plek.")
    files.private_folder(target.parent)
    made_lock = not lock.lock_file_path(target).exists()
    key = bytes(src.unlocked.db_key)
    extra = {k: v for k, v in src.key_file.extra.items() if k != keystore.AUDIT_KEY}
    key_file = KeyFile(
        src.key_file.register_id,
        src.key_file.created_at,
        src.key_file.signer,
        src.key_file.slots,
        extra,
    )
    with ExitStack() as undo:
        undo.callback(_remove, _leftovers(target, made_lock))
        files.new_private_file(target)
        generation = FileKeys(target).write_new(key_file, key)
        engine = make_engine(lambda: connect_keyed(target, key, new=True))
        try:
            from alembic import command  # Lazy: Alembic only when a register is made

            run_alembic(engine, migration_config(), command.upgrade, "head")
            with engine.connect() as writing, writing.begin():
                settings = {"audit_key": src.audit_key.hex(), "key_generation": generation}
                _copy_rows(reading, writing, settings, progress)
        finally:
            engine.dispose()
        undo.pop_all()


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _leftovers(target: Path, made_lock: bool) -> list[Path]:
    found = [
        target,
        key_file_path(target),
        backup_key_file_path(target),
        target.with_name(target.name + "-wal"),
        target.with_name(target.name + "-shm"),
    ]
    return found + ([lock.lock_file_path(target)] if made_lock else [])
