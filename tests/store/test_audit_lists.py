"""A list that leaves the register is one audit event naming its clients (store/audit/lists.py):
each client's inzage and `audit show --client` find it, its MAC covers which clients it names,
and `verify` catches a client added to or taken from it behind the program's back. Both
backends; the tampering is done as whoever holds the database (tests.conftest.execute_raw)."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import select

from tests.conftest import execute_raw
from wijkteam_tui.store import services
from wijkteam_tui.store.audit import lists, log
from wijkteam_tui.store.audit.lists import digest_in, list_digest, listed
from wijkteam_tui.store.audit.models import AuditEventClient, pack, unpack
from wijkteam_tui.store.migrate import migration_config, run_alembic
from wijkteam_tui.store.read.inzage import client_inzage
from wijkteam_tui.store.records import ClientInput

TODAY = date(2026, 11, 22)
WHAT = "lijst te late contactmomenten (json)"


@pytest.fixture
def three(register):
    """Three clients, and one list event naming the first two (the first twice, as a list of
    agreements would)."""
    made = [
        services.create_client(register, ClientInput(name, date(2026, 9, 1)), TODAY)
        for name in ("Truus Smit", "Kees Bakker", "Piet Anders")
    ]
    named = [(made[0].id, made[0].number), (made[1].id, made[1].number)]
    log.record(register, listed([named[0], *named], WHAT))
    return made


def _seq_of_list(register) -> int:
    return next(e.seq for e in log.events(register) if digest_in(e.action, e.detail))


def test_a_list_is_one_event_that_each_named_client_finds(register, three):
    truus, kees, piet = three
    events = [e for e in log.events(register) if e.action == "export"]
    assert len(events) == 1
    event = events[0]
    assert event.client_number == "" and event.detail.startswith(f"{WHAT}: 2 cliënten, lijst ")
    assert event.detail_text.startswith("lijst te late contactmomenten (JSON): 2 cliënten")
    for client in (truus, kees):
        assert event.seq in [e.seq for e in log.events(register, client_number=client.number)]
        access = client_inzage(register, client.id).document["access"]
        assert event.seq in [e["seq"] for e in access]
    assert event.seq not in [e.seq for e in log.events(register, client_number=piet.number)]
    assert event.seq not in [e["seq"] for e in client_inzage(register, piet.id).document["access"]]
    assert log.verify(register).ok


def test_the_digest_does_not_depend_on_the_order_and_names_each_client_once():
    assert list_digest([(2, "100002"), (1, "100001")]) == list_digest(
        [(1, "100001"), (2, "100002")]
    )
    assert list_digest([(1, "100001")]) != list_digest([(1, "100001"), (2, "100002")])
    event = listed([(2, "100002"), (1, "100001"), (2, "100002")], WHAT)
    assert event.clients == ((1, "100001"), (2, "100002"))
    assert digest_in("export", event.detail) == list_digest(event.clients)
    assert digest_in("read", event.detail) is None
    assert listed([], WHAT).detail.startswith(f"{WHAT}: 0 cliënten, lijst ")


def test_the_clients_are_kept_a_row_per_bucket_of_ids(register, three):
    truus, kees, _ = three
    seq = _seq_of_list(register)
    with register.read_connection() as conn:
        rows = conn.execute(select(AuditEventClient.bucket, AuditEventClient.clients)).all()
    assert rows == [(0, f"{truus.id}:{truus.number}\n{kees.id}:{kees.number}")]
    assert pack([(5000, "105000"), (3, "100003"), (1030, "101030")]) == {
        0: "3:100003",
        1: "1030:101030",
        4: "5000:105000",
    }
    assert unpack("3:100003\nwat anders") == [(3, "100003"), (-1, "wat anders")]
    with register.read_connection() as conn:
        assert lists.naming(conn, client_id=truus.id) == [seq]
        assert lists.naming(conn, number=kees.number) == [seq]
        assert lists.naming(conn, number="999999") == []


def test_verify_catches_a_client_taken_from_the_list(register, three):
    kees = three[1]
    seq = _seq_of_list(register)
    execute_raw(register, f"UPDATE audit_event_clients SET clients = '{kees.id}:{kees.number}'")
    verdict = log.verify(register)
    assert verdict.broken_at == seq and "kloppen niet" in verdict.reason
    assert verdict.events == seq - 1


def test_verify_catches_a_client_put_on_the_list(register, three):
    truus, kees, piet = three
    seq = _seq_of_list(register)
    lines = "\n".join(f"{c.id}:{c.number}" for c in (truus, kees, piet))
    execute_raw(register, f"UPDATE audit_event_clients SET clients = '{lines}' WHERE seq = {seq}")
    verdict = log.verify(register)
    assert verdict.broken_at == seq and "kloppen niet" in verdict.reason


def test_verify_catches_clients_hung_on_an_event_that_is_no_list(register, three):
    piet = three[2]
    first = log.events(register)[0].seq
    execute_raw(
        register,
        "ALTER TABLE audit_event_clients DISABLE TRIGGER audit_event_client_check"
        if register.server is not None
        else "SELECT 1",
        "INSERT INTO audit_event_clients (seq, bucket, clients)"
        f" VALUES ({first}, 0, '{piet.id}:{piet.number}')",
    )
    verdict = log.verify(register)
    assert verdict.broken_at == first and "geen lijst" in verdict.reason
    assert verdict.events == 0


@pytest.mark.local_only
def test_lists_kept_a_row_per_client_before_0027_are_packed_and_still_verify(register, three):
    """A register that logged lists under 0024-0026 (a row per client): 0027 packs them by
    bucket, their events still verify and each client finds them; down again unpacks them."""
    truus = three[0]
    far = (2100, "102100")  # a client id in another bucket (a list may name an erased one)
    log.record(register, listed([(truus.id, truus.number), far], WHAT))
    seqs = [e.seq for e in log.events(register) if digest_in(e.action, e.detail)]
    run_alembic(register.engine, migration_config(), command.downgrade, "0026")
    with register.raw() as raw:
        rows = raw.execute(
            "SELECT seq, client_id, client_number FROM audit_event_clients ORDER BY seq, client_id"
        ).fetchall()
    assert [tuple(r) for r in rows] == [
        (seqs[0], truus.id, truus.number),
        (seqs[0], three[1].id, three[1].number),
        (seqs[1], truus.id, truus.number),
        (seqs[1], *far),
    ]
    run_alembic(register.engine, migration_config(), command.upgrade, "head")
    with register.read_connection() as conn:
        assert conn.execute(
            select(AuditEventClient.seq, AuditEventClient.bucket).order_by(
                AuditEventClient.seq, AuditEventClient.bucket
            )
        ).all() == [(seqs[0], 0), (seqs[1], 0), (seqs[1], 2)]
        assert lists.naming(conn, client_id=truus.id) == seqs
        assert lists.naming(conn, client_id=far[0]) == [seqs[1]]
    assert log.verify(register).ok
