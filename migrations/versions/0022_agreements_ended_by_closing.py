"""contact agreements: which ones closing the file ended, to renew them on reopening

Closing a file ends every active agreement. `closed_with_file` marks the agreements that
closing ended and `end_before_closing` keeps the end date each had planned before, so that
reopening can offer to let them start again. Files closed before this revision have no mark:
their agreements that ended on the day the file closed are marked, which is what closing did
(an agreement ended by hand on that same day is offered too; the form shows each one, ticked,
and the person unticks what should not return).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | None = None
depends_on: str | None = None

_agreements = sa.table(
    "contact_agreements",
    sa.column("client_id", sa.Integer),
    sa.column("active", sa.Boolean),
    sa.column("end_on", sa.Date),
    sa.column("closed_with_file", sa.Boolean),
)
_clients = sa.table(
    "clients",
    sa.column("id", sa.Integer),
    sa.column("closed_on", sa.Date),
)


def upgrade() -> None:
    with op.batch_alter_table("contact_agreements", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("closed_with_file", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("end_before_closing", sa.Date(), nullable=True))
    closed_on = (
        sa.select(_clients.c.closed_on)
        .where(_clients.c.id == _agreements.c.client_id, _clients.c.closed_on.is_not(None))
        .scalar_subquery()
    )
    op.get_bind().execute(
        sa.update(_agreements)
        .where(_agreements.c.active.is_(False), _agreements.c.end_on == closed_on)
        .values(closed_with_file=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("contact_agreements", schema=None) as batch_op:
        batch_op.drop_column("end_before_closing")
        batch_op.drop_column("closed_with_file")
