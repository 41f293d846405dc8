"""contact_agreements: the client's casemanager beside each agreement

The team overview counts the overdue agreements per casemanager. Read from the clients, that
count joins every overdue agreement to its client: on a team server of 100,000 clients a hash
join over the whole clients table, 49 ms once a day's writes have cleared the table's
visibility map (the goal is 50 ms for the whole screen). Kept beside the agreement, in the
index the overdue lists already read, the count reads that index alone: 6 ms, 27 ms when none
of its pages is known to be all-visible.

The store keeps the two in step: an agreement is made with its client's casemanager, and a
new casemanager (the client form, an import, a reassignment) is written to all of the
client's agreements in the same transaction.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | None = None
depends_on: str | None = None

_DUE = ["active", "next_due", "snoozed_until", "client_id", "member_id", "user_id", "channel"]

# Without a batch (which would rebuild the table on SQLite and lose its triggers): both
# backends add and drop a column in place.


def upgrade() -> None:
    op.add_column(
        "contact_agreements",
        sa.Column("casemanager_id", sa.Integer, nullable=True),
    )
    op.execute(
        "UPDATE contact_agreements SET casemanager_id ="
        " (SELECT casemanager_id FROM clients WHERE clients.id = contact_agreements.client_id)"
    )
    op.drop_index("ix_contact_agreements_due", table_name="contact_agreements")
    op.create_index("ix_contact_agreements_due", "contact_agreements", [*_DUE, "casemanager_id"])


def downgrade() -> None:
    op.drop_index("ix_contact_agreements_due", table_name="contact_agreements")
    op.create_index("ix_contact_agreements_due", "contact_agreements", _DUE)
    op.execute("ALTER TABLE contact_agreements DROP COLUMN casemanager_id")
