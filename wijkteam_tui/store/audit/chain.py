"""The audit chain: every change a write session makes becomes an event, in the same
transaction, chained to the one before it by an HMAC. It knows sessions, never a `Register`
(store/audit/log.py records, checks and reads the log of one).

- Every create, update and delete of a record is logged by itself: the register's write
  sessions collect what each flush changed (`_collect`) and append the events in the same
  transaction, so an event exists exactly when its change does. A change names the fields it
  touched, never their contents. SQLAlchemy calls `before_commit` before the commit's own
  flush, so that hook flushes first (`_append`) and whatever a later flush of the same commit
  writes is appended right after it (`_append_late`): a change that only the commit flushes
  (confirming an alert changes one loaded row) is logged too. A transaction of many changes
  (an import) appends each time a thousand events wait, so that it never holds them all; a
  row it made and changes after its creation was appended is then logged twice (made, then
  changed) instead of once.
- What is not a change is logged by the code that does it (`log.record`, or `note` inside a
  write): reading a client's file, a search (that it happened and its hit count, never the
  terms), an export, logging in (and the failed tries since the last success), locking and
  unlocking.
- Each event carries a sequence number and an HMAC-SHA256 over its fields and the previous
  event's MAC, keyed from the database key: an edited, deleted, swapped or inserted event
  breaks the chain at that point (`log.verify`). The newest sequence number and MAC are also
  kept in the key file, written when the register is closed and never moved back onto a
  shorter log (store/audit/head.py), so cutting off the newest events is caught as well.

Someone holding the database key and this code can rewrite the whole chain; the log makes
tampering detectable for everyone else (see "Trust model" in the README).
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import event as sa_event
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from wijkteam_tui.store.audit.models import AuditCheckpoint, AuditEvent, AuditEventClient, pack
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.history import DailySnapshot, SharedExport
from wijkteam_tui.store.keys.primitives import derive_subkey
from wijkteam_tui.store.mail.models import Reminder
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.transactions import APPEND_LOCK, client_of

if TYPE_CHECKING:
    from wijkteam_tui.store.keys.keyfile import KeyFile

#: session.info keys.
CONTEXT = "wijkteam_audit_context"
_PENDING = "wijkteam_audit_pending"
_NUMBERS = "wijkteam_audit_numbers"
_QUIET = "wijkteam_audit_quiet"
_COMMITTING = "wijkteam_audit_committing"
#: The MAC before the first event.
GENESIS = bytes(32)
KEY_PURPOSE = "wijkteam audit chain"
#: The key file's record of the newest event: [sequence number, MAC in hex].
HEAD_KEY = "audit_head"

#: NEN 7513 EventActionCode of each action; every other action is E (execute).
CODES = {"create": "C", "read": "R", "update": "U", "delete": "D", "erase": "D"}
#: Rows that hold no one's data (team figures per day, the log's own bookkeeping).
_NOT_LOGGED = (AuditEvent, AuditEventClient, AuditCheckpoint, DailySnapshot)
#: Columns that change along with every change and say nothing about it, and the ones the
#: domain engine derives from other records (when the next contact is due, when the last
#: was, when the client was last evaluated): the change that caused them is the one logged.
_BOOKKEEPING = {
    "version",
    "updated_at",
    "search_text",
    "search_key",
    "network_search_text",
    "next_due",
    "last_contact_on",
    "evaluated_on",
}


@dataclass(frozen=True, slots=True)
class Context:
    """Who the register's write sessions log as, and the chain's key."""

    user_name: str
    role: str
    key: bytes


@dataclass(frozen=True, slots=True)
class Event:
    action: str
    object_type: str = ""
    object_id: str = ""
    client_id: int | None = None
    outcome: str = "ok"
    detail: str = ""
    #: The client's number when the caller knows it (else it is looked up).
    client_number: str = ""
    #: (id, number) of each client an event about many names (lists.listed): kept beside the
    #: event (AuditEventClient, packed by bucket), its detail carrying their digest.
    clients: tuple[tuple[int, str], ...] = ()


def chain_key(db_key: bytes | bytearray) -> bytes:
    """The chain key of a register made before migration 0017, which derived it from the
    database key; since then it is kept in team_settings (`Register.audit_key`)."""
    return derive_subkey(bytes(db_key), KEY_PURPOSE)


def install(sessions: sessionmaker[Session]) -> None:
    """Log every change made in a session of `sessions` (whose info holds a Context)."""
    sa_event.listen(sessions, "after_flush", _collect)
    sa_event.listen(sessions, "before_commit", _append)
    sa_event.listen(sessions, "after_flush_postexec", _append_late)


def note(session: Session, *events: Event) -> None:
    """Append `events` to the log when `session` commits."""
    pending = session.info.setdefault(_PENDING, {})
    for event in events:
        pending[("", str(len(pending)), event.action)] = event


def quiet(session: Session) -> None:
    """The changes of this session are the system's own upkeep (the daily sweep re-evaluating
    alerts), not a person's action: they are not logged one by one; the caller notes one
    event for the transaction."""
    session.info[_QUIET] = True


# --- collecting what a flush changed -----------------------------------------------------------


def _key_of(row: Any) -> str:
    state = inspect(row)
    identity = state.mapper.primary_key_from_instance(row)
    return ",".join(str(part) for part in identity if part is not None)


def _changed_fields(row: Any) -> list[str]:
    """The fields a flush changed: those with a value from before the flush that differs."""
    state = inspect(row)
    return [
        key
        for key in state.committed_state
        if key not in _BOOKKEEPING and state.attrs[key].history.has_changes()
    ]


def _collect(session: Session, _flush_context: object) -> None:
    if session.info.get(_QUIET):
        return
    pending: dict[tuple[int | str, str, str], Event] = session.info.setdefault(_PENDING, {})
    numbers: dict[int, str] = session.info.setdefault(_NUMBERS, {})

    def add(action: str, row: Any, detail: str = "") -> None:
        if isinstance(row, Client):
            numbers[row.id] = row.number
        table = row.__tablename__
        key = _key_of(row)
        if isinstance(row, SharedExport):
            action, table, key = "export", "clients", str(row.client_id)
            detail = f"gedeelde afspraken, formaat {row.file_format}, versie {row.version}"
        elif isinstance(row, Reminder) and action != "delete":
            # Who (the event's user), which agreement, to which address, how it went; never
            # what the message said.
            detail = (
                f"afspraak {row.agreement_id}, moment {row.due_on.isoformat()} ({row.kind}),"
                f" aan {row.address}: {row.status}"
            )
        slot = (table, key, action)
        if action == "update" and ((table, key, "create") in pending):
            return  # made and changed in one transaction: one event, "aangemaakt"
        earlier = pending.get(slot)
        if earlier is not None and action == "update":
            fields = sorted(
                set(earlier.detail.removeprefix("velden: ").split(", "))
                | set(detail.removeprefix("velden: ").split(", "))
            )
            detail = "velden: " + ", ".join(f for f in fields if f)
        pending[slot] = Event(action, table, key, client_of(row), "ok", detail)

    for row in session.new:
        if not isinstance(row, _NOT_LOGGED):
            add("create", row)
    for row in session.dirty:
        if isinstance(row, _NOT_LOGGED):
            continue
        if isinstance(row, Client):
            numbers[row.id] = row.number  # the other events of this flush need it
        fields = _changed_fields(row)
        if fields:
            add("update", row, "velden: " + ", ".join(sorted(fields)))
    for row in session.deleted:
        if not isinstance(row, _NOT_LOGGED):
            add("delete", row)


# --- appending to the chain --------------------------------------------------------------------


def _at_text(value: datetime | str) -> str:
    """An event's time as the MAC covers it: 2026-11-23T09:15:00 (SQLite hands the stored
    text to a raw cursor, other drivers a datetime)."""
    if isinstance(value, str):
        return f"{value[:10]}T{value[11:19]}"
    return value.strftime("%Y-%m-%dT%H:%M:%S")


#: An event's columns in the order its MAC covers them (the MAC itself last).
COLUMNS = (
    AuditEvent.seq,
    AuditEvent.at,
    AuditEvent.user_name,
    AuditEvent.role,
    AuditEvent.code,
    AuditEvent.action,
    AuditEvent.object_type,
    AuditEvent.object_id,
    AuditEvent.client_id,
    AuditEvent.client_number,
    AuditEvent.outcome,
    AuditEvent.detail,
    AuditEvent.mac,
)
NAMES = tuple(c.key for c in COLUMNS)


_SEPARATOR = "\x1f"


def mac_of(key: bytes, previous: bytes, values: Sequence[Any]) -> bytes:
    """The MAC of an event given as its 12 fields in column order (`COLUMNS` without the
    MAC), chained to the previous event's MAC. The fields are joined by the unit separator;
    only the last (the detail) may contain one, so the joined text has one reading."""
    seq, at, *middle, detail = values
    text = _SEPARATOR.join(
        (str(seq), _at_text(at), *("" if v is None else str(v) for v in middle), detail)
    )
    return hmac.digest(key, previous + text.encode("utf-8"), "sha256")


def chain_mac(key: bytes, previous: bytes, row: dict[str, Any]) -> bytes:
    """The MAC of an event given as a dict of its fields."""
    return mac_of(key, previous, [row[name] for name in NAMES[:-1]])


_NEWEST = select(AuditEvent.seq, AuditEvent.mac).order_by(AuditEvent.seq.desc()).limit(1)
_APPEND_LOCK = text(f"SELECT pg_advisory_xact_lock({APPEND_LOCK})")
_INSERT = insert(AuditEvent.__table__)  # type: ignore[arg-type]  # Core: no ORM bulk path
_INSERT_CLIENTS = insert(AuditEventClient.__table__)  # type: ignore[arg-type]


def _append(session: Session) -> None:
    # The commit flushes only after this hook: flush now, so that what is still waiting is
    # collected and appended with the rest, and mark the transaction as committing, so that
    # a flush the commit still makes after this (`_append_late`) is appended at once.
    session.flush()
    session.info[_COMMITTING] = session.get_transaction()
    _write(session)


def _append_late(session: Session, _flush_context: object) -> None:
    if session.info.get(_COMMITTING) is session.get_transaction() or (
        len(session.info.get(_PENDING, ())) >= _BATCH
    ):
        # A transaction of many changes (an import) appends its events as it goes, a batch
        # at a time, instead of holding them all until the commit: its memory does not grow
        # with its size. Nothing is visible before the commit, and a rollback takes them
        # along. On a team server the append lock is then held from the first batch on;
        # such a transaction is a team write, which every other write waits for anyway.
        _write(session)


#: Events inserted per statement when a transaction appends many; a transaction appends
#: what it collected once this many are waiting.
_BATCH = 1_000


def _write(session: Session) -> None:
    pending: dict[Any, Event] = session.info.pop(_PENDING, {})
    numbers: dict[int, str] = session.info.pop(_NUMBERS, {})
    if not pending:
        return
    context: Context = session.info[CONTEXT]
    conn = session.connection()
    numbers.update(
        (e.client_id, e.client_number)
        for e in pending.values()
        if e.client_id is not None and e.client_number
    )
    wanted = {e.client_id for e in pending.values() if e.client_id is not None} - set(numbers)
    if wanted:
        numbers.update(
            conn.execute(select(Client.id, Client.number).where(Client.id.in_(wanted))).all()
        )
    if conn.dialect.name == "postgresql":
        # The chain is one order: from here to the commit, one write at a time appends (the
        # locks a write took as it began let writes for different clients run side by side).
        conn.execute(_APPEND_LOCK)
    last = conn.execute(_newest_of(conn)).first()
    seq, previous = (last[0], bytes.fromhex(last[1])) if last else (0, GENESIS)
    at = now()
    rows = []
    named = []
    for event in pending.values():
        seq += 1
        named += [
            {"seq": seq, "bucket": bucket, "clients": text}
            for bucket, text in pack(event.clients).items()
        ]
        row = {
            "seq": seq,
            "at": at,
            "user_name": context.user_name,
            "role": context.role,
            "code": CODES.get(event.action, "E"),
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "client_id": event.client_id,
            "client_number": numbers.get(event.client_id, "") if event.client_id else "",
            "outcome": event.outcome,
            "detail": event.detail,
        }
        if any(_SEPARATOR in str(v) for k, v in row.items() if k != "detail"):
            raise ValueError("een veld van een auditgebeurtenis bevat een scheidingsteken")
        previous = chain_mac(context.key, previous, row)
        row["mac"] = previous.hex()
        rows.append(row)
        if len(rows) == _BATCH:
            conn.execute(_INSERT, rows)
            rows = []
    if rows:
        conn.execute(_INSERT, rows)
    if named:
        conn.execute(_INSERT_CLIENTS, named)


def now() -> datetime:
    """When an event happens (a test sets its own clock here)."""
    return utc_now()


# --- the newest event --------------------------------------------------------------------------


def _newest_of(conn: Any) -> Any:
    """The query for the newest event's number and MAC: on a team server through its
    `audit_head`, since only teamleiders may read the log there."""
    if conn.dialect.name == "postgresql":
        return text("SELECT seq, mac FROM audit_head()")
    return _NEWEST


def head(session: Session) -> tuple[int, str] | None:
    """(sequence number, MAC) of the newest event, or None for an empty log."""
    row = session.execute(_newest_of(session.connection())).first()
    return (int(row[0]), str(row[1])) if row else None


def kept_head(key_file: KeyFile) -> tuple[int, str] | None:
    """(sequence number, MAC) of the newest event as the key file keeps it (`audit_head`)."""
    value = key_file.extra.get(HEAD_KEY)
    return (value[0], value[1]) if isinstance(value, list) and is_head(value) else None


def is_head(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and type(value[0]) is int
        and isinstance(value[1], str)
    )
