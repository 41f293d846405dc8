"""An absence: a medewerker away from a day, until a day or open-ended, and the colleague who
covers their clients meanwhile (store/cover/absences.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.schema import Base, Versioned


class Absence(Versioned, Base):
    __tablename__ = "absences"
    __table_args__ = (
        CheckConstraint("until_on IS NULL OR until_on >= from_on", name="until_after_from"),
        CheckConstraint("cover_id IS NULL OR cover_id <> user_id", name="not_own_cover"),
        Index("ix_absences_user_from", "user_id", "from_on"),
        Index("ix_absences_cover", "cover_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_on: Mapped[date] = mapped_column(Date)
    #: The last day away; None: open-ended, until `absence end`.
    until_on: Mapped[date | None] = mapped_column(Date)
    #: Who covers their clients (None: nobody yet, which the Team screen says).
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The day they were back when it ended earlier than planned (or open-ended): away no more
    #: from this day on.
    ended_on: Mapped[date | None] = mapped_column(Date)
    #: The day the person back saw the summary of what happened to their clients meanwhile.
    summary_seen_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class AbsenceCover(Base):
    """One client of an absent colleague covered by someone else than the absence's cover."""

    __tablename__ = "absence_covers"
    __table_args__ = (UniqueConstraint("absence_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    absence_id: Mapped[int] = mapped_column(
        ForeignKey("absences.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    cover_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
