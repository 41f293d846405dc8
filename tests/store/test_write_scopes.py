"""What a write may change (store/transactions.py), on both backends.

Every write names its scope: one client, only the audit log, or the whole team. A change
outside the scope is refused as a program error and nothing is saved, so the suite catches a
service that declares too little (test_audit_coverage.py runs every one). What the scope means
for the locks on a team server is in test_server_locks.py."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from wijkteam_tui.domain.terms import Channel, Outcome
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store import services
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.models import Client, ContactAgreement, ContactMoment
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.transactions import SCOPE_OPTION, ScopeError

TODAY = date(2026, 11, 22)
OPENED = date(2026, 9, 1)


def _client(register: Register, name: str) -> tuple[int, int]:
    """A new client with an agreement with its casemanager: (client id, agreement id)."""
    client = services.create_client(
        register, ClientInput(name, OPENED, casemanager_id=register.user.id), TODAY
    )
    agreement = services.add_agreement(
        register,
        client.id,
        AgreementInput(
            channel=Channel.PHONE, start_on=OPENED, user_id=register.user.id, interval_days=7
        ),
        TODAY,
    )
    return client.id, agreement.id


def _contact(register: Register, client_id: int, agreement_id: int, note: str) -> None:
    services.log_contact(
        register,
        ContactInput(client_id, TODAY, Channel.PHONE, Outcome.GOOD, agreement_id, note=note),
        TODAY,
    )


def _notes(register: Register, client_id: int) -> list[str]:
    with register.read() as session:
        return list(
            session.scalars(
                select(ContactMoment.note)
                .where(ContactMoment.client_id == client_id)
                .order_by(ContactMoment.id)
            )
        )


# --- the scope, on both backends -----------------------------------------------------------


def test_a_change_outside_the_scope_is_refused_and_nothing_is_saved(register):
    ada, _ = _client(register, "Ada de Boer")
    bas, _ = _client(register, "Bas Smit")
    events = log.head_count(register)
    with pytest.raises(ScopeError, match="clients"), register.write(client=ada) as session:
        session.get(Client, ada).own_words = "mag: deze cliënt"
        session.get(Client, bas).own_words = "mag niet: een andere cliënt"
    with pytest.raises(ScopeError), register.write(log_only=True) as session:
        chain.note(session, chain.Event("read", "clients", str(ada), ada))
        session.get(Client, ada).own_words = "mag niet: alleen het logboek"
    with register.read() as session:
        assert session.scalars(select(Client.own_words)).all() == ["", ""]
    assert log.head_count(register) == events


def test_a_write_about_a_record_takes_its_client_and_a_missing_one_is_said_in_dutch(register):
    ada, agreement = _client(register, "Ada de Boer")
    with register.write(of=(ContactAgreement, agreement)) as session:
        assert session.info[SCOPE_OPTION] == ada
    with pytest.raises(ValidationError, match="bestaat niet"):
        services.end_agreement(register, agreement + 99, TODAY, TODAY)


def _in_thread(work: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:
            failed.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failed


def test_writes_for_many_clients_at_once_keep_one_unbroken_chain(register):
    """Four people each log fifteen contacts for their own client at the same moment: on a
    server their writes overlap and the chain's append takes one after the other."""
    clients = [_client(register, f"Cliënt {n}") for n in range(4)]
    before = log.head_count(register)
    writers = [
        _in_thread(lambda c=c, a=a: [_contact(register, c, a, f"contact {k}") for k in range(15)])
        for c, a in clients
    ]
    for thread, failed in writers:
        thread.join(120)
        assert not failed, failed
    for client_id, _ in clients:
        assert _notes(register, client_id) == [f"contact {k}" for k in range(15)]
    events = [e for e in log.events(register) if e.seq > before]
    assert [e.seq for e in events] == list(range(before + 1, before + 1 + len(events)))
    assert len(events) >= 4 * 15
    assert log.verify(register).ok
