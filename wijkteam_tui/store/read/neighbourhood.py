"""The Buurt view and `wijkteam neighbourhood`: who in the clients' own networks carries several
of them, each sociale-kaart entry the clients lean on, and the clients and their support per
postcode area (domain.neighbourhood counts; this reads).

Only open files count, and only the clients the reader may open (store/cover/access.py): a
medewerker in a team that chose "werk" sees the load their own clients put on a person, on a
team server as on a local register. Nothing here is written or leaves the register."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Row, func, select

from wijkteam_tui.domain import neighbourhood as rules
from wijkteam_tui.store.cover.access import open_ids
from wijkteam_tui.store.models import Client, ContactAgreement, NetworkMember, TeamSettings
from wijkteam_tui.store.neighbourhood import rows
from wijkteam_tui.store.neighbourhood.models import MemberLink
from wijkteam_tui.store.read.common import collector_paused
from wijkteam_tui.store.register import Register


@dataclass(frozen=True, slots=True)
class Leaning:
    """One client leaning on a steunpersoon or voorziening: through which member of their
    network, and how that member was matched to the others ("telefoon", "e-mail",
    "teamleider"; none for a voorziening, which the sociale-kaart link names)."""

    member_id: int
    member_name: str
    relation: str
    client_id: int
    number: str
    client_name: str
    area: str
    how: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Supporter:
    """A person from the clients' own networks: the members that are them, and their load."""

    #: The lowest member id of the group: how the view keeps its place.
    key: int
    name: str
    #: Other names the same person has in other networks ("F. de Vries").
    also_named: tuple[str, ...]
    leaning: tuple[Leaning, ...]
    load: rules.Load
    signals: tuple[str, ...]

    @property
    def clients(self) -> int:
        return len({lean.client_id for lean in self.leaning})


@dataclass(frozen=True, slots=True)
class ResourceLoad:
    id: int
    name: str
    category: str
    area: str
    reviewed_on: date | None
    #: How many clients have it in their network.
    clients: int
    load: rules.Load
    signals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Area:
    """A postcode area ("" when the postcode is missing): its open files, the steunpersonen
    they have, those without any, and the sociale-kaart entries located there."""

    code: str
    clients: int
    supporters: int
    without_support: int
    resources: int


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    today: date
    load_clients: int
    load_moments: int
    #: Everyone who carries more than one client, or whose load is a signal; the most
    #: clients first.
    supporters: tuple[Supporter, ...]
    resources: tuple[ResourceLoad, ...]
    areas: tuple[Area, ...]
    #: Limited to this area ("" the whole team).
    area: str = ""

    @property
    def stretched(self) -> int:
        return sum(1 for supporter in self.supporters if supporter.signals)


def neighbourhood(register: Register, today: date, area: str = "") -> Neighbourhood:
    """The whole view on `today`; `area` limits it to the steunpersonen and voorzieningen of
    the clients with a postcode in that area (a person's load stays their whole load).

    The database picks the few members that can be part of a listed person (a phone number or
    e-mail address another client's member has too, a teamleider's decision, or agreements
    asking more than the team's limit); only those are read and matched here (at 20,000
    clients a team has some 40,000 informal members)."""
    with collector_paused():
        return _neighbourhood(register, today, area)


def _neighbourhood(register: Register, today: date, area: str) -> Neighbourhood:
    with register.read_connection() as conn:
        visible = open_ids(register, conn, today)
        settings = conn.execute(select(TeamSettings.load_clients, TeamSettings.load_moments)).one()
        rate = rows.rate(conn)
        decisions = {
            (row.member_id, row.other_id): row.same
            for row in conn.execute(
                select(MemberLink.member_id, MemberLink.other_id, MemberLink.same)
            )
        }
        candidates = rows.candidates(conn, visible, rate, settings.load_moments, today)
        members = rows.members(conn, candidates)
        groups = rules.match_members(
            (rules.MemberKey(m.id, m.phone_key, m.email_key) for m in members),
            decisions,
        )
        agreements = rows.agreements(
            conn, rows.among(conn, ContactAgreement.member_id, candidates), today, joined=False
        )
        by_id = {m.id: m for m in members}
        listed = _people(groups, by_id, agreements, settings.load_moments)
        clients_of = rows.leaning_on(conn, visible)
        resource_agreements = rows.agreements(
            conn, rows.with_resource(conn, visible), today, per=NetworkMember.resource_id
        )
        counted = [a.id for found in agreements.values() for a in found]
        counted += [a.id for found in resource_agreements.values() for a in found]
        kept = rows.kept(conn, counted, today)
        resources = rows.resources(conn)
        # The clients of the people listed, and of everyone found in several networks (whom
        # the areas count once).
        several = [g for g in groups if len(g.member_ids) > 1]
        clients = rows.clients(
            conn, {by_id[i].client_id for g in (*listed, *several) for i in g.member_ids}
        )
        spread = [[clients[by_id[i].client_id][2] for i in g.member_ids] for g in several]
        areas = _areas(conn, visible, spread, resources)
        in_area = rows.area_of(Client.postcode) == area
        clients_in = (
            set(conn.execute(select(Client.id).where(*rows.open_files(visible), in_area)).scalars())
            if area
            else None
        )
        leaning_in_area = rows.leaning_on(conn, visible, in_area) if area else {}
    people = []
    for group in listed:
        leaning = tuple(_leaning(by_id[i], clients, group.how[i]) for i in group.member_ids)
        if clients_in is not None and not _leans_in(leaning, clients_in):
            continue
        load = rules.load(rows.with_kept(rows.agreements_of(group, agreements), kept), today)
        count = len({lean.client_id for lean in leaning})
        names = _names(by_id[i].name for i in group.member_ids)
        people.append(
            Supporter(
                group.member_ids[0],
                names[0],
                tuple(names[1:]),
                leaning,
                load,
                rules.person_signals(count, load, settings.load_clients, settings.load_moments),
            )
        )
    entries = []
    for resource in resources:
        located = rules.area_of_address(resource.address)
        if clients_in is not None and located != area and resource.id not in leaning_in_area:
            continue
        own = resource_agreements.get(resource.id, [])
        load = rules.load(rows.with_kept(own, kept), today)
        entries.append(
            ResourceLoad(
                resource.id,
                resource.name,
                resource.category,
                located,
                resource.reviewed_on,
                clients_of.get(resource.id, 0),
                load,
                rules.resource_signals(load, resource.reviewed_on, today),
            )
        )
    people.sort(key=lambda s: (-s.clients, -s.load.moments_a_month, s.name.lower(), s.key))
    entries.sort(key=lambda r: (-r.clients, -r.load.agreements, r.name.lower(), r.id))
    return Neighbourhood(
        today,
        settings.load_clients,
        settings.load_moments,
        tuple(people),
        tuple(entries),
        tuple(a for a in areas if not area or a.code == area),
        area,
    )


