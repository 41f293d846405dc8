"""An absence: a medewerker away from a day, until a day or open-ended, and the colleague who
covers their clients meanwhile (store/cover/absences.py); and the other ways a medewerker may
open a client they are not casemanager of: a grant, noodtoegang (store/cover/access.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
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


class AccessGrant(Versioned, Base):
    """A teamleider's grant: a medewerker may open one client's file while the team lets
    medewerkers open only the clients they work for (store/cover/access.py)."""

    __tablename__ = "access_grants"
    __table_args__ = (
        CheckConstraint("until_on IS NULL OR until_on >= from_on", name="until_after_from"),
        Index("ix_access_grants_user", "user_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_on: Mapped[date] = mapped_column(Date)
    #: The last day it counts; None: until it is ended.
    until_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    #: The day it no longer counted because the teamleider ended it.
    ended_on: Mapped[date | None] = mapped_column(Date)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class EmergencyAccess(Base):
    """Noodtoegang: a medewerker opened a client they do not work for, with a reason, for a
    few hours. Never changed afterwards: the audit log, the Team screen and the client's inzage
    read it."""

    __tablename__ = "emergency_access"
    __table_args__ = (
        CheckConstraint("until_at > opened_at", name="until_after_opened"),
        Index("ix_emergency_access_user", "user_id", "client_id", "until_at"),
        Index("ix_emergency_access_opened", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(300))
    #: When it was opened and until when it lasts (UTC, naive like every stored moment).
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    until_at: Mapped[datetime] = mapped_column(DateTime)
