"""Finding a client (the Cliënten screen, on every keystroke): by every word typed, in their
name, number, address or postcode, or in the name of someone in their network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_, select, text, true

from wijkteam_tui.domain.search import matched_members, search_words
from wijkteam_tui.domain.terms import AlertStatus, Phase
from wijkteam_tui.store.cover.access import by_name, open_ids
from wijkteam_tui.store.models import Alert, Client, NetworkMember, User
from wijkteam_tui.store.read.common import contains
from wijkteam_tui.store.register import Register


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A client found, as one line of the Cliënten screen."""

    id: int
    number: str
    name: str
    street: str
    house_number: str
    #: None for a client not theirs to open (`closed`).
    phase: Phase | None
    casemanager: str
    has_open_alert: bool
    #: The network member(s) through whom the client was found; "" for a direct match.
    via_member: str = ""
    #: Not one the medewerker works for (store/cover/access.py): name and number only.
    closed: bool = False


def search_clients(
    register: Register,
    fragment: str,
    *,
    limit: int = 50,
    phase: Phase | None = None,
    casemanager_id: int | None = None,
    with_open_alert: bool = False,
    today: date | None = None,
) -> list[SearchHit]:
    """Clients matching every word of `fragment` (case and accents ignored) in their name,
    number, address or postcode, or in the name of someone in their network.

    Direct matches (every word in the client's own details) come first, then clients found
    through their network; each group by name. A hit found through the network names the
    member(s) it was found through in `via_member`.

    It runs on every keystroke, so it reads in two steps: the ids, in name order, from the
    covering index `ix_clients_search` in one pass (stopping at `limit` direct matches), then
    the details of those few. When fewer than FEW clients hold the words of three characters
    or more (a rare name, a typo), the trigram index names them and only they are read: the
    search no longer reads the whole index to find almost nothing.

    A medewerker of a team that lets them open only the clients they work for (store/cover/
    access.py) finds the others by name and number only, shown without their details
    (`closed`): not by address or network, and not through the filters on phase or alerts."""
    words = search_words(fragment)
    open_alert = exists().where(Alert.client_id == Client.id, Alert.status != AlertStatus.RESOLVED)
    filters = []
    if phase is not None:
        filters.append(Client.phase == phase)
    if casemanager_id is not None:
        filters.append(Client.casemanager_id == casemanager_id)
    if with_open_alert:
        filters.append(open_alert)
    own = and_(true(), *(contains(Client.search_text, word) for word in words))
    matches = (
        select(Client.id, own.label("own"))
        .where(*(_anywhere(word) for word in words), *filters)
        .order_by(Client.name, Client.id)
        .execution_options(stream_results=True, max_row_buffer=limit)
    )
    with register.read_connection() as conn:
        # Only the clients they may open, when the team limits them: a few hundred, read by
        # their ids like the index's few (the pass in name order would read nearly every
        # client to find them); the others by name, below. (On a server the policies keep
        # the trigram index from their LIKEs; the server's `clients_named` uses it.)
        mine = open_ids(register, conn, today or date.today())
        server = conn.dialect.name == "postgresql"
        candidates = None if mine is not None and server else _holding(conn, words)
        named_among = candidates
        if mine is not None:
            candidates = sorted(mine if candidates is None else mine.intersection(candidates))
        if candidates is not None:
            # Few clients hold every long word: only they are read (the LIKEs above still
            # decide, so the index only leaves out, never adds). Many: the pass in name order
            # stops sooner at `limit` of them.
            matches = matches.where(Client.id.in_(candidates or [0]))
        ids, direct = _matching_ids(conn, matches, limit)
        closed = (
            []
            if mine is None or filters
            else [
                _closed_hit(*row)
                for row in by_name(conn, words, limit, named_among)
                if row[0] not in mine
            ]
        )
        if not ids and not closed:
            return []
        rows = {
            row.id: row
            for row in conn.execute(
                select(
                    Client.id,
                    Client.number,
                    Client.name,
                    Client.street,
                    Client.house_number,
                    Client.phase,
                    User.display_name,
                    open_alert.label("alert"),
                    Client.search_text,
                )
                .outerjoin(User, User.id == Client.casemanager_id)
                .where(Client.id.in_(ids))
            )
        }
        members: dict[int, list[str]] = {}
        indirect = [cid for cid in ids if cid not in direct]
        if indirect:
            for client_id, member in conn.execute(
                select(NetworkMember.client_id, NetworkMember.name)
                .where(NetworkMember.client_id.in_(indirect))
                .order_by(NetworkMember.name, NetworkMember.id)
            ):
                members.setdefault(client_id, []).append(member)
    hits = []
    for cid in ids:
        row = rows[cid]
        via = "" if cid in direct else matched_members(words, row.search_text, members.get(cid, []))
        hits.append(
            SearchHit(
                cid,
                row.number,
                row.name,
                row.street,
                row.house_number,
                row.phase,
                row.display_name or "",
                bool(row.alert),
                via,
            )
        )
    return _with_closed(hits, closed, limit)


