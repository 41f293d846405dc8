"""Write services: each call is one transaction, validates its input with Dutch messages, updates
the stored `next_due` and re-evaluates the client's alerts before it commits. Nothing is ever
half-saved: a refused call writes nothing.

`today` is always a parameter (the clock is injected by the caller).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.agreements import has_ended
from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.fields import FieldError, clean_name
from wijkteam_tui.domain.network import CONSENT_REVIEW_DAYS
from wijkteam_tui.domain.phases import (
    PhaseChangeRefused,
    PhaseRequest,
    check_phase_change,
    what_is_missing,
)
from wijkteam_tui.domain.retention import retention_until
from wijkteam_tui.domain.schedules import REAL_CONTACT, overdue_cutoff, validate_rrule
from wijkteam_tui.domain.search import client_search_text, network_search_text
from wijkteam_tui.domain.terms import (
    AlertStatus,
    Phase,
    Regime,
    Role,
    SignalPhase,
    SignOffStatus,
    ThresholdRule,
)
from wijkteam_tui.domain.thresholds import (
    FINGERPRINT_PREFIX,
    ThresholdSetting,
    agreement_prefix,
    describe,
    effective_thresholds,
    limit_days,
    out_of_view_cutoff,
    snoozed_note,
    threshold_changed_note,
)
from wijkteam_tui.errors import ConflictError, ValidationError
from wijkteam_tui.store import audit
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.engine import Register
from wijkteam_tui.store.models import (
    Alert,
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    Observation,
    PhaseChange,
    Resource,
    SettingChange,
    Signal,
    SignOffRequest,
    TeamSettings,
    Threshold,
    User,
)
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    ClientSummary,
    ContactInput,
    ContactResult,
    Created,
    MemberInput,
    ObservationInput,
    Reevaluation,
    ResourceInput,
    SignalInput,
)
from wijkteam_tui.store.refresh import informal_members, refresh_client, thresholds_for

FIRST_CLIENT_NUMBER = 100001


# --- helpers -----------------------------------------------------------------------------------


def _settings(session: Session) -> TeamSettings:
    settings = session.get(TeamSettings, 1)
    assert settings is not None, "a register always has team settings"
    return settings


def _client(session: Session, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise ValidationError(f"Cliënt {client_id} bestaat niet.", "client")
    return client


def _required(value: str, field: str, label: str, max_length: int = 160) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise ValidationError(f"{label} mag niet leeg zijn.", field)
    if len(cleaned) > max_length:
        raise ValidationError(f"{label} is te lang (hoogstens {max_length} tekens).", field)
    return cleaned


def _name(value: str, max_length: int = 160) -> str:
    """A required name on one line (domain.fields.clean_name)."""
    try:
        clean_name(value, max_length)
    except FieldError as error:
        raise ValidationError(str(error), "name") from None
    return _required(value, "name", "De naam", max_length)


def _teamleider(register: Register, refusal: str) -> int:
    """The acting user's id when they are a teamleider; RoleError (`refusal`) otherwise."""
    _acting_user(register)
    return register.require_teamleider(refusal)


def _acting_user(register: Register) -> int:
    if register.user is None:
        raise ValidationError("Alleen een ingelogde gebruiker kan gegevens vastleggen.")
    return register.user.id


def _check_version(current: int, expected: int) -> None:
    if current != expected:
        raise ConflictError()


def _summary(session: Session, client: Client) -> ClientSummary:
    casemanager = session.get(User, client.casemanager_id) if client.casemanager_id else None
    return ClientSummary(
        id=client.id,
        number=client.number,
        name=client.name,
        phase=client.phase,
        casemanager=(casemanager.display_name or casemanager.name) if casemanager else "",
        next_due=client.next_due,
        last_contact_on=client.last_contact_on,
        version=client.version,
    )


def _member_names(session: Session, client_id: int) -> list[str]:
    return list(
        session.scalars(select(NetworkMember.name).where(NetworkMember.client_id == client_id))
    )


def _reindex(session: Session, client: Client) -> None:
    session.flush()
    client.search_text = client_search_text(
        client.name, client.number, client.street, client.house_number, client.postcode
    )
    client.network_search_text = network_search_text(_member_names(session, client.id))


# --- clients -----------------------------------------------------------------------------------


def _apply_client(session: Session, client: Client, data: ClientInput) -> None:
    client.name = _name(data.name)
    if data.birth_date and data.birth_date > data.opened_on:
        raise ValidationError("De geboortedatum ligt na de startdatum.", "birth_date")
    if data.casemanager_id is not None and session.get(User, data.casemanager_id) is None:
        raise ValidationError("Deze casemanager bestaat niet.", "casemanager")
    client.birth_date = data.birth_date
    client.street = data.street.strip()
    client.house_number = data.house_number.strip()
    client.postcode = data.postcode.strip().upper()
    client.city = data.city.strip()
    client.phone = data.phone.strip()
    client.casemanager_id = data.casemanager_id
    client.regime = data.regime
    client.own_words = data.own_words.strip()
    client.strengths = data.strengths.strip()
    client.meaningful = data.meaningful.strip()
    client.opened_on = data.opened_on
    client.updated_at = utc_now()


