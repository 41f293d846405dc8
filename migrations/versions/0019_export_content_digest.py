"""shared exports: one version for unchanged content, whatever the format

An export records a digest of what the document says (without its date and version number).
The next export of the same client keeps the version when the digest is the same, so the
PDF, the card and the calendar made of unchanged agreements carry one number; it rises only
when what is shared changed. Two exports may therefore share a version: the unique
constraint becomes an index.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("shared_exports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_digest", sa.String(64), nullable=True))
        batch_op.drop_constraint("uq_shared_exports_client_id_version", type_="unique")
        batch_op.create_index(
            "ix_shared_exports_client_id_version", ["client_id", "version"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("shared_exports", schema=None) as batch_op:
        batch_op.drop_index("ix_shared_exports_client_id_version")
        batch_op.create_unique_constraint(
            "uq_shared_exports_client_id_version", ["client_id", "version"]
        )
        batch_op.drop_column("content_digest")
