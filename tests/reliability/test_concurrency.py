"""Two processes writing to one register at once: no lost writes, no "database is locked"."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSPHRASE
from tests.reliability.conftest import start_writer
from wijkteam_tui.store.address import Location
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.opening import open_register

PER_PROCESS = 500

pytestmark = pytest.mark.slow


def test_two_processes_writing_500_transactions_each_lose_nothing(shared_register: Location):
    writers = [start_writer(shared_register, tag, PER_PROCESS) for tag in ("A", "B")]
    outputs = [w.communicate(timeout=300) for w in writers]
    for writer, (stdout, stderr) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, stderr
        assert "locked" not in stderr and "bezet" not in stderr
        assert len(stdout.split()) == PER_PROCESS + 1  # READY + one line per commit

    register = open_register(shared_register, "anna", PASSPHRASE)
    with register.read() as session:
        written = session.scalar(select(func.count()).where(Client.number != "SHARED"))
        shared = session.scalars(select(Client).where(Client.number == "SHARED")).one()
    assert written == 2 * PER_PROCESS
    assert shared.house_number == str(2 * PER_PROCESS), "an increment was lost"
    if register.server is None:  # a server's operator checks its pages (amcheck)
        assert register.check() == []
    register.close()
