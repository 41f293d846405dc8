"""The teamleider's review: the Team screen's figures, the daily snapshots and the trend
read from them, one medewerker's late contact moments and alerts, and what the scripts
`wijkteam overdue` and `wijkteam digest` ask.

The Team screen's calls are for a teamleider only and say so with a RoleError (exit code 4
on the command line), whatever the screen showed; a script gives a medewerker their own.
Figures are aggregates over indexed current state (GROUP BY the client's casemanager), so
their cost follows the number of clients, not history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select, true
from sqlalchemy.orm import Session, aliased

from wijkteam_tui.domain.schedules import SOON_DAYS, overdue_cutoff
from wijkteam_tui.domain.team import is_urgent, latest_days, trend_weeks
from wijkteam_tui.domain.terms import AlertStatus, Phase, Role, SignOffStatus, ThresholdRule
from wijkteam_tui.errors import RoleError, ValidationError
from wijkteam_tui.store.cover.current import Away, away_today
from wijkteam_tui.store.due import grace_days, not_snoozed
from wijkteam_tui.store.history import DailySnapshot
from wijkteam_tui.store.models import (
    Alert,
    Client,
    ContactAgreement,
    NetworkMember,
    SignOffRequest,
    User,
)
from wijkteam_tui.store.read.common import open_alerts, user_name
from wijkteam_tui.store.read.today import (
    NO_CASEMANAGER,
    due_query,
    fetch_due,
    out_of_view_rows,
    team_overdue,
    today_list,
    uncovered_work,
)
from wijkteam_tui.store.records import AlertItem, DueItem
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.review import (
    TeamFilter,
    TeamReview,
    TeamRow,
    TeamTrend,
    TrendSeries,
)
from wijkteam_tui.store.write.common import acting_teamleider, acting_user

REVIEW_REFUSAL = "Alleen een teamleider ziet het teamoverzicht."


# --- figures ---------------------------------------------------------------------------------


def _client_condition(filters: TeamFilter) -> Any:
    """Which clients count, as a condition on Client."""
    conditions: list[Any] = []
    if filters.phase is None:
        conditions.append(Client.phase != Phase.CLOSED)
    else:
        conditions.append(Client.phase == filters.phase)
    if filters.postcode_area:
        conditions.append(Client.postcode.startswith(filters.postcode_area, autoescape=True))
    if filters.casemanager_id is not None:
        conditions.append(Client.casemanager_id == filters.casemanager_id)
    if filters.rule is not None:
        # Its own name for the alerts table: the alert counts read that table as well.
        alert = aliased(Alert)
        conditions.append(
            exists().where(
                alert.client_id == Client.id,
                alert.rule == filters.rule,
                alert.status != AlertStatus.RESOLVED,
            )
        )
    return and_(*conditions)


class _Counts:
    __slots__ = (
        "caseload",
        "consents",
        "due_soon",
        "oldest_due",
        "open_alerts",
        "out_of_view",
        "overdue",
        "sign_offs",
        "urgent_alerts",
    )

    def __init__(self) -> None:
        self.caseload: dict[Phase, int] = {}
        self.overdue = 0
        self.oldest_due: date | None = None
        self.open_alerts = 0
        self.urgent_alerts = 0
        self.out_of_view = 0
        self.sign_offs = 0
        self.consents = 0
        self.due_soon = 0


def _counts(
    conn: Connection, condition: Any, today: date, grace: int, *, due_soon: bool = False
) -> dict[int | None, _Counts]:
    """Per casemanager id (None: no casemanager) the figures of the clients in `condition`;
    with `due_soon` also the contact moments of the coming week (the digest: thousands of
    agreements to read, which the Team screen does without)."""
    counts: defaultdict[int | None, _Counts] = defaultdict(_Counts)
    for user_id, phase, n in conn.execute(
        select(Client.casemanager_id, Client.phase, func.count())
        .where(condition)
        .group_by(Client.casemanager_id, Client.phase)
    ):
        counts[user_id].caseload[Phase(phase)] = n
    overdue_before = overdue_cutoff(today, grace)
    for user_id, n, oldest in conn.execute(
        select(Client.casemanager_id, func.count(), func.min(ContactAgreement.next_due))
        .select_from(ContactAgreement)
        .join(Client, Client.id == ContactAgreement.client_id)
        .where(
            condition,
            Client.phase != Phase.CLOSED,
            ContactAgreement.active.is_(True),
            ContactAgreement.next_due < overdue_before,
            not_snoozed(today),
        )
        .group_by(Client.casemanager_id)
    ):
        counts[user_id].overdue = n
        counts[user_id].oldest_due = oldest
    if due_soon:
        _count_due_soon(conn, condition, today, overdue_before, counts)
    for user_id, rule, n in conn.execute(
        select(Client.casemanager_id, Alert.rule, func.count())
        .select_from(Alert)
        .join(Client, Client.id == Alert.client_id)
        .where(condition, Alert.status != AlertStatus.RESOLVED)
        .group_by(Client.casemanager_id, Alert.rule)
    ):
        counts[user_id].open_alerts += n
        if is_urgent(ThresholdRule(rule)):
            counts[user_id].urgent_alerts += n
    for user_id, _ in out_of_view_rows(conn, condition, today):
        counts[user_id].out_of_view += 1
    for user_id, n in conn.execute(
        select(Client.casemanager_id, func.count())
        .select_from(SignOffRequest)
        .join(Client, Client.id == SignOffRequest.client_id)
        .where(condition, SignOffRequest.status == SignOffStatus.PENDING)
        .group_by(Client.casemanager_id)
    ):
        counts[user_id].sign_offs = n
    # The few members whose consent has lapsed first (their own index), then their clients:
    # driven from the clients, this read every member of every client.
    lapsed = (
        select(NetworkMember.client_id, func.count().label("n"))
        .where(
            NetworkMember.consent_review_on < today,
            NetworkMember.consent_to_share.is_(True),
            NetworkMember.active.is_(True),
        )
        .group_by(NetworkMember.client_id)
        .subquery()
    )
    for user_id, n in conn.execute(
        select(Client.casemanager_id, func.sum(lapsed.c.n))
        .select_from(lapsed)
        .join(Client, Client.id == lapsed.c.client_id)
        .where(condition, Client.phase != Phase.CLOSED)
        .group_by(Client.casemanager_id)
    ):
        counts[user_id].consents = int(n)
    return counts


def _count_due_soon(
    conn: Connection,
    condition: Any,
    today: date,
    overdue_before: date,
    counts: defaultdict[int | None, _Counts],
) -> None:
    for user_id, n in conn.execute(
        select(Client.casemanager_id, func.count())
        .select_from(ContactAgreement)
        .join(Client, Client.id == ContactAgreement.client_id)
        .where(
            condition,
            Client.phase != Phase.CLOSED,
            ContactAgreement.active.is_(True),
            ContactAgreement.next_due >= overdue_before,
            ContactAgreement.next_due < today + timedelta(days=SOON_DAYS + 1),
            not_snoozed(today),
        )
        .group_by(Client.casemanager_id)
    ):
        counts[user_id].due_soon = n


def _days_since(day: date | str | None, today: date) -> int:
    if day is None:
        return 0
    due = date.fromisoformat(day) if isinstance(day, str) else day
    return max(0, (today - due).days)


def _row(user_id: int | None, name: str, active: bool, c: _Counts, today: date) -> TeamRow:
    return TeamRow(
        user_id,
        name,
        active,
        dict(c.caseload),
        c.overdue,
        _days_since(c.oldest_due, today),
        c.open_alerts,
        c.urgent_alerts,
        c.out_of_view,
        c.sign_offs,
        c.consents,
        c.due_soon,
    )


def team_review(register: Register, today: date, filters: TeamFilter | None = None) -> TeamReview:
    """Per medewerker: caseload by phase, overdue contact moments (network members' agreements
    count for the client's casemanager) and the longest overdue, open and urgent alerts,
    clients uit beeld, requests for sign-off, consents to renew; and the team's total."""
    acting_teamleider(register, REVIEW_REFUSAL)
    return _review(register, today, filters or TeamFilter())


def _review(
    register: Register, today: date, filters: TeamFilter, *, due_soon: bool = False
) -> TeamReview:
    with register.read_connection() as conn:
        condition = _client_condition(filters)
        counts = _counts(conn, condition, today, grace_days(conn), due_soon=due_soon)
        users = conn.execute(select(User.id, user_name(User), User.active)).all()
    rows = []
    for user_id, name, active in users:
        if filters.casemanager_id is not None and user_id != filters.casemanager_id:
            continue
        if not active and user_id not in counts:
            continue
        rows.append(_row(user_id, name, active, counts.get(user_id, _Counts()), today))
    if None in counts and filters.casemanager_id is None:
        rows.append(_row(None, NO_CASEMANAGER, True, counts[None], today))
    rows.sort(key=lambda r: (r.user_id is None, r.name.casefold()))
    total = _Counts()
    for c in counts.values():
        for phase, n in c.caseload.items():
            total.caseload[phase] = total.caseload.get(phase, 0) + n
        total.overdue += c.overdue
        if c.oldest_due is not None:
            oldest = c.oldest_due
            total.oldest_due = oldest if total.oldest_due is None else min(total.oldest_due, oldest)
        total.open_alerts += c.open_alerts
        total.urgent_alerts += c.urgent_alerts
        total.out_of_view += c.out_of_view
        total.sign_offs += c.sign_offs
        total.consents += c.consents
        total.due_soon += c.due_soon
    return TeamReview(rows, _row(None, "Team", True, total, today), today)


# --- the daily snapshot and the trend ----------------------------------------------------------


def snapshot_counts(session: Session, today: date) -> dict[int | None, tuple[int, ...]]:
    """Per casemanager: (caseload, overdue, open alerts, urgent alerts, uit beeld) today."""
    conn = session.connection()
    counts = _counts(conn, Client.phase != Phase.CLOSED, today, grace_days(conn))
    return {
        user_id: (
            sum(c.caseload.values()),
            c.overdue,
            c.open_alerts,
            c.urgent_alerts,
            c.out_of_view,
        )
        for user_id, c in counts.items()
    }


def snapshot_written(register: Register, today: date) -> bool:
    """Whether today's snapshot is there: the daily sweep ran to its end today."""
    with register.read_connection() as conn:
        found = conn.execute(
            select(DailySnapshot.id).where(DailySnapshot.day == today).limit(1)
        ).first()
    return found is not None


def write_daily_snapshot(register: Register, today: date) -> bool:
    """Store today's figures per casemanager, once a day (the daily sweep calls this after
    re-evaluating the alerts). Returns whether it wrote them now."""
    with register.write() as session:
        if session.scalar(select(func.count()).where(DailySnapshot.day == today)):
            return False
        counts = snapshot_counts(session, today)
        for user_id, (caseload, overdue, alerts, urgent, out_of_view) in counts.items():
            session.add(
                DailySnapshot(
                    day=today,
                    user_id=user_id,
                    caseload=caseload,
                    overdue=overdue,
                    open_alerts=alerts,
                    urgent_alerts=urgent,
                    out_of_view=out_of_view,
                )
            )
        if not counts:
            # An empty register still has a day: a row for "nobody" so the day is known.
            session.add(DailySnapshot(day=today, user_id=None))
        return True


def team_trend(register: Register, today: date, weeks: int = 12) -> TeamTrend:
    """Overdue contact moments and open alerts per week for the last `weeks` weeks, per
    medewerker and for the team, from the daily snapshots (a week without any: None)."""
    acting_teamleider(register, REVIEW_REFUSAL)
    return _trend(register, today, weeks, None)


def _trend(register: Register, today: date, weeks: int, only: int | None) -> TeamTrend:
    """The trend of everyone, or `only` one casemanager's. Each week's figure is that of the
    week's latest snapshot day; a casemanager without a row that day had nothing (0)."""
    mondays = trend_weeks(today, weeks)
    with register.read_connection() as conn:
        days = [
            date.fromisoformat(d) if isinstance(d, str) else d
            for (d,) in conn.execute(
                select(DailySnapshot.day)
                .where(DailySnapshot.day >= mondays[0], DailySnapshot.day <= today)
                .distinct()
            )
        ]
        chosen = latest_days(days, mondays)
        rows = conn.execute(
            select(
                DailySnapshot.day,
                DailySnapshot.user_id,
                DailySnapshot.overdue,
                DailySnapshot.open_alerts,
            ).where(
                DailySnapshot.day.in_([d for d in chosen if d is not None]),
                DailySnapshot.user_id == only if only is not None else true(),
            )
        ).all()
        names: dict[int, str] = dict(conn.execute(select(User.id, user_name(User))).all())
    figures: defaultdict[int | None, dict[date, tuple[int, int]]] = defaultdict(dict)
    for stored_day, user_id, n_overdue, n_alerts in rows:
        day = date.fromisoformat(stored_day) if isinstance(stored_day, str) else stored_day
        figures[user_id][day] = (n_overdue, n_alerts)

    def series(user_id: int | None, name: str, by_day: dict[date, tuple[int, int]]) -> TrendSeries:
        values = [by_day.get(day, (0, 0)) if day is not None else None for day in chosen]
        return TrendSeries(
            user_id,
            name,
            [v[0] if v is not None else None for v in values],
            [v[1] if v is not None else None for v in values],
        )

    per_user = [
        series(user_id, names.get(user_id, NO_CASEMANAGER) if user_id else NO_CASEMANAGER, by_day)
        for user_id, by_day in figures.items()
    ]
    per_user.sort(key=lambda s: (s.user_id is None, s.name.casefold()))
    team_by_day: defaultdict[date, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for by_day in figures.values():
        for day, (n_overdue, n_alerts) in by_day.items():
            before = team_by_day[day]
            team_by_day[day] = (before[0] + n_overdue, before[1] + n_alerts)
    return TeamTrend(mondays, per_user, series(None, "Team", dict(team_by_day)))


# --- for scripts: `wijkteam overdue` and `wijkteam digest` ----------------------------------------

OWN_ONLY = (
    "Een medewerker ziet alleen de eigen lijst; het hele team of een collega is voor een"
    " teamleider."
)


def _user_named(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.name == name)).one_or_none()
    if user is None:
        raise ValidationError(f"Er is geen medewerker met de gebruikersnaam '{name}'.", "user")
    return user


def absent_today(register: Register, today: date) -> tuple[list[Away], dict[int, str]]:
    """Who is away today and who covers them (teamleider: the Team screen); and of those
    nobody covers while their work waits, user id → "3 te laat, 1 urgent"."""
    acting_teamleider(register, REVIEW_REFUSAL)
    with register.read_connection() as conn:
        limit = overdue_cutoff(today, grace_days(conn))
        waiting = {
            away.user_id: f"{late} te laat, {urgent} urgent"
            for away, late, urgent in uncovered_work(conn, today, limit)
        }
        return away_today(conn, today), waiting


def whose(register: Register, medewerker: str | None, refusal: str = OWN_ONLY) -> int | None:
    """The casemanager a script asks about: a medewerker only themselves (RoleError with
    `refusal` for anyone else, including the whole team), a teamleider anyone, or everyone
    (None)."""
    acting = acting_user(register)
    assert register.user is not None
    teamleider = register.user.role is Role.TEAMLEIDER
    if medewerker is None:
        return None if teamleider else acting
    with register.read() as session:
        user_id = _user_named(session, medewerker).id
    if not teamleider and user_id != acting:
        raise RoleError(refusal)
    return user_id


def overdue_items(register: Register, today: date, medewerker: str | None = None) -> list[DueItem]:
    """Every overdue contact moment of the team (teamleider) or of one medewerker, most
    overdue first; for a medewerker by default their own."""
    user_id = whose(register, medewerker)
    if user_id is None:
        return team_overdue(register, today)
    items = today_list(register, user_id, today).overdue
    return sorted(items, key=lambda item: (-item.days_overdue, item.client_name))


@dataclass(frozen=True, slots=True)
class Covered:
    """A colleague away today, with their figures, counted for whoever covers them."""

    cover_id: int
    away: Away
    figures: TeamRow


@dataclass(frozen=True, slots=True)
class Digest:
    review: TeamReview
    trend: TeamTrend
    covered: list[Covered]


def digest_data(register: Register, today: date) -> Digest:
    """The figures and trend of the weekly digest: every medewerker's (teamleider) or one's
    own (medewerker); and the figures of each colleague away today, for whoever covers them
    (a medewerker: those they cover)."""
    user_id = whose(register, None)
    review = _review(register, today, TeamFilter(casemanager_id=user_id), due_soon=True)
    with register.read_connection() as conn:
        away = [
            a
            for a in away_today(conn, today)
            if a.cover_id is not None and (user_id is None or a.cover_id == user_id)
        ]
    covered = [
        Covered(
            a.cover_id or 0,
            a,
            _review(register, today, TeamFilter(casemanager_id=a.user_id), due_soon=True).total,
        )
        for a in away
    ]
    return Digest(review, _trend(register, today, 12, user_id), covered)


def team_detail(
    register: Register, user_id: int | None, today: date
) -> tuple[list[DueItem], list[AlertItem]]:
    """One medewerker's overdue contact moments (most overdue first) and open alerts (urgent
    first, then oldest), or those of the clients without a casemanager (None)."""
    acting_teamleider(register, REVIEW_REFUSAL)
    mine = Client.casemanager_id.is_(None) if user_id is None else Client.casemanager_id == user_id
    with register.read_connection() as conn:
        overdue = fetch_due(
            conn,
            due_query(mine, team=False),
            limit=overdue_cutoff(today, grace_days(conn)),
            today=today,
        )
        alerts = open_alerts(conn, mine, today)
    overdue.sort(key=lambda item: (-item.days_overdue, item.client_name))
    alerts.sort(key=lambda alert: (not is_urgent(alert.rule), alert.raised_on))
    return overdue, alerts
