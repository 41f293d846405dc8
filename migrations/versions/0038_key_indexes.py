"""on a team server the Buurt view's key indexes hold only the members a key can tie together

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | None = None
depends_on: str | None = None


# As in store/neighbourhood/keys.py, fixed here as this revision made them.
def _tying(key: str) -> str:
    return (
        f"{key} <> '' AND kind = 'informeel' AND resource_id IS NULL"
        " AND active IS true AND ended_on IS NULL"
    )


def upgrade() -> None:
    # Finding the phone numbers and e-mail addresses two clients' members share groups every
    # key of the index; at 100,000 clients a third of the members are professionals or
    # sociale-kaart entries and most have no e-mail address. SQLite keeps its indexes whole
    # (store/neighbourhood/keys.py says why).
    if op.get_bind().dialect.name != "postgresql":
        return
    for key in ("phone_key", "email_key"):
        op.drop_index(f"ix_network_members_{key}", table_name="network_members")
        op.create_index(
            f"ix_network_members_{key}",
            "network_members",
            [key, "client_id"],
            postgresql_where=sa.text(_tying(key)),
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for key in ("phone_key", "email_key"):
        op.drop_index(f"ix_network_members_{key}", table_name="network_members")
        op.create_index(f"ix_network_members_{key}", "network_members", [key, "client_id"])
