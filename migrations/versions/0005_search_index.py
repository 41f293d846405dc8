"""a covering index for search: name order with everything search filters on

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

_COLUMNS = ["name", "id", "search_text", "network_search_text", "phase", "casemanager_id"]


def upgrade() -> None:
    # Not in batch mode: a plain CREATE INDEX does not copy the table.
    op.create_index("ix_clients_search", "clients", _COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_clients_search", table_name="clients")
