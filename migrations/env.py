"""Alembic environment. Migrations only ever run from code, over the already keyed connection
that `store.engine` passes in `config.attributes["connection"]`, inside its write transaction."""

from __future__ import annotations

from alembic import context

from wijkteam_tui.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit(
        "Migraties draaien alleen vanuit wijkteam (het register is versleuteld);"
        " gebruik 'wijkteam db upgrade'."
    )


def _ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """What Alembic compares with the models: not the key slots a team server keeps in tables
    of their own (store/server_roles.py, beside the register's tables, as a key file is)."""
    return not (type_ == "table" and name in ("key_store", "key_history"))


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=_ours,
    render_as_batch=True,
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
