"""The audit log of a register, modelled on NEN 7513: who did what to whose data, when, in
which role. Events are made by store/audit/chain.py as the changes happen; here they are
recorded for what is not a change, counted, pruned past their term, checked and read.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.orm import Session

from wijkteam_tui.store.audit import chain, lists
from wijkteam_tui.store.audit.chain import (
    COLUMNS,
    GENESIS,
    Event,
    head,
    kept_head,
    mac_of,
    note,
)
from wijkteam_tui.store.audit.models import AuditCheckpoint, AuditEvent

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register

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
    "mail-test": "testbericht verstuurd",
    "digest-mail": "weekoverzicht gemaild",
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
    "mail_settings": "mailinstellingen",
    "mail_texts": "herinneringstekst",
    "reminders": "herinnering",
    "absences": "afwezigheid",
    "absence_covers": "waarneming per cliënt",
    "access_grants": "toegang van de teamleider",
    "emergency_access": "noodtoegang",
    "assessments": "meting",
    "assessment_scores": "score van een meting",
    "assessment_revisions": "eerdere versie van een meting",
    "member_links": "koppeling van netwerkleden in de buurt",
    "users": "gebruiker",
    "resources": "voorziening",
    "register": "register",
    "audit_events": "auditlog",
}
#: The fields of a change as a person reads them (the log keeps the names the store uses, so
#: that what was written stays what the chain covers; only the showing is Dutch).
FIELD_LABELS = {
    "name": "naam",
    "display_name": "naam",
    "birth_date": "geboortedatum",
    "street": "straat",
    "house_number": "huisnummer",
    "postcode": "postcode",
    "city": "plaats",
    "wijk": "wijk",
    "address": "adres",
    "phone": "telefoon",
    "email": "e-mail",
    "regime": "regeling",
    "casemanager_id": "casemanager",
    "phase": "fase",
    "opened_on": "startdatum",
    "closed_on": "afgesloten op",
    "own_words": "in eigen woorden",
    "strengths": "krachten",
    "meaningful": "van betekenis",
    "retention_until": "bewaren tot",
    "relation": "relatie",
    "kind": "soort",
    "ring": "ring",
    "supports": "steun",
    "availability": "bereikbaarheid",
    "consent_to_share": "toestemming delen",
    "consent_recorded_on": "toestemming vastgelegd op",
    "consent_review_on": "toestemming herzien op",
    "remind_by_mail": "herinneren per mail",
    "remind_consent_on": "toestemming herinneren op",
    "remind_review_on": "toestemming herinneren herzien op",
    "remind_days_before": "herinnering dagen vooraf",
    "from_on": "vanaf",
    "until_on": "tot en met",
    "cover_id": "waarneming",
    "ended_on": "beëindigd op",
    "reason": "reden",
    "opened_at": "geopend om",
    "until_at": "geldig tot",
    "granted_by_id": "gegeven door",
    "ended_reason": "reden einde",
    "member_id": "wie",
    "resource_id": "voorziening",
    "channel": "kanaal",
    "interval_days": "hoe vaak",
    "rrule": "hoe vaak",
    "start_on": "start",
    "end_on": "einde",
    "next_due": "volgende keer",
    "last_contact_on": "laatste contact",
    "snoozed_until": "uitgesteld tot",
    "snooze_reason": "reden uitstel",
    "occurred_on": "datum",
    "outcome": "uitkomst",
    "note": "notitie",
    "notes": "notities",
    "description": "omschrijving",
    "signs": "signalen",
    "own_actions": "wat de cliënt zelf doet",
    "network_actions": "wat het netwerk doet",
    "professional_actions": "wat de professional doet",
    "whom_to_call": "wie te bellen",
    "observed_on": "waargenomen op",
    "observed_by": "waargenomen door",
    "status": "status",
    "decided_by_id": "besloten door",
    "decided_on": "besloten op",
    "decision_reason": "reden besluit",
    "resolved_by_id": "afgehandeld door",
    "resolved_on": "afgehandeld op",
    "resolution_note": "notitie bij afhandelen",
    "active": "actief",
    "role": "rol",
    "caseload": "caseload",
    "team_name": "teamnaam",
    "office_phone": "telefoon kantoor",
    "opening_hours": "openingstijden",
    "out_of_hours_name": "buiten kantoortijd: naam",
    "out_of_hours_phone": "buiten kantoortijd: telefoon",
    "out_of_hours_hours": "buiten kantoortijd: tijden",
    "idle_lock_minutes": "vergrendelen na",
    "grace_days": "speling",
    "days": "dagen",
    "enabled": "aan",
    "category": "categorie",
    "contact_person": "contactpersoon",
    "position": "functie",
}
#: The formats of a list as the command line names them.
_FORMATS = {"(table)": "(tabel)", "(csv)": "(CSV)", "(json)": "(JSON)"}
_CHANGED = "velden: "
#: How long events are kept (NEN 7513 asks for at least five years).
KEEP_YEARS = 5


def record(register: Register, *events: Event) -> None:
    """Log `events` now, in a transaction of their own (after a read, a login, a lock)."""
    with register.write(log_only=True) as session:
        note(session, *events)


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
            # Through the one function that may remove events, and only past their term
            # (store/server/roles.py).
            session.execute(text("SELECT prune_audit(:through)"), {"through": through})
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
        AuditCheckpoint(through_seq=through, through_mac=mac, pruned=pruned, made_at=chain.now())
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


REFUSAL = "Alleen een teamleider bekijkt en controleert het auditlog."


def verify(register: Register) -> Verdict:
    """Check every event against the chain and the key file's head (teamleider)."""
    register.require_teamleider(REFUSAL)
    key = register.audit_key
    kept_seq, kept_mac = kept_head(register.keys.current()) or (0, "")
    start = _chain_start(register)
    if isinstance(start, Verdict):
        return start
    previous, expected = start
    count = 0
    columns = ", ".join(c.key for c in COLUMNS)
    breaks: list[tuple[int, str]] = []
    whole: int | None = None  # events that were whole before the first break
    list_digests: dict[int, str] = {}  # the list events' digests (lists.py)
    with register.raw() as raw:
        cursor = raw.execute(f"SELECT {columns} FROM audit_events ORDER BY seq")  # noqa: S608
        while rows := cursor.fetchmany(20_000):
            for values in rows:
                seq, stored = values[0], values[-1]
                digest = lists.digest_in(values[5], values[11])
                if digest is not None:
                    list_digests[seq] = digest
                mac = mac_of(key, previous, values[:-1])
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
        for seq, reason, earlier in lists.check(raw, list_digests):
            if not breaks or seq < min(found for found, _ in breaks):
                whole = earlier
            breaks.append((seq, reason))
    breaks.sort(key=lambda found: found[0])
    if kept_seq >= expected:
        breaks.append(
            (
                expected,
                f"de laatste {kept_seq - expected + 1} gebeurtenissen ontbreken: het"
                f" sleutelbestand kent volgnummer {kept_seq}, het log eindigt bij {expected - 1}",
            )
        )
    return _verdict(count if whole is None else whole, breaks)


