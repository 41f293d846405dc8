"""Vandaag: what needs a medewerker today (contact moments due and overdue, open alerts,
clients uit beeld, requests for sign-off), the team's name and out-of-hours contact at its
top, and the same due and uit-beeld lists across the team that the Team screen and the
scripts build on."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    String,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import aliased

from wijkteam_tui.domain.agreements import performer_text
from wijkteam_tui.domain.schedules import SOON_DAYS, days_overdue, overdue_cutoff
from wijkteam_tui.domain.team import is_urgent
from wijkteam_tui.domain.terms import Channel, Phase, ThresholdRule
from wijkteam_tui.domain.thresholds import (
    ThresholdSetting,
    effective_thresholds,
    is_out_of_view,
    limit_days,
    silent_days,
)
from wijkteam_tui.store.cover.current import (
    Away,
    Covering,
    away_today,
    covered_elsewhere,
    covering,
    return_summary,
)
from wijkteam_tui.store.due import grace_days, not_snoozed, silent_past
from wijkteam_tui.store.models import (
    Client,
    ContactAgreement,
    NetworkMember,
    TeamSettings,
    Threshold,
    User,
)
from wijkteam_tui.store.read.common import (
    Responsible,
    open_alerts,
    refusals,
    sign_offs,
    user_name,
)
from wijkteam_tui.store.records import (
    AlertItem,
    DueItem,
    OutOfViewItem,
    RefusalItem,
    SignOffItem,
    TeamInfo,
    TeamOverview,
    TodayList,
    out_of_hours_text,
)
from wijkteam_tui.store.register import Register

_Casemanager = aliased(User, name="casemanager")

#: How a list names the casemanager of clients who have none.
NO_CASEMANAGER = "(geen casemanager)"


def _due_query(condition: Any, *, team: bool) -> Any:
    """Agreements with their client and who should make contact, due before `:limit`.

    The team list reads only the agreements' covering index (no description, index order): it
    runs to thousands of rows, and every table page it does not touch keeps it linear.

    The due date and channel come back as plain text (`type_coerce` to String) and `fetch_due`
    converts them: SQLAlchemy's per-row Date and Enum processing cost more than the query
    itself on a list of thousands."""
    return (
        select(
            ContactAgreement.id,
            Client.id,
            Client.number,
            Client.name,
            NetworkMember.name,
            NetworkMember.relation,
            user_name(Responsible),
            type_coerce(ContactAgreement.channel, String),
            type_coerce(ContactAgreement.next_due, String),
            literal("") if team else ContactAgreement.description,
            user_name(_Casemanager),
        )
        .select_from(ContactAgreement)
        .join(Client, Client.id == ContactAgreement.client_id)
        .outerjoin(NetworkMember, NetworkMember.id == ContactAgreement.member_id)
        .outerjoin(Responsible, Responsible.id == ContactAgreement.user_id)
        .outerjoin(_Casemanager, _Casemanager.id == Client.casemanager_id)
        .where(
            condition,
            Client.phase != Phase.CLOSED,
            ContactAgreement.active.is_(True),
            ContactAgreement.next_due < bindparam("limit", type_=Date),
            not_snoozed(bindparam("today", type_=Date)),
        )
        .order_by(ContactAgreement.next_due, ContactAgreement.id if team else Client.name)
    )


#: For `read.team` (the Team screen's lists of one casemanager).
due_query = _due_query

_TEAM_DUE = _due_query(true(), team=True)
_MEDEWERKER_DUE = _due_query(
    Client.casemanager_id.in_(bindparam("user_ids", expanding=True)), team=False
)
_CHANNELS = {channel.value: channel for channel in Channel}


def _as_date(value: date | str) -> date:
    # SQLite hands back the stored ISO text; PostgreSQL's driver a date.
    return date.fromisoformat(value) if isinstance(value, str) else value


def fetch_due(conn: Connection, statement: Any, **params: Any) -> list[DueItem]:
    """Run a due-list query and build DueItems.

    The team list runs to thousands of rows, so the loop is kept lean: each due date is
    converted once, and a DueItem is made as the tuple it is (no keyword parsing per row)."""
    today: date = params["today"]
    # all(): one fetchall, where iterating the result would fetch row by row.
    rows = conn.execute(statement, params).all()
    dates: dict[date | str, tuple[date, int]] = {}
    make = tuple.__new__
    channels = _CHANNELS
    items: list[DueItem] = []
    append = items.append
    for aid, cid, number, name, member, relation, responsible, channel, due, words, cm in rows:
        known = dates.get(due)
        if known is None:
            due_on = _as_date(due)
            known = dates[due] = (due_on, days_overdue(due_on, today))
        who = performer_text(member, relation, responsible)
        append(
            make(
                DueItem,
                (aid, cid, number, name, who, channels[channel], *known, words, cm or ""),
            )
        )
    return items


_OUT_OF_HOURS = select(
    TeamSettings.out_of_hours_name,
    TeamSettings.out_of_hours_phone,
    TeamSettings.out_of_hours_hours,
).where(TeamSettings.id == 1)


def _team(conn: Connection) -> tuple[int, str]:
    """(grace days, out-of-hours contact as one line) of the team."""
    return grace_days(conn), out_of_hours_text(*conn.execute(_OUT_OF_HOURS).one())


def today_list(
    register: Register, user_id: int, today: date, *, teamleider: bool = False
) -> TodayList:
    """What needs this medewerker today, for the clients they are casemanager of and those of
    colleagues they cover while they are away; for a teamleider also every request for
    'duurzaam in beeld' waiting for a decision."""
    with register.read_connection() as conn:
        grace, out_of_hours = _team(conn)
        covers = covering(conn, user_id, today)
        mine: Any = Client.casemanager_id == user_id
        if covers:
            mine = or_(mine, *(cover.condition() for cover in covers))
        items = fetch_due(
            conn,
            _due_query(mine, team=False) if covers else _MEDEWERKER_DUE,
            **({} if covers else {"user_ids": [user_id]}),
            limit=today + timedelta(days=SOON_DAYS + 1),
            today=today,
        )
        overdue_limit = overdue_cutoff(today, grace)
        overdue = [i for i in items if i.next_due < overdue_limit]
        soon = [i for i in items if i.next_due >= overdue_limit]
        alerts = open_alerts(conn, mine, today)
        out_of_view = [item for _, item in out_of_view_rows(conn, mine, today)]
        return TodayList(
            overdue=overdue,
            due_soon=soon,
            alerts=alerts,
            out_of_view=out_of_view,
            out_of_hours_contact=out_of_hours,
            sign_offs=sign_offs(conn, true()) if teamleider else [],
            refusals=refusals(conn, user_id),
            covered=_covered(conn, covers, _clients_in(items, alerts, out_of_view)),
            covering=[cover.label() for cover in covers],
            uncovered=_uncovered(conn, today, overdue_limit) if teamleider else [],
            welcome=_welcome(conn, user_id, today),
        )


def _welcome(conn: Connection, user_id: int, today: date) -> tuple[int, str] | None:
    summary = return_summary(conn, user_id, today)
    return None if summary is None else (summary.absence_id, summary.text())


def _uncovered(conn: Connection, today: date, overdue_limit: date) -> list[str]:
    """For a teamleider, as Vandaag says it: "cem (afwezig tot nader bericht): 3 te laat,
    1 urgent" (see uncovered_work)."""
    return [
        f"{away.name} (afwezig {away.until_text()}): {late} te laat, {urgent} urgent"
        for away, late, urgent in uncovered_work(conn, today, overdue_limit)
    ]


