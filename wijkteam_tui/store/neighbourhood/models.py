"""A teamleider's decision that two network members (of different clients) are, or are not, the
same person (domain.neighbourhood: matching by phone and e-mail finds most, misses some and
now and then joins two who share a landline). One row per pair, the lower member id first; it
goes with either member."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.schema import Base


class MemberLink(Base):
    __tablename__ = "member_links"
    __table_args__ = (
        UniqueConstraint("member_id", "other_id"),
        CheckConstraint("member_id < other_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("network_members.id", ondelete="CASCADE"), index=True
    )
    other_id: Mapped[int] = mapped_column(
        ForeignKey("network_members.id", ondelete="CASCADE"), index=True
    )
    #: True: the same person; False: two people, however alike their numbers.
    same: Mapped[bool] = mapped_column(Boolean)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
