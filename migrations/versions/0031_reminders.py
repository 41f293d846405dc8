"""reminders to the network: a member's consent to be reminded by mail, days before per
agreement, the team's wording, sensitive words, and every reminder claimed, sent or failed

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | None = None
depends_on: str | None = None

# Plain ADD and DROP COLUMNs on both backends: a batch would rebuild the table on SQLite and
# lose its triggers.


def upgrade() -> None:
    op.add_column(
        "network_members",
        sa.Column("remind_by_mail", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("network_members", sa.Column("remind_consent_on", sa.Date(), nullable=True))
    op.add_column("network_members", sa.Column("remind_review_on", sa.Date(), nullable=True))
    # Existing agreements remind a day before, like new ones (nobody is reminded until a
    # member's consent is recorded).
    op.add_column(
        "contact_agreements",
        sa.Column("remind_days_before", sa.Integer(), nullable=True, server_default="1"),
    )
    op.add_column(
        "mail_settings",
        sa.Column("sensitive_words", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "mail_texts",
        sa.Column("key", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_mail_texts")),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["contact_agreements.id"],
            name=op.f("fk_reminders_agreement_id_contact_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_reminders_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["network_members.id"],
            name=op.f("fk_reminders_member_id_network_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_reminders_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint(
            "agreement_id", "due_on", "kind", name=op.f("uq_reminders_agreement_id_due_on_kind")
        ),
    )
    op.create_index("ix_reminders_client_claimed", "reminders", ["client_id", "claimed_at"])
    op.create_index("ix_reminders_status_due", "reminders", ["status", "due_on"])


def downgrade() -> None:
    op.drop_index("ix_reminders_status_due", table_name="reminders")
    op.drop_index("ix_reminders_client_claimed", table_name="reminders")
    op.drop_table("reminders")
    op.drop_table("mail_texts")
    op.execute("ALTER TABLE mail_settings DROP COLUMN sensitive_words")
    op.execute("ALTER TABLE contact_agreements DROP COLUMN remind_days_before")
    for column in ("remind_review_on", "remind_consent_on", "remind_by_mail"):
        op.execute(f"ALTER TABLE network_members DROP COLUMN {column}")