def uncovered_work(
    conn: Connection, today: date, overdue_limit: date
) -> list[tuple[Away, int, int]]:
    """Each colleague away today whose clients nobody covers (no cover, or one who is away
    too; the clients covered one by one aside) while they have overdue contact moments or
    urgent alerts: (who, how many overdue, how many urgent)."""
    found = []
    everyone = away_today(conn, today)
    gone = {away.user_id for away in everyone}
    for away in everyone:
        if away.cover and away.cover_id not in gone:
            continue  # covered (a cover who is away too covers nobody)
        theirs: Any = Client.casemanager_id == away.user_id
        elsewhere = covered_elsewhere(conn, away.user_id, today)
        if elsewhere:
            theirs = and_(theirs, Client.id.not_in(sorted(elsewhere)))
        items = fetch_due(conn, _due_query(theirs, team=False), limit=overdue_limit, today=today)
        urgent = sum(1 for alert in open_alerts(conn, theirs, today) if is_urgent(alert.rule))
        if items or urgent:
            found.append((away, len(items), urgent))
    return found


def _clients_in(
    items: list[DueItem], alerts: list[AlertItem], out_of_view: list[OutOfViewItem]
) -> set[int]:
    return (
        {i.client_id for i in items}
        | {a.client_id for a in alerts}
        | {o.client_id for o in out_of_view}
    )


