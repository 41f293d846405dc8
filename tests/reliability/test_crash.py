"""A writer killed with SIGKILL at random moments loses nothing it committed."""

from __future__ import annotations

import random
import signal

import pytest
from sqlalchemy import select

from tests.conftest import PASSPHRASE
from tests.reliability.conftest import start_writer
from wijkteam_tui.store.address import Location
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.opening import open_register

KILLS = 24

pytestmark = pytest.mark.slow


def test_every_committed_row_survives_sigkill(shared_register: Location):
    rng = random.Random(20261122)
    committed: set[str] = set()
    for round_number in range(KILLS):
        writer = start_writer(shared_register, f"K{round_number}", 100_000)
        assert writer.stdout is not None
        # A few kills land while the register is being opened; the rest after a chosen number
        # of commits, counted from the writer's own output (no sleeping, whatever the speed).
        wait_for = -1 if round_number % 6 == 0 else rng.randint(0, 400)
        lines: list[str] = []
        if wait_for >= 0:
            for line in writer.stdout:
                lines.append(line.strip())
                if len(lines) > wait_for:  # READY, then wait_for commits
                    break
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        lines += rest.split()
        committed.update(line for line in lines if line and line != "READY")

    register = open_register(shared_register, "anna", PASSPHRASE)
    with register.read() as session:
        stored = set(session.scalars(select(Client.number)))
        shared = session.scalars(select(Client).where(Client.number == "SHARED")).one()
    assert committed, "the writers should have committed something before being killed"
    assert committed <= stored
    # Every stored row was committed; at most one per round was committed but not yet printed.
    assert len(stored - {"SHARED"} - committed) <= KILLS
    assert int(shared.house_number) == len(stored) - 1
    if register.server is None:  # a server's operator checks its pages (amcheck)
        assert register.check() == []
    register.close()
