"""Erasure (AVG art. 17) and the retention list: a client's records destroyed for good.

A teamleider erases a client on request, with a reason and the client's number typed as
confirmation. While a legal retention term still runs (the file is open, or closed and not
yet past `retention_until`), erasure needs an explicit reason to override it (art. 17(3)(b)).

In one transaction the client row is deleted and the database removes everything that refers
to it (network, agreements, contact moments, plan, signaleringen, alerts, phase changes, …:
every foreign key to clients cascades). The audit log keeps its events, which name the client
by number and never hold contents, and gains one "gewist" event.

Afterwards nothing of the client may be found in any file of the register:
- every connection runs with `secure_delete`, so deleted rows are overwritten with zeros, in
  the database and in the pages the write-ahead log receives;
- the write-ahead log, which still holds older copies of those pages, is checkpointed into the
  database and truncated (only possible when no other process is reading; otherwise it is said);
- the encrypted copies kept beside the register (before an upgrade, before a restore) get the
  same deletion.
Back-ups written elsewhere with `wijkteam backup` are out of reach; the README says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.errors import ValidationError, WijkteamError
from wijkteam_tui.store.audit import chain
from wijkteam_tui.store.audit.models import AuditEvent
from wijkteam_tui.store.models import Client, ContactMoment, NetworkMember
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sqlite.connection import connect_keyed

REFUSAL = "Alleen een teamleider wist een cliënt of beslist over de bewaartermijn."
#: Copies of the register kept beside it, holding the same data under the same key.
COPY_PATTERNS = ("{stem}-voor-bijwerken-*.db", "{stem}-voor-herstel-*.db")


@dataclass(frozen=True)
class ErasureFacts:
    client_id: int
    number: str
    name: str
    members: int
    contact_moments: int
    retention_until: date | None
    #: Why the file must still be kept by law ("" when no term runs any more).
    kept_because: str


@dataclass(frozen=True)
class Erased:
    number: str
    #: Copies beside the register that were cleaned too.
    copies: list[Path]
    #: Copies that could not be opened with this register's key (their own key file).
    copies_not_cleaned: list[Path]
    #: Whether the write-ahead log could be emptied now (no other process reading).
    log_emptied: bool
    seconds: float
    #: What left the register about the client before (documents, lists, inzage), as the
    #: audit log recorded it: those files live outside the register and must be found and
    #: destroyed by hand.
    exports: tuple[str, ...] = ()


def erasure_facts(register: Register, client_id: int, today: date) -> ErasureFacts:
    """What erasing this client destroys, and whether a retention term still runs."""
    register.require_teamleider(REFUSAL)
    with register.read() as session:
        client = session.get(Client, client_id)
        if client is None:
            raise ValidationError(f"Cliënt {client_id} bestaat niet (meer).", "client")
        members = session.scalar(select(func.count()).where(NetworkMember.client_id == client_id))
        moments = session.scalar(select(func.count()).where(ContactMoment.client_id == client_id))
        if client.phase is not Phase.CLOSED:
            kept = "Het dossier is nog open: de wettelijke bewaartermijn is nog niet eens begonnen."
        elif client.retention_until is not None and client.retention_until >= today:
            kept = (
                f"De wettelijke bewaartermijn ({client.regime.label}) loopt tot en met"
                f" {format_date(client.retention_until)}."
            )
        else:
            kept = ""
        return ErasureFacts(
            client.id,
            client.number,
            client.name,
            int(members or 0),
            int(moments or 0),
            client.retention_until,
            kept,
        )


def erase_client(
    register: Register,
    client_id: int,
    *,
    confirm_number: str,
    reason: str,
    today: date,
    override: str = "",
) -> Erased:
    """Destroy the client's records (see the module's description)."""
    started = time.perf_counter()
    facts = erasure_facts(register, client_id, today)
    if confirm_number.strip() != facts.number:
        raise ValidationError(
            f"Typ ter bevestiging het cliëntnummer {facts.number}; er is niets gewist.", "confirm"
        )
    if not reason.strip():
        raise ValidationError(
            "Geef de reden (bijvoorbeeld: verzoek van de cliënt op 20 november).", "reason"
        )
    if facts.kept_because and not override.strip():
        raise ValidationError(
            f"{facts.kept_because} Wissen kan dan alleen met een reden waarom het toch moet"
            " (AVG art. 17 lid 3 sub b); er is niets gewist.",
            "override",
        )
    detail = f"gewist (AVG art. 17); reden: {' '.join(reason.split())}"
    if facts.kept_because:
        detail += f"; bewaartermijn doorbroken: {' '.join(override.split())}"
    with register.write() as session:
        exports = _exports_of(session, client_id)
        session.execute(delete(Client).where(Client.id == client_id))
        if register.server is None:
            session.execute(text(REWRITE_SEARCH_INDEX))
        chain.note(
            session,
            chain.Event("erase", "clients", str(client_id), client_id, "ok", detail, facts.number),
        )
    log_emptied = _empty_the_log(register)
    cleaned, not_cleaned = _clean_copies(register, client_id)
    seconds = time.perf_counter() - started
    return Erased(facts.number, cleaned, not_cleaned, log_emptied, seconds, exports)


#: The trigram search index (migration 0025) rewritten as one segment: a deleted client's
#: entries are only marked deleted until then; as the old pages are freed, secure_delete zeroes
#: them. About 0.2 s at 20,000 clients.
REWRITE_SEARCH_INDEX = "INSERT INTO client_search (client_search) VALUES ('optimize')"


def _rewrite_search_index(conn: sqlcipher.Connection) -> None:
    """REWRITE_SEARCH_INDEX in a copy (one from before migration 0025 has no such index)."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'client_search'"
    ).fetchone()
    if found is not None:
        conn.execute(REWRITE_SEARCH_INDEX)


