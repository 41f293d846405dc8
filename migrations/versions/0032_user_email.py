"""users: an e-mail address, where `wijkteam digest --mail` sends their week

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("email", sa.String(254), nullable=False, server_default=""))


def downgrade() -> None:
    # Without a batch, which would rebuild the table on SQLite and lose its triggers.
    op.execute("ALTER TABLE users DROP COLUMN email")