def _covered(conn: Connection, covers: list[Covering], shown: set[int]) -> dict[int, str]:
    """Client id → the absent colleague's name, for the clients in the lists that this user
    covers (not their own)."""
    if not covers or not shown:
        return {}
    found: dict[int, str] = {}
    for cover in covers:
        rows = conn.execute(
            select(Client.id).where(cover.condition(), Client.id.in_(sorted(shown)))
        ).scalars()
        found.update((client_id, cover.name) for client_id in rows)
    return found


def unseen_refusals(register: Register) -> list[RefusalItem]:
    """The logged-in user's refused requests whose client they have not opened since."""
    if register.user is None:
        return []
    with register.read_connection() as conn:
        return refusals(conn, register.user.id)


def pending_sign_offs(register: Register) -> list[SignOffItem]:
    """Every request for 'duurzaam in beeld' waiting for a teamleider, oldest first."""
    with register.read_connection() as conn:
        return sign_offs(conn, true())


def _out_of_view(conn: Connection, user_id: int, today: date) -> list[OutOfViewItem]:
    items = [item for _, item in out_of_view_rows(conn, Client.casemanager_id == user_id, today)]
    return sorted(items, key=lambda item: -item.days_without_contact)


def out_of_view_rows(
    conn: Connection, condition: Any, today: date
) -> list[tuple[int | None, OutOfViewItem]]:
    """The open clients matching `condition` that are out of view today (by the team's limit
    or their own), each with their casemanager's id."""
    team_row = conn.execute(
        select(Threshold.enabled, Threshold.days).where(
            Threshold.client_id.is_(None), Threshold.rule == ThresholdRule.OUT_OF_VIEW
        )
    ).one_or_none()
    team = [ThresholdSetting(ThresholdRule.OUT_OF_VIEW, *team_row)] if team_row else []
    team_limit = limit_days(effective_thresholds(team)[ThresholdRule.OUT_OF_VIEW])
    override = aliased(Threshold)
    rows = conn.execute(
        select(
            Client.id,
            Client.number,
            Client.name,
            Client.last_contact_on,
            Client.opened_on,
            override.enabled,
            override.days,
            Client.casemanager_id,
        )
        .outerjoin(
            override,
            and_(override.client_id == Client.id, override.rule == ThresholdRule.OUT_OF_VIEW),
        )
        .where(
            condition,
            Client.phase != Phase.CLOSED,
            or_(
                override.id.is_not(None),
                silent_past(today, team_limit),
            ),
        )
    ).all()
    found = []
    for cid, number, name, last, opened, enabled, days, casemanager_id in rows:
        own = (
            [ThresholdSetting(ThresholdRule.OUT_OF_VIEW, enabled, days)]
            if enabled is not None
            else []
        )
        setting = effective_thresholds(team, own)[ThresholdRule.OUT_OF_VIEW]
        if setting.enabled and is_out_of_view(last, opened, today, limit_days(setting)):
            item = OutOfViewItem(cid, number, name, last, silent_days(last, opened, today))
            found.append((casemanager_id, item))
    return found


