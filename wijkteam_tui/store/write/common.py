"""What the write services share: who is acting, the version check that refuses a stale
edit, lookups that refuse in Dutch when a row is missing, text checks, the client's search
index and summary, the settings' history, and what a changed team setting asks of the sweep."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from wijkteam_tui.domain.access import limited_to_work
from wijkteam_tui.domain.agreements import why_not_renewed
from wijkteam_tui.domain.fields import FieldError, clean_name
from wijkteam_tui.domain.search import client_search_text, network_search_text
from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.errors import ConflictError, ValidationError
from wijkteam_tui.store.history import SettingChange
from wijkteam_tui.store.models import Client, ContactAgreement, NetworkMember, TeamSettings, User
from wijkteam_tui.store.records import ClientSummary
from wijkteam_tui.store.refresh import agreement_who, former_member
from wijkteam_tui.store.register import Register


def team_settings(session: Session) -> TeamSettings:
    """The team's settings (the register's one row of them)."""
    settings = session.get(TeamSettings, 1)
    assert settings is not None, "a register always has team settings"
    return settings


def limited_in(register: Register, session: Session) -> int | None:
    """The acting medewerker's id when the team lets a medewerker open only the clients they
    work for (store/cover/access.py); None for a teamleider or a team that chose "team"."""
    user = register.user
    access = team_settings(session).access
    return None if user is None else limited_to_work(user.id, user.role, access)


def evaluate_again(session: Session) -> None:
    """A team threshold or the grace days changed: the day each open client's state changes by
    time alone (`Client.reevaluate_on`) was computed with the old ones and may come sooner now,
    so every open client is due for the sweep again (which stores its new day).

    Call before the transaction loads clients: their loaded rows would not see this."""
    session.execute(
        update(Client)
        .where(Client.phase != Phase.CLOSED)
        .values(reevaluate_on=func.coalesce(Client.evaluated_on, Client.opened_on)),
        execution_options={"synchronize_session": False},
    )


def existing_client(session: Session, client_id: int) -> Client:
    """The client `client_id`; ValidationError when there is none."""
    client = session.get(Client, client_id)
    if client is None:
        raise ValidationError(f"Cliënt {client_id} bestaat niet.", "client")
    return client


def optional_text(value: str, field: str, label: str, max_length: int) -> str:
    """`value` stripped; ValidationError naming `label` when it is too long."""
    cleaned = value.strip()
    if len(cleaned) > max_length:
        raise ValidationError(f"{label} is te lang (hoogstens {max_length} tekens).", field)
    return cleaned


def required_text(value: str, field: str, label: str, max_length: int = 160) -> str:
    """`value` stripped; ValidationError naming `label` when it is empty or too long."""
    cleaned = value.strip()
    if not cleaned:
        raise ValidationError(f"{label} mag niet leeg zijn.", field)
    return optional_text(cleaned, field, label, max_length)


def required_name(value: str, max_length: int = 160) -> str:
    """A required name on one line (domain.fields.clean_name)."""
    try:
        clean_name(value, max_length)
    except FieldError as error:
        raise ValidationError(str(error), "name") from None
    return required_text(value, "name", "De naam", max_length)


def acting_teamleider(register: Register, refusal: str) -> int:
    """The acting user's id when they are a teamleider; RoleError (`refusal`) otherwise."""
    acting_user(register)
    return register.require_teamleider(refusal)


def acting_user(register: Register) -> int:
    """The id of the user who is logged in; ValidationError when nobody is."""
    if register.user is None:
        raise ValidationError("Alleen een ingelogde gebruiker kan gegevens vastleggen.")
    return register.user.id


def check_version(current: int, expected: int) -> None:
    """ConflictError when someone else changed the row since `expected` was read."""
    if current != expected:
        raise ConflictError()


def client_summary(session: Session, client: Client) -> ClientSummary:
    """What a write service returns about the client it changed."""
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


