"""The trigram index of the client search (locally migration 0025's FTS5 table, on a server the
GIN trigram indexes): the same results as reading every client, on a generated register and for
any fragment (hypothesis), on both backends; kept in step by every write that changes what a
client is found by; rewritten when a client is erased."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import pg
from tests.conftest import BACKENDS
from wijkteam_tui.domain.terms import MemberKind
from wijkteam_tui.store import erasure, services
from wijkteam_tui.store.address import Location, server_address
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.read import search
from wijkteam_tui.store.records import ClientInput, MemberInput
from wijkteam_tui.store.register import Register

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module", params=BACKENDS)
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A generated register of 300 clients and the texts they are found by, on each backend."""
    if request.param == "postgresql":
        cluster: pg.Cluster = request.getfixturevalue("postgres")
        location: Location = server_address(cluster.address(cluster.new_register_database()))
    else:
        location = tmp_path_factory.mktemp("search") / "register.db"
    register, _ = create_register(
        location,
        "anna",
        "zoek wachtwoord",
        demo=request.param == "sqlite",
        server_password=pg.BOOTSTRAP_PASSWORD,
    )
    generate(register, 300, TODAY, seed=5)
    with register.raw() as raw:
        texts = [
            text
            for row in raw.execute("SELECT search_text, network_search_text FROM clients")
            for text in row
            if text
        ]
    yield register, texts
    register.close()


def _without_index(register: Register, fragment: str, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patched:
        patched.setattr(search, "_holding", lambda conn, words: None)
        return search.search_clients(register, fragment)


@st.composite
def fragments(draw: st.DrawFn, texts: list[str]) -> str:
    """A piece of a text a client is found by, or letters that may match nobody, in one to
    three words, in upper or lower case."""
    words = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            text = draw(st.sampled_from(texts))
            start = draw(st.integers(0, max(0, len(text) - 1)))
            word = text[start : start + draw(st.integers(1, 9))].strip()
        else:
            word = draw(st.text(alphabet="aeiouyjkrstlnvwzqx0129é", min_size=1, max_size=7))
        words.append(word.upper() if draw(st.booleans()) else word)
    return " ".join(words)


def test_the_index_finds_what_reading_every_client_finds(generated, monkeypatch):
    register, texts = generated
    seen = {"few": 0, "many or short": 0}

    @settings(max_examples=300)
    @given(fragment=fragments(texts))
    def check(fragment: str) -> None:
        with register.read_connection() as conn:
            used = search._holding(conn, search.search_words(fragment)) is not None
            if register.server is not None:
                # The planner's settings for the look-up went with its savepoint.
                assert conn.exec_driver_sql("SHOW enable_seqscan").scalar_one() == "on"
        seen["few" if used else "many or short"] += 1
        assert search.search_clients(register, fragment) == _without_index(
            register, fragment, monkeypatch
        )

    check()
    assert seen["few"] > 50 and seen["many or short"] > 20, seen


def test_every_write_keeps_the_index_in_step(register, monkeypatch):
    def found(fragment: str) -> list[str]:
        hits = search.search_clients(register, fragment)
        assert hits == _without_index(register, fragment, monkeypatch)
        return [hit.name for hit in hits]

    client = services.create_client(
        register, ClientInput("Wilhelmina Qwertyuk", date(2026, 9, 1)), TODAY
    )
    assert found("qwertyuk") == ["Wilhelmina Qwertyuk"]
    edited = services.update_client(
        register,
        client.id,
        client.version,
        ClientInput("Wilhelmina Zxcvbnm", date(2026, 9, 1)),
        TODAY,
    )
    assert found("qwertyuk") == [] and found("zxcvbnm") == ["Wilhelmina Zxcvbnm"]
    member = services.add_member(
        register,
        edited.id,
        MemberInput(name="Bartholomeus Kwikstaart", kind=MemberKind.INFORMAL, relation="neef"),
        TODAY,
    )
    assert found("kwikstaart") == ["Wilhelmina Zxcvbnm"], "through her network"
    services.update_member(
        register,
        member.id,
        member.version,
        MemberInput(name="Bartholomeus Roodborst", kind=MemberKind.INFORMAL, relation="neef"),
        TODAY,
    )
    assert found("kwikstaart") == [] and found("roodborst") == ["Wilhelmina Zxcvbnm"]
    if register.server is not None:
        with register.raw() as raw:
            names = {
                row[0]
                for row in raw.execute(
                    "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%trigrams'"
                )
            }
            trigrams = raw.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
            ).fetchone()
        # A server without PostgreSQL's contrib has no pg_trgm: the search reads every client.
        expected = {
            "ix_clients_search_trigrams",
            "ix_clients_network_search_trigrams",
            "ix_clients_name_trigrams",
        }
        assert names == (expected if trigrams else set())


@pytest.mark.local_only  # a server's deleted rows go with its vacuum, its operator's
def test_an_erased_client_leaves_the_index_rewritten(register, monkeypatch):
    client = services.create_client(
        register, ClientInput("Geertruida Vlonderpaal", date(2026, 9, 1)), TODAY
    )
    other = services.create_client(
        register, ClientInput("Kees Vlonderbrug", date(2026, 9, 1)), TODAY
    )
    with register.raw() as raw:
        before = raw.execute("SELECT count(*) FROM client_search_data").fetchone()[0]
    facts = erasure.erasure_facts(register, client.id, TODAY)
    erasure.erase_client(
        register, client.id, confirm_number=facts.number, reason="Verzoek van de cliënt.",
        override="Geen plicht meer.", today=TODAY,
    )  # fmt: skip
    assert [h.name for h in search.search_clients(register, "vlonder")] == [other.name]
    with register.raw() as raw:
        after = raw.execute("SELECT count(*) FROM client_search_data").fetchone()[0]
    assert after < before, "her entries and the delete marks merged away"
    assert register.check() == []  # integrity_check includes the FTS5 table's own check
