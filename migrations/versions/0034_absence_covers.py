"""absence_covers: clients of an absent colleague covered by someone else than the absence's
cover (several covers by client)

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "absence_covers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("absence_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("cover_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["absence_id"],
            ["absences.id"],
            name=op.f("fk_absence_covers_absence_id_absences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_absence_covers_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cover_id"], ["users.id"], name=op.f("fk_absence_covers_cover_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence_covers")),
        sa.UniqueConstraint(
            "absence_id", "client_id", name=op.f("uq_absence_covers_absence_id_client_id")
        ),
    )
    op.create_index(op.f("ix_absence_covers_absence_id"), "absence_covers", ["absence_id"])
    op.create_index(op.f("ix_absence_covers_cover_id"), "absence_covers", ["cover_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_absence_covers_cover_id"), table_name="absence_covers")
    op.drop_index(op.f("ix_absence_covers_absence_id"), table_name="absence_covers")
    op.drop_table("absence_covers")
