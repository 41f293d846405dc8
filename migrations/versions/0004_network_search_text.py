"""network members' names apart from the client's own search text

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

# The texts are derived data and must be what this version's search reads, so they come from
# the one place that defines them rather than from a frozen copy here.
from wijkteam_tui.domain.search import client_search_text, network_search_text

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_clients = sa.table(
    "clients",
    sa.column("id", sa.Integer),
    sa.column("number", sa.String),
    sa.column("name", sa.String),
    sa.column("street", sa.String),
    sa.column("house_number", sa.String),
    sa.column("postcode", sa.String),
    sa.column("search_text", sa.Text),
    sa.column("network_search_text", sa.Text),
)
_members = sa.table(
    "network_members",
    sa.column("id", sa.Integer),
    sa.column("client_id", sa.Integer),
    sa.column("name", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("network_search_text", sa.Text(), nullable=False, server_default="")
        )
    conn = op.get_bind()
    names: dict[int, list[str]] = defaultdict(list)
    for client_id, name in conn.execute(
        sa.select(_members.c.client_id, _members.c.name).order_by(_members.c.id)
    ):
        names[client_id].append(name)
    rows = [
        {
            "cid": cid,
            "own": client_search_text(name, number, street, house_number, postcode),
            "network": network_search_text(names[cid]),
        }
        for cid, number, name, street, house_number, postcode in conn.execute(
            sa.select(
                _clients.c.id,
                _clients.c.number,
                _clients.c.name,
                _clients.c.street,
                _clients.c.house_number,
                _clients.c.postcode,
            )
        )
    ]
    if rows:
        conn.execute(
            _clients.update()
            .where(_clients.c.id == sa.bindparam("cid"))
            .values(search_text=sa.bindparam("own"), network_search_text=sa.bindparam("network")),
            rows,
        )


def downgrade() -> None:
    # Revision 0003 searched one text: own text and member names joined by " | ".
    own, network = _clients.c.search_text, _clients.c.network_search_text
    op.execute(
        _clients.update()
        .where(network != "")
        .values(
            search_text=sa.case((own == "", network), else_=own + " | " + network),
        )
    )
    # Not in batch mode: on SQLite that copies `clients` to a new table and drops the old one,
    # and with foreign keys on, dropping it deletes every row that cascades from a client.
    op.drop_column("clients", "network_search_text")