def create_client(register: Register, data: ClientInput, today: date) -> ClientSummary:
    """Register a new client in phase intensief, with the next free client number."""
    _acting_user(register)
    if data.opened_on > today:
        raise ValidationError("De startdatum ligt in de toekomst.", "opened_on")
    with register.write() as session:
        highest = session.scalar(select(func.max(Client.number)))
        number = (
            str(int(highest) + 1) if highest and highest.isdigit() else str(FIRST_CLIENT_NUMBER)
        )
        client = Client(number=number, phase=Phase.INTENSIVE)
        _apply_client(session, client, data)
        session.add(client)
        session.flush()
        session.add(
            PhaseChange(
                client_id=client.id,
                from_phase=None,
                to_phase=Phase.INTENSIVE,
                changed_on=data.opened_on,
                changed_by_id=_acting_user(register),
                reason="Aangemeld.",
            )
        )
        _reindex(session, client)
        refresh_client(session, client, today, _settings(session))
        return _summary(session, client)


def update_client(
    register: Register, client_id: int, version: int, data: ClientInput, today: date
) -> ClientSummary:
    """Change a client's details; refused when someone else changed them first."""
    with register.write() as session:
        client = _client(session, client_id)
        _check_version(client.version, version)
        _apply_client(session, client, data)
        client.version += 1
        _reindex(session, client)
        refresh_client(session, client, today, _settings(session))
        return _summary(session, client)


# --- network and sociale kaart -----------------------------------------------------------------


def _apply_member(session: Session, member: NetworkMember, data: MemberInput, today: date) -> None:
    member.name = _name(data.name)
    supports = "".join(ch for ch in "PGAE" if ch in data.supports.upper())
    if any(ch not in "PGAE " for ch in data.supports.upper()):
        raise ValidationError("Steunvormen zijn P, G, A en E.", "supports")
    if data.resource_id is not None and session.get(Resource, data.resource_id) is None:
        raise ValidationError("Deze voorziening staat niet op de sociale kaart.", "resource")
    member.kind = data.kind
    member.relation = data.relation.strip()
    member.supports = supports
    member.phone = data.phone.strip()
    member.email = data.email.strip()
    member.availability = data.availability.strip()
    if data.ring not in (1, 2, 3):
        raise ValidationError("De kring is 1 (dichtbij), 2 of 3 (verder weg).", "ring")
    member.ring = data.ring
    member.out_of_hours = data.out_of_hours
    if data.consent_to_share:
        given = (
            data.consent_on
            or (member.consent_recorded_on if member.consent_to_share else None)
            or today
        )
        if given > today:
            raise ValidationError(
                "De toestemming kan niet in de toekomst gegeven zijn.", "consent_on"
            )
        review = data.consent_review_on or given + timedelta(days=CONSENT_REVIEW_DAYS)
        if review <= given:
            raise ValidationError(
                "De datum om opnieuw te vragen ligt na de datum van de toestemming.",
                "consent_review_on",
            )
        member.consent_recorded_on, member.consent_review_on = given, review
    else:
        member.consent_recorded_on = member.consent_review_on = None
    member.consent_to_share = data.consent_to_share
    member.resource_id = data.resource_id
    member.notes = data.notes.strip()


def add_member(register: Register, client_id: int, data: MemberInput, today: date) -> Created:
    """Add someone to the client's network."""
    with register.write() as session:
        client = _client(session, client_id)
        member = NetworkMember(client_id=client.id)
        _apply_member(session, member, data, today)
        session.add(member)
        _reindex(session, client)
        return Created(member.id)


def update_member(
    register: Register, member_id: int, version: int, data: MemberInput, today: date
) -> Created:
    with register.write() as session:
        member = session.get(NetworkMember, member_id)
        if member is None:
            raise ValidationError(f"Netwerklid {member_id} bestaat niet.", "member")
        _check_version(member.version, version)
        _apply_member(session, member, data, today)
        client = _client(session, member.client_id)
        _reindex(session, client)
        refresh_client(session, client, today, _settings(session))
        return Created(member.id, member.version)


def end_member(
    register: Register, member_id: int, version: int, *, ended_on: date, reason: str, today: date
) -> Created:
    """End a network member's involvement (moved away, fell out, died) on `ended_on`.

    Their agreements end that day, their consent is withdrawn, and they leave the documents
    and the netwerkkaart; the network list shows them as former. Their history (contacts,
    signaleringen, the audit log) stays. An ended member is no longer `active`."""
    reason = _required(reason, "reason", "De reden", 120)
    if ended_on > today:
        raise ValidationError("Deze datum ligt in de toekomst.", "ended_on")
    with register.write() as session:
        member = session.get(NetworkMember, member_id)
        if member is None:
            raise ValidationError(f"Netwerklid {member_id} bestaat niet.", "member")
        _check_version(member.version, version)
        if member.ended_on is not None:
            raise ConflictError(
                f"{member.name} is al niet meer betrokken sinds {format_date(member.ended_on)}."
            )
        member.ended_on, member.ended_reason = ended_on, reason
        member.active = False
        member.consent_to_share = False
        member.consent_recorded_on = member.consent_review_on = None
        notes = {}
        for agreement in session.scalars(
            select(ContactAgreement).where(
                ContactAgreement.member_id == member.id, ContactAgreement.active.is_(True)
            )
        ):
            agreement.active = False
            if agreement.end_on is None or agreement.end_on > ended_on:
                agreement.end_on = max(ended_on, agreement.start_on)
            notes[agreement_prefix(agreement.id)] = (
                f"Automatisch opgelost: {member.name} is niet meer betrokken ({reason})."
            )
        session.flush()
        client = _client(session, member.client_id)
        refresh_client(session, client, today, _settings(session), notes=notes)
        return Created(member.id, member.version)


