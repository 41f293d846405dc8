"""Events about many clients at once: a list that leaves the register (`wijkteam overdue`).

One event for the run instead of one per client: its detail says how many clients and
carries a digest of which (`list_digest`), so the event's MAC covers the list; the clients
themselves are kept beside it (`AuditEventClient`, a row per bucket of client ids), so that
each client's inzage and `audit show --client` find the event by an index (`naming`). `check`
is the part of `log.verify` that holds the kept list against the digest: a client added to or
removed from it breaks the chain there.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select

from wijkteam_tui.store.audit.chain import Event
from wijkteam_tui.store.audit.models import (
    BUCKET_SIZE,
    AuditEvent,
    AuditEventClient,
    names,
    unpack,
)
from wijkteam_tui.store.models import Client

#: How the detail of a list event ends: the digest of its clients.
_DIGEST = re.compile(r", lijst ([0-9a-f]{32})$")


def list_digest(clients: Iterable[tuple[int, str]]) -> str:
    """The digest of a list's clients, (id, number) pairs, in any order."""
    text = "\n".join(f"{cid}:{number}" for cid, number in sorted(clients))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def listed(clients: Sequence[tuple[int, str]], what: str) -> Event:
    """One export event for a list that leaves the register (`what` says which list and
    format), naming each of its clients once."""
    named = tuple(sorted(dict(clients).items()))
    word = "cliënt" if len(named) == 1 else "cliënten"
    detail = f"{what}: {len(named)} {word}, lijst {list_digest(named)}"
    return Event("export", "clients", "", None, "ok", detail, clients=named)


def digest_in(action: str, detail: str) -> str | None:
    """The digest a list event's detail carries (None: it is no list event)."""
    if action != "export":
        return None
    found = _DIGEST.search(detail)
    return found.group(1) if found else None


def naming(conn: Connection, *, client_id: int | None = None, number: str = "") -> list[int]:
    """The sequence numbers of the list events that name a client, given by id or by number
    (a number is looked up among the clients, and for an erased one among the events)."""
    if client_id is None:
        client_id = conn.scalar(select(Client.id).where(Client.number == number)) or conn.scalar(
            select(AuditEvent.client_id)
            .where(AuditEvent.client_number == number, AuditEvent.client_id.is_not(None))
            .limit(1)
        )
        if client_id is None:
            return []
    rows = conn.execute(
        select(AuditEventClient.seq, AuditEventClient.clients)
        .where(AuditEventClient.bucket == client_id // BUCKET_SIZE)
        .order_by(AuditEventClient.seq)
    )
    return [seq for seq, text in rows if names(text, client_id)]


def check(raw: Any, lists: dict[int, str]) -> list[tuple[int, str, int]]:
    """The list events (`lists`: sequence number → digest in the detail) whose kept clients
    do not match their digest, and clients kept for an event that is no list, as (sequence
    number, reason, how many events come before it), in order. `raw` is a DB-API connection
    of the register."""
    kept: dict[int, list[tuple[int, str]]] = {}
    cursor = raw.execute("SELECT seq, clients FROM audit_event_clients ORDER BY seq, bucket")
    while rows := cursor.fetchmany(1_000):
        for seq, text in rows:
            kept.setdefault(seq, []).extend(unpack(text))
    breaks = []
    for seq in sorted(set(kept) | set(lists)):
        digest = lists.get(seq)
        if digest is None:
            reason = "er zijn cliënten bij de gebeurtenis gezet, die geen lijst is"
        elif list_digest(kept.get(seq, [])) != digest:
            reason = "de cliënten van de lijst kloppen niet met de gebeurtenis: gewijzigd"
        else:
            continue
        earlier = raw.execute(
            f"SELECT count(*) FROM audit_events WHERE seq < {int(seq)}"  # noqa: S608 (a number)
        ).fetchone()[0]
        breaks.append((seq, reason, int(earlier)))
    return breaks
