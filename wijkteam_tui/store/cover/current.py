"""Who is away today and who covers them: what Vandaag, the Team screen and the reports read
(no write service here: the read models may import it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select
from sqlalchemy.orm import aliased

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.store.cover.models import Absence, AbsenceCover
from wijkteam_tui.store.models import Alert, Client, ContactMoment, User
from wijkteam_tui.store.read.common import user_name


@dataclass(frozen=True, slots=True)
class Covering:
    """A colleague whose clients this user covers today: all of them but `except_clients`
    (`clients` None), or only `clients` (several covers, by client)."""

    user_id: int
    name: str
    until_on: date | None
    clients: frozenset[int] | None = None
    except_clients: frozenset[int] = frozenset()

    def label(self) -> str:
        """How Vandaag marks their items: "voor Bram (afwezig t/m di 15 dec 2026)"."""
        until = f"t/m {format_date(self.until_on)}" if self.until_on else "tot nader bericht"
        some = f", {len(self.clients)} van zijn cliënten" if self.clients is not None else ""
        return f"voor {self.name} (afwezig {until}{some})"

    def condition(self) -> ColumnElement[bool]:
        """The clients this covering is for."""
        if self.clients is not None:
            return Client.id.in_(sorted(self.clients))
        mine = Client.casemanager_id == self.user_id
        if self.except_clients:
            return and_(mine, Client.id.not_in(sorted(self.except_clients)))
        return mine


def away_on(day: date) -> ColumnElement[bool]:
    """The condition of an absence that counts on `day`."""
    return and_(
        Absence.from_on <= day,
        or_(Absence.until_on.is_(None), Absence.until_on >= day),
        or_(Absence.ended_on.is_(None), Absence.ended_on > day),
    )


def not_called_off() -> ColumnElement[bool]:
    """An absence that happened, or will: not called off before its first day (ended_on on
    or before from_on)."""
    return or_(Absence.ended_on.is_(None), Absence.ended_on > Absence.from_on)


def covering(conn: Connection, user_id: int, today: date) -> list[Covering]:
    """The colleagues whose clients `user_id` covers today: as the absence's cover (but for
    the clients given to someone else), or for some of their clients."""
    whole = conn.execute(
        select(Absence.id, Absence.user_id, user_name(User), Absence.until_on)
        .join(User, User.id == Absence.user_id)
        .where(Absence.cover_id == user_id, away_on(today))
        .order_by(User.name)
    ).all()
    others = _by_absence(
        conn.execute(
            select(AbsenceCover.absence_id, AbsenceCover.client_id).where(
                AbsenceCover.absence_id.in_([row[0] for row in whole]),
                AbsenceCover.cover_id != user_id,
            )
        ).all()
    )
    some = conn.execute(
        select(Absence.id, Absence.user_id, user_name(User), Absence.until_on)
        .join(AbsenceCover, AbsenceCover.absence_id == Absence.id)
        .join(User, User.id == Absence.user_id)
        .where(AbsenceCover.cover_id == user_id, Absence.cover_id.is_distinct_from(user_id))
        .where(away_on(today))
        .distinct()
    ).all()
    mine = _by_absence(
        conn.execute(
            select(AbsenceCover.absence_id, AbsenceCover.client_id)
            # Only a client of the one who is away (a row written past the program could
            # name any client).
            .join(Absence, Absence.id == AbsenceCover.absence_id)
            .join(
                Client,
                and_(Client.id == AbsenceCover.client_id, Client.casemanager_id == Absence.user_id),
            )
            .where(
                AbsenceCover.absence_id.in_([row[0] for row in some]),
                AbsenceCover.cover_id == user_id,
            )
        ).all()
    )
    found = [Covering(u, n, t, None, frozenset(others.get(a, ()))) for a, u, n, t in whole]
    found += [Covering(u, n, t, frozenset(mine.get(a, ()))) for a, u, n, t in some]
    return sorted(found, key=lambda c: c.name)


def _by_absence(rows: Sequence[Any]) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = {}
    for absence_id, client_id in rows:
        grouped.setdefault(absence_id, set()).add(client_id)
    return grouped


def covered_elsewhere(conn: Connection, absence_user: int, today: date) -> set[int]:
    """The clients of `absence_user`, away today, that a cover by client takes."""
    return set(
        conn.execute(
            select(AbsenceCover.client_id)
            .join(Absence, Absence.id == AbsenceCover.absence_id)
            .where(Absence.user_id == absence_user, away_on(today))
        ).scalars()
    )


@dataclass(frozen=True, slots=True)
class Away:
    """A colleague away today, until when, and who covers them ("" : nobody)."""

    user_id: int
    name: str
    until_on: date | None
    cover: str
    cover_id: int | None = None

    def until_text(self) -> str:
        return f"t/m {format_date(self.until_on)}" if self.until_on else "tot nader bericht"

    def text(self) -> str:
        """As the Team screen says it: "bram t/m di 15 dec 2026 (waarneming: anna)"."""
        cover = f"waarneming: {self.cover}" if self.cover else "niemand neemt waar"
        return f"{self.name} {self.until_text()} ({cover})"


def away_today(conn: Connection, today: date) -> list[Away]:
    """Everyone away today, by name."""
    _Away, _Cover = aliased(User), aliased(User)
    rows = conn.execute(
        select(
            Absence.user_id,
            user_name(_Away),
            Absence.until_on,
            user_name(_Cover),
            Absence.cover_id,
        )
        .join(_Away, _Away.id == Absence.user_id)
        .outerjoin(_Cover, _Cover.id == Absence.cover_id)
        .where(away_on(today))
        .order_by(_Away.name)
    ).all()
    return [Away(u, n, t, c or "", ci) for u, n, t, c, ci in rows]


#: How long after an absence its summary is still shown to the person back.
SUMMARY_DAYS = 30


@dataclass(frozen=True, slots=True)
class ReturnSummary:
    """What happened to a person's clients while they were away, shown once on return."""

    absence_id: int
    from_on: date
    last_day: date
    cover: str
    contacts: int
    logged_by: list[str]
    alerts_raised: int
    alerts_resolved: int

    def text(self) -> str:
        """Said once on Vandaag: "Welkom terug. Terwijl u weg was (…): 5 contacten …"."""
        cover = f", {self.cover} nam waar" if self.cover else ""
        by = f" (door {', '.join(self.logged_by)})" if self.logged_by else ""
        contacts = _counted(self.contacts, "contact", "contacten")
        raised = _counted(self.alerts_raised, "aandachtspunt", "aandachtspunten")
        return (
            f"Welkom terug. Terwijl u weg was ({format_date(self.from_on)} t/m"
            f" {format_date(self.last_day)}{cover}): {contacts} vastgelegd{by}, {raised} nieuw,"
            f" {self.alerts_resolved} opgelost. De tijdlijn van elke cliënt zegt wat."
        )


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _last_day(from_on: date, until_on: date | None, ended_on: date | None) -> date:
    """The real last day away: the planned one, or the day before they were back."""
    ends = [d for d in (until_on, ended_on - timedelta(days=1) if ended_on else None) if d]
    return max(from_on, min(ends)) if ends else from_on