def _apply_resource(resource: Resource, data: ResourceInput) -> None:
    resource.name = _name(data.name, 120)
    resource.category = _required(data.category, "category", "De soort", 60)
    for field, label, limit in (
        ("address", "Het adres", 200),
        ("phone", "Het telefoonnummer", 40),
        ("opening_hours", "De openingstijden", 200),
        ("contact_person", "De contactpersoon", 120),
        ("notes", "De notitie", 4000),
    ):
        value = getattr(data, field).strip()
        if len(value) > limit:
            raise ValidationError(f"{label} is te lang (hoogstens {limit} tekens).", field)
        setattr(resource, field, value)


def add_resource(register: Register, data: ResourceInput) -> Created:
    """Add an entry to the sociale kaart."""
    with register.write() as session:
        resource = Resource()
        _apply_resource(resource, data)
        session.add(resource)
        session.flush()
        return Created(resource.id, resource.version)


def update_resource(
    register: Register, resource_id: int, version: int, data: ResourceInput
) -> Created:
    """Change an entry of the sociale kaart; refused when someone else changed it meanwhile."""
    with register.write() as session:
        resource = session.get(Resource, resource_id)
        if resource is None:
            raise ValidationError(f"Voorziening {resource_id} bestaat niet.", "resource")
        _check_version(resource.version, version)
        _apply_resource(resource, data)
        session.flush()
        return Created(resource.id, resource.version)


# --- agreements --------------------------------------------------------------------------------


def _validate_agreement(session: Session, client: Client, data: AgreementInput) -> None:
    if (data.interval_days is None) == (data.rrule is None or not data.rrule.strip()):
        raise ValidationError(
            "Kies een vaste tussenpoos (elke N dagen) of een rooster, niet allebei.", "interval"
        )
    if data.interval_days is not None and not 1 <= data.interval_days <= 366:
        raise ValidationError("De tussenpoos is 1 tot 366 dagen.", "interval")
    if data.rrule is not None and data.rrule.strip():
        try:
            validate_rrule(data.rrule.strip(), data.start_on)
        except (ValueError, TypeError):
            raise ValidationError(
                "Dit rooster wordt niet begrepen (voorbeeld: FREQ=WEEKLY;BYDAY=TU).", "rrule"
            ) from None
    if data.end_on is not None and data.end_on < data.start_on:
        raise ValidationError("De einddatum ligt voor de startdatum.", "end_on")
    if data.member_id is not None:
        member = session.get(NetworkMember, data.member_id)
        if member is None or member.client_id != client.id:
            raise ValidationError("Dit netwerklid hoort niet bij deze cliënt.", "member")
        # An agreement of a former member may be edited while it ends by their last day.
        if member.ended_on is not None and (data.end_on is None or data.end_on > member.ended_on):
            raise ValidationError(
                f"{member.name} is niet meer betrokken (sinds {format_date(member.ended_on)},"
                f" {member.ended_reason}); kies iemand anders.",
                "member",
            )
    if data.user_id is not None and session.get(User, data.user_id) is None:
        raise ValidationError("Deze medewerker bestaat niet.", "user")


def add_agreement(register: Register, client_id: int, data: AgreementInput, today: date) -> Created:
    """Agree who checks in with the client, how and how often."""
    with register.write() as session:
        client = _client(session, client_id)
        _validate_agreement(session, client, data)
        user_id = data.user_id
        if data.member_id is None and user_id is None:
            user_id = client.casemanager_id
        agreement = ContactAgreement(
            client_id=client.id,
            member_id=data.member_id,
            user_id=user_id,
            channel=data.channel,
            description=data.description.strip(),
            interval_days=data.interval_days,
            rrule=data.rrule.strip() if data.rrule else None,
            start_on=data.start_on,
            end_on=data.end_on,
            active=not has_ended(data.end_on, today),
            shared=data.shared,
        )
        session.add(agreement)
        session.flush()
        refresh_client(session, client, today, _settings(session))
        return Created(agreement.id, agreement.version)


def update_agreement(
    register: Register, agreement_id: int, version: int, data: AgreementInput, today: date
) -> Created:
    """Change an agreement (performer, channel, how often, dates, shared). Refused when someone
    else changed it since `version` was read, and for an afgesloten file."""
    with register.write() as session:
        agreement = _agreement(session, agreement_id)
        _check_version(agreement.version, version)
        client = _client(session, agreement.client_id)
        if client.phase is Phase.CLOSED:
            raise ValidationError(
                "Het dossier is afgesloten; heropen het eerst (f) om afspraken te wijzigen.",
                "agreement",
            )
        _validate_agreement(session, client, data)
        user_id = data.user_id
        if data.member_id is None and user_id is None:
            user_id = client.casemanager_id
        agreement.member_id = data.member_id
        agreement.user_id = user_id
        agreement.channel = data.channel
        agreement.description = data.description.strip()
        agreement.interval_days = data.interval_days
        agreement.rrule = data.rrule.strip() if data.rrule else None
        agreement.start_on = data.start_on
        agreement.end_on = data.end_on
        agreement.shared = data.shared
        agreement.active = not has_ended(data.end_on, today)
        session.flush()
        refresh_client(session, client, today, _settings(session))
        return Created(agreement.id, agreement.version)


