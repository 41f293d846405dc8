"""An assessment of a client (a ZRM or a conversation about Positieve Gezondheid, see
domain.outcomes), its score per domain, and what it said before each edit (edits keep history:
the score an alert was raised on stays readable after it is corrected)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam_tui.domain.terms import AssessmentKind
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.schema import Base, Versioned, code_enum


class Assessment(Versioned, Base):
    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_client_assessed", "client_id", "assessed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[AssessmentKind] = mapped_column(code_enum(AssessmentKind, "assessment_kind"))
    assessed_on: Mapped[date] = mapped_column(Date)
    #: Positieve Gezondheid: what the client said, in their own words.
    own_words: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    #: The last edit (None: as recorded); what it said before is in assessment_revisions.
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime | None] = mapped_column(DateTime)


class AssessmentScore(Base):
    """One domain of an assessment: its score (None: not applicable) and a note."""

    __tablename__ = "assessment_scores"
    __table_args__ = (
        UniqueConstraint("assessment_id", "domain"),
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 10", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(40))
    score: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class AssessmentRevision(Base):
    """An assessment as it was before an edit: its date, words and scores (JSON: per domain
    [score, note]), the version it had, and who changed it when."""

    __tablename__ = "assessment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    assessed_on: Mapped[date] = mapped_column(Date)
    own_words: Mapped[str] = mapped_column(Text, default="")
    scores: Mapped[str] = mapped_column(Text)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
