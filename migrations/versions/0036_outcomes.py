"""outcomes over time: assessments (ZRM, Positieve Gezondheid), their scores and edits, and
the threshold rules that make a drop a signal

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | None = None
depends_on: str | None = None


RULES_BEFORE = (
    "uit_beeld",
    "gemiste_contacten",
    "signaal_oranje_rood",
    "signaleringen_frequentie",
    "niet_bereikt",
)
RULES_NOW = (*RULES_BEFORE, "zrm_daling", "zrm_daling_breed", "geen_meting")


def _rules_known(rules: tuple[str, ...]) -> None:
    """The alerts' and thresholds' rule codes, checked by their constraint."""
    allowed = "rule IN (" + ", ".join(f"'{rule}'" for rule in rules) + ")"
    for table in ("thresholds", "alerts"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_threshold_rule"), type_="check")
            batch.create_check_constraint(op.f(f"ck_{table}_threshold_rule"), allowed)


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "zrm",
                "pg",
                name="assessment_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("own_words", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_assessments_changed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_assessments_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_assessments_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_client_assessed", ["client_id", "assessed_on"], unique=False
        )

    op.create_table(
        "assessment_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("own_words", sa.Text(), nullable=False),
        sa.Column("scores", sa.Text(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_revisions_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_assessment_revisions_changed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_assessment_revisions_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_revisions")),
    )
    with op.batch_alter_table("assessment_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_revisions_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_revisions_client_id"), ["client_id"], unique=False
        )

    op.create_table(
        "assessment_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "score IS NULL OR score BETWEEN 0 AND 10", name=op.f("ck_assessment_scores_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_scores_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_assessment_scores_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_scores")),
        sa.UniqueConstraint(
            "assessment_id", "domain", name=op.f("uq_assessment_scores_assessment_id_domain")
        ),
    )
    with op.batch_alter_table("assessment_scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_scores_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_scores_client_id"), ["client_id"], unique=False
        )

    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcomes_since", sa.Date(), nullable=True))
    # "No assessment for too long" counts from the day outcomes could be recorded, not from
    # before: a register that kept clients in duurzaam in beeld for years has none.
    op.execute("UPDATE team_settings SET outcomes_since = CURRENT_DATE")
    _rules_known(RULES_NOW)


def downgrade() -> None:
    for table in ("alerts", "thresholds"):
        op.execute(
            sa.table(table, sa.column("rule"))
            .delete()
            .where(sa.column("rule").not_in(RULES_BEFORE))
        )
    _rules_known(RULES_BEFORE)
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.drop_column("outcomes_since")

    with op.batch_alter_table("assessment_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_scores_client_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_scores_assessment_id"))

    op.drop_table("assessment_scores")
    with op.batch_alter_table("assessment_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_revisions_client_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_revisions_assessment_id"))

    op.drop_table("assessment_revisions")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_client_assessed")

    op.drop_table("assessments")
