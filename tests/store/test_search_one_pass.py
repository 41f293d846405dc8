"""Search reads the covering index once: direct matches until the limit, and on the way the
clients found through their network. Its results and their order are those of the two scans
it replaced (every direct match by name, then those found through the network by name), on a
generated register, for any fragment."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, not_, or_, select, true

from wijkteam_tui.domain.search import search_words
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.models import Client, NetworkMember
from wijkteam_tui.store.read.common import contains as _contains
from wijkteam_tui.store.read.search import search_clients

TODAY = date(2026, 11, 22)


def _two_scans(register, fragment: str, limit: int) -> tuple[list[int], int]:  # type: ignore[no-untyped-def]
    """The ids the search returned before: own matches by name up to `limit`, then (when
    fewer) the network-only matches by name, each its own scan; and how many were direct."""
    words = search_words(fragment)
    own = and_(true(), *(_contains(Client.search_text, w) for w in words))
    ordered = select(Client.id).order_by(Client.name, Client.id)
    with register.read_connection() as conn:
        ids = list(conn.scalars(ordered.where(own).limit(limit)))
        direct = len(ids)
        if words and len(ids) < limit:
            either = [
                or_(_contains(Client.search_text, w), _contains(Client.network_search_text, w))
                for w in words
            ]
            ids += conn.scalars(ordered.where(not_(own), *either).limit(limit - len(ids)))
    return ids, direct


def _fragments(register) -> st.SearchStrategy[str]:  # type: ignore[no-untyped-def]
    with register.read() as session:
        names = list(session.scalars(select(Client.name).limit(40)))
        names += list(session.scalars(select(NetworkMember.name).limit(40)))
    pieces = st.sampled_from(names).flatmap(
        lambda name: st.tuples(st.integers(0, len(name)), st.integers(1, 6)).map(
            lambda cut: name[cut[0] : cut[0] + cut[1]]
        )
    )
    rare = st.text(st.sampled_from(list("aeiouxyzqéç ")), max_size=4)
    return st.one_of(pieces, rare, st.lists(pieces, min_size=2, max_size=2).map(" ".join))


def test_one_pass_finds_what_two_scans_found_in_the_same_order(register):
    generate(register, 300, TODAY, seed=17)

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(_fragments(register), st.sampled_from([3, 20, 50]))
    def same(fragment: str, limit: int) -> None:
        found = search_clients(register, fragment, limit=limit)
        ids, direct = _two_scans(register, fragment, limit)
        assert [hit.id for hit in found] == ids
        assert all(hit.via_member == "" for hit in found[:direct]), "direct: found through nobody"
        assert all(hit.via_member for hit in found[direct:]), "through the network: says who"

    same()
