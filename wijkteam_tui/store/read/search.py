"""Finding a client (the Cliënten screen, on every keystroke): by every word typed, in their
name, number, address or postcode, or in the name of someone in their network."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_, select, true

from wijkteam_tui.domain.search import matched_members, search_words
from wijkteam_tui.domain.terms import AlertStatus, Phase
from wijkteam_tui.store.models import Alert, Client, NetworkMember, User
from wijkteam_tui.store.records import SearchHit
from wijkteam_tui.store.register import Register


def search_clients(
    register: Register,
    fragment: str,
    *,
    limit: int = 50,
    phase: Phase | None = None,
    casemanager_id: int | None = None,
    with_open_alert: bool = False,
) -> list[SearchHit]:
    """Clients matching every word of `fragment` (case and accents ignored) in their name,
    number, address or postcode, or in the name of someone in their network.

    Direct matches (every word in the client's own details) come first, then clients found
    through their network; each group by name. A hit found through the network names the
    member(s) it was found through in `via_member`.

    It runs on every keystroke, so it reads in two steps: the ids, in name order, from the
    covering index `ix_clients_search` in one pass (stopping at `limit` direct matches), then
    the details of those few."""
    words = search_words(fragment)
    open_alert = exists().where(Alert.client_id == Client.id, Alert.status != AlertStatus.RESOLVED)
    filters = []
    if phase is not None:
        filters.append(Client.phase == phase)
    if casemanager_id is not None:
        filters.append(Client.casemanager_id == casemanager_id)
    if with_open_alert:
        filters.append(open_alert)
    own = and_(true(), *(_contains(Client.search_text, word) for word in words))
    anywhere = [
        or_(_contains(Client.search_text, w), _contains(Client.network_search_text, w))
        for w in words
    ]
    matches = (
        select(Client.id, own.label("own"))
        .where(*anywhere, *filters)
        .order_by(Client.name, Client.id)
        .execution_options(stream_results=True, max_row_buffer=limit)
    )
    with register.read_connection() as conn:
        # One pass over the covering index in name order: the direct matches until there are
        # `limit` of them, and on the way the clients found only through their network, which
        # fill the list when fewer than `limit` are direct (a rare fragment: the whole index
        # is read once, not once for each kind of match).
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
        ids += through_network[: limit - len(ids)]
        if not ids:
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
    return hits


def _contains(column: Any, word: str) -> Any:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")
