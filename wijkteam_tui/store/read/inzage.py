"""Inzage (AVG art. 15): everything the register holds about one client, and who looked at or
changed their file, when and in which role.

Every table that refers to the client is read whole, row by row and column by column, so a
column added later is in the inzage without anyone remembering to add it (a test checks
that every such table is listed). Left out are only the search texts (copies of the name,
address and network names in one lower-case line, kept for searching) and the key columns
that point to other records, which are replaced by what they name (a user's name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import or_, select

from wijkteam_tui.store.audit import chain, lists, log
from wijkteam_tui.store.audit.models import AuditEvent
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.cover.models import AbsenceCover, AccessGrant, EmergencyAccess
from wijkteam_tui.store.history import CasemanagerChange, SharedExport
from wijkteam_tui.store.mail.models import Reminder
from wijkteam_tui.store.models import (
    Alert,
    Base,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    Observation,
    PhaseChange,
    Signal,
    SignOffRequest,
    Threshold,
    User,
)
from wijkteam_tui.store.outcomes.models import Assessment, AssessmentRevision, AssessmentScore
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import acting_user, existing_client

SCHEMA_NAME = "wijkteam-inzage"
SCHEMA_VERSION = 1
#: The tables with the client's records, in the order of the inzage: (key, model, title).
SECTIONS: tuple[tuple[str, type[Base], str], ...] = (
    ("network_members", NetworkMember, "Netwerk"),
    ("contact_agreements", ContactAgreement, "Contactafspraken"),
    ("contact_moments", ContactMoment, "Contactmomenten"),
    ("signals", Signal, "Signaleringsplan"),
    ("observations", Observation, "Signaleringen"),
    ("thresholds", Threshold, "Eigen drempels"),
    ("alerts", Alert, "Aandachtspunten"),
    ("phase_changes", PhaseChange, "Fasewissels"),
    ("sign_off_requests", SignOffRequest, "Aftekenverzoeken"),
    ("casemanager_changes", CasemanagerChange, "Casemanagerwissels"),
    ("shared_exports", SharedExport, "Gedeelde afspraken meegegeven"),
    ("reminders", Reminder, "Herinneringen aan het netwerk"),
    ("absence_covers", AbsenceCover, "Waarneming bij afwezigheid van de casemanager"),
    ("access_grants", AccessGrant, "Toegang gegeven door de teamleider"),
    ("emergency_access", EmergencyAccess, "Noodtoegang (met reden)"),
    ("assessments", Assessment, "Metingen (ZRM, Positieve Gezondheid)"),
    ("assessment_scores", AssessmentScore, "Scores per domein"),
    ("assessment_revisions", AssessmentRevision, "Metingen zoals ze waren voor een correctie"),
)
#: Derived copies kept for searching only.
_LEFT_OUT = {"search_text", "network_search_text"}
REFUSAL = "Alleen een teamleider maakt een inzage (AVG art. 15) voor een cliënt."


@dataclass(frozen=True)
class Inzage:
    client_number: str
    client_name: str
    document: dict[str, Any]


def _plain(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row(row: Base, users: dict[int, str]) -> dict[str, Any]:
    """Every column of `row`; a column naming a user (…_by_id, user_id) gives the user's
    name as well. What the database computes from the others (the Buurt view's match keys)
    says nothing new and is left out."""
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        if column.key in _LEFT_OUT or column.computed is not None:
            continue
        value = getattr(row, column.key)
        out[column.key] = _plain(value)
        if column.key.endswith("_id") and any(
            fk.column.table.name == "users" for fk in column.foreign_keys
        ):
            out[column.key.removesuffix("_id") + "_name"] = users.get(value, "") if value else ""
    return out


def client_inzage(register: Register, client_id: int) -> Inzage:
    """Everything stored about the client, and their access history (teamleider)."""
    acting_user(register)
    register.require_teamleider(REFUSAL)
    with register.read() as session:
        client = existing_client(session, client_id)
        users = {u.id: (u.display_name or u.name) for u in session.scalars(select(User))}
        document: dict[str, Any] = {
            "schema": SCHEMA_NAME,
            "version": SCHEMA_VERSION,
            "made_at": _plain(_now()),
            "made_by": register.user.name if register.user else "",
            "client": _row(client, users),
        }
        for key, model, _title in SECTIONS:
            table = model.__table__
            rows = session.scalars(
                select(model).where(table.c.client_id == client_id).order_by(*table.primary_key)
            ).all()
            document[key] = [_row(r, users) for r in rows]
        events = session.execute(
            select(
                AuditEvent.seq,
                AuditEvent.at,
                AuditEvent.user_name,
                AuditEvent.role,
                AuditEvent.code,
                AuditEvent.action,
                AuditEvent.object_type,
                AuditEvent.detail,
            )
            .where(
                or_(
                    AuditEvent.client_id == client_id,
                    # A list that named the client among others (store/audit/lists.py).
                    AuditEvent.seq.in_(lists.naming(session.connection(), client_id=client_id)),
                )
            )
            .order_by(AuditEvent.seq)
        ).all()
    document["access"] = [
        {
            "seq": seq,
            "at": _plain(at),
            "user": user,
            "role": role,
            "code": code,
            "action": action,
            "what": log.what(otype, action),
            "detail": detail,
        }
        for seq, at, user, role, code, action, otype, detail in events
    ]
    # Made, so it is logged; the log entry itself comes after the history above.
    log.record(
        register,
        chain.Event("export", "clients", str(client_id), client_id, detail="inzage (AVG art. 15)"),
    )
    return Inzage(client.number, client.name, document)


def _now() -> datetime:
    return utc_now()