def end_agreement(register: Register, agreement_id: int, end_on: date, today: date) -> None:
    """End an agreement on `end_on`; nothing is due after it."""
    with register.write() as session:
        agreement = _agreement(session, agreement_id)
        if end_on < agreement.start_on:
            raise ValidationError("De einddatum ligt voor de startdatum.", "end_on")
        agreement.end_on = end_on
        if has_ended(end_on, today):
            agreement.active = False
        refresh_client(session, _client(session, agreement.client_id), today, _settings(session))


def snooze_agreement(
    register: Register, agreement_id: int, until: date, reason: str, today: date
) -> None:
    """Put an agreement aside until `until` (inclusive), with a reason."""
    reason = _required(reason, "reason", "De reden", 200)
    if until < today:
        raise ValidationError("De einddatum van het uitstel ligt in het verleden.", "until")
    if until > today + timedelta(days=366):
        raise ValidationError("Uitstellen kan hoogstens een jaar.", "until")
    with register.write() as session:
        agreement = _agreement(session, agreement_id)
        agreement.snoozed_until = until
        agreement.snooze_reason = reason
        # Its missed-contacts alert stops holding because it was put aside, not because
        # anyone made contact: the note says so.
        refresh_client(
            session,
            _client(session, agreement.client_id),
            today,
            _settings(session),
            notes={agreement_prefix(agreement.id): snoozed_note(until, reason)},
        )


def _agreement(session: Session, agreement_id: int) -> ContactAgreement:
    agreement = session.get(ContactAgreement, agreement_id)
    if agreement is None:
        raise ValidationError(f"Contactafspraak {agreement_id} bestaat niet.", "agreement")
    return agreement


# --- contact and signals -----------------------------------------------------------------------


def log_contact(register: Register, data: ContactInput, today: date) -> ContactResult:
    """Log a contact moment; advances the agreement's due date when contact was made."""
    user_id = _acting_user(register)
    if data.occurred_on > today:
        raise ValidationError("Een contactmoment kan niet in de toekomst liggen.", "occurred_on")
    with register.write() as session:
        client = _client(session, data.client_id)
        if client.phase is Phase.CLOSED:
            raise ValidationError("Deze cliënt is afgesloten; heropen eerst het dossier.", "client")
        if data.occurred_on < client.opened_on - timedelta(days=366):
            raise ValidationError(
                "Deze datum ligt ver voor de start van het dossier.", "occurred_on"
            )
        agreement = _agreement(session, data.agreement_id) if data.agreement_id else None
        if agreement is not None and agreement.client_id != client.id:
            raise ValidationError("Deze afspraak hoort niet bij deze cliënt.", "agreement")
        member_id = data.member_id or (agreement.member_id if agreement else None)
        if member_id is not None:
            member = session.get(NetworkMember, member_id)
            if member is None or member.client_id != client.id:
                raise ValidationError("Dit netwerklid hoort niet bij deze cliënt.", "member")
        moment = ContactMoment(
            client_id=client.id,
            agreement_id=agreement.id if agreement else None,
            member_id=member_id,
            user_id=user_id,
            occurred_on=data.occurred_on,
            channel=data.channel,
            outcome=data.outcome,
            note=data.note.strip(),
        )
        session.add(moment)
        if data.outcome in REAL_CONTACT:
            if agreement is not None and (
                agreement.last_contact_on is None or data.occurred_on > agreement.last_contact_on
            ):
                agreement.last_contact_on = data.occurred_on
            if client.last_contact_on is None or data.occurred_on > client.last_contact_on:
                client.last_contact_on = data.occurred_on
        session.flush()
        result = refresh_client(session, client, today, _settings(session))
        return ContactResult(
            moment_id=moment.id,
            agreement_next_due=agreement.next_due if agreement else None,
            client_next_due=client.next_due,
            raised=result.raised,
            resolved=result.resolved,
        )


def record_observation(register: Register, data: ObservationInput, today: date) -> ContactResult:
    """Record a signalering (a signal seen on a date) and re-evaluate the client's alerts."""
    user_id = _acting_user(register)
    if data.observed_on > today:
        raise ValidationError("Een signalering kan niet in de toekomst liggen.", "observed_on")
    with register.write() as session:
        client = _client(session, data.client_id)
        if data.signal_id is not None:
            signal = session.get(Signal, data.signal_id)
            if signal is None or signal.client_id != client.id:
                raise ValidationError("Dit signaal hoort niet bij deze cliënt.", "signal")
        observation = Observation(
            client_id=client.id,
            signal_id=data.signal_id,
            phase=data.phase,
            observed_on=data.observed_on,
            observed_by=data.observed_by.strip(),
            member_id=data.member_id,
            user_id=user_id,
            note=data.note.strip(),
        )
        session.add(observation)
        session.flush()
        result = refresh_client(session, client, today, _settings(session))
        return ContactResult(
            moment_id=observation.id,
            agreement_next_due=None,
            client_next_due=client.next_due,
            raised=result.raised,
            resolved=result.resolved,
        )


