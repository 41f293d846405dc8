"""the teamleider's review: daily snapshots for the trend, casemanager changes, setting changes,
the team's wijk and a structured out-of-hours contact

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("team_settings") as batch:
        batch.add_column(sa.Column("wijk", sa.String(80), nullable=False, server_default=""))
        for name, length in (("name", 120), ("phone", 40), ("hours", 80)):
            batch.add_column(
                sa.Column(
                    f"out_of_hours_{name}", sa.String(length), nullable=False, server_default=""
                )
            )
    # What was one line of text is kept whole as the name; the teamleider splits it up.
    op.execute("UPDATE team_settings SET out_of_hours_name = substr(out_of_hours_contact, 1, 120)")
    with op.batch_alter_table("team_settings") as batch:
        batch.drop_column("out_of_hours_contact")

    op.create_table(
        "setting_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("setting", sa.String(60), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_setting_changes_changed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setting_changes")),
    )
    op.create_index(
        op.f("ix_setting_changes_changed_at"), "setting_changes", ["changed_at"], unique=False
    )

    op.create_table(
        "casemanager_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("from_user_id", sa.Integer(), nullable=True),
        sa.Column("to_user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moved_agreements", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_casemanager_changes_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_user_id"], ["users.id"], name=op.f("fk_casemanager_changes_from_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["to_user_id"], ["users.id"], name=op.f("fk_casemanager_changes_to_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_casemanager_changes_changed_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casemanager_changes")),
    )
    op.create_index(
        op.f("ix_casemanager_changes_client_id"), "casemanager_changes", ["client_id"], unique=False
    )

    op.create_table(
        "daily_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("caseload", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.Column("open_alerts", sa.Integer(), nullable=False),
        sa.Column("urgent_alerts", sa.Integer(), nullable=False),
        sa.Column("out_of_view", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_daily_snapshots_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_snapshots")),
        sa.UniqueConstraint("day", "user_id", name=op.f("uq_daily_snapshots_day_user_id")),
    )
    op.create_index(op.f("ix_daily_snapshots_day"), "daily_snapshots", ["day"], unique=False)
    op.create_index(
        op.f("ix_network_members_consent_review_on"),
        "network_members",
        ["consent_review_on"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_network_members_consent_review_on"), table_name="network_members")
    op.drop_index(op.f("ix_daily_snapshots_day"), table_name="daily_snapshots")
    op.drop_table("daily_snapshots")
    op.drop_index(op.f("ix_casemanager_changes_client_id"), table_name="casemanager_changes")
    op.drop_table("casemanager_changes")
    op.drop_index(op.f("ix_setting_changes_changed_at"), table_name="setting_changes")
    op.drop_table("setting_changes")
    with op.batch_alter_table("team_settings") as batch:
        batch.add_column(
            sa.Column("out_of_hours_contact", sa.Text(), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE team_settings SET out_of_hours_contact = trim(out_of_hours_name"
        " || CASE WHEN out_of_hours_phone <> '' THEN ': ' || out_of_hours_phone ELSE '' END"
        " || CASE WHEN out_of_hours_hours <> '' THEN ' (' || out_of_hours_hours || ')' ELSE ''"
        " END)"
    )
    with op.batch_alter_table("team_settings") as batch:
        for name in ("hours", "phone", "name"):
            batch.drop_column(f"out_of_hours_{name}")
        batch.drop_column("wijk")