#: How many of the team's overdue follow-ups `team_overview` reads at a time: a screenful.
TEAM_PAGE = 40


#: The overdue agreements per casemanager: from the covering index alone, with the client's
#: casemanager kept beside each agreement (migration 0029). Joining the clients for it read the
#: whole clients table (on a server of 100,000 clients 49 of the screen's 55 ms once a day's
#: writes had cleared its visibility map; 6 ms from the index). An agreement of a closed
#: client is never active (closing ends them: write/common.py close_agreements), so the
#: client's phase need not be read either.
_TEAM_COUNTS = (
    select(ContactAgreement.casemanager_id, func.count())
    .where(
        ContactAgreement.active.is_(True),
        ContactAgreement.next_due < bindparam("limit", type_=Date),
        not_snoozed(bindparam("today", type_=Date)),
    )
    .group_by(ContactAgreement.casemanager_id)
)


def team_overview(
    register: Register, today: date, *, offset: int = 0, page: int = TEAM_PAGE
) -> TeamOverview:
    """A page of the team's overdue follow-ups (most overdue first, from `offset`), with how
    many there are per casemanager and in all.

    The counts are SQL aggregates and the rows a LIMIT: what it costs follows the page, not
    the thousands of overdue agreements behind it (`team_overdue` reads them all)."""
    with register.read_connection() as conn:
        grace, _ = _team(conn)
        limit = overdue_cutoff(today, grace)
        if conn.dialect.name == "postgresql":
            # Without parallel workers: for counts over tens of thousands of rows the planner
            # may start parallel workers, which on a team server's few cores, shared by
            # everyone at work, cost more than they gain (the join the counts had before
            # 0029: 40 against 55 ms at 100,000 clients). For this transaction only.
            conn.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
        counts = dict(conn.execute(_TEAM_COUNTS, {"limit": limit, "today": today}).all())
        names: dict[int, str] = dict(
            conn.execute(
                select(User.id, user_name(User)).where(User.id.in_([i for i in counts if i]))
            ).all()
        )
        overdue = fetch_due(conn, _TEAM_DUE.limit(page).offset(offset), limit=limit, today=today)
    per_casemanager: dict[str, int] = {}
    for user_id, n in counts.items():
        name = names.get(user_id, NO_CASEMANAGER) if user_id else NO_CASEMANAGER
        per_casemanager[name] = per_casemanager.get(name, 0) + n
    return TeamOverview(
        overdue=overdue,
        per_casemanager=per_casemanager,
        total=sum(per_casemanager.values()),
        offset=offset,
    )


def team_overdue(register: Register, today: date) -> list[DueItem]:
    """Every overdue follow-up of the team, most overdue first (`wijkteam overdue`)."""
    with register.read_connection() as conn:
        grace, _ = _team(conn)
        return fetch_due(conn, _TEAM_DUE, limit=overdue_cutoff(today, grace), today=today)


def team_info(register: Register) -> TeamInfo:
    """The team's name and the settings screens need."""
    with register.read_connection() as conn:
        row = conn.execute(
            select(
                TeamSettings.team_name,
                TeamSettings.demo,
                TeamSettings.idle_lock_minutes,
                TeamSettings.grace_days,
                TeamSettings.retention_years_wmo,
                TeamSettings.retention_years_wmo_no_provision,
                TeamSettings.retention_years_youth_act,
                TeamSettings.wijk,
                TeamSettings.out_of_hours_name,
                TeamSettings.out_of_hours_phone,
                TeamSettings.out_of_hours_hours,
            ).where(TeamSettings.id == 1)
        ).one()
    return TeamInfo(*row)
