"""monthly agreements on the 29th-31st: due on the last day of a shorter month

Until this revision, the engine stored the next date of a monthly agreement that starts on the
29th, 30th or 31st as the next month that has that day: "elke maand op de 31e" skipped
February, April, June, September and November. The engine now means the last day of a shorter
month, but a stored date was only recomputed at the agreement's next change. This migration
recomputes the stored next date of every active monthly agreement, and the client's earliest
date with it, so that nothing waits for a skipped month. Alerts follow at the next sweep.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

from wijkteam_tui.domain.schedules import Schedule, is_snoozed, next_due

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | None = None
depends_on: str | None = None

_agreements = sa.table(
    "contact_agreements",
    sa.column("id", sa.Integer),
    sa.column("client_id", sa.Integer),
    sa.column("active", sa.Boolean),
    sa.column("start_on", sa.Date),
    sa.column("end_on", sa.Date),
    sa.column("interval_days", sa.Integer),
    sa.column("rrule", sa.String),
    sa.column("last_contact_on", sa.Date),
    sa.column("snoozed_until", sa.Date),
    sa.column("next_due", sa.Date),
)
_clients = sa.table("clients", sa.column("id", sa.Integer), sa.column("next_due", sa.Date))


def upgrade() -> None:
    conn = op.get_bind()
    today = date.today()
    monthly = conn.execute(
        sa.select(_agreements).where(
            _agreements.c.active.is_(True),
            _agreements.c.rrule.is_not(None),
            sa.func.upper(_agreements.c.rrule).like("%FREQ=MONTHLY%"),
        )
    ).all()
    changed: set[int] = set()
    for row in monthly:
        due = next_due(Schedule(row.start_on, None, row.rrule, row.end_on), row.last_contact_on)
        if due != row.next_due:
            conn.execute(
                sa.update(_agreements).where(_agreements.c.id == row.id).values(next_due=due)
            )
            changed.add(row.client_id)
    for client_id in sorted(changed):
        dates = [
            due
            for due, snoozed in conn.execute(
                sa.select(_agreements.c.next_due, _agreements.c.snoozed_until).where(
                    _agreements.c.client_id == client_id,
                    _agreements.c.active.is_(True),
                    _agreements.c.next_due.is_not(None),
                )
            ).all()
            if not is_snoozed(snoozed, today)
        ]
        conn.execute(
            sa.update(_clients)
            .where(_clients.c.id == client_id)
            .values(next_due=min(dates) if dates else None)
        )


def downgrade() -> None:
    # The dates stay right: the older engine recomputes them its own way at the next change.
    pass
