"""access that follows the work: the team's setting, a teamleider's grants, noodtoegang

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("team_settings") as batch:
        # "team": every medewerker opens every client of the team, as before this revision.
        batch.add_column(
            sa.Column("access", sa.String(length=8), nullable=False, server_default="team")
        )
        batch.add_column(
            sa.Column("emergency_hours", sa.Integer(), nullable=False, server_default="8")
        )
        batch.create_check_constraint(
            op.f("ck_team_settings_access_known"), "access IN ('team', 'werk')"
        )
        batch.create_check_constraint(
            op.f("ck_team_settings_emergency_hours_range"), "emergency_hours BETWEEN 1 AND 24"
        )
    op.create_table(
        "access_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("until_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("granted_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "until_on IS NULL OR until_on >= from_on",
            name=op.f("ck_access_grants_until_after_from"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_access_grants_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_access_grants_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"], ["users.id"], name=op.f("fk_access_grants_granted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_grants")),
    )
    op.create_index(op.f("ix_access_grants_client_id"), "access_grants", ["client_id"])
    op.create_index("ix_access_grants_user", "access_grants", ["user_id", "client_id"])
    op.create_table(
        "emergency_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("until_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "until_at > opened_at", name=op.f("ck_emergency_access_until_after_opened")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_emergency_access_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_emergency_access_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_access")),
    )
    op.create_index(op.f("ix_emergency_access_client_id"), "emergency_access", ["client_id"])
    op.create_index(
        "ix_emergency_access_user", "emergency_access", ["user_id", "client_id", "until_at"]
    )
    op.create_index("ix_emergency_access_opened", "emergency_access", ["opened_at"])


def downgrade() -> None:
    op.drop_index("ix_emergency_access_opened", table_name="emergency_access")
    op.drop_index("ix_emergency_access_user", table_name="emergency_access")
    op.drop_index(op.f("ix_emergency_access_client_id"), table_name="emergency_access")
    op.drop_table("emergency_access")
    op.drop_index("ix_access_grants_user", table_name="access_grants")
    op.drop_index(op.f("ix_access_grants_client_id"), table_name="access_grants")
    op.drop_table("access_grants")
    with op.batch_alter_table("team_settings") as batch:
        batch.drop_constraint(op.f("ck_team_settings_emergency_hours_range"), type_="check")
        batch.drop_constraint(op.f("ck_team_settings_access_known"), type_="check")
        batch.drop_column("emergency_hours")
        batch.drop_column("access")
