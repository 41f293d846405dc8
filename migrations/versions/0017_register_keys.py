"""register keys: the audit chain's own key, and the register's signing public key

The audit chain was keyed from the database key; a database key that changes (deactivating a
user re-keys the database) must not break the chain, so the chain key is kept in the
(encrypted) database. It is filled in at the first opening, with the key the chain used so far.
The signing public key mirrors the key file's, so that a key file with another signer is
refused.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audit_key", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("signer", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.drop_column("signer")
        batch_op.drop_column("audit_key")