def _exports_of(session: Session, client_id: int) -> tuple[str, ...]:
    """Every export of the client the audit log recorded: "12-11-2026: gedeelde afspraken,
    formaat pdf, versie 2 (anna)" (teamleider: erasure is theirs, and only they read the log)."""
    rows = session.execute(
        select(AuditEvent.at, AuditEvent.detail, AuditEvent.user_name)
        .where(AuditEvent.client_id == client_id, AuditEvent.action == "export")
        .order_by(AuditEvent.seq)
    ).all()
    return tuple(f"{at:%d-%m-%Y}: {detail or 'export'} ({user})" for at, detail, user in rows)


def _empty_the_log(register: Register) -> bool:
    """Checkpoint the write-ahead log into the database and truncate it; on a team server,
    analyse the client's tables anew, so that their statistics no longer show the client."""
    if register.server is not None:
        # Lazy: psycopg and the server's code only for a register on a team server.
        from wijkteam_tui.store.server.setup import analyze

        return analyze(register.engine, client_tables_only=True)
    with register.raw() as raw:
        busy, _frames, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


def copies_of(path: Path) -> list[Path]:
    return sorted(
        copy
        for pattern in COPY_PATTERNS
        for copy in path.parent.glob(pattern.format(stem=path.stem))
    )


def _clean_copies(register: Register, client_id: int) -> tuple[list[Path], list[Path]]:
    cleaned: list[Path] = []
    not_cleaned: list[Path] = []
    if register.server is not None:
        return cleaned, not_cleaned  # no copies here: the server's backups are its operator's
    key = bytes(register.unlocked.db_key)
    for copy in copies_of(register.path):
        try:
            conn = connect_keyed(copy, key, wal=False)
        except (WijkteamError, OSError):  # another key (a replaced register), or damaged
            not_cleaned.append(copy)
            continue
        try:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM clients WHERE id = ?", (client_id,))
            _rewrite_search_index(conn)
            conn.execute("COMMIT")
            cleaned.append(copy)
        finally:
            conn.close()
    return cleaned, not_cleaned


def extend_retention(
    register: Register, client_id: int, until: date, reason: str, today: date
) -> None:
    """Keep a closed file longer than its retention date, with a reason (teamleider); the
    reason and the new date are in the audit log."""
    register.require_teamleider(REFUSAL)
    if not reason.strip():
        raise ValidationError("Geef de reden om het dossier langer te bewaren.", "reason")
    with register.write(client=client_id) as session:
        client = session.get(Client, client_id)
        if client is None:
            raise ValidationError(f"Cliënt {client_id} bestaat niet (meer).", "client")
        if client.phase is not Phase.CLOSED or client.retention_until is None:
            raise ValidationError(
                "Dit dossier is nog open; een bewaartermijn loopt pas na afsluiten.", "client"
            )
        if until <= max(client.retention_until, today):
            raise ValidationError(
                f"Kies een datum na {format_date(max(client.retention_until, today))}.", "until"
            )
        client.retention_until = until
        chain.note(
            session,
            chain.Event(
                "retention",
                "clients",
                str(client_id),
                client_id,
                "ok",
                f"bewaren tot en met {until.isoformat()}; reden: {' '.join(reason.split())}",
                client.number,
            ),
        )


@dataclass(frozen=True)
class PastRetention:
    client_id: int
    number: str
    name: str
    regime: str
    closed_on: date | None
    retention_until: date


def past_retention(register: Register, today: date) -> list[PastRetention]:
    """Closed clients whose retention date has passed: to destroy (or to keep longer, with a
    reason), oldest first (teamleider)."""
    register.require_teamleider(REFUSAL)
    with register.read_connection() as conn:
        rows = conn.execute(
            select(
                Client.id,
                Client.number,
                Client.name,
                Client.regime,
                Client.closed_on,
                Client.retention_until,
            )
            .where(Client.retention_until < today)
            .order_by(Client.retention_until, Client.number)
        ).all()
    past = []
    for cid, number, name, regime, closed_on, until in rows:
        assert until is not None  # the query compared it
        past.append(PastRetention(cid, number, name, regime.label, closed_on, until))
    return past
