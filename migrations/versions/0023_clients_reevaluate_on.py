"""clients: the day the passing of time alone changes a client's alerts or due dates

`reevaluate_on` lets the daily sweep evaluate only the clients whose day has come, found by a
range query on its index, instead of every client silent or late. Every open client gets a day
that has come (its last evaluation, or its opening), so that the first sweep after this
revision evaluates each once and stores its real day; closed files need none.

The uit-beeld reason no longer counts the days (it stays true while the episode lasts): that
first sweep rewrites the reasons of the open uit-beeld alerts as well.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | None = None
depends_on: str | None = None

_clients = sa.table(
    "clients",
    sa.column("phase", sa.String),
    sa.column("opened_on", sa.Date),
    sa.column("evaluated_on", sa.Date),
    sa.column("reevaluate_on", sa.Date),
)


def upgrade() -> None:
    # Not in batch mode: on SQLite that copies `clients` to a new table and drops the old one,
    # and with foreign keys on, dropping it deletes every row that cascades from a client.
    op.add_column("clients", sa.Column("reevaluate_on", sa.Date(), nullable=True))
    op.create_index(op.f("ix_clients_reevaluate_on"), "clients", ["reevaluate_on"])
    op.get_bind().execute(
        sa.update(_clients)
        .where(_clients.c.phase != "afgesloten")
        .values(reevaluate_on=sa.func.coalesce(_clients.c.evaluated_on, _clients.c.opened_on))
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_clients_reevaluate_on"), table_name="clients")
    op.drop_column("clients", "reevaluate_on")