def _with_closed(hits: list[SearchHit], closed: list[SearchHit], limit: int) -> list[SearchHit]:
    """The direct matches and the clients found by name that the person may not open, by
    name, then the clients found through their network."""
    if not closed:
        return hits
    direct = sorted([h for h in hits if not h.via_member] + closed, key=lambda h: (h.name, h.id))
    return (direct + [h for h in hits if h.via_member])[:limit]


def _closed_hit(client_id: int, number: str, name: str, casemanager: str) -> SearchHit:
    """A client the person may not open: name, number and casemanager (whom to ask)."""
    return SearchHit(client_id, number, name, "", "", None, casemanager, False, closed=True)


def _matching_ids(conn: Any, matches: Any, limit: int) -> tuple[list[int], set[int]]:
    """The ids of the hits in order, and which of them are direct matches.

    One pass in name order: the direct matches until there are `limit` of them, and on the way
    the clients found only through their network, which fill the list when fewer than `limit`
    are direct (a rare fragment: what is read, is read once, not once for each kind of
    match)."""
    ids: list[int] = []
    through_network: list[int] = []
    found = conn.execute(matches)
    try:
        for client_id, direct_match in found:
            if direct_match:
                ids.append(client_id)
                if len(ids) == limit:
                    break
            elif len(through_network) < limit:
                through_network.append(client_id)
    finally:
        found.close()
    direct = set(ids)
    return ids + through_network[: limit - len(ids)], direct


#: A trigram index looks up runs of three characters: a shorter word it cannot find.
TRIGRAM = 3

#: Up to how many clients the trigram index's candidates are read by their ids and sorted; a
#: fragment more clients hold is read in name order, which stops at the first page.
FEW = 500


def _holding(conn: Any, words: list[str]) -> list[int] | None:
    """The ids of every client whose texts hold all `words` of three characters or more, read
    through the trigram index; None when no word is that long or FEW clients or more hold them.

    Locally the FTS5 table of migration 0025 (each word a phrase: a substring, in either
    text). On a server the GIN trigram indexes (store/server/roles.py), which the planner
    passes over: its cost for them is too high, so it reads every row for a rare word (8.5 ms
    against 0.8 ms at 20,000 clients). Its estimate of how many rows hold the words is good
    enough to tell rare from common, though: when it expects fewer than FEW, only a bitmap scan
    is allowed, in a savepoint that takes the setting back; otherwise the look-up is left out
    (building the bitmap of a common word costs more than it saves: 7–13 ms against 5–9 ms
    for a surname's first letters at 20,000 clients). Without those indexes (a server without
    pg_trgm) the look-up is one sequential pass, which the search would have made anyway."""
    long = [word for word in words if len(word) >= TRIGRAM]
    if not long:
        return None
    if conn.dialect.name == "sqlite":
        query = " AND ".join('"' + word.replace('"', '""') + '"' for word in long)
        found = conn.execute(
            text("SELECT rowid FROM client_search WHERE client_search MATCH :query LIMIT :few"),
            {"query": query, "few": FEW},
        )
        ids = list(found.scalars())
    else:
        holding = select(Client.id).where(*map(_anywhere, long))
        if _estimate(conn, holding) >= FEW:
            return None
        with conn.begin_nested() as savepoint:
            conn.exec_driver_sql(
                "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;"
                " SET LOCAL enable_indexonlyscan = off"
            )
            ids = list(conn.execute(holding.limit(FEW)).scalars())
            savepoint.rollback()
    return ids if len(ids) < FEW else None


def _estimate(conn: Any, query: Any) -> float:
    """How many rows the server's planner expects `query` to give (its statistics; no row is
    read)."""
    compiled = query.compile(dialect=conn.dialect)
    plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params)
    return float(plan.scalar_one()[0]["Plan"]["Plan Rows"])


def _anywhere(word: str) -> Any:
    """The word in the client's own details or in the name of someone in their network."""
    return or_(contains(Client.search_text, word), contains(Client.network_search_text, word))
