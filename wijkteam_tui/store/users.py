"""The register's users as a teamleider sees them: who can log in (has a key slot), their
role, their open caseload and when they last logged in (from the audit log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.accounts import validate_new_user_name, validate_user_name
from wijkteam_tui.domain.fields import FieldError, clean_email, clean_name, clean_phone
from wijkteam_tui.domain.terms import Phase, Role
from wijkteam_tui.errors import UsageError, ValidationError
from wijkteam_tui.store.audit.chain import Event, note
from wijkteam_tui.store.audit.models import AuditEvent
from wijkteam_tui.store.keys import changes
from wijkteam_tui.store.keys.keyfile import REKEY_DUE, KeyFile
from wijkteam_tui.store.keys.storage import Login
from wijkteam_tui.store.models import Client, TeamSettings, User
from wijkteam_tui.store.register import Register

REFUSAL = "Alleen een teamleider beheert de gebruikers."


@dataclass(frozen=True, slots=True)
class UserRow:
    name: str
    display_name: str
    role: Role
    #: Has a key slot: can open the register with a passphrase.
    can_log_in: bool
    open_clients: int
    last_login: datetime | None
    #: Printed in the shared documents of their clients ("" = the team's office number).
    phone: str = ""


def user_overview(register: Register) -> list[UserRow]:
    """Every user of the register, by name (teamleider)."""
    register.require_teamleider(REFUSAL)
    slots = {name for name, _role in register.keys.current().users()}
    with register.read_connection() as conn:
        users = conn.execute(
            select(User.id, User.name, User.display_name, User.role, User.phone).order_by(User.name)
        ).all()
        caseload = dict(
            conn.execute(
                select(Client.casemanager_id, func.count())
                .where(Client.phase != Phase.CLOSED)
                .group_by(Client.casemanager_id)
            ).all()
        )
        logins = dict(
            conn.execute(
                select(AuditEvent.user_name, func.max(AuditEvent.at))
                .where(AuditEvent.action.in_(("login", "unlock")))
                .group_by(AuditEvent.user_name)
            ).all()
        )
    return [
        UserRow(
            name,
            display or name,
            role,
            name in slots,
            int(caseload.get(uid, 0)),
            logins.get(name),
            phone or "",
        )
        for uid, name, display, role, phone in users
    ]


def deactivate_user(register: Register, name: str) -> None:
    """Take `name`'s key slot away (they cannot open the register any more) and mark them
    not active; their history stays and still names them (teamleider). The database key is
    then due to be renewed (`rekey.renew_key`), so that what they knew opens nothing."""
    register.require_teamleider(REFUSAL)
    assert register.user is not None
    if name == register.user.name:
        raise ValidationError(
            "U kunt uzelf niet uitschakelen; laat een andere teamleider dat doen.", "name"
        )
    key = bytes(register.unlocked.db_key)
    with register.write() as session:
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            raise ValidationError(f"Er is geen gebruiker '{name}'.", "name")

        def without(key_file: KeyFile) -> KeyFile:
            if key_file.user_slot(name) is None and not user.active:
                raise ValidationError(f"{name} is al uitgeschakeld.", "name")
            # Until the database key is new, what they knew still opens it (store/keys/rekey.py).
            due = [n for n in key_file.rekey_due if n != name]
            return key_file.without_user(name).with_extra(**{REKEY_DUE: [*due, name]})

        _, generation = register.keys.rewrite(key, without, login=Login(name, active=False))
        user.active = False
        _saw_generation(session, generation)
        note(session, Event("user", "users", name, detail="uitgeschakeld: kan niet meer inloggen"))


#: The longest name shown for a user (the column's length).
DISPLAY_NAME_LENGTH = 120


def add_user(
    register: Register,
    name: str,
    role: Role,
    *,
    display_name: str = "",
    phone: str = "",
    passphrase: str | None = None,
) -> str:
    """Give `name` access with `role` (teamleider): a key slot and their row, in one step, and
    an audit event. Without `passphrase` they get a one-time passphrase, which they replace by
    their own at their first unlock; returns the passphrase to pass on (shown once). `phone`
    is the number the shared documents print for their clients.

    A user who was switched off gets access again under the same name; their history was kept.
    """
    register.require_teamleider(REFUSAL)
    try:
        validate_user_name(name)
        shown = clean_name(display_name, DISPLAY_NAME_LENGTH)
    except (UsageError, FieldError) as error:
        field = "display_name" if isinstance(error, FieldError) else "name"
        raise ValidationError(str(error), field) from None
    number = _phone(phone)
    if can_log_in(register, name):
        raise ValidationError(f"Gebruiker '{name}' bestaat al en kan inloggen.", "name")
    secret = changes.one_time_passphrase() if passphrase is None else passphrase
    with register.write() as session:
        # A switched-off user keeps their row (and name) but has no slot any more.
        taken = [
            *session.scalars(select(User.name)),
            *(n for n, _ in register.keys.current().users()),
        ]
        try:
            validate_new_user_name(name, taken)
        except UsageError as error:
            raise ValidationError(str(error), "name") from None
        user = session.scalar(select(User).where(User.name == name))
        again = user is not None
        key_file = changes.add_user_slot(
            register.keys, register.unlocked, name, role, secret, must_change=passphrase is None
        )
        if user is None:
            user = User(name=name, display_name=shown or name, role=role)
            session.add(user)
        user.role, user.active = role, True
        if shown:
            user.display_name = shown
        if number:
            user.phone = number
        _saw_generation(session, key_file.generation)
        detail = f"{'opnieuw toegang gegeven' if again else 'toegevoegd'} als {role.label}"
        if passphrase is None:
            detail += ", met een eenmalig wachtwoord"
        note(session, Event("user", "users", name, detail=detail))
    return secret


def _phone(text: str) -> str:
    try:
        return clean_phone(text)
    except FieldError as error:
        raise ValidationError(str(error), "phone") from None


def user_phone(register: Register, name: str) -> str:
    """The phone number of `name` (themselves, or a teamleider)."""
    with register.read() as session:
        return _own_or_managed(register, session, name).phone


def set_phone(register: Register, name: str, phone: str) -> str:
    """Set the phone number the shared documents print for `name`'s clients; a person sets
    their own, a teamleider anyone's. Empty clears it (the team's office number is printed
    instead). Returns the number as stored."""
    _may_change(register, name)  # a refusal first, whatever was typed
    return _set_contact(register, name, "phone", _phone(phone), "telefoonnummer")


def user_email(register: Register, name: str) -> str:
    """The e-mail address of `name` (themselves, or a teamleider)."""
    with register.read() as session:
        return _own_or_managed(register, session, name).email


def set_email(register: Register, name: str, address: str) -> str:
    """Set where `name`'s weekly digest is mailed; a person sets their own, a teamleider
    anyone's. Empty clears it (no mail). Returns the address as stored."""
    _may_change(register, name)
    try:
        cleaned = clean_email(address)
    except FieldError as error:
        raise ValidationError(str(error), "email") from None
    return _set_contact(register, name, "email", cleaned, "e-mailadres")