def reindex(session: Session, client: Client) -> None:
    """Bring the client's search texts (own details, network names) up to date."""
    session.flush()
    client.search_text = client_search_text(
        client.name, client.number, client.street, client.house_number, client.postcode
    )
    client.network_search_text = network_search_text(_member_names(session, client.id))


def existing_agreement(session: Session, agreement_id: int) -> ContactAgreement:
    """The agreement `agreement_id`; ValidationError when there is none."""
    agreement = session.get(ContactAgreement, agreement_id)
    if agreement is None:
        raise ValidationError(f"Contactafspraak {agreement_id} bestaat niet.", "agreement")
    return agreement


def member_of(session: Session, client: Client, member_id: int) -> NetworkMember:
    """The network member `member_id`; ValidationError unless they are in `client`'s network."""
    member = session.get(NetworkMember, member_id)
    if member is None or member.client_id != client.id:
        raise ValidationError("Dit netwerklid hoort niet bij deze cliënt.", "member")
    return member


def end_active_agreements(session: Session, which: Any, on: date) -> list[ContactAgreement]:
    """End the active agreements `which` selects on `on` (none before the day it started), and
    return them."""
    ended = list(
        session.scalars(select(ContactAgreement).where(which, ContactAgreement.active.is_(True)))
    )
    for agreement in ended:
        agreement.active = False
        if agreement.end_on is None or agreement.end_on > on:
            agreement.end_on = max(on, agreement.start_on)
    return ended


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


def casemanager_of_agreements(session: Session, client_id: int, user_id: int | None) -> None:
    """A client's new casemanager on all of their agreements (ContactAgreement.casemanager_id),
    in the transaction that gives it to the client."""
    session.execute(
        update(ContactAgreement)
        .where(ContactAgreement.client_id == client_id)
        .values(casemanager_id=user_id)
        .execution_options(synchronize_session="fetch")
    )


def close_agreements(session: Session, client: Client, on: date) -> None:
    """Closing the file: end every active agreement on `on`, marked as ended by closing with
    the end it had planned, so that reopening can offer to let it start again."""
    for agreement in session.scalars(
        select(ContactAgreement).where(
            ContactAgreement.client_id == client.id, ContactAgreement.active.is_(True)
        )
    ):
        if agreement.end_on is None or agreement.end_on > on:  # closing ends it, not its plan
            agreement.closed_with_file = True
            agreement.end_before_closing = agreement.end_on
    end_active_agreements(session, ContactAgreement.client_id == client.id, on)


def renew_agreements(session: Session, client: Client, renew: Collection[int], on: date) -> None:
    """Reopening the file: the agreements in `renew`, all ended by closing it, start again on
    `on` as new agreements (the ended ones stay in the history with their contacts). Whatever
    closing ended and is not renewed now is not offered again."""
    ended = {
        agreement.id: agreement
        for agreement in session.scalars(
            select(ContactAgreement).where(
                ContactAgreement.client_id == client.id,
                ContactAgreement.closed_with_file.is_(True),
            )
        )
    }
    if set(renew) - ended.keys():
        raise ValidationError(
            "Alleen afspraken die eindigden met het afsluiten kunnen opnieuw ingaan.", "renew"
        )
    for agreement in ended.values():
        agreement.closed_with_file = False
        if agreement.id not in renew:
            continue
        why_not = why_not_renewed(
            former_member(session, agreement), agreement.end_before_closing, on
        )
        if why_not:
            raise ValidationError(
                f"De afspraak met {agreement_who(session, agreement)} kan niet opnieuw ingaan:"
                f" {why_not}.",
                "renew",
            )
        session.add(
            ContactAgreement(
                client_id=client.id,
                member_id=agreement.member_id,
                user_id=agreement.user_id,
                casemanager_id=client.casemanager_id,
                channel=agreement.channel,
                description=agreement.description,
                shared=agreement.shared,
                interval_days=agreement.interval_days,
                rrule=agreement.rrule,
                start_on=on,
                end_on=agreement.end_before_closing,
                active=True,
            )
        )
