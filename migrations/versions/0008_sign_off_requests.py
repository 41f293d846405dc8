"""sign-off requests for 'duurzaam in beeld'; notes when an alert is confirmed or resolved by hand

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

PHASES = ("intensief", "afschalen", "duurzaam_in_beeld", "afgesloten")


def _phase(name: str) -> sa.Enum:
    # Named after the column: PostgreSQL wants a constraint name once per table.
    return sa.Enum(*PHASES, name=name, native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    op.create_table(
        "sign_off_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("from_phase", _phase("from_phase"), nullable=False),
        sa.Column("to_phase", _phase("to_phase"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "aangevraagd",
                "goedgekeurd",
                "afgewezen",
                "vervallen",
                name="sign_off_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_sign_off_requests_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_sign_off_requests_requested_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_sign_off_requests_decided_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_off_requests")),
    )
    op.create_index(
        "ix_sign_off_requests_status_client",
        "sign_off_requests",
        ["status", "client_id"],
        unique=False,
    )
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(
            sa.Column("confirmation_note", sa.Text(), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("resolved_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_alerts_resolved_by_id_users"), "users", ["resolved_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_constraint(op.f("fk_alerts_resolved_by_id_users"), type_="foreignkey")
        batch.drop_column("resolved_by_id")
        batch.drop_column("confirmation_note")
    op.drop_index("ix_sign_off_requests_status_client", table_name="sign_off_requests")
    op.drop_table("sign_off_requests")
