"""Events about many clients at once: a list that leaves the register (`wijkteam overdue`).

One event for the run instead of one per client: its detail says how many clients and
carries a digest of which (`list_digest`), so the event's MAC covers the list; the clients
themselves are kept beside it (`AuditEventClient`), so that each client's inzage and `audit
show --client` find the event by an index. `check` is the part of `log.verify` that holds the
kept list against the digest: a client added to or removed from it breaks the chain there.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from wijkteam_tui.store.audit.chain import Event

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


def check(raw: Any, lists: dict[int, str]) -> list[tuple[int, str, int]]:
    """The list events (`lists`: sequence number → digest in the detail) whose kept clients
    do not match their digest, and clients kept for an event that is no list, as (sequence
    number, reason, how many events come before it), in order. `raw` is a DB-API connection
    of the register."""
    kept: dict[int, list[tuple[int, str]]] = {}
    cursor = raw.execute(
        "SELECT seq, client_id, client_number FROM audit_event_clients ORDER BY seq, client_id"
    )
    while rows := cursor.fetchmany(20_000):
        for seq, client_id, number in rows:
            kept.setdefault(seq, []).append((client_id, number))
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
