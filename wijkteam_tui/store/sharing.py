"""What a client's shared agreements are made from, read in one transaction, and the record of
each export (who, when, which client, which format) with its version number.

Everything the client file holds is read here, also what may not be shared: deciding what is
left out is the document model's job (`export.document`), where it is tested for every format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, text

from wijkteam_tui.domain.terms import Channel, MemberKind, Phase, SignalPhase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.cover.access import require_access
from wijkteam_tui.store.history import SharedExport
from wijkteam_tui.store.models import (
    Client,
    ContactAgreement,
    NetworkMember,
    Signal,
    TeamSettings,
    User,
)
from wijkteam_tui.store.read.team import whose
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import acting_user, existing_client

#: The formats an export is recorded under.
FORMATS = ("md", "pdf", "kaart", "ics")


@dataclass(frozen=True, slots=True)
class MemberFacts:
    id: int
    name: str
    relation: str
    kind: MemberKind
    phone: str
    supports: str
    out_of_hours: bool
    consent_to_share: bool
    consent_review_on: date | None
    active: bool
    #: Looked for in free text when the member may not be named (export.document).
    email: str = ""
    #: The day their involvement ended (moved away, fell out, died); None while involved.
    ended_on: date | None = None


@dataclass(frozen=True, slots=True)
class AgreementFacts:
    id: int
    version: int
    member_id: int | None
    #: The medewerker who performs it ("" for a network member or the casemanager).
    medewerker: str
    channel: Channel
    interval_days: int | None
    rrule: str | None
    start_on: date
    end_on: date | None
    last_contact_on: date | None
    next_due: date | None
    shared: bool
    active: bool


@dataclass(frozen=True, slots=True)
class PlanRow:
    phase: SignalPhase
    position: int
    signs: str
    own_actions: str
    network_actions: str
    professional_actions: str
    whom_to_call: str


@dataclass(frozen=True, slots=True)
class SharingFacts:
    #: The register's own id: with an agreement's id it makes a calendar UID that stays the
    #: same across exports (a re-import updates instead of duplicating).
    register_id: str
    client_id: int
    client_name: str
    client_number: str
    casemanager: str
    casemanager_phone: str
    team_name: str
    out_of_hours_name: str
    out_of_hours_phone: str
    out_of_hours_hours: str
    members: list[MemberFacts]
    agreements: list[AgreementFacts]
    plan: list[PlanRow]
    #: The version of this client's last export (0: never exported).
    last_version: int = 0
    #: The team's office number, for a casemanager without a number of their own.
    office_phone: str = ""


def _name(user: User | None) -> str:
    return (user.display_name or user.name) if user is not None else ""


def sharing_facts(register: Register, client_id: int, today: date | None = None) -> SharingFacts:
    """Everything the shared agreements of one client can be made from (refused for a client
    the acting medewerker may not open: store/cover/access.py)."""
    acting_user(register)
    with register.read() as session:
        require_access(register, session.connection(), client_id, today or date.today())
        client = existing_client(session, client_id)
        settings = session.get(TeamSettings, 1)
        assert settings is not None
        casemanager = session.get(User, client.casemanager_id) if client.casemanager_id else None
        members = session.scalars(
            select(NetworkMember)
            .where(NetworkMember.client_id == client_id)
            .order_by(NetworkMember.ring, NetworkMember.name, NetworkMember.id)
        ).all()
        agreements = session.scalars(
            select(ContactAgreement)
            .where(ContactAgreement.client_id == client_id)
            .order_by(ContactAgreement.id)
        ).all()
        users = {u.id: u for u in session.scalars(select(User))}
        signals = session.scalars(
            select(Signal)
            .where(Signal.client_id == client_id)
            .order_by(Signal.phase, Signal.position, Signal.id)
        ).all()
        last_version = session.scalar(
            select(func.max(SharedExport.version)).where(SharedExport.client_id == client_id)
        )
        return SharingFacts(
            register_id=settings.register_id,
            client_id=client.id,
            client_name=client.name,
            client_number=client.number,
            casemanager=_name(casemanager),
            casemanager_phone=casemanager.phone if casemanager else "",
            team_name=settings.team_name,
            out_of_hours_name=settings.out_of_hours_name,
            out_of_hours_phone=settings.out_of_hours_phone,
            out_of_hours_hours=settings.out_of_hours_hours,
            members=[
                MemberFacts(
                    m.id,
                    m.name,
                    m.relation,
                    m.kind,
                    m.phone,
                    m.supports,
                    m.out_of_hours,
                    m.consent_to_share,
                    m.consent_review_on,
                    m.active,
                    email=m.email,
                    ended_on=m.ended_on,
                )
                for m in members
            ],
            agreements=[
                AgreementFacts(
                    a.id,
                    a.version,
                    a.member_id,
                    _name(users.get(a.user_id)) if a.user_id else "",
                    a.channel,
                    a.interval_days,
                    a.rrule,
                    a.start_on,
                    a.end_on,
                    a.last_contact_on,
                    a.next_due,
                    a.shared,
                    a.active,
                )
                for a in agreements
            ],
            plan=[
                PlanRow(
                    s.phase,
                    s.position,
                    s.signs,
                    s.own_actions,
                    s.network_actions,
                    s.professional_actions,
                    s.whom_to_call,
                )
                for s in signals
            ],
            last_version=last_version or 0,
            office_phone=settings.office_phone,
        )


def record_export(
    register: Register,
    client_id: int,
    file_format: str,
    write: Callable[[int], None] = lambda _version: None,
    *,
    content_digest: str | None = None,
) -> int:
    """Record that this user exports this client's shared agreements now, in `file_format`,
    and return the export's version number: the last export's when it said the same
    (`content_digest`, in any format), else one more than the client's highest.

    `write(version)` makes the file inside the same transaction: when it fails (a full disk),
    the export is not recorded and the version is not used up."""
    if file_format not in FORMATS:
        raise ValidationError(f"Onbekend formaat '{file_format}'.", "format")
    user_id = acting_user(register)
    with register.write(client=client_id) as session:
        existing_client(session, client_id)
        newest = session.execute(
            select(SharedExport.version, SharedExport.content_digest)
            .where(SharedExport.client_id == client_id)
            .order_by(SharedExport.id.desc())
            .limit(1)
        ).first()
        if newest is not None and content_digest is not None and newest[1] == content_digest:
            version = newest[0]
        else:
            highest = session.scalar(
                select(func.max(SharedExport.version)).where(SharedExport.client_id == client_id)
            )
            version = (highest or 0) + 1
        session.add(
            SharedExport(
                client_id=client_id,
                version=version,
                file_format=file_format,
                content_digest=content_digest,
                exported_by_id=user_id,
            )
        )
        session.flush()
        write(version)
        return version


@dataclass(frozen=True, slots=True)
class ClientToExport:
    id: int
    number: str
    name: str


def clients_to_export(register: Register, medewerker: str) -> list[ClientToExport]:
    """The open clients of one casemanager, by client number: whose shared agreements a
    medewerker exports in one go (their own; a teamleider anyone's)."""
    user_id = whose(
        register,
        medewerker,
        "Een medewerker exporteert alleen de afspraken van de eigen cliënten.",
    )
    with register.read_connection() as conn:
        rows = conn.execute(
            select(Client.id, Client.number, Client.name)
            .where(Client.casemanager_id == user_id, Client.phase != Phase.CLOSED)
            .order_by(Client.number, Client.id)
        ).all()
    return [ClientToExport(*row) for row in rows]


def client_by_number(register: Register, number: str) -> int:
    """The id of the client with this client number (as the screens show it)."""
    acting_user(register)
    with register.read() as session:
        if session.get_bind().dialect.name == "postgresql":
            # Also a client the person may not open yet (noodtoegang asks its id first).
            found = session.scalar(text("SELECT client_numbered(:n)"), {"n": number.strip()})
        else:
            found = session.scalar(select(Client.id).where(Client.number == number.strip()))
    if found is None:
        raise ValidationError(f"Er is geen cliënt met nummer {number.strip()}.", "client")
    return int(found)
