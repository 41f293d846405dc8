"""The audit log, modelled on NEN 7513: who did what to whose data, when, in which role.

- Every create, update and delete of a record is logged by itself: the register's write
  sessions collect what each flush changed (`_collect`) and append the events in the same
  transaction, so an event exists exactly when its change does. A change names the fields it
  touched, never their contents. SQLAlchemy calls `before_commit` before the commit's own
  flush, so that hook flushes first (`_append`) and whatever a later flush of the same commit
  writes is appended right after it (`_append_late`): a change that only the commit flushes
  (confirming an alert changes one loaded row) is logged too.
- What is not a change is logged by the code that does it, with `record`: reading a client's
  file, a search (that it happened and its hit count, never the terms), an export, logging in
  (and the failed tries since the last success), locking and unlocking.
- Each event carries a sequence number and an HMAC-SHA256 over its fields and the previous
  event's MAC, keyed from the database key: an edited, deleted, swapped or inserted event
  breaks the chain at that point (`verify`). The newest sequence number and MAC are also kept
  in the key file, written when the register is closed and never moved back onto a shorter
  log (`audit_head`), so cutting off the newest events is caught as well.

Someone holding the database key and this code can rewrite the whole chain; the log makes
tampering detectable for everyone else (see "Trust model" in the README).
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, inspect, select, text
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, sessionmaker

from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.keys.primitives import derive_subkey
from wijkteam_tui.store.models import (
    AuditCheckpoint,
    AuditEvent,
    Client,
    DailySnapshot,
    SharedExport,
)

if TYPE_CHECKING:
    from wijkteam_tui.store.engine import Register
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
#: How each action reads in Dutch (`audit show`, the Audit screen, the inzage summary).
ACTION_LABELS = {
    "create": "aangemaakt",
    "read": "ingezien",
    "update": "gewijzigd",
    "delete": "verwijderd",
    "search": "gezocht",
    "export": "geëxporteerd",
    "login": "ingelogd",
    "login-failed": "inloggen mislukt",
    "lock": "vergrendeld",
    "unlock": "ontgrendeld",
    "user": "gewijzigd",
    "erase": "gewist",
    "prune": "ingekort",
    "sweep": "dagelijks nagelopen",
    "retention": "langer bewaard",
    "rekey": "herversleuteld",
    "copy": "gekopieerd",
    "backup": "back-up gemaakt",
    "restore": "teruggezet",
    "older": "oudere stand opgemerkt",
}
OBJECT_LABELS = {
    "clients": "cliënt",
    "network_members": "netwerklid",
    "contact_agreements": "contactafspraak",
    "contact_moments": "contactmoment",
    "signals": "signaleringsplan",
    "observations": "signalering",
    "thresholds": "drempel",
    "alerts": "aandachtspunt",
    "phase_changes": "fasewissel",
    "sign_off_requests": "aftekenverzoek",
    "casemanager_changes": "casemanagerwissel",
    "setting_changes": "teaminstelling",
    "team_settings": "teaminstellingen",
    "users": "gebruiker",
    "resources": "voorziening",
    "register": "register",
    "audit_events": "auditlog",
}
#: Rows that hold no one's data (team figures per day, the log's own bookkeeping).
_NOT_LOGGED = (AuditEvent, AuditCheckpoint, DailySnapshot)
#: How long events are kept (NEN 7513 asks for at least five years).
KEEP_YEARS = 5
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


def record(register: Register, *events: Event) -> None:
    """Log `events` now, in a transaction of their own (after a read, a login, a lock)."""
    with register.write() as session:
        note(session, *events)


# --- collecting what a flush changed -----------------------------------------------------------


def _client_of(row: Any) -> int | None:
    if isinstance(row, Client):
        return row.id
    value = getattr(row, "client_id", None)
    return value if isinstance(value, int) else None


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
        pending[slot] = Event(action, table, key, _client_of(row), "ok", detail)

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


_SEPARATOR = "\x1f"


def _mac_of(key: bytes, previous: bytes, values: Sequence[Any]) -> bytes:
    """The MAC of an event given as its 12 fields in column order (`_COLUMNS` without the
    MAC), chained to the previous event's MAC. The fields are joined by the unit separator;
    only the last (the detail) may contain one, so the joined text has one reading."""
    seq, at, *middle, detail = values
    text = _SEPARATOR.join(
        (str(seq), _at_text(at), *("" if v is None else str(v) for v in middle), detail)
    )
    return hmac.digest(key, previous + text.encode("utf-8"), "sha256")


def chain_mac(key: bytes, previous: bytes, row: dict[str, Any]) -> bytes:
    """The MAC of an event given as a dict of its fields."""
    return _mac_of(key, previous, [row[name] for name in _NAMES[:-1]])


_NEWEST = select(AuditEvent.seq, AuditEvent.mac).order_by(AuditEvent.seq.desc()).limit(1)
_INSERT = insert(AuditEvent.__table__)  # type: ignore[arg-type]  # Core: no ORM bulk path


def _append(session: Session) -> None:
    # The commit flushes only after this hook: flush now, so that what is still waiting is
    # collected and appended with the rest, and mark the transaction as committing, so that
    # a flush the commit still makes after this (`_append_late`) is appended at once.
    session.flush()
    session.info[_COMMITTING] = session.get_transaction()
    _write(session)


def _append_late(session: Session, _flush_context: object) -> None:
    if session.info.get(_COMMITTING) is session.get_transaction():
        _write(session)


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
    last = conn.execute(_newest_of(conn)).first()
    seq, previous = (last[0], bytes.fromhex(last[1])) if last else (0, GENESIS)
    at = _now()
    rows = []
    for event in pending.values():
        seq += 1
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
    conn.execute(_INSERT, rows)


def _now() -> datetime:
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
    return (value[0], value[1]) if isinstance(value, list) and _is_head(value) else None


def head_count(register: Register) -> int:
    """How many events the log holds (the newest sequence number)."""
    with register.read() as session:
        newest = head(session)
    return newest[0] if newest else 0


# --- pruning ----------------------------------------------------------------------------------


def prune(register: Register, today: date, years: int = KEEP_YEARS) -> int:
    """Remove the events older than `years` (from the oldest on), leaving a checkpoint with
    the last removed event's number and MAC so that what remains still verifies, and an event
    that says so. Returns how many were removed. Part of the daily sweep."""
    from dateutil.relativedelta import relativedelta

    cutoff = datetime.combine(today - relativedelta(years=years), datetime.min.time())
    with register.write() as session:
        if register.server is not None:
            plan = session.execute(
                text("SELECT first_seq, through_seq, through_mac FROM audit_prunable(:cutoff)"),
                {"cutoff": cutoff},
            ).first()
            if plan is None:
                return 0
            first, through, mac = plan
            pruned = int(through) - int(first) + 1
            from wijkteam_tui.store.server import prune_audit

            prune_audit(session, through)  # the server lets events go only past their term
            _checkpoint(session, through, mac, pruned, years)
            return pruned
        # Only the oldest events, up to the first one inside the term (a clock that was set
        # back must not take younger events with it).
        oldest = session.execute(
            select(AuditEvent.seq, AuditEvent.at).order_by(AuditEvent.seq).limit(1)
        ).first()
        if oldest is None or oldest[1] >= cutoff:
            return 0  # the daily case: one look at the oldest event
        first = oldest[0]
        first_kept = session.scalar(select(func.min(AuditEvent.seq)).where(AuditEvent.at >= cutoff))
        through = (
            first_kept - 1
            if first_kept is not None
            else session.scalar(select(func.max(AuditEvent.seq)))
        )
        if through is None or through < first:
            return 0
        mac = session.scalar(select(AuditEvent.mac).where(AuditEvent.seq == through))
        pruned = int(through) - int(first) + 1
        session.execute(delete(AuditEvent).where(AuditEvent.seq <= through))
        _checkpoint(session, through, str(mac), pruned, years)
    return pruned


def _checkpoint(session: Session, through: int, mac: str, pruned: int, years: int) -> None:
    """The checkpoint after events up to `through` were pruned, and the event that says so."""
    session.add(
        AuditCheckpoint(through_seq=through, through_mac=mac, pruned=pruned, made_at=_now())
    )
    note(
        session,
        Event(
            "prune",
            "audit_events",
            str(through),
            detail=f"{pruned} gebeurtenissen ouder dan {years} jaar verwijderd, tot en met"
            f" volgnummer {through}; het controlepunt bewaart de MAC daarvan",
        ),
    )


# --- checking the chain ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    events: int
    #: The first sequence number where the chain is broken, None when it is whole.
    broken_at: int | None = None
    reason: str = ""
    #: Every later break: the check goes on after one (from the MAC stored there, which the
    #: next event was chained to), so one planted event cannot hide what follows it.
    later: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.broken_at is None


_COLUMNS = (
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
_NAMES = tuple(c.key for c in _COLUMNS)


REFUSAL = "Alleen een teamleider bekijkt en controleert het auditlog."


def verify(register: Register) -> Verdict:
    """Check every event against the chain and the key file's head (teamleider)."""
    register.require_teamleider(REFUSAL)
    key = register.audit_key
    kept_seq, kept_mac = kept_head(register.keys.current()) or (0, "")
    previous, expected, count = GENESIS, 1, 0
    with register.read() as session:
        checkpoint = session.execute(
            select(AuditCheckpoint.through_seq, AuditCheckpoint.through_mac)
            .order_by(AuditCheckpoint.through_seq.desc())
            .limit(1)
        ).first()
        if checkpoint is not None:
            recorded = session.scalar(
                select(AuditEvent.seq).where(
                    AuditEvent.action == "prune", AuditEvent.object_id == str(checkpoint[0])
                )
            )
            if recorded is None:
                return Verdict(
                    0,
                    checkpoint[0] + 1,
                    f"het controlepunt na volgnummer {checkpoint[0]} staat niet in de keten",
                )
            previous, expected = bytes.fromhex(checkpoint[1]), checkpoint[0] + 1
    columns = ", ".join(c.key for c in _COLUMNS)
    breaks: list[tuple[int, str]] = []
    whole: int | None = None  # events that were whole before the first break
    with register.raw() as raw:
        cursor = raw.execute(f"SELECT {columns} FROM audit_events ORDER BY seq")  # noqa: S608
        while rows := cursor.fetchmany(20_000):
            for values in rows:
                seq, stored = values[0], values[-1]
                mac = _mac_of(key, previous, values[:-1])
                if seq != expected:
                    # Events are missing (or out of place): the chain goes on from this one.
                    breaks.append((min(seq, expected), _gap(expected, seq)))
                    mac = _stored_mac(stored, mac)
                elif not hmac.compare_digest(mac.hex(), stored):
                    breaks.append(
                        (
                            seq,
                            "de gebeurtenis past niet in de keten: gewijzigd, verwisseld of"
                            " ertussen gezet",
                        )
                    )
                    mac = _stored_mac(stored, mac)
                elif seq == kept_seq and not hmac.compare_digest(stored, kept_mac):
                    breaks.append((seq, "de gebeurtenis is een andere dan het sleutelbestand kent"))
                if breaks and whole is None:
                    whole = count
                previous, expected, count = mac, max(seq, expected) + 1, count + 1
    if kept_seq >= expected:
        breaks.append(
            (
                expected,
                f"de laatste {kept_seq - expected + 1} gebeurtenissen ontbreken: het"
                f" sleutelbestand kent volgnummer {kept_seq}, het log eindigt bij {expected - 1}",
            )
        )
    if not breaks:
        return Verdict(count)
    (first, reason), later = breaks[0], tuple(seq for seq, _ in breaks[1:])
    if later:
        shown = ", ".join(str(seq) for seq in later[:10]) + (" …" if len(later) > 10 else "")
        reason += f"; verder ook bij volgnummer {shown}"
    return Verdict(count if whole is None else whole, first, reason, later)


