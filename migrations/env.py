"""Alembic environment.

A register is only ever migrated from code: `store.migrate` passes its keyed connection in
`config.attributes["connection"]` and runs the migrations inside its write transaction.

From the command line (`alembic revision --autogenerate -m "…"` at the project's root, see
alembic.ini), there is no register: the models are compared with a scratch in-memory SQLite
database brought to the newest revision first, and the new revision gets the next number
("0023" after "0022") rather than a random id. Any other command-line use is refused in
Dutch: a register is encrypted, and `wijkteam db upgrade` migrates it."""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import StaticPool

from wijkteam_tui.store.models import Base

#: The trigram search index (migration 0025), which the models do not describe: locally an
#: FTS5 table and its shadow tables, on a server three GIN indexes (store/server/roles.py).
_SEARCH_INDEX = (
    "client_search",
    "ix_clients_search_trigrams",
    "ix_clients_network_search_trigrams",
    "ix_clients_name_trigrams",
)


def _ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """What Alembic compares with the models: not the key slots a team server keeps in tables
    of their own (store/server/roles.py, beside the register's tables, as a key file is), nor
    the trigram search index."""
    if name is not None and name.startswith(_SEARCH_INDEX):
        return False
    return not (type_ == "table" and name in ("key_store", "key_history"))


OPTIONS: dict[str, Any] = {
    "target_metadata": Base.metadata,
    "include_object": _ours,
    "render_as_batch": True,
    "transactional_ddl": True,
    "compare_type": True,
}


def _numbered(ctx: MigrationContext, revision: object, directives: list[Any]) -> None:
    """A new revision is numbered after the newest one, as 0001…0020 are."""
    script = directives[0]
    head = ScriptDirectory.from_config(context.config).get_current_head()
    script.rev_id = f"{int(head or 0) + 1:04d}"


def _at_head(connection: Connection) -> None:
    """Bring the scratch database to the newest revision, as a register would be."""
    script = ScriptDirectory.from_config(context.config)
    migration = MigrationContext.configure(
        connection,
        opts={**OPTIONS, "fn": lambda rev, _ctx: script._upgrade_revs("head", rev)},
    )
    with Operations.context(migration), migration.begin_transaction():
        migration.run_migrations()


def _run(connection: Connection, **extra: Any) -> None:
    context.configure(connection=connection, **OPTIONS, **extra)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
elif getattr(context.config.cmd_opts, "autogenerate", False):
    scratch = create_engine("sqlite://", poolclass=StaticPool)
    with scratch.connect() as conn:
        _at_head(conn)
        conn.commit()
        _run(conn, process_revision_directives=_numbered)
else:
    raise SystemExit(
        "Migraties draaien alleen vanuit wijkteam (het register is versleuteld);"
        " gebruik 'wijkteam db upgrade'. Een nieuwe migratie maakt u met"
        " 'alembic revision --autogenerate -m \"…\"'."
    )