def _verdict(whole: int, breaks: list[tuple[int, str]]) -> Verdict:
    """The verdict on `whole` events checked and the `breaks` found, in order."""
    if not breaks:
        return Verdict(whole)
    (first, reason), later = breaks[0], tuple(seq for seq, _ in breaks[1:])
    if later:
        shown = ", ".join(str(seq) for seq in later[:10]) + (" …" if len(later) > 10 else "")
        reason += f"; verder ook bij volgnummer {shown}"
    return Verdict(whole, first, reason, later)


def _chain_start(register: Register) -> tuple[bytes, int] | Verdict:
    """(MAC to chain to, first sequence number) of what remains of the log: the start, or the
    newest checkpoint after pruning; a Verdict when that checkpoint is not in the chain."""
    with register.read() as session:
        checkpoint = session.execute(
            select(AuditCheckpoint.through_seq, AuditCheckpoint.through_mac)
            .order_by(AuditCheckpoint.through_seq.desc())
            .limit(1)
        ).first()
        if checkpoint is None:
            return GENESIS, 1
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
    return bytes.fromhex(checkpoint[1]), checkpoint[0] + 1


def _stored_mac(stored: object, computed: bytes) -> bytes:
    """The MAC an event that breaks the chain claims, which the next event was chained to;
    the computed one when it is not even a MAC."""
    try:
        claimed = bytes.fromhex(str(stored))
    except ValueError:
        return computed
    return claimed if len(claimed) == len(computed) else computed


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

    @property
    def detail_text(self) -> str:
        """The detail in Dutch words: "velden: naam, geboortedatum", "(tabel)"."""
        return detail_text(self.detail)


def detail_text(detail: str) -> str:
    """An event's detail as a person reads it (the stored text is left as it was written)."""
    if detail.startswith(_CHANGED):
        names = detail.removeprefix(_CHANGED).split(", ")
        labels = dict.fromkeys(FIELD_LABELS.get(n, n.replace("_", " ")) for n in names if n)
        return _CHANGED + ", ".join(labels)
    for english, dutch in _FORMATS.items():
        if detail.endswith(english):
            return detail.removesuffix(english) + dutch
        if f"{english}: " in detail:  # a list that names its clients (lists.py)
            return detail.replace(f"{english}: ", f"{dutch}: ", 1)
    return detail


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
    query = select(*COLUMNS[:-1]).order_by(AuditEvent.seq)
    if user_name is not None:
        query = query.where(AuditEvent.user_name == user_name)
    if since is not None:
        query = query.where(AuditEvent.at >= datetime.combine(since, datetime.min.time()))
    with register.read_connection() as conn:
        if client_number is not None:
            number = client_number.strip()
            in_list = lists.naming(conn, number=number)
            query = query.where(
                or_(AuditEvent.client_number == number, AuditEvent.seq.in_(in_list))
            )
        rows = conn.execute(query).all()
    if limit is not None:
        rows = rows[-limit:]
    return [
        ShownEvent(seq, at, user, role, code, action, otype, oid, number or "", outcome, detail)
        for seq, at, user, role, code, action, otype, oid, _cid, number, outcome, detail in rows
    ]


def logins_failed(count: int, last: datetime | None, user: str) -> Sequence[Event]:
    """The failed tries since the last success, as events (they could not be written while
    the register was locked)."""
    when = f", de laatste op {last:%Y-%m-%d %H:%M} UTC" if last else ""
    return [
        Event(
            "login-failed",
            "users",
            user,
            None,
            "mislukt",
            f"mislukte poging {n + 1} van {count} op rij{when}",
        )
        for n in range(count)
    ]
