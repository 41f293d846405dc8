"""network members: closeness ring, reachable out of hours, consent date and review date

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs: SQLite adds them without copying the table.
    op.add_column(
        "network_members", sa.Column("ring", sa.Integer(), nullable=False, server_default="2")
    )
    op.add_column(
        "network_members",
        sa.Column("out_of_hours", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("network_members", sa.Column("consent_review_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("network_members") as batch:
        batch.drop_column("consent_review_on")
        batch.drop_column("out_of_hours")
        batch.drop_column("ring")