def _stored_mac(stored: object, computed: bytes) -> bytes:
    """The MAC an event that breaks the chain claims, which the next event was chained to;
    the computed one when it is not even a MAC."""
    try:
        claimed = bytes.fromhex(str(stored))
    except ValueError:
        return computed
    return claimed if len(claimed) == len(computed) else computed


def _is_head(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and type(value[0]) is int
        and isinstance(value[1], str)
    )


def _gap(expected: int, seq: int) -> str:
    if seq < expected:
        return f"volgnummer {seq} staat er dubbel of op de verkeerde plek"
    missing = seq - expected
    return f"volgnummer {expected} ontbreekt" + (
        f" (en de {missing - 1} daarna)" if missing > 1 else ""
    )


# --- reading the log ---------------------------------------------------------------------------


def what(object_type: str, action: str) -> str:
    """An event in Dutch words: "cliënt ingezien", "contactmoment aangemaakt"."""
    label = ACTION_LABELS.get(action, action)
    thing = OBJECT_LABELS.get(object_type, object_type)
    return f"{thing} {label}" if thing else label


@dataclass(frozen=True, slots=True)
class ShownEvent:
    seq: int
    at: datetime
    user_name: str
    role: str
    code: str
    action: str
    object_type: str
    object_id: str
    client_number: str
    outcome: str
    detail: str

    @property
    def what(self) -> str:
        return what(self.object_type, self.action)


