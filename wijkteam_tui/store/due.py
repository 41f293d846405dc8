"""The due rules of `domain.schedules` as SQL, for every query that lists or counts agreements:
the team's grace days read in one place, and "not put aside today" said once."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, or_, select
from sqlalchemy.orm import Session

from wijkteam_tui.store.models import ContactAgreement, TeamSettings

_GRACE = select(TeamSettings.grace_days).where(TeamSettings.id == 1)


def grace_days(conn: Connection | Session) -> int:
    """The team's grace days (coulance): days after an agreement's date before it is late."""
    return int(conn.execute(_GRACE).scalar_one())


def not_snoozed(today: date | Any) -> ColumnElement[bool]:
    """An agreement that is not put aside on `today` (a date, or a bound parameter): a snooze
    holds through its end date (`domain.schedules.is_snoozed`)."""
    return or_(ContactAgreement.snoozed_until.is_(None), ContactAgreement.snoozed_until < today)
