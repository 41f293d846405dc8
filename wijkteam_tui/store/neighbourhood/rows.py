"""The rows the Buurt view counts (store/read/neighbourhood.py puts them together): the
members that can be part of a listed person, chosen by the database from the phone and e-mail
keys it keeps beside each member; their agreements and the real contacts on them; the
sociale-kaart entries and who is linked to them. Only open files, and only the clients in
`visible` (None: every one)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Row,
    Select,
    SQLColumnExpression,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute

from wijkteam_tui.domain import neighbourhood as rules
from wijkteam_tui.domain.schedules import REAL_CONTACT, Schedule
from wijkteam_tui.domain.terms import MemberKind
from wijkteam_tui.store.models import (
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    Resource,
)
from wijkteam_tui.store.neighbourhood.models import MemberLink


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    client_id: int
    name: str
    relation: str
    phone_key: str
    email_key: str


def among(
    conn: Connection, column: SQLColumnExpression[Any], ids: Iterable[int]
) -> ColumnElement[bool]:
    """`column` is one of `ids` (a few thousand): on PostgreSQL one array parameter
    (`= ANY`), which it plans as one value; elsewhere an IN list."""
    listed = sorted(set(ids))
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, listed, type_=ARRAY(Integer)))
    return column.in_(listed)


def within(
    conn: Connection, column: SQLColumnExpression[Any], rows: Select[Any]
) -> ColumnElement[bool]:
    """`column` is one of what `rows` selects: on PostgreSQL `= ANY(ARRAY(…))`, which it plans
    as the few values the subquery gives (an IN would be planned for the many it might give,
    reading every member), elsewhere an IN."""
    if conn.dialect.name == "postgresql":
        return column == any_(func.array(rows.scalar_subquery()))
    return column.in_(rows)


def open_files(visible: set[int] | None) -> list[ColumnElement[bool]]:
    condition: list[ColumnElement[bool]] = [Client.closed_on.is_(None)]
    if visible is not None:
        condition.append(Client.id.in_(visible))
    return condition


def area_of(postcode: SQLColumnExpression[str]) -> ColumnElement[str]:
    """The postcode area of a stored postcode ("1234 AB", or "")."""
    return func.substr(postcode, 1, 4)


def involved(visible: set[int] | None) -> list[ColumnElement[bool]]:
    """Members of an open file still involved."""
    return [
        *open_files(visible),
        NetworkMember.active.is_(True),
        NetworkMember.ended_on.is_(None),
    ]


def informal_member() -> list[ColumnElement[bool]]:
    """A member still involved, informal and not a sociale-kaart entry (whatever the file)."""
    return [
        NetworkMember.active.is_(True),
        NetworkMember.ended_on.is_(None),
        NetworkMember.kind == MemberKind.INFORMAL,
        NetworkMember.resource_id.is_(None),
    ]


def informal(visible: set[int] | None) -> list[ColumnElement[bool]]:
    return [*open_files(visible), *informal_member()]


def rate(conn: Connection) -> ColumnElement[float]:
    """Moments a month of an agreement in SQL: its interval, or its calendar rule looked up
    among the few the team uses (domain.neighbourhood.moments_a_month for each)."""
    rules_used = conn.execute(
        select(ContactAgreement.rrule).where(ContactAgreement.rrule.is_not(None)).distinct()
    ).scalars()
    per_rule = [
        (ContactAgreement.rrule == text, rules.rule_a_month(text)) for text in rules_used if text
    ]
    # In floating point: PostgreSQL would otherwise sum exact decimals, at twice the cost.
    return case(
        (
            ContactAgreement.interval_days.is_not(None),
            literal(rules.MONTH_DAYS, Float) / cast(ContactAgreement.interval_days, Float),
        ),
        *((when, literal(value, Float)) for when, value in per_rule),
        else_=literal(0.0, Float),
    )


def running(today: date) -> list[ColumnElement[bool]]:
    return [
        ContactAgreement.active.is_(True),
        or_(ContactAgreement.end_on.is_(None), ContactAgreement.end_on >= today),
        ContactAgreement.start_on <= today,
    ]


def candidates(
    conn: Connection,
    visible: set[int] | None,
    rate: ColumnElement[float],
    limit: int,
    today: date,
) -> list[int]:
    """The informal members that can be part of a listed person: a phone or e-mail key
    members of two clients share (found from the key's index alone), agreements asking more
    than `limit` moments a month, a teamleider's decision. One query, read once: the others
    take the ids (a few thousand at 20,000 clients)."""
    condition = informal(visible)

    # From the key's own index (store/neighbourhood/keys.py key_index), with its conditions
    # on PostgreSQL, where it holds only the members a key can tie together.
    tying = informal_member() if conn.dialect.name == "postgresql" else []

    def shared(key: InstrumentedAttribute[str]) -> Select[str]:
        return (
            select(key)
            .where(key != "", *tying)
            .group_by(key)
            .having(func.min(NetworkMember.client_id) != func.max(NetworkMember.client_id))
        )

    heavy = (
        select(ContactAgreement.member_id)
        .where(ContactAgreement.member_id.is_not(None), *running(today))
        .group_by(ContactAgreement.member_id)
        .having(func.sum(rate) > limit)
    )
    decided = union(select(MemberLink.member_id), select(MemberLink.other_id))
    found = union(
        *(
            select(NetworkMember.id)
            .join(Client, Client.id == NetworkMember.client_id)
            .where(*condition, which)
            for which in (
                and_(
                    NetworkMember.phone_key != "",
                    within(conn, NetworkMember.phone_key, shared(NetworkMember.phone_key)),
                ),
                and_(
                    NetworkMember.email_key != "",
                    within(conn, NetworkMember.email_key, shared(NetworkMember.email_key)),
                ),
                within(conn, NetworkMember.id, heavy),
                NetworkMember.id.in_(decided),
            )
        )
    ).subquery()
    return sorted(conn.execute(select(found.c.id)).scalars())


def members(conn: Connection, ids: list[int]) -> list[Member]:
    rows = conn.execute(
        select(
            NetworkMember.id,
            NetworkMember.client_id,
            NetworkMember.name,
            NetworkMember.relation,
            NetworkMember.phone_key,
            NetworkMember.email_key,
        )
        .where(among(conn, NetworkMember.id, ids))
        .order_by(NetworkMember.id)
    )
    return [Member(*row) for row in rows]


def clients(conn: Connection, ids: set[int]) -> dict[int, tuple[str, str, str]]:
    """Per client: number, name and postcode area."""
    if not ids:
        return {}
    rows = conn.execute(
        select(Client.id, Client.number, Client.name, Client.postcode).where(
            among(conn, Client.id, ids)
        )
    )
    return {row.id: (row.number, row.name, rules.area_of_address(row.postcode)) for row in rows}


def linked(visible: set[int] | None) -> ColumnElement[bool]:
    """Members of an open file linked to a sociale-kaart entry."""
    return and_(*involved(visible), NetworkMember.resource_id.is_not(None))


def with_resource(conn: Connection, visible: set[int] | None) -> ColumnElement[bool]:
    """The agreements of members of an open file linked to a sociale-kaart entry: found from
    those members (a few per entry), not by reading every agreement."""
    members = select(NetworkMember.id).where(
        NetworkMember.resource_id.is_not(None),
        NetworkMember.active.is_(True),
        NetworkMember.ended_on.is_(None),
        *(() if visible is None else (among(conn, NetworkMember.client_id, visible),)),
    )
    return and_(linked(visible), within(conn, ContactAgreement.member_id, members))


def leaning_on(
    conn: Connection, visible: set[int] | None, area: ColumnElement[bool] | None = None
) -> dict[int, int]:
    """Per sociale-kaart entry how many clients (in `area`, if given) have it in their
    network."""
    return {
        resource_id: count
        for resource_id, count in conn.execute(
            select(NetworkMember.resource_id, func.count(func.distinct(NetworkMember.client_id)))
            .join(Client, Client.id == NetworkMember.client_id)
            .where(linked(visible), *(() if area is None else (area,)))
            .group_by(NetworkMember.resource_id)
        )
        if resource_id is not None
    }


@dataclass(frozen=True, slots=True)
class AgreementRow:
    id: int
    schedule: Schedule
    running: bool


def agreements(
    conn: Connection,
    members: ColumnElement[bool],
    today: date,
    per: SQLColumnExpression[int | None] = ContactAgreement.member_id,
    *,
    joined: bool = True,
) -> dict[int, list[AgreementRow]]:
    """Per member (or `per` another column of the member, such as its sociale-kaart entry)
    the agreements they perform that ran in the last 24 weeks or still run. `joined=False`:
    `members` and `per` ask about the agreement alone (the candidates, chosen already, by
    `among(conn, ContactAgreement.member_id, …)`), so members and clients are not read."""
    since = today - timedelta(days=2 * rules.WINDOW_DAYS)
    query = select(
        ContactAgreement.id,
        per,
        ContactAgreement.start_on,
        ContactAgreement.interval_days,
        ContactAgreement.rrule,
        ContactAgreement.end_on,
        ContactAgreement.active,
    )
    if joined:
        query = query.join(NetworkMember, NetworkMember.id == ContactAgreement.member_id).join(
            Client, Client.id == NetworkMember.client_id
        )
    rows = conn.execute(
        query.where(
            members,
            ContactAgreement.start_on <= today,
            or_(ContactAgreement.end_on.is_(None), ContactAgreement.end_on >= since),
        )
        # In one order whatever the plan: a person's moments a month are summed in it.
        .order_by(ContactAgreement.id)
    )
    found: dict[int, list[AgreementRow]] = defaultdict(list)
    for agreement_id, key, start_on, interval, rule, end_on, active in rows:
        if key is None:
            continue
        running = active and (end_on is None or end_on >= today)
        schedule = Schedule(start_on, interval, rule, end_on)
        found[key].append(AgreementRow(agreement_id, schedule, running))
    return found


def agreements_of(
    group: rules.Matched, agreements: dict[int, list[AgreementRow]]
) -> list[AgreementRow]:
    return [a for member_id in group.member_ids for a in agreements.get(member_id, ())]


def kept(conn: Connection, agreements: list[int], today: date) -> dict[int, tuple[int, int]]:
    """Per agreement its real contacts in the last 12 weeks and in the 12 weeks before."""
    if not agreements:
        return {}
    now_from = today - timedelta(days=rules.WINDOW_DAYS)
    before_from = now_from - timedelta(days=rules.WINDOW_DAYS)
    recent = case((ContactMoment.occurred_on >= now_from, 1), else_=0)
    rows = conn.execute(
        select(ContactMoment.agreement_id, func.sum(recent), func.count())
        .where(
            among(conn, ContactMoment.agreement_id, agreements),
            ContactMoment.occurred_on >= before_from,
            ContactMoment.occurred_on <= today,
            ContactMoment.outcome.in_(REAL_CONTACT),
        )
        .group_by(ContactMoment.agreement_id)
    )
    return {row[0]: (int(row[1]), int(row[2]) - int(row[1])) for row in rows}


def with_kept(
    agreements: Iterable[AgreementRow], kept: dict[int, tuple[int, int]]
) -> list[rules.AgreementLoad]:
    return [rules.AgreementLoad(a.schedule, a.running, *kept.get(a.id, (0, 0))) for a in agreements]


def resources(conn: Connection) -> list[Row[int, str, str, str, date | None]]:
    """The active sociale-kaart entries."""
    return list(
        conn.execute(
            select(
                Resource.id,
                Resource.name,
                Resource.category,
                Resource.address,
                Resource.reviewed_on,
            ).where(Resource.active.is_(True))
        ).all()
    )
