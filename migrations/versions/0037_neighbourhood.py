"""the neighbourhood's carrying capacity: a teamleider's decisions on who is the same person,
the day a sociale-kaart entry was last checked, and the team's load limits

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# As in store/models.py, fixed here as this revision made them.
_DIGITS = "phone"
for _character in " -()+./":
    _DIGITS = f"replace({_DIGITS}, '{_character}', '')"
PHONE_KEY = (
    f"CASE WHEN length({_DIGITS}) < 10 THEN ''"
    f" WHEN phone LIKE '+31%' THEN '0' || substr({_DIGITS}, 3)"
    f" WHEN {_DIGITS} LIKE '0031%' THEN '0' || substr({_DIGITS}, 5)"
    f" ELSE {_DIGITS} END"
)
EMAIL_KEY = "CASE WHEN email LIKE '%@%' THEN lower(trim(email)) ELSE '' END"

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Added in place: rebuilding network_members (what a batch does on SQLite) would drop
    # the table under its foreign keys, and its members' agreements with it. SQLite adds a
    # computed column as VIRTUAL (computed on reading, kept in the index); PostgreSQL STORED.
    # (PostgreSQL indexes only a stored one.)
    stored = True if op.get_bind().dialect.name == "postgresql" else None
    for name, length, expression in (("phone_key", 40, PHONE_KEY), ("email_key", 120, EMAIL_KEY)):
        op.add_column(
            "network_members",
            sa.Column(name, sa.String(length=length), sa.Computed(expression, persisted=stored)),
        )
    op.create_index("ix_network_members_phone_key", "network_members", ["phone_key", "client_id"])
    op.create_index("ix_network_members_email_key", "network_members", ["email_key", "client_id"])
    op.create_table(
        "member_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("same", sa.Boolean(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("member_id < other_id", name=op.f("ck_member_links_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_member_links_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["network_members.id"],
            name=op.f("fk_member_links_member_id_network_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["network_members.id"],
            name=op.f("fk_member_links_other_id_network_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_links")),
        sa.UniqueConstraint(
            "member_id", "other_id", name=op.f("uq_member_links_member_id_other_id")
        ),
    )
    op.create_index(op.f("ix_member_links_member_id"), "member_links", ["member_id"])
    op.create_index(op.f("ix_member_links_other_id"), "member_links", ["other_id"])
    op.create_index("ix_clients_postcode", "clients", ["postcode", "closed_on"])
    op.create_index(
        "ix_network_members_informal",
        "network_members",
        ["client_id", "kind", "resource_id", "active", "ended_on"],
    )
    # The kept share reads the outcome from the index, not from 360,000 rows scattered wide.
    op.drop_index("ix_contact_moments_agreement_occurred", table_name="contact_moments")
    op.create_index(
        "ix_contact_moments_agreement_occurred",
        "contact_moments",
        ["agreement_id", "occurred_on", "outcome"],
    )
    op.create_index(
        "ix_contact_agreements_member_load",
        "contact_agreements",
        ["member_id", "active", "end_on", "start_on", "interval_days", "rrule"],
    )
    op.create_index(
        "ix_contact_agreements_rrule",
        "contact_agreements",
        ["rrule"],
        sqlite_where=sa.text("rrule IS NOT NULL"),
        postgresql_where=sa.text("rrule IS NOT NULL"),
    )
    # Whether an entry's opening times were checked before is not known: None, "never".
    # In place too: a rebuilt resources table would unlink every member from the sociale kaart.
    op.add_column("resources", sa.Column("reviewed_on", sa.Date(), nullable=True))
    op.add_column(
        "team_settings",
        sa.Column("load_clients", sa.Integer(), server_default="3", nullable=False),
    )
    op.add_column(
        "team_settings",
        sa.Column("load_moments", sa.Integer(), server_default="12", nullable=False),
    )


def downgrade() -> None:
    # Every column goes in place (ALTER TABLE … DROP COLUMN on both backends): a rebuilt
    # resources or network_members table would take its members' links and agreements along.
    op.drop_index("ix_clients_postcode", table_name="clients")
    op.drop_index("ix_contact_agreements_rrule", table_name="contact_agreements")
    op.drop_index("ix_contact_agreements_member_load", table_name="contact_agreements")
    op.drop_index("ix_contact_moments_agreement_occurred", table_name="contact_moments")
    op.create_index(
        "ix_contact_moments_agreement_occurred", "contact_moments", ["agreement_id", "occurred_on"]
    )
    op.drop_index("ix_network_members_informal", table_name="network_members")
    for table, column in (
        ("team_settings", "load_moments"),
        ("team_settings", "load_clients"),
        ("resources", "reviewed_on"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_index(op.f("ix_member_links_other_id"), table_name="member_links")
    op.drop_index(op.f("ix_member_links_member_id"), table_name="member_links")
    op.drop_table("member_links")
    op.drop_index("ix_network_members_email_key", table_name="network_members")
    op.drop_index("ix_network_members_phone_key", table_name="network_members")
    for column in ("email_key", "phone_key"):
        op.execute(f"ALTER TABLE network_members DROP COLUMN {column}")