# --- counting -------------------------------------------------------------------------------


def _people(
    groups: Sequence[rules.Matched],
    by_id: dict[int, rows.Member],
    agreements: dict[int, list[rows.AgreementRow]],
    load_moments: int,
) -> list[rules.Matched]:
    """The groups the view lists: more than one client, or more moments a month than the
    team's limit (a drop in the kept share needs a second client to be seen in this view
    too: one client's contacts are that client's file)."""
    listed = []
    for group in groups:
        clients = {by_id[i].client_id for i in group.member_ids}
        if len(clients) > 1 or (
            sum(
                rules.moments_a_month(a.schedule)
                for a in rows.agreements_of(group, agreements)
                if a.running
            )
            > load_moments
        ):
            listed.append(group)
    return listed


def _leaning(
    member: rows.Member, clients: dict[int, tuple[str, str, str]], how: tuple[str, ...] = ()
) -> Leaning:
    number, name, area = clients[member.client_id]
    return Leaning(
        member.id, member.name, member.relation, member.client_id, number, name, area, how
    )


def _leans_in(leaning: Iterable[Leaning], clients: set[int]) -> bool:
    return any(lean.client_id in clients for lean in leaning)


def _names(names: Iterable[str]) -> list[str]:
    """The names a person goes by, the most used first."""
    counted: dict[str, int] = {}
    for name in names:
        counted[name] = counted.get(name, 0) + 1
    return sorted(counted, key=lambda name: -counted[name])


def _areas(
    conn: Connection,
    visible: set[int] | None,
    spread: Sequence[Sequence[str]],
    resources: Sequence[Row[int, str, str, str, date | None]],
) -> list[Area]:
    """Per postcode area its open files, the informal people in their networks (one person
    in several networks of the area once: `spread` gives for each such person the area of
    each network), the files without any, and the entries there."""
    code = rows.area_of(Client.postcode)
    # Per client first (from the members' index alone), then per area: grouping every member
    # by their client's area at once sorts them all.
    only = () if visible is None else (rows.among(conn, NetworkMember.client_id, visible),)
    informal = (
        select(NetworkMember.client_id, func.count().label("members"))
        .where(*rows.informal_member(), *only)
        .group_by(NetworkMember.client_id)
        .subquery()
    )
    open_files: dict[str, int] = {}
    people: dict[str, int] = defaultdict(int)
    without: dict[str, int] = {}
    for where, files, members, with_network in conn.execute(
        select(
            code,
            func.count(),
            func.coalesce(func.sum(informal.c.members), 0),
            func.count(informal.c.client_id),
        )
        .select_from(Client)
        .outerjoin(informal, informal.c.client_id == Client.id)
        .where(*rows.open_files(visible))
        .group_by(code)
    ):
        open_files[where] = files
        people[where] = int(members)
        without[where] = files - with_network
    for networks in spread:
        in_area: dict[str, int] = defaultdict(int)
        for where in networks:
            in_area[where] += 1
        for where, count in in_area.items():
            people[where] -= count - 1
    located: dict[str, int] = defaultdict(int)
    for resource in resources:
        located[rules.area_of_address(resource.address)] += 1
    codes = sorted(open_files.keys() | located.keys(), key=lambda c: (c == "", c))
    return [
        Area(
            c,
            open_files.get(c, 0),
            people.get(c, 0),
            without.get(c, 0),
            located.get(c, 0),
        )
        for c in codes
    ]