def events(
    register: Register,
    *,
    client_number: str | None = None,
    user_name: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> list[ShownEvent]:
    """The log, oldest first, filtered by client, user and first day (teamleider)."""
    register.require_teamleider(REFUSAL)
    query = select(*_COLUMNS[:-1]).order_by(AuditEvent.seq)
    if client_number is not None:
        query = query.where(AuditEvent.client_number == client_number.strip())
    if user_name is not None:
        query = query.where(AuditEvent.user_name == user_name)
    if since is not None:
        query = query.where(AuditEvent.at >= datetime.combine(since, datetime.min.time()))
    with register.read_connection() as conn:
        rows = conn.execute(query).all()
    if limit is not None:
        rows = rows[-limit:]
    return [
        ShownEvent(seq, at, user, role, code, action, otype, oid, number or "", outcome, detail)
        for seq, at, user, role, code, action, otype, oid, _cid, number, outcome, detail in rows
    ]


def listed(clients: Sequence[tuple[int, str]], what: str) -> list[Event]:
    """One export event per client in a list that leaves the register (`what` says which
    list and format), so each client's inzage shows it."""
    seen: dict[int, str] = dict(clients)
    return [
        Event("export", "clients", str(cid), cid, "ok", what, number)
        for cid, number in sorted(seen.items())
    ]


def logins_failed(count: int, last: datetime | None, user: str) -> Sequence[Event]:
    """The failed tries since the last success, as events (they could not be written while
    the register was locked)."""
    when = f", de laatste op {last:%Y-%m-%d %H:%M} UTC" if last else ""
    return [
        Event("login-failed", "users", user, None, "mislukt", f"poging {n + 1} van {count}{when}")
        for n in range(count)
    ]
