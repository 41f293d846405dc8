"""Registering a client and changing their details."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.models import Client, PhaseChange, User
from wijkteam_tui.store.records import ClientInput, ClientSummary
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import (
    acting_user,
    casemanager_of_agreements,
    check_version,
    client_summary,
    existing_client,
    limited_in,
    reindex,
    required_name,
    team_settings,
)

FIRST_CLIENT_NUMBER = 100001


def next_client_number(session: Session) -> str:
    """The number after the highest one given (100001 for the first client). Numbers are
    digits only (an import keeps a file's number only when it is), so the longest is the
    highest."""
    if session.get_bind().dialect.name == "postgresql":
        # A medewerker on a team server may see only the clients they work for: the server
        # tells the highest number of all (store/server/access.py).
        highest = session.scalar(text("SELECT highest_client_number()"))
    else:
        highest = session.scalar(
            select(Client.number)
            .order_by(func.length(Client.number).desc(), Client.number.desc())
            .limit(1)
        )
    return str(int(highest) + 1) if highest and highest.isdigit() else str(FIRST_CLIENT_NUMBER)


def apply_client(session: Session, client: Client, data: ClientInput) -> None:
    """The details of `data` on `client`, checked (a ValidationError names the field)."""
    client.name = required_name(data.name)
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
    if client.id is not None and client.casemanager_id != data.casemanager_id:
        casemanager_of_agreements(session, client.id, data.casemanager_id)
    client.casemanager_id = data.casemanager_id
    client.regime = data.regime
    client.own_words = data.own_words.strip()
    client.strengths = data.strengths.strip()
    client.meaningful = data.meaningful.strip()
    client.opened_on = data.opened_on
    client.updated_at = utc_now()


def create_client(register: Register, data: ClientInput, today: date) -> ClientSummary:
    """Register a new client in phase intensief, with the next free client number."""
    acting_user(register)
    if data.opened_on > today:
        raise ValidationError("De startdatum ligt in de toekomst.", "opened_on")
    with register.write() as session:
        _for_oneself(register, session, data)
        client = Client(number=next_client_number(session), phase=Phase.INTENSIVE)
        apply_client(session, client, data)
        session.add(client)
        session.flush()
        session.add(
            PhaseChange(
                client_id=client.id,
                from_phase=None,
                to_phase=Phase.INTENSIVE,
                changed_on=data.opened_on,
                changed_by_id=acting_user(register),
                reason="Aangemeld.",
            )
        )
        reindex(session, client)
        refresh_client(session, client, today, team_settings(session))
        return client_summary(session, client)


def _for_oneself(register: Register, session: Session, data: ClientInput) -> None:
    """In a team that lets a medewerker open only the clients they work for
    (store/cover/access.py), a medewerker registers a client for themselves: one they would
    not work for they could not open once it is made."""
    me = limited_in(register, session)
    if me is not None and data.casemanager_id != me:
        raise ValidationError(
            "In dit team meldt een medewerker een cliënt bij zichzelf aan (casemanager: u);"
            " de teamleider kan hem daarna overdragen.",
            "casemanager",
        )


def update_client(
    register: Register, client_id: int, version: int, data: ClientInput, today: date
) -> ClientSummary:
    """Change a client's details; refused when someone else changed them first."""
    with register.write(client=client_id) as session:
        client = existing_client(session, client_id)
        check_version(client.version, version)
        if data.casemanager_id != client.casemanager_id and limited_in(register, session):
            # Taken, a client would stay one's own after a noodtoegang or a cover ended.
            raise ValidationError(
                "In dit team draagt de teamleider een cliënt over (Team, o).", "casemanager"
            )
        apply_client(session, client, data)
        client.version += 1
        reindex(session, client)
        refresh_client(session, client, today, team_settings(session))
        return client_summary(session, client)
