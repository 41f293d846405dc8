"""The register's caseload as the import sees it.

What an import must know before it plans (`wijkteam import`): the team's people (for the
casemanager and "wie" columns) and the clients the file may mean, found by number, external
id, or birth date (their names compared after), each with their details, network and
assessments as the forms would show them, so that the plan changes only what differs. And the
way out (`wijkteam export team`): every open client in the same form, page by page, for the
export to write in the layout the import reads."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import Connection, select

from wijkteam_tui.domain.terms import AssessmentKind, Channel, Phase
from wijkteam_tui.store.models import Client, ContactAgreement, NetworkMember, User
from wijkteam_tui.store.outcomes.models import Assessment, AssessmentScore
from wijkteam_tui.store.records import ClientInput, MemberInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import acting_user

EXPORT_REFUSAL = "Alleen een teamleider zet de hele caseload in een bestand."

#: Values per IN list (well under SQLite's and PostgreSQL's limits on parameters).
CHUNK = 500


@dataclass(frozen=True, slots=True)
class KnownUser:
    id: int
    name: str
    display_name: str
    active: bool


@dataclass(frozen=True, slots=True)
class KnownMember:
    id: int
    data: MemberInput


@dataclass(frozen=True, slots=True)
class KnownAgreement:
    """An active agreement: with whom (member or medewerker), how and how often."""

    member_id: int | None
    user_id: int | None
    channel: Channel
    interval_days: int | None
    rrule: str | None
    last_contact_on: date | None
    start_on: date
    description: str
    end_on: date | None
    shared: bool


@dataclass(frozen=True, slots=True)
class KnownAssessment:
    """A ZRM or Positieve Gezondheid as recorded: per domain code its score (None: n.v.t.)
    and its note, for the domains scored."""

    kind: AssessmentKind
    assessed_on: date
    scores: dict[str, int | None]
    notes: dict[str, str]
    own_words: str


@dataclass(frozen=True, slots=True)
class KnownClient:
    id: int
    version: int
    number: str
    external_id: str
    phase: Phase
    data: ClientInput
    members: tuple[KnownMember, ...]
    agreements: tuple[KnownAgreement, ...]
    assessments: tuple[KnownAssessment, ...] = ()


@dataclass(frozen=True, slots=True)
class Known:
    users: tuple[KnownUser, ...]
    clients: tuple[KnownClient, ...]


def _chunks(values: Collection[Any]) -> Iterator[list[Any]]:
    it = iter(values)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def known_for_import(
    register: Register,
    numbers: Collection[str],
    external_ids: Collection[str],
    birth_dates: Collection[date],
    names: Collection[str] = (),
) -> Known:
    """The team's users, and the clients with one of these numbers, external ids, birth
    dates or names (name matches are the caller's to decide)."""
    with register.read_connection() as conn:
        rows: dict[int, Any] = {}
        for column, values in (
            (Client.number, numbers),
            (Client.external_id, external_ids),
            (Client.birth_date, birth_dates),
            (Client.name, names),
        ):
            for chunk in _chunks(values):
                for row in conn.execute(select(Client).where(column.in_(chunk))):
                    rows[row.id] = row
        return Known(_users(conn), _with_network(conn, list(rows.values())))


def _users(conn: Connection) -> tuple[KnownUser, ...]:
    return tuple(
        KnownUser(*row)
        for row in conn.execute(
            select(User.id, User.name, User.display_name, User.active).order_by(User.id)
        )
    )


def _with_network(conn: Connection, rows: list[Any]) -> tuple[KnownClient, ...]:
    """The clients of these rows with their current network, active agreements and every
    assessment (oldest first)."""
    ids = [row.id for row in rows]
    members: dict[int, list[KnownMember]] = {}
    for chunk in _chunks(ids):
        for member in conn.execute(
            select(NetworkMember)
            .where(NetworkMember.client_id.in_(chunk), NetworkMember.ended_on.is_(None))
            .order_by(NetworkMember.id)
        ):
            members.setdefault(member.client_id, []).append(
                KnownMember(member.id, _member_input(member))
            )
    agreements: dict[int, list[KnownAgreement]] = {}
    for chunk in _chunks(ids):
        for agreement in conn.execute(
            select(
                ContactAgreement.client_id,
                ContactAgreement.member_id,
                ContactAgreement.user_id,
                ContactAgreement.channel,
                ContactAgreement.interval_days,
                ContactAgreement.rrule,
                ContactAgreement.last_contact_on,
                ContactAgreement.start_on,
                ContactAgreement.description,
                ContactAgreement.end_on,
                ContactAgreement.shared,
            )
            .where(ContactAgreement.client_id.in_(chunk), ContactAgreement.active.is_(True))
            .order_by(ContactAgreement.id)
        ):
            agreements.setdefault(agreement.client_id, []).append(
                KnownAgreement(*tuple(agreement)[1:])
            )
    assessed = _assessments(conn, ids)
    return tuple(
        KnownClient(
            row.id,
            row.version,
            row.number,
            row.external_id or "",
            row.phase,
            _client_input(row),
            tuple(members.get(row.id, ())),
            tuple(agreements.get(row.id, ())),
            tuple(assessed.get(row.id, ())),
        )
        for row in rows
    )


def _assessments(conn: Connection, ids: list[int]) -> dict[int, list[KnownAssessment]]:
    """Every assessment of these clients with its scores, by client, oldest first."""
    found: dict[int, list[KnownAssessment]] = {}
    by_id: dict[int, KnownAssessment] = {}
    for chunk in _chunks(ids):
        for row in conn.execute(
            select(
                Assessment.id,
                Assessment.client_id,
                Assessment.kind,
                Assessment.assessed_on,
                Assessment.own_words,
            )
            .where(Assessment.client_id.in_(chunk))
            .order_by(Assessment.assessed_on, Assessment.id)
        ):
            by_id[row.id] = KnownAssessment(row.kind, row.assessed_on, {}, {}, row.own_words)
            found.setdefault(row.client_id, []).append(by_id[row.id])
        for score in conn.execute(
            select(
                AssessmentScore.assessment_id,
                AssessmentScore.domain,
                AssessmentScore.score,
                AssessmentScore.note,
            )
            .where(AssessmentScore.client_id.in_(chunk))
            .order_by(AssessmentScore.id)
        ):
            assessment = by_id[score.assessment_id]
            assessment.scores[score.domain] = score.score
            if score.note:
                assessment.notes[score.domain] = score.note
    return found


@dataclass(frozen=True, slots=True)
class TeamCaseload:
    """Every open client (id, number), for the audit event that names them before anything
    leaves, and the team's people; `pages` reads the clients themselves."""

    clients: tuple[tuple[int, str], ...]
    users: tuple[KnownUser, ...]


def team_caseload(register: Register) -> TeamCaseload:
    """What `wijkteam export team` writes: the open clients, in number order (teamleider).
    A closed dossier is not in it: the import takes no closed dossiers, and each one leaves
    with everything it holds through the inzage (`wijkteam export client`)."""
    acting_user(register)
    register.require_teamleider(EXPORT_REFUSAL)
    with register.read_connection() as conn:
        clients = tuple(
            (cid, number)
            for cid, number in conn.execute(
                select(Client.id, Client.number)
                .where(Client.phase != Phase.CLOSED)
                .order_by(Client.id)
            )
        )
        return TeamCaseload(clients, _users(conn))


def caseload_pages(register: Register, caseload: TeamCaseload) -> Iterator[tuple[KnownClient, ...]]:
    """The clients of `caseload` with their network and agreements, CHUNK at a time, so that
    a register of any size leaves in bounded memory."""
    for chunk in _chunks([cid for cid, _number in caseload.clients]):
        with register.read_connection() as conn:
            rows = conn.execute(
                select(Client)
                .where(Client.id.in_(chunk), Client.phase != Phase.CLOSED)
                .order_by(Client.id)
            ).all()
            yield _with_network(conn, list(rows))


def _client_input(row: Any) -> ClientInput:
    return ClientInput(
        name=row.name,
        opened_on=row.opened_on,
        casemanager_id=row.casemanager_id,
        birth_date=row.birth_date,
        street=row.street,
        house_number=row.house_number,
        postcode=row.postcode,
        city=row.city,
        phone=row.phone,
        regime=row.regime,
        own_words=row.own_words,
        strengths=row.strengths,
        meaningful=row.meaningful,
    )


def _member_input(row: Any) -> MemberInput:
    return MemberInput(
        name=row.name,
        kind=row.kind,
        relation=row.relation,
        supports=row.supports,
        phone=row.phone,
        email=row.email,
        availability=row.availability,
        consent_to_share=row.consent_to_share,
        resource_id=row.resource_id,
        notes=row.notes,
        ring=row.ring,
        out_of_hours=row.out_of_hours,
        consent_on=row.consent_recorded_on,
        consent_review_on=row.consent_review_on,
        remind_by_mail=row.remind_by_mail,
        remind_on=row.remind_consent_on,
        remind_review_on=row.remind_review_on,
    )
