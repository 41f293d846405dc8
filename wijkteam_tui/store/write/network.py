"""The client's network (adding, changing, ending a member's involvement) and the
sociale kaart."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.fields import FieldError, clean_email
from wijkteam_tui.domain.network import CONSENT_REVIEW_DAYS
from wijkteam_tui.domain.thresholds import agreement_prefix
from wijkteam_tui.errors import ConflictError, ValidationError
from wijkteam_tui.store.models import ContactAgreement, NetworkMember, Resource
from wijkteam_tui.store.records import Created, MemberInput, ResourceInput
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import (
    check_version,
    end_active_agreements,
    existing_client,
    optional_text,
    reindex,
    required_name,
    required_text,
    team_settings,
)


def apply_member(session: Session, member: NetworkMember, data: MemberInput, today: date) -> None:
    """The details of `data` on `member`, checked; consent (to be shared, to be reminded by
    mail) given without a date counts from `today` and is asked again after
    CONSENT_REVIEW_DAYS. Reminders by mail need an e-mail address."""
    member.name = required_name(data.name)
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
    member.consent_recorded_on, member.consent_review_on = _consent(
        data.consent_to_share,
        data.consent_on,
        data.consent_review_on,
        earlier=member.consent_recorded_on if member.consent_to_share else None,
        today=today,
        fields=("consent_on", "consent_review_on"),
    )
    member.consent_to_share = data.consent_to_share
    if data.remind_by_mail:
        try:
            address = clean_email(member.email)
        except FieldError as error:
            raise ValidationError(str(error), "email") from None
        if not address:
            raise ValidationError(
                "Herinneren per mail kan alleen met een e-mailadres; vul het in.", "email"
            )
    member.remind_consent_on, member.remind_review_on = _consent(
        data.remind_by_mail,
        data.remind_on,
        data.remind_review_on,
        earlier=member.remind_consent_on if member.remind_by_mail else None,
        today=today,
        fields=("remind_on", "remind_review_on"),
    )
    member.remind_by_mail = data.remind_by_mail
    member.resource_id = data.resource_id
    member.notes = data.notes.strip()


def _consent(
    given: bool,
    on: date | None,
    review_on: date | None,
    *,
    earlier: date | None,
    today: date,
    fields: tuple[str, str],
) -> tuple[date | None, date | None]:
    """When a consent was given and when it is asked again: (None, None) without it; given
    without a date it counts from the date it was given before, or else from `today`, and is
    asked again after CONSENT_REVIEW_DAYS."""
    if not given:
        return None, None
    when = on or earlier or today
    if when > today:
        raise ValidationError("De toestemming kan niet in de toekomst gegeven zijn.", fields[0])
    review = review_on or when + timedelta(days=CONSENT_REVIEW_DAYS)
    if review <= when:
        raise ValidationError(
            "De datum om opnieuw te vragen ligt na de datum van de toestemming.", fields[1]
        )
    return when, review


def add_member(register: Register, client_id: int, data: MemberInput, today: date) -> Created:
    """Add someone to the client's network."""
    with register.write(client=client_id) as session:
        client = existing_client(session, client_id)
        member = NetworkMember(client_id=client.id)
        apply_member(session, member, data, today)
        session.add(member)
        reindex(session, client)
        return Created(member.id)


def _member(session: Session, member_id: int) -> NetworkMember:
    member = session.get(NetworkMember, member_id)
    if member is None:
        raise ValidationError(f"Netwerklid {member_id} bestaat niet.", "member")
    return member


def update_member(
    register: Register, member_id: int, version: int, data: MemberInput, today: date
) -> Created:
    """Change a network member's details; refused when someone else changed them first."""
    with register.write(of=(NetworkMember, member_id)) as session:
        member = _member(session, member_id)
        check_version(member.version, version)
        apply_member(session, member, data, today)
        client = existing_client(session, member.client_id)
        reindex(session, client)
        refresh_client(session, client, today, team_settings(session))
        return Created(member.id, member.version)


def stop_reminding(register: Register, member_id: int, version: int) -> Created:
    """Withdraw a member's consent to be reminded by mail: no reminder goes out from now on
    (one already sent stays on the timeline)."""
    with register.write(of=(NetworkMember, member_id)) as session:
        member = _member(session, member_id)
        check_version(member.version, version)
        if not member.remind_by_mail:
            raise ConflictError(f"{member.name} krijgt al geen herinneringen per mail.")
        member.remind_by_mail = False
        member.remind_consent_on = member.remind_review_on = None
        return Created(member.id, member.version)


def end_member(
    register: Register, member_id: int, version: int, *, ended_on: date, reason: str, today: date
) -> Created:
    """End a network member's involvement (moved away, fell out, died) on `ended_on`.

    Their agreements end that day, their consent is withdrawn, and they leave the documents
    and the netwerkkaart; the network list shows them as former. Their history (contacts,
    signaleringen, the audit log) stays. An ended member is no longer `active`."""
    reason = required_text(reason, "reason", "De reden", 120)
    if ended_on > today:
        raise ValidationError("Deze datum ligt in de toekomst.", "ended_on")
    with register.write(of=(NetworkMember, member_id)) as session:
        member = _member(session, member_id)
        check_version(member.version, version)
        if member.ended_on is not None:
            raise ConflictError(
                f"{member.name} is al niet meer betrokken sinds {format_date(member.ended_on)}."
            )
        member.ended_on, member.ended_reason = ended_on, reason
        member.active = False
        member.consent_to_share = member.remind_by_mail = False
        member.consent_recorded_on = member.consent_review_on = None
        member.remind_consent_on = member.remind_review_on = None
        ended = end_active_agreements(session, ContactAgreement.member_id == member.id, ended_on)
        notes = {
            agreement_prefix(agreement.id): (
                f"Automatisch opgelost: {member.name} is niet meer betrokken ({reason})."
            )
            for agreement in ended
        }
        session.flush()
        client = existing_client(session, member.client_id)
        refresh_client(session, client, today, team_settings(session), notes=notes)
        return Created(member.id, member.version)


def _apply_resource(resource: Resource, data: ResourceInput) -> None:
    resource.name = required_name(data.name, 120)
    resource.category = required_text(data.category, "category", "De soort", 60)
    for field, label, limit in (
        ("address", "Het adres", 200),
        ("phone", "Het telefoonnummer", 40),
        ("opening_hours", "De openingstijden", 200),
        ("contact_person", "De contactpersoon", 120),
        ("notes", "De notitie", 4000),
    ):
        setattr(resource, field, optional_text(getattr(data, field), field, label, limit))


def add_resource(register: Register, data: ResourceInput, today: date | None = None) -> Created:
    """Add an entry to the sociale kaart, checked `today` (its opening times and contact person
    are as they are now)."""
    with register.write() as session:
        resource = Resource()
        _apply_resource(resource, data)
        resource.reviewed_on = today or date.today()
        session.add(resource)
        session.flush()
        return Created(resource.id, resource.version)


def update_resource(
    register: Register,
    resource_id: int,
    version: int,
    data: ResourceInput,
    today: date | None = None,
) -> Created:
    """Change an entry of the sociale kaart; refused when someone else changed it meanwhile.
    Saving it is checking it: it counts as reviewed `today` (the Buurt view asks for a look
    at an entry several agreements rely on after a year)."""
    with register.write() as session:
        resource = session.get(Resource, resource_id)
        if resource is None:
            raise ValidationError(f"Voorziening {resource_id} bestaat niet.", "resource")
        check_version(resource.version, version)
        _apply_resource(resource, data)
        resource.reviewed_on = today or date.today()
        session.flush()
        return Created(resource.id, resource.version)
