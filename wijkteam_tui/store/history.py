"""The team's history tables: rows written once and read back, never changed: a team
setting's change, a client moved to another casemanager, the figures as each day began, and
each time a client's shared agreements were handed out (the register's other tables are
store/models.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.schema import Base


class SettingChange(Base):
    """A change of a team setting or team threshold: which, from what to what, who, when."""

    __tablename__ = "setting_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    setting: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime, index=True, default=utc_now)


class CasemanagerChange(Base):
    """A client moved to another casemanager by a teamleider, with the reason (the timeline
    shows it) and how many agreements the old casemanager performed that moved along."""

    __tablename__ = "casemanager_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    moved_agreements: Mapped[int] = mapped_column(Integer, default=0)
    changed_on: Mapped[date] = mapped_column(Date)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class DailySnapshot(Base):
    """The team's figures per casemanager as the day began (written by the daily sweep), so
    that the trend is true for days nobody opened the Team screen. `user_id` NULL: clients
    without a casemanager."""

    __tablename__ = "daily_snapshots"
    __table_args__ = (UniqueConstraint("day", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    caseload: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    open_alerts: Mapped[int] = mapped_column(Integer, default=0)
    urgent_alerts: Mapped[int] = mapped_column(Integer, default=0)
    out_of_view: Mapped[int] = mapped_column(Integer, default=0)


class SharedExport(Base):
    """An export of a client's shared agreements: its version number, the format, who and
    when. The version stays the same while what the document says does not change
    (`content_digest`), in whichever format; it rises by one when it does."""

    __tablename__ = "shared_exports"
    __table_args__ = (Index("ix_shared_exports_client_id_version", "client_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    file_format: Mapped[str] = mapped_column(String(10))
    #: SHA-256 of what the document says, without its date and version (export.document).
    content_digest: Mapped[str | None] = mapped_column(String(64))
    exported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    exported_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
