"""Who is away today and who covers them: what Vandaag, the Team screen and the reports read
(no write service here: the read models may import it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, and_, or_, select
from sqlalchemy.orm import aliased

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.store.cover.models import Absence
from wijkteam_tui.store.models import User
from wijkteam_tui.store.read.common import user_name


@dataclass(frozen=True, slots=True)
class Covering:
    """A colleague whose clients this user covers today."""

    user_id: int
    name: str
    until_on: date | None

    def label(self) -> str:
        """How Vandaag marks their items: "voor Bram (afwezig t/m di 15 dec 2026)"."""
        until = f"t/m {format_date(self.until_on)}" if self.until_on else "tot nader bericht"
        return f"voor {self.name} (afwezig {until})"


def away_on(day: date) -> ColumnElement[bool]:
    """The condition of an absence that counts on `day`."""
    return and_(
        Absence.from_on <= day,
        or_(Absence.until_on.is_(None), Absence.until_on >= day),
        or_(Absence.ended_on.is_(None), Absence.ended_on > day),
    )


def covering(conn: Connection, user_id: int, today: date) -> list[Covering]:
    """The colleagues whose clients `user_id` covers today."""
    rows = conn.execute(
        select(Absence.user_id, user_name(User), Absence.until_on)
        .join(User, User.id == Absence.user_id)
        .where(Absence.cover_id == user_id, away_on(today))
        .order_by(User.name)
    ).all()
    return [Covering(u, n, t) for u, n, t in rows]


@dataclass(frozen=True, slots=True)
class Away:
    """A colleague away today, until when, and who covers them ("" : nobody)."""

    user_id: int
    name: str
    until_on: date | None
    cover: str

    def text(self) -> str:
        """As the Team screen says it: "bram t/m di 15 dec 2026 (waarneming: anna)"."""
        until = f"t/m {format_date(self.until_on)}" if self.until_on else "tot nader bericht"
        cover = f"waarneming: {self.cover}" if self.cover else "niemand neemt waar"
        return f"{self.name} {until} ({cover})"


def away_today(conn: Connection, today: date) -> list[Away]:
    """Everyone away today, by name."""
    _Away, _Cover = aliased(User), aliased(User)
    rows = conn.execute(
        select(Absence.user_id, user_name(_Away), Absence.until_on, user_name(_Cover))
        .join(_Away, _Away.id == Absence.user_id)
        .outerjoin(_Cover, _Cover.id == Absence.cover_id)
        .where(away_on(today))
        .order_by(_Away.name)
    ).all()
    return [Away(u, n, t, c or "") for u, n, t, c in rows]
