"""clients: the id a client had in the system their caseload came from

A team that brings its caseload in from a spreadsheet or another system (`wijkteam import`)
gives each client the id they had there. Importing the same file again finds the client by it
and updates them instead of adding them twice. Empty for clients registered here; unique
where it is set.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | None = None
depends_on: str | None = None


# Without a batch (which would rebuild the table on SQLite and lose the search index's
# triggers of 0025): both backends add and drop a column in place.


def upgrade() -> None:
    op.add_column("clients", sa.Column("external_id", sa.String(60), nullable=True))
    op.create_index("ix_clients_external_id", "clients", ["external_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_clients_external_id", table_name="clients")
    op.execute("ALTER TABLE clients DROP COLUMN external_id")