def return_summary(conn: Connection, user_id: int, today: date) -> ReturnSummary | None:
    """The summary of `user_id`'s latest absence that is over, not seen before today, and
    ended at most SUMMARY_DAYS ago; None when there is none."""
    _Cover = aliased(User)
    rows = conn.execute(
        select(Absence.id, Absence.from_on, Absence.until_on, Absence.ended_on, user_name(_Cover))
        .outerjoin(_Cover, _Cover.id == Absence.cover_id)
        .where(
            Absence.user_id == user_id,
            # Through the first day it was seen (Vandaag is read again and again that day).
            or_(Absence.summary_seen_on.is_(None), Absence.summary_seen_on == today),
            Absence.from_on < today,
            not_called_off(),
            or_(
                and_(Absence.ended_on.is_not(None), Absence.ended_on <= today),
                and_(Absence.until_on.is_not(None), Absence.until_on < today),
            ),
        )
        .order_by(Absence.from_on.desc())
        .limit(3)
    ).all()
    recent = [
        (row, _last_day(row.from_on, row.until_on, row.ended_on))
        for row in rows
        if _last_day(row.from_on, row.until_on, row.ended_on)
        >= today - timedelta(days=SUMMARY_DAYS)
    ]
    if not recent:
        return None
    (absence_id, from_on, _until, _ended, cover), last = recent[0]
    theirs = select(Client.id).where(Client.casemanager_id == user_id).scalar_subquery()
    within = and_(ContactMoment.occurred_on >= from_on, ContactMoment.occurred_on <= last)
    contacts = conn.execute(
        select(func.count()).where(ContactMoment.client_id.in_(theirs), within)
    ).scalar_one()
    names = sorted(
        set(
            conn.execute(
                select(user_name(User))
                .select_from(ContactMoment)
                .join(User, User.id == ContactMoment.user_id)
                .where(ContactMoment.client_id.in_(theirs), within, User.id != user_id)
            ).scalars()
        )
    )
    raised = conn.execute(
        select(func.count()).where(
            Alert.client_id.in_(theirs), Alert.raised_on >= from_on, Alert.raised_on <= last
        )
    ).scalar_one()
    resolved = conn.execute(
        select(func.count()).where(
            Alert.client_id.in_(theirs), Alert.resolved_on >= from_on, Alert.resolved_on <= last
        )
    ).scalar_one()
    return ReturnSummary(
        absence_id, from_on, last, cover or "", int(contacts), list(names), int(raised),
        int(resolved),
    )  # fmt: skip