def _apply_signal(signal: Signal, data: SignalInput) -> None:
    signal.phase = data.phase
    signal.signs = _required(data.signs, "signs", "De signalen", 2000)
    signal.own_actions = data.own_actions.strip()
    signal.network_actions = data.network_actions.strip()
    signal.professional_actions = data.professional_actions.strip()
    signal.whom_to_call = data.whom_to_call.strip()


def _last_position(session: Session, client_id: int, phase: SignalPhase) -> int:
    highest = session.scalar(
        select(func.max(Signal.position)).where(
            Signal.client_id == client_id, Signal.phase == phase
        )
    )
    return -1 if highest is None else highest


def add_signal(register: Register, client_id: int, data: SignalInput) -> Created:
    """Add a row to the client's signaleringsplan (last in its phase unless a position is
    given)."""
    with register.write() as session:
        client = _client(session, client_id)
        position = data.position or _last_position(session, client.id, data.phase) + 1
        signal = Signal(client_id=client.id, position=position)
        _apply_signal(signal, data)
        session.add(signal)
        session.flush()
        return Created(signal.id)


def update_signal(register: Register, signal_id: int, version: int, data: SignalInput) -> Created:
    """Change a row of the signaleringsplan; refused when someone else changed it first. A row
    moved to another phase goes last in that phase."""
    with register.write() as session:
        signal = session.get(Signal, signal_id)
        if signal is None:
            raise ValidationError(f"Signaal {signal_id} bestaat niet.", "signal")
        _check_version(signal.version, version)
        if data.phase is not signal.phase:
            signal.position = _last_position(session, signal.client_id, data.phase) + 1
        _apply_signal(signal, data)
        signal.version += 1
        return Created(signal.id, signal.version)


def move_signal(register: Register, signal_id: int, step: int) -> None:
    """Move a row up (-1) or down (+1) within its phase."""
    with register.write() as session:
        signal = session.get(Signal, signal_id)
        if signal is None:
            raise ValidationError(f"Signaal {signal_id} bestaat niet.", "signal")
        rows = list(
            session.scalars(
                select(Signal)
                .where(Signal.client_id == signal.client_id, Signal.phase == signal.phase)
                .order_by(Signal.position, Signal.id)
            )
        )
        index = rows.index(signal)
        other = index + step
        if not 0 <= other < len(rows):
            return
        rows[index], rows[other] = rows[other], rows[index]
        for position, row in enumerate(rows):
            if row.position != position:
                row.position = position
                row.version += 1


def set_threshold(
    register: Register,
    client_id: int | None,
    rule: ThresholdRule,
    *,
    enabled: bool = True,
    days: int | None = None,
    count: int | None = None,
    reason: str = "",
    today: date,
) -> Reevaluation:
    """Set a team default (client_id None, teamleider only) or a client's override, which
    needs a reason. The open alerts the threshold governs are re-evaluated at once (see
    `_reevaluate`): those that no longer hold resolve with a note that names the change."""
    acting = (
        _teamleider(register, "Alleen een teamleider stelt de teamgrenzen in.")
        if client_id is None
        else None
    )
    reason = reason.strip()
    if client_id is not None and not reason:
        raise ValidationError(
            "Geef een reden waarom deze cliënt een eigen signaalgrens heeft.", "reason"
        )
    if len(reason) > 500:
        raise ValidationError("De reden is te lang (hoogstens 500 tekens).", "reason")
    if days is not None and not 1 <= days <= 366:
        raise ValidationError("Het aantal dagen is 1 tot 366.", "days")
    if count is not None and not 1 <= count <= 50:
        raise ValidationError("Het aantal is 1 tot 50.", "count")
    with register.write() as session:
        client = _client(session, client_id) if client_id is not None else None
        team = ThresholdSetting(rule, enabled, days, count) if client is None else None
        governed = _governed(session, rule, today, client=client, team=team)
        row = _threshold_row(session, client_id, rule)
        if row is None:
            row = Threshold(client_id=client_id, rule=rule)
            session.add(row)
        before = _threshold_text(rule, row)
        row.enabled, row.days, row.count, row.reason = enabled, days, count, reason
        if acting is not None and _threshold_text(rule, row) != before:
            record_change(
                session, acting, f"teamgrens {rule.label}", before, _threshold_text(rule, row)
            )
        session.flush()
        return _reevaluate(session, rule, governed, today)


def _threshold_text(rule: ThresholdRule, row: Threshold) -> str:
    """A team threshold in words, for the settings' history ("na 42 dagen zonder contact")."""
    enabled = True if row.enabled is None else row.enabled
    return describe(ThresholdSetting(rule, enabled, row.days, row.count))


def clear_threshold(
    register: Register, client_id: int, rule: ThresholdRule, today: date
) -> Reevaluation:
    """Remove a client's override: the team's threshold applies again, and the client's
    alerts are re-evaluated at once."""
    with register.write() as session:
        client = _client(session, client_id)
        governed = _governed(session, rule, today, client=client)
        row = _threshold_row(session, client_id, rule)
        if row is not None:
            session.delete(row)
            session.flush()
        return _reevaluate(session, rule, governed, today)


