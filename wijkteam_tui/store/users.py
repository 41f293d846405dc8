"""The register's users as a teamleider sees them: who can log in (has a key slot), their
role, their open caseload and when they last logged in (from the audit log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from wijkteam_tui.domain.terms import Phase, Role
from wijkteam_tui.store import crypto
from wijkteam_tui.store.audit import Event, record
from wijkteam_tui.store.engine import Register
from wijkteam_tui.store.models import AuditEvent, Client, User

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


def log_user_added(register: Register, name: str, role: Role) -> None:
    """A new key slot was written for `name`: say so in the audit log."""
    record(register, Event("user", "users", name, detail=f"toegevoegd als {role.label}"))
