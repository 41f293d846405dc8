"""clients: one index on (casemanager, phase) instead of casemanager alone, so the Team screen
counts each medewerker's caseload per phase from the index

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index(
        "ix_clients_casemanager_phase", "clients", ["casemanager_id", "phase"], unique=False
    )
    op.drop_index("ix_clients_casemanager_id", table_name="clients")


def downgrade() -> None:
    op.create_index("ix_clients_casemanager_id", "clients", ["casemanager_id"], unique=False)
    op.drop_index("ix_clients_casemanager_phase", table_name="clients")