def _governed(
    session: Session,
    rule: ThresholdRule,
    today: date,
    *,
    client: Client | None = None,
    team: ThresholdSetting | None = None,
) -> dict[Client, ThresholdSetting]:
    """The clients whose alerts a threshold change can change at once, each with the threshold
    that applies to them before the change: the one `client`, or for a new `team` threshold
    every open client with an unresolved alert of its rule and, for uit beeld, every open
    client silent longer than the new limit (a lowered limit raises their alerts today)."""
    if client is not None:
        clients: list[Client] = [client]
    else:
        candidates: list[Any] = [
            exists().where(
                Alert.client_id == Client.id,
                Alert.rule == rule,
                Alert.status != AlertStatus.RESOLVED,
            )
        ]
        if rule is ThresholdRule.OUT_OF_VIEW and team is not None and team.enabled:
            candidates.append(
                func.coalesce(Client.last_contact_on, Client.opened_on)
                < out_of_view_cutoff(today, limit_days(effective_thresholds([team])[rule]))
            )
        clients = list(
            session.scalars(select(Client).where(Client.phase != Phase.CLOSED, or_(*candidates)))
        )
    return {c: thresholds_for(session, c.id)[rule] for c in clients}


def _reevaluate(
    session: Session,
    rule: ThresholdRule,
    governed: dict[Client, ThresholdSetting],
    today: date,
) -> Reevaluation:
    """Re-evaluate the clients whose threshold for `rule` changed, in the change's own
    transaction; alerts that stop holding get a note that names the change."""
    settings = _settings(session)
    prefix = FINGERPRINT_PREFIX[rule]
    evaluated = resolved = raised = 0
    for client, before in governed.items():
        after = thresholds_for(session, client.id)[rule]
        if after == before:
            continue
        result = refresh_client(
            session, client, today, settings, notes={prefix: threshold_changed_note(before, after)}
        )
        evaluated += 1
        resolved += len(result.resolved)
        raised += len(result.raised)
    return Reevaluation(clients=evaluated, resolved=resolved, raised=raised)


def _threshold_row(
    session: Session, client_id: int | None, rule: ThresholdRule
) -> Threshold | None:
    return session.scalars(
        select(Threshold).where(
            Threshold.client_id.is_(None)
            if client_id is None
            else Threshold.client_id == client_id,
            Threshold.rule == rule,
        )
    ).one_or_none()


# --- phases and alerts -------------------------------------------------------------------------


def change_phase(
    register: Register,
    client_id: int,
    target: Phase,
    reason: str,
    today: date,
    *,
    on: date | None = None,
    regime: Regime | None = None,
) -> ClientSummary:
    """Move a client to another phase, recorded with who, when and why.

    Into 'duurzaam in beeld' directly only for a teamleider, whose change is the sign-off; a
    medewerker asks for it with `request_sign_off`. It also needs an informal network member
    with an active agreement. Closing happens `on` a date (default today; not in the future,
    not before the file was opened), may correct the `regime`, ends every agreement and sets
    the retention date. An afgesloten file can be reopened while it is retained."""
    user_id = _acting_user(register)
    assert register.user is not None
    with register.write() as session:
        client = _client(session, client_id)
        signer = user_id if register.user.role is Role.TEAMLEIDER else None
        _move(
            session,
            client,
            target,
            reason,
            today,
            changed_by=user_id,
            signer=signer,
            on=on,
            regime=regime,
        )
        return _summary(session, client)


def _move(
    session: Session,
    client: Client,
    target: Phase,
    reason: str,
    today: date,
    *,
    changed_by: int,
    signer: int | None,
    on: date | None = None,
    regime: Regime | None = None,
    request: SignOffRequest | None = None,
) -> None:
    """Check and record one phase change (inside the caller's transaction)."""
    on = on or today
    if on > today:
        raise ValidationError("Deze datum ligt in de toekomst.", "on")
    if on < client.opened_on:
        raise ValidationError(
            f"Deze datum ligt voor de opening van het dossier ({format_date(client.opened_on)}).",
            "on",
        )
    if client.phase is Phase.CLOSED and target is not Phase.CLOSED:
        retained = client.retention_until
        if retained is not None and retained < today:
            raise ValidationError(
                f"De bewaartermijn van dit dossier is verstreken op {format_date(retained)};"
                " heropenen kan niet meer. Registreer de cliënt opnieuw.",
                "phase",
            )
    try:
        check_phase_change(
            PhaseRequest(
                current=client.phase,
                target=target,
                reason=reason,
                acting_role=Role.TEAMLEIDER if signer is not None else Role.MEDEWERKER,
                signed_off_by_role=Role.TEAMLEIDER if signer is not None else None,
                informal_members=informal_members(session, client.id, today)
                if target is Phase.IN_VIEW
                else (),
            )
        )
    except PhaseChangeRefused as refused:
        raise ValidationError(str(refused), "phase") from None
    session.add(
        PhaseChange(
            client_id=client.id,
            from_phase=client.phase,
            to_phase=target,
            changed_on=on,
            changed_by_id=changed_by,
            signed_off_by_id=signer if target is Phase.IN_VIEW else None,
            reason=reason.strip(),
        )
    )
    # A request still waiting for a teamleider is about a phase the client has now left.
    for pending in session.scalars(
        select(SignOffRequest).where(
            SignOffRequest.client_id == client.id,
            SignOffRequest.status == SignOffStatus.PENDING,
        )
    ):
        if pending is not request:
            pending.status = SignOffStatus.LAPSED
            pending.decided_on = today
            pending.decision_reason = f"De fase is intussen gewijzigd naar {target.label}."
    settings = _settings(session)
    if target is Phase.CLOSED:
        if regime is not None:
            client.regime = regime
        client.closed_on = on
        client.retention_until = retention_until(on, client.regime, _terms(settings))
        # Closing ends every agreement; reopening means agreeing anew.
        for agreement in session.scalars(
            select(ContactAgreement).where(
                ContactAgreement.client_id == client.id, ContactAgreement.active.is_(True)
            )
        ):
            agreement.active = False
            if agreement.end_on is None or agreement.end_on > on:
                agreement.end_on = max(on, agreement.start_on)
    elif client.phase is Phase.CLOSED:
        client.closed_on = None
        client.retention_until = None
    client.phase = target
    client.updated_at = utc_now()
    refresh_client(session, client, today, settings)


