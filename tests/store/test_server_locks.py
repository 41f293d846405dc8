"""The locks a write takes on a team server, by its scope (store/server/connection.py):
writes for different clients run side by side, a second write for the same client waits for
the first, and a team write waits for every client's write."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from tests.store.test_write_scopes import (
    OPENED,
    TODAY,
    _client,
    _contact,
    _in_thread,
    _notes,
)
from wijkteam_tui.store import services
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.models import Client, ContactAgreement
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.transactions import CLIENT_LOCK, WRITE_LOCK


@pytest.fixture
def backend() -> str:
    return "postgresql"


def _waiting_for(register: Register, lock: str) -> bool:
    """Whether some connection waits for the advisory lock `lock` ("client" or "team")."""
    # The two-number form keeps (CLIENT_LOCK, id) as (classid, objid), objsubid 2; the
    # one-number form keeps WRITE_LOCK's upper and lower 32 bits there, objsubid 1.
    where = (
        f"classid = {CLIENT_LOCK} AND objsubid = 2"
        if lock == "client"
        else f"classid = 0 AND objid = {WRITE_LOCK} AND objsubid = 1"
    )
    with register.raw() as raw:
        row = raw.execute(
            f"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND {where}"
        ).fetchone()
        raw.rollback()
    return bool(row[0])


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30  # a bound, not a figure
    while not condition():
        assert time.monotonic() < deadline, "gewacht op iets dat niet gebeurde"
        time.sleep(0.02)


@contextmanager
def _held(register: Register, client_id: int, agreement_id: int) -> Iterator[None]:
    """A contact for `client_id` being logged in another thread, its transaction kept open
    until the block ends (then committed)."""
    entered, release = threading.Event(), threading.Event()
    failed: list[BaseException] = []

    def hold() -> None:
        try:
            with register.write(client=client_id) as session:
                agreement = session.get(ContactAgreement, agreement_id)
                agreement.description = "bezig"
                session.flush()
                entered.set()
                release.wait(60)
        except BaseException as exc:
            failed.append(exc)
            entered.set()

    thread = threading.Thread(target=hold)
    thread.start()
    entered.wait(60)
    try:
        yield
    finally:
        release.set()
        thread.join(60)
    assert not failed, failed


def test_on_a_server_writes_for_two_clients_run_side_by_side(register):
    ada, ada_agreement = _client(register, "Ada de Boer")
    bas, bas_agreement = _client(register, "Bas Smit")
    waited: list[int] = []
    register.on_wait = lambda: waited.append(1)
    with _held(register, ada, ada_agreement):
        # Bas's contact does not wait for Ada's open write (it would wait 30 s and fail).
        _contact(register, bas, bas_agreement, "terwijl ada openstaat")
        assert _notes(register, bas) == ["terwijl ada openstaat"]
        # A second write for Ada waits for the first, and follows it.
        second, failed = _in_thread(lambda: _contact(register, ada, ada_agreement, "na de eerste"))
        _until(lambda: _waiting_for(register, "client"))
        assert _notes(register, ada) == []
    second.join(60)
    assert not failed and waited == []
    assert _notes(register, ada) == ["na de eerste"]
    assert log.verify(register).ok


def test_on_a_server_a_team_write_waits_for_a_clients_write(register):
    ada, ada_agreement = _client(register, "Ada de Boer")
    with _held(register, ada, ada_agreement):
        team_write, failed = _in_thread(
            lambda: services.create_client(register, ClientInput("Cor Jansen", OPENED), TODAY)
        )
        _until(lambda: _waiting_for(register, "team"))
        with register.read() as session:
            assert session.scalar(select(func.count()).select_from(Client)) == 1
    team_write.join(60)
    assert not failed
    with register.read() as session:
        assert session.scalar(select(func.count()).select_from(Client)) == 2
    assert log.verify(register).ok
