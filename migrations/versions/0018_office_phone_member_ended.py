"""the team's office number; a network member whose involvement ended

The shared documents name a number to call: the casemanager's own (users.phone, which existed
but could not be filled in) or the team's office (team_settings.office_phone). A network member
who moved away, fell out or died is not deleted: their history stays, and `ended_on` with
`ended_reason` says since when and why they are no longer part of the network.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("office_phone", sa.String(40), nullable=False, server_default="")
        )
    with op.batch_alter_table("network_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("ended_reason", sa.String(120), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("network_members", schema=None) as batch_op:
        batch_op.drop_column("ended_reason")
        batch_op.drop_column("ended_on")
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.drop_column("office_phone")
