"""client search text, evaluation date, demo flag

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("evaluated_on", sa.Date(), nullable=True))


def downgrade() -> None:
    # Not in batch mode: on SQLite that copies `clients` to a new table and drops the old one,
    # and with foreign keys on, dropping it deletes every row that cascades from a client.
    op.drop_column("clients", "evaluated_on")
    op.drop_column("clients", "search_text")
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.drop_column("demo")
