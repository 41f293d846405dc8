"""audit_event_clients: the clients of one event about many at once

`wijkteam overdue` logged one export event per client on its list: thousands of events, and
a third of the command's time, on a large register. It now logs one event for the run, whose
detail says how many clients and carries a digest of them (covered by the event's MAC); this
table names them, so that each client's inzage and `audit show --client` still find it by an
index.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
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


def downgrade() -> None:
    op.drop_index("ix_audit_event_clients_number", table_name="audit_event_clients")
    op.drop_index("ix_audit_event_clients_client", table_name="audit_event_clients")
    op.drop_table("audit_event_clients")