def request_sign_off(register: Register, client_id: int, reason: str, today: date) -> Created:
    """A medewerker asks a teamleider to move the client to 'duurzaam in beeld'.

    Refused, naming what is missing, while no informal network member has an active
    agreement; refused while another request for the client waits."""
    user_id = _acting_user(register)
    reason = _required(reason, "reason", "De reden", 2000)
    with register.write() as session:
        client = _client(session, client_id)
        if client.phase in (Phase.IN_VIEW, Phase.CLOSED):
            raise ValidationError(
                f"De cliënt is in fase '{client.phase.label}'; een aanvraag voor 'duurzaam in"
                " beeld' kan alleen vanuit intensief of afschalen.",
                "phase",
            )
        waiting = session.scalars(
            select(SignOffRequest).where(
                SignOffRequest.client_id == client.id,
                SignOffRequest.status == SignOffStatus.PENDING,
            )
        ).first()
        if waiting is not None:
            raise ValidationError(
                f"Er wacht al een aanvraag van {format_date(waiting.requested_on)} op een"
                " teamleider.",
                "phase",
            )
        missing = what_is_missing(informal_members(session, client.id, today))
        if missing:
            raise ValidationError(missing, "phase")
        request = SignOffRequest(
            client_id=client.id,
            from_phase=client.phase,
            to_phase=Phase.IN_VIEW,
            reason=reason,
            requested_on=today,
            requested_by_id=user_id,
            status=SignOffStatus.PENDING,
        )
        session.add(request)
        session.flush()
        return Created(request.id, request.version)


def decide_sign_off(
    register: Register,
    request_id: int,
    approve: bool,
    reason: str,
    today: date,
    *,
    version: int | None = None,
) -> ClientSummary:
    """A teamleider approves a request (the phase change is recorded, signed off by them) or
    refuses it with a reason. Approval is refused, naming what is missing, when the network no
    longer carries it; the request then waits on."""
    user_id = _teamleider(register, "Alleen een teamleider keurt een aanvraag goed of af.")
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError("Geef een reden waarom de aanvraag wordt afgewezen.", "reason")
    if len(reason) > 2000:
        raise ValidationError("De reden is te lang (hoogstens 2000 tekens).", "reason")
    with register.write() as session:
        request = session.get(SignOffRequest, request_id)
        if request is None:
            raise ValidationError(f"Aanvraag {request_id} bestaat niet.", "request")
        if version is not None:
            _check_version(request.version, version)
        if request.status is not SignOffStatus.PENDING:
            raise ConflictError(
                f"Over deze aanvraag is al beslist: {request.status.label}."
                + (f" {request.decision_reason}" if request.decision_reason else "")
            )
        client = _client(session, request.client_id)
        if approve:
            why = request.reason + (f" Akkoord: {reason}" if reason else "")
            _move(
                session,
                client,
                request.to_phase,
                why,
                today,
                changed_by=request.requested_by_id,
                signer=user_id,
                request=request,
            )
        request.status = SignOffStatus.APPROVED if approve else SignOffStatus.REFUSED
        request.decided_on = today
        request.decided_by_id = user_id
        request.decision_reason = reason
        return _summary(session, client)


def _terms(settings: TeamSettings) -> dict[Regime, int]:
    return {
        Regime.WMO: settings.retention_years_wmo,
        Regime.WMO_NO_PROVISION: settings.retention_years_wmo_no_provision,
        Regime.YOUTH_ACT: settings.retention_years_youth_act,
    }


