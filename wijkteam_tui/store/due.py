"""The due rules of `domain.schedules` and `domain.thresholds` as SQL, for every query that lists
or counts agreements or clients: the team's grace days read in one place, "not put aside today"
and "silent past the uit-beeld limit" each said once."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, or_, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.thresholds import out_of_view_cutoff
from wijkteam_tui.store.models import Client, ContactAgreement, TeamSettings

_GRACE = select(TeamSettings.grace_days).where(TeamSettings.id == 1)


def grace_days(conn: Connection | Session) -> int:
    """The team's grace days (coulance): days after an agreement's date before it is late."""
    return int(conn.execute(_GRACE).scalar_one())


def not_snoozed(today: date | Any) -> ColumnElement[bool]:
    """An agreement that is not put aside on `today` (a date, or a bound parameter): a snooze
    holds through its end date (`domain.schedules.is_snoozed`)."""
    return or_(ContactAgreement.snoozed_until.is_(None), ContactAgreement.snoozed_until < today)


def silent_past(today: date, limit_days: int) -> ColumnElement[bool]:
    """A client without contact (or, never contacted, registered) for longer than `limit_days`
    on `today`: the uit-beeld rule's test (`domain.thresholds.out_of_view_cutoff`)."""
    last_seen = func.coalesce(Client.last_contact_on, Client.opened_on)
    return last_seen < out_of_view_cutoff(today, limit_days)
