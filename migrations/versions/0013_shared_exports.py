"""shared exports: each export of a client's shared agreements, with its version number

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "shared_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("file_format", sa.String(10), nullable=False),
        sa.Column("exported_by_id", sa.Integer(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_shared_exports_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exported_by_id"], ["users.id"], name=op.f("fk_shared_exports_exported_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_exports")),
        sa.UniqueConstraint(
            "client_id", "version", name=op.f("uq_shared_exports_client_id_version")
        ),
    )


def downgrade() -> None:
    op.drop_table("shared_exports")