def _alert(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise ValidationError(f"Aandachtspunt {alert_id} bestaat niet.", "alert")
    return alert


def confirm_alert(register: Register, alert_id: int, note: str = "") -> None:
    """A medewerker has seen the alert and acts on it (open → bevestigd), with what they do."""
    user_id = _acting_user(register)
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError("De notitie is te lang (hoogstens 2000 tekens).", "note")
    with register.write() as session:
        alert = _alert(session, alert_id)
        if alert.status is AlertStatus.RESOLVED:
            raise ConflictError("Dit aandachtspunt is intussen al opgelost.")
        if alert.status is AlertStatus.OPEN:
            alert.status = AlertStatus.CONFIRMED
            alert.confirmed_by_id = user_id
            alert.confirmed_at = utc_now()
        if note:
            alert.confirmation_note = note


def resolve_alert(register: Register, alert_id: int, note: str, today: date) -> None:
    """Resolve an alert by hand, saying what was done. The episode stays resolved while its
    condition lasts; when the condition returns later, that is a new alert."""
    user_id = _acting_user(register)
    note = _required(note, "note", "Wat er is gedaan", 2000)
    with register.write() as session:
        alert = _alert(session, alert_id)
        if alert.status is AlertStatus.RESOLVED:
            raise ConflictError("Dit aandachtspunt is intussen al opgelost.")
        alert.status = AlertStatus.RESOLVED
        alert.resolved_on = today
        alert.resolution_note = note
        alert.resolved_by_id = user_id
        if alert.confirmed_by_id is None:
            alert.confirmed_by_id = user_id
            alert.confirmed_at = utc_now()


def evaluate_stale_clients(register: Register, today: date, batch: int = 500) -> int:
    """Re-evaluate the clients whose alerts the passing of time alone can change, so that
    uit beeld, missed contacts and lapsed frequency windows are current today.

    Only candidates are read: open clients not yet evaluated today that are silent for longer
    than the shortest uit-beeld limit, have an overdue agreement, an agreement whose end date
    came, or a snooze that ended, or have an open frequency alert. Runs in batches of short
    transactions so that others can write in between. Returns how many clients were evaluated.

    The system's upkeep, not a person's action: each batch is one audit event (in its own
    transaction, as every change is), not one per alert it raises or resolves."""
    done = 0
    while True:
        with register.write() as session:
            audit.quiet(session)
            settings = _settings(session)
            clients = session.scalars(
                select(Client).where(_stale_candidate(session, today, settings)).limit(batch)
            ).all()
            if not clients:
                return done
            for client in clients:
                refresh_client(session, client, today, settings)
            audit.note(
                session,
                audit.Event(
                    "sweep", "register", detail=f"{len(clients)} cliënten opnieuw beoordeeld"
                ),
            )
            done += len(clients)


def sweep_if_new_day(register: Register, today: date) -> int:
    """The daily sweep (`evaluate_stale_clients`), run at most once per calendar day for this
    opened register, however many screens ask for it.

    Screens call it from worker threads before they read alerts; whoever comes while the sweep
    runs waits for it, so that nobody reads yesterday's alerts. Returns how many clients this
    call evaluated (0 when the day was already swept)."""
    # The Team screen's trend: today's figures per casemanager, written once a day right after
    # the sweep by whoever opens the register first. Imported here: the team module builds on
    # this one.
    from wijkteam_tui.store.team import snapshot_written, write_daily_snapshot

    with register.sweep_lock:
        if register.swept_on == today:
            return 0
        if snapshot_written(register, today):
            # Another process (a colleague, a cron job) has swept today already.
            register.swept_on = today
            return 0
        done = evaluate_stale_clients(register, today)
        write_daily_snapshot(register, today)
        # Audit events past their term (5 years) go, behind a verifiable checkpoint.
        audit.prune(register, today)
        register.swept_on = today
        return done


def _stale_candidate(session: Session, today: date, settings: TeamSettings) -> Any:
    rows = session.scalars(
        select(Threshold).where(Threshold.rule == ThresholdRule.OUT_OF_VIEW)
    ).all()
    team = effective_thresholds(
        ThresholdSetting(r.rule, r.enabled, r.days) for r in rows if r.client_id is None
    )[ThresholdRule.OUT_OF_VIEW]
    # The team's limit counts even when the team switched the rule off: a client may switch it
    # back on for themselves without naming days of their own.
    overrides = [
        r.days for r in rows if r.client_id is not None and r.enabled and r.days is not None
    ]
    shortest = min([limit_days(team), *overrides])
    snooze_ended = exists().where(
        ContactAgreement.client_id == Client.id,
        ContactAgreement.snoozed_until.is_not(None),
        ContactAgreement.snoozed_until < today,
        or_(Client.evaluated_on.is_(None), ContactAgreement.snoozed_until >= Client.evaluated_on),
    )
    # An agreement whose end date came since: it ends, and is due or late no more.
    agreement_ended = exists().where(
        ContactAgreement.client_id == Client.id,
        ContactAgreement.active.is_(True),
        ContactAgreement.end_on <= today,
    )
    frequency_alert = exists().where(
        Alert.client_id == Client.id,
        Alert.rule == ThresholdRule.OBSERVATION_FREQUENCY,
        Alert.status != AlertStatus.RESOLVED,
    )
    return and_(
        Client.phase != Phase.CLOSED,
        or_(Client.evaluated_on.is_(None), Client.evaluated_on < today),
        or_(
            func.coalesce(Client.last_contact_on, Client.opened_on)
            < out_of_view_cutoff(today, shortest),
            Client.next_due < overdue_cutoff(today, settings.grace_days),
            snooze_ended,
            agreement_ended,
            frequency_alert,
        ),
    )


def record_change(session: Session, user_id: int, setting: str, old: object, new: object) -> None:
    """One line of the team settings' history, in the transaction of the change itself."""
    session.add(
        SettingChange(
            setting=setting,
            old_value=str(old),
            new_value=str(new),
            changed_by_id=user_id,
        )
    )
