"""mail settings: the SMTP server the team sends through, its password sealed

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "mail_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("security", sa.String(8), nullable=False),
        sa.Column("login", sa.String(255), nullable=False),
        sa.Column("sender_name", sa.String(120), nullable=False),
        sa.Column("sender_address", sa.String(254), nullable=False),
        sa.Column("reply_to", sa.String(254), nullable=False),
        sa.Column("password_sealed", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_mail_settings_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_settings")),
    )


def downgrade() -> None:
    op.drop_table("mail_settings")
