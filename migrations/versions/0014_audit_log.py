"""audit log: the NEN 7513 action code and the client number on each event

The table was there from the start, unused. An event keeps the client's number as well as
its id, so that it still says whose file it was after the client is erased.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(1), nullable=False, server_default="E"))
        batch_op.add_column(
            sa.Column("client_number", sa.String(20), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("client_number")
        batch_op.drop_column("code")
