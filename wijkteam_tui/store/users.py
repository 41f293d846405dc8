"""The register's users as a teamleider sees them: who can log in (has a key slot), their
role, their open caseload and when they last logged in (from the audit log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from wijkteam_tui.domain.terms import Phase, Role
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store import crypto
from wijkteam_tui.store.audit import Event, note, record
from wijkteam_tui.store.engine import Register
from wijkteam_tui.store.models import AuditEvent, Client, TeamSettings, User

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


def user_overview(register: Register) -> list[UserRow]:
    """Every user of the register, by name (teamleider)."""
    register.require_teamleider(REFUSAL)
    slots = {
        name for name, _role in crypto.read_key_file(crypto.key_file_path(register.path)).users()
    }
    with register.read_connection() as conn:
        users = conn.execute(
            select(User.id, User.name, User.display_name, User.role).order_by(User.name)
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
        )
        for uid, name, display, role in users
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

        def without(key_file: crypto.KeyFile) -> crypto.KeyFile:
            if key_file.user_slot(name) is None and not user.active:
                raise ValidationError(f"{name} is al uitgeschakeld.", "name")
            # Until the database key is new, what they knew still opens it (store/rekey.py).
            due = [n for n in key_file.rekey_due if n != name]
            return key_file.without_user(name).with_extra(**{crypto.REKEY_DUE: [*due, name]})

        _, generation = crypto.rewrite_key_file(register.path, key, without)
        user.active = False
        settings = session.get(TeamSettings, 1)
        if settings is not None:
            settings.key_generation = max(settings.key_generation, generation)
        note(session, Event("user", "users", name, detail="uitgeschakeld: kan niet meer inloggen"))


def log_user_added(register: Register, name: str, role: Role) -> None:
    """A new key slot was written for `name`: say so in the audit log."""
    record(register, Event("user", "users", name, detail=f"toegevoegd als {role.label}"))
