"""covering index for due lists

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

_COLUMNS = ["active", "next_due", "snoozed_until", "client_id", "member_id", "user_id", "channel"]


def upgrade() -> None:
    with op.batch_alter_table("contact_agreements", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_agreements_active_next_due")
        batch_op.create_index("ix_contact_agreements_due", _COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contact_agreements", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_agreements_due")
        batch_op.create_index(
            "ix_contact_agreements_active_next_due", ["active", "next_due"], unique=False
        )
