"""sociale kaart: a contact person for each resource

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "resources",
        sa.Column("contact_person", sa.String(length=120), nullable=False, server_default=""),
    )


def downgrade() -> None:
    with op.batch_alter_table("resources") as batch:
        batch.drop_column("contact_person")