def _set_contact(register: Register, name: str, field: str, value: str, words: str) -> str:
    """`value` as `name`'s `field`, logged (saying what changed, never the value)."""
    with register.write() as session:
        user = _own_or_managed(register, session, name)
        if getattr(user, field) == value:
            return value
        setattr(user, field, value)
        detail = f"{words} gewijzigd" if value else f"{words} verwijderd"
        note(session, Event("user", "users", name, detail=detail))
    return value


def _may_change(register: Register, name: str) -> None:
    """A person changes their own details; only a teamleider changes someone else's."""
    assert register.user is not None
    if name != register.user.name:
        register.require_teamleider("Alleen een teamleider wijzigt de gegevens van een ander.")


def _own_or_managed(register: Register, session: Session, name: str) -> User:
    _may_change(register, name)
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise ValidationError(f"Er is geen gebruiker '{name}'.", "name")
    return user


def reset_passphrase(register: Register, name: str) -> str:
    """Give `name` a one-time passphrase in place of theirs (teamleider), which they must
    replace at their next unlock; their old passphrase opens nothing any more. Returns the
    passphrase to pass on (shown once)."""
    register.require_teamleider(REFUSAL)
    assert register.user is not None
    if name == register.user.name:
        raise ValidationError("Uw eigen wachtwoord wijzigt u met 'wijkteam passwd'.", "name")
    if not can_log_in(register, name):
        raise ValidationError(
            f"{name} heeft geen toegang (meer); geef {name} opnieuw toegang als nieuwe gebruiker.",
            "name",
        )
    with register.write() as session:
        key_file, passphrase = changes.reset_user_passphrase(register.keys, register.unlocked, name)
        _saw_generation(session, key_file.generation)
        note(
            session,
            Event("user", "users", name, detail="eenmalig wachtwoord gegeven door de teamleider"),
        )
    return passphrase


def can_log_in(register: Register, name: str) -> bool:
    """Whether `name` has a key slot (as the register's key store says now)."""
    return register.keys.current().user_slot(name) is not None


def _saw_generation(session: Session, generation: int) -> None:
    """The key file was rewritten to `generation` in this transaction (see
    `Register.saw_key_generation`)."""
    settings = session.get(TeamSettings, 1)
    if settings is not None:
        settings.key_generation = max(settings.key_generation, generation)
