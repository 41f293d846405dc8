"""audit_event_clients: a row per bucket of client ids, not per client

A list event (`wijkteam overdue`) named its clients one row each, indexed by client id and by
number: every new list then touched a page of both indexes for each of its clients, wherever
earlier lists had put them, so that after a year of daily lists of 5,000 clients each new one
wrote tens of megabytes and took 0.3 s longer. A row now holds the clients of one bucket of
1,024 ids as "id:number" lines (store/audit/models.py, `pack`), indexed by (bucket, seq): a
new list adds a few rows at the end of that index. The rows of existing lists are packed the
same way; their events' digests are over the same (id, number) pairs, so the chain still
verifies.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | None = None
depends_on: str | None = None

#: As store/audit/models.py has it (a migration keeps the value it was written with).
BUCKET_SIZE = 1024


def _table() -> None:
    op.create_table(
        "audit_event_clients",
        sa.Column("seq", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("bucket", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("clients", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seq"],
            ["audit_events.seq"],
            name=op.f("fk_audit_event_clients_seq_audit_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", "bucket", name=op.f("pk_audit_event_clients")),
    )
    op.create_index("ix_audit_event_clients_bucket", "audit_event_clients", ["bucket", "seq"])


def upgrade() -> None:
    bind = op.get_bind()
    packed: dict[tuple[int, int], list[str]] = {}
    for seq, client_id, number in bind.execute(
        sa.text(
            "SELECT seq, client_id, client_number FROM audit_event_clients ORDER BY seq, client_id"
        )
    ):
        packed.setdefault((seq, client_id // BUCKET_SIZE), []).append(f"{client_id}:{number}")
    op.drop_index("ix_audit_event_clients_number", table_name="audit_event_clients")
    op.drop_index("ix_audit_event_clients_client", table_name="audit_event_clients")
    op.drop_table("audit_event_clients")
    _table()
    if packed:
        table = sa.table(
            "audit_event_clients", sa.column("seq"), sa.column("bucket"), sa.column("clients")
        )
        bind.execute(
            table.insert(),
            [
                {"seq": seq, "bucket": bucket, "clients": "\n".join(lines)}
                for (seq, bucket), lines in packed.items()
            ],
        )


def downgrade() -> None:
    bind = op.get_bind()
    pairs = []
    for seq, text in bind.execute(sa.text("SELECT seq, clients FROM audit_event_clients")):
        for line in text.split("\n"):
            client_id, number = line.split(":", 1)
            pairs.append({"seq": seq, "client_id": int(client_id), "client_number": number})
    op.drop_index("ix_audit_event_clients_bucket", table_name="audit_event_clients")
    op.drop_table("audit_event_clients")
    op.create_table(
        "audit_event_clients",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("client_number", sa.String(20), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["seq"],
            ["audit_events.seq"],
            name=op.f("fk_audit_event_clients_seq_audit_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", "client_id", name=op.f("pk_audit_event_clients")),
    )
    op.create_index("ix_audit_event_clients_client", "audit_event_clients", ["client_id"])
    op.create_index("ix_audit_event_clients_number", "audit_event_clients", ["client_number"])
    if pairs:
        table = sa.table(
            "audit_event_clients",
            sa.column("seq"),
            sa.column("client_id"),
            sa.column("client_number"),
        )
        bind.execute(table.insert(), pairs)
