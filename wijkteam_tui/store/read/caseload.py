"""What an import must know of the register before it plans (`wijkteam import`): the team's
people (for the casemanager and "wie" columns) and the clients the file may mean, found by
number, external id, or birth date (their names compared after), each with their details and
network as the forms would show them, so that the plan changes only what differs."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import select

from wijkteam_tui.domain.terms import Channel, Phase
from wijkteam_tui.store.models import Client, ContactAgreement, NetworkMember, User
from wijkteam_tui.store.records import ClientInput, MemberInput
from wijkteam_tui.store.register import Register

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
) -> Known:
    """The team's users, and the clients with one of these numbers, external ids or birth
    dates (name matches are the caller's to decide)."""
    with register.read_connection() as conn:
        users = tuple(
            KnownUser(*row)
            for row in conn.execute(
                select(User.id, User.name, User.display_name, User.active).order_by(User.id)
            )
        )
        rows: dict[int, Any] = {}
        for column, values in (
            (Client.number, numbers),
            (Client.external_id, external_ids),
            (Client.birth_date, birth_dates),
        ):
            for chunk in _chunks(values):
                for row in conn.execute(select(Client).where(column.in_(chunk))):
                    rows[row.id] = row
        members: dict[int, list[KnownMember]] = {}
        for chunk in _chunks(rows):
            for member in conn.execute(
                select(NetworkMember)
                .where(NetworkMember.client_id.in_(chunk), NetworkMember.ended_on.is_(None))
                .order_by(NetworkMember.id)
            ):
                members.setdefault(member.client_id, []).append(
                    KnownMember(member.id, _member_input(member))
                )
        agreements: dict[int, list[KnownAgreement]] = {}
        for chunk in _chunks(rows):
            for agreement in conn.execute(
                select(
                    ContactAgreement.client_id,
                    ContactAgreement.member_id,
                    ContactAgreement.user_id,
                    ContactAgreement.channel,
                    ContactAgreement.interval_days,
                    ContactAgreement.rrule,
                    ContactAgreement.last_contact_on,
                )
                .where(ContactAgreement.client_id.in_(chunk), ContactAgreement.active.is_(True))
                .order_by(ContactAgreement.id)
            ):
                agreements.setdefault(agreement.client_id, []).append(
                    KnownAgreement(*agreement[1:])
                )
    return Known(
        users,
        tuple(
            KnownClient(
                row.id,
                row.version,
                row.number,
                row.external_id or "",
                row.phase,
                _client_input(row),
                tuple(members.get(row.id, ())),
                tuple(agreements.get(row.id, ())),
            )
            for row in rows.values()
        ),
    )


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
    )
