"""Contact agreements: agreeing who checks in and how often, changing, snoozing and ending
them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from wijkteam_tui.domain.agreements import has_ended
from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.schedules import validate_rrule
from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.domain.thresholds import agreement_prefix, snoozed_note
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.models import Client, ContactAgreement, User
from wijkteam_tui.store.records import AgreementInput, Created
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import (
    check_version,
    existing_agreement,
    existing_client,
    limited_in,
    member_of,
    required_text,
    team_settings,
)

#: The most days before a moment that a reminder may go out.
MAX_REMIND_DAYS = 14


def validate_agreement(session: Session, client: Client, data: AgreementInput) -> None:
    """ValidationError (naming the field) when `data` cannot be an agreement of `client`."""
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
    if data.remind_days_before is not None and not 0 <= data.remind_days_before <= MAX_REMIND_DAYS:
        raise ValidationError(
            f"Een herinnering gaat 0 tot {MAX_REMIND_DAYS} dagen vooraf, of niet.", "remind"
        )
    if data.end_on is not None and data.end_on < data.start_on:
        raise ValidationError("De einddatum ligt voor de startdatum.", "end_on")
    if data.member_id is not None:
        member = member_of(session, client, data.member_id)
        # An agreement of a former member may be edited while it ends by their last day.
        if member.ended_on is not None and (data.end_on is None or data.end_on > member.ended_on):
            raise ValidationError(
                f"{member.name} is niet meer betrokken (sinds {format_date(member.ended_on)},"
                f" {member.ended_reason}); kies iemand anders.",
                "member",
            )
    if data.user_id is not None and session.get(User, data.user_id) is None:
        raise ValidationError("Deze medewerker bestaat niet.", "user")


def performing_user(client: Client, data: AgreementInput) -> int | None:
    """The medewerker who performs the agreement: the one named, or when neither a medewerker
    nor a network member is named, the client's casemanager."""
    if data.member_id is None and data.user_id is None:
        return client.casemanager_id
    return data.user_id


def new_agreement(
    session: Session, client: Client, data: AgreementInput, today: date
) -> ContactAgreement:
    """A new agreement of `client` from `data`, validated, added and flushed (it has its id);
    the caller refreshes the client's state."""
    validate_agreement(session, client, data)
    agreement = ContactAgreement(
        client_id=client.id,
        member_id=data.member_id,
        user_id=performing_user(client, data),
        casemanager_id=client.casemanager_id,
        channel=data.channel,
        description=data.description.strip(),
        interval_days=data.interval_days,
        rrule=data.rrule.strip() if data.rrule else None,
        start_on=data.start_on,
        end_on=data.end_on,
        active=not has_ended(data.end_on, today),
        shared=data.shared,
        remind_days_before=data.remind_days_before,
    )
    session.add(agreement)
    session.flush()
    return agreement


def _not_made_performer(
    register: Register, session: Session, client: Client, data: AgreementInput, before: int | None
) -> None:
    """In a team that lets a medewerker open only the clients they work for, only the client's
    casemanager (or a teamleider) makes a medewerker the performer of an agreement: one made
    by himself would keep a client open after a noodtoegang or a cover ended."""
    me = limited_in(register, session)
    performer = performing_user(client, data)
    if me is not None and performer == me and me not in (before, client.casemanager_id):
        raise ValidationError(
            "In dit team maakt alleen de casemanager of de teamleider u uitvoerder van een"
            " afspraak; kies een netwerklid of de casemanager.",
            "user",
        )


def add_agreement(register: Register, client_id: int, data: AgreementInput, today: date) -> Created:
    """Agree who checks in with the client, how and how often."""
    with register.write(client=client_id) as session:
        client = existing_client(session, client_id)
        _not_made_performer(register, session, client, data, None)
        agreement = new_agreement(session, client, data, today)
        refresh_client(session, client, today, team_settings(session))
        return Created(agreement.id, agreement.version)


def update_agreement(
    register: Register, agreement_id: int, version: int, data: AgreementInput, today: date
) -> Created:
    """Change an agreement (performer, channel, how often, dates, shared). Refused when someone
    else changed it since `version` was read, and for an afgesloten file."""
    with register.write(of=(ContactAgreement, agreement_id)) as session:
        agreement = existing_agreement(session, agreement_id)
        check_version(agreement.version, version)
        client = existing_client(session, agreement.client_id)
        if client.phase is Phase.CLOSED:
            raise ValidationError(
                "Het dossier is afgesloten; heropen het eerst (f) om afspraken te wijzigen.",
                "agreement",
            )
        validate_agreement(session, client, data)
        _not_made_performer(register, session, client, data, agreement.user_id)
        agreement.member_id = data.member_id
        agreement.user_id = performing_user(client, data)
        agreement.channel = data.channel
        agreement.description = data.description.strip()
        agreement.interval_days = data.interval_days
        agreement.rrule = data.rrule.strip() if data.rrule else None
        agreement.start_on = data.start_on
        agreement.end_on = data.end_on
        agreement.shared = data.shared
        agreement.remind_days_before = data.remind_days_before
        agreement.active = not has_ended(data.end_on, today)
        session.flush()
        refresh_client(session, client, today, team_settings(session))
        return Created(agreement.id, agreement.version)


def end_agreement(register: Register, agreement_id: int, end_on: date, today: date) -> None:
    """End an agreement on `end_on`; nothing is due after it."""
    with register.write(of=(ContactAgreement, agreement_id)) as session:
        agreement = existing_agreement(session, agreement_id)
        if end_on < agreement.start_on:
            raise ValidationError("De einddatum ligt voor de startdatum.", "end_on")
        agreement.end_on = end_on
        if has_ended(end_on, today):
            agreement.active = False
        refresh_client(
            session, existing_client(session, agreement.client_id), today, team_settings(session)
        )


def snooze_agreement(
    register: Register, agreement_id: int, until: date, reason: str, today: date
) -> None:
    """Put an agreement aside until `until` (inclusive), with a reason."""
    reason = required_text(reason, "reason", "De reden", 200)
    if until < today:
        raise ValidationError("De einddatum van het uitstel ligt in het verleden.", "until")
    if until > today + timedelta(days=366):
        raise ValidationError("Uitstellen kan hoogstens een jaar.", "until")
    with register.write(of=(ContactAgreement, agreement_id)) as session:
        agreement = existing_agreement(session, agreement_id)
        agreement.snoozed_until = until
        agreement.snooze_reason = reason
        # Its missed-contacts alert stops holding because it was put aside, not because
        # anyone made contact: the note says so.
        refresh_client(
            session,
            existing_client(session, agreement.client_id),
            today,
            team_settings(session),
            notes={agreement_prefix(agreement.id): snoozed_note(until, reason)},
        )
