"""sign-off requests: when the decision was taken, and when the requester saw a refusal

`decided_at` puts a decision in its place within its day (the timeline reads request,
refusal, new request, approval in the order they happened; a date alone cannot). A refusal
stays on the requester's Vandaag until they open the client: `decision_seen_at` records that.
Decisions taken before this revision have no time; refusals among them count as seen, so that
an old refusal does not come back as news.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | None = None
depends_on: str | None = None

_requests = sa.table(
    "sign_off_requests",
    sa.column("decided_on", sa.Date),
    sa.column("recorded_at", sa.DateTime),
    sa.column("decision_seen_at", sa.DateTime),
)


def upgrade() -> None:
    with op.batch_alter_table("sign_off_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("decision_seen_at", sa.DateTime(), nullable=True))
    op.get_bind().execute(
        sa.update(_requests)
        .where(_requests.c.decided_on.is_not(None))
        .values(decision_seen_at=_requests.c.recorded_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("sign_off_requests", schema=None) as batch_op:
        batch_op.drop_column("decision_seen_at")
        batch_op.drop_column("decided_at")
