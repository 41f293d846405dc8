"""Logging a contact moment."""

from __future__ import annotations

from datetime import date

from wijkteam_tui.domain.dates import CONTACT_BEFORE_OPENING, format_date
from wijkteam_tui.domain.schedules import REAL_CONTACT
from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.models import ContactMoment
from wijkteam_tui.store.records import ContactInput, ContactResult
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import (
    acting_user,
    existing_agreement,
    existing_client,
    member_of,
    team_settings,
)


def log_contact(register: Register, data: ContactInput, today: date) -> ContactResult:
    """Log a contact moment; advances the agreement's due date when contact was made."""
    user_id = acting_user(register)
    if data.occurred_on > today:
        raise ValidationError("Een contactmoment kan niet in de toekomst liggen.", "occurred_on")
    with register.write(client=data.client_id) as session:
        client = existing_client(session, data.client_id)
        if client.phase is Phase.CLOSED:
            raise ValidationError("Deze cliënt is afgesloten; heropen eerst het dossier.", "client")
        if data.occurred_on < client.opened_on - CONTACT_BEFORE_OPENING:
            raise ValidationError(
                "Deze datum ligt ver voor de start van het dossier"
                f" ({format_date(client.opened_on)}); een contact kan tot een jaar ervoor.",
                "occurred_on",
            )
        agreement = existing_agreement(session, data.agreement_id) if data.agreement_id else None
        if agreement is not None and agreement.client_id != client.id:
            raise ValidationError("Deze afspraak hoort niet bij deze cliënt.", "agreement")
        member_id = data.member_id or (agreement.member_id if agreement else None)
        if member_id is not None:
            member_of(session, client, member_id)
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
        result = refresh_client(session, client, today, team_settings(session))
        return ContactResult(
            moment_id=moment.id,
            agreement_next_due=agreement.next_due if agreement else None,
            client_next_due=client.next_due,
            raised=result.raised,
            resolved=result.resolved,
        )
