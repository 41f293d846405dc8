"""absences: a medewerker away from a day until a day (or open-ended), and who covers them

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("until_on", sa.Date(), nullable=True),
        sa.Column("cover_id", sa.Integer(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("summary_seen_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "until_on IS NULL OR until_on >= from_on", name=op.f("ck_absences_until_after_from")
        ),
        sa.CheckConstraint(
            "cover_id IS NULL OR cover_id <> user_id", name=op.f("ck_absences_not_own_cover")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_absences_user_id_users")),
        sa.ForeignKeyConstraint(
            ["cover_id"], ["users.id"], name=op.f("fk_absences_cover_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_absences_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
    )
    op.create_index("ix_absences_user_from", "absences", ["user_id", "from_on"])
    op.create_index("ix_absences_cover", "absences", ["cover_id"])


def downgrade() -> None:
    op.drop_index("ix_absences_cover", table_name="absences")
    op.drop_index("ix_absences_user_from", table_name="absences")
    op.drop_table("absences")
