"""Growth under load: the WAL does not stay at the size a long reader made it reach, and a
write that has to wait for a colleague says so instead of freezing silently."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import REPO, make_client
from tests.views.conftest import make_app, settle, until
from wijkteam_tui.store.address import Location
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.sqlite.connection import WAL_SIZE_LIMIT_BYTES
from wijkteam_tui.store.write.clients import create_client

TODAY = date(2026, 11, 23)

# A colleague's program: opens the register, starts a read (or a write) transaction, says
# READY, and holds it until told to stop (or for the given seconds).
HOLDER = """
import sys, time
from sqlalchemy import text
from wijkteam_tui.store.address import location
from wijkteam_tui.store.opening import open_register
register = open_register(location(sys.argv[1]), "anna", sys.argv[2])
if sys.argv[3] == "lezen":
    with register.read_connection() as conn:
        conn.execute(text("SELECT count(*) FROM clients")).all()
        print("READY", flush=True)
        sys.stdin.readline()
else:
    with register.write() as session:
        session.execute(text("UPDATE team_settings SET team_name = team_name"))
        print("READY", flush=True)
        time.sleep(float(sys.argv[4]))
register.close()
"""


def holder(path: Location, *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), PASSPHRASE, *args],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "READY"
    return process


def _client(number: int) -> ClientInput:
    return ClientInput(
        name=f"Fictieve Persoon {number}",
        opened_on=date(2026, 1, 5),
        own_words="Ik wil graag zelf blijven koken en mijn kleinkinderen zien.",
    )


@pytest.mark.local_only  # SQLite's WAL
def test_the_wal_shrinks_back_once_a_long_reader_is_done(new_register: NewRegister):
    register = new_register.register
    wal = register.path.with_name(register.path.name + "-wal")
    reader = holder(register.path, "lezen")
    for batch in range(6):
        with register.write() as session:
            session.add_all(
                make_client(f"B{batch}-{n}", f"Bewoner {n}", own_words="x" * 4000)
                for n in range(600)
            )
    grown = wal.stat().st_size
    assert grown > 2 * WAL_SIZE_LIMIT_BYTES, "behind the reader every commit is kept"
    reader.communicate("klaar\n", timeout=30)
    for number in range(20):
        with register.write() as session:
            session.add(make_client(f"C-{number}", f"Later {number}"))
    assert wal.stat().st_size <= WAL_SIZE_LIMIT_BYTES


def test_a_write_that_waits_for_a_colleague_says_so_after_two_seconds(new_register: NewRegister):
    register = new_register.register
    told: list[float] = []
    register.on_wait = lambda: told.append(time.monotonic())
    colleague = holder(register.location, "schrijven", "3.5")
    started = time.monotonic()
    create_client(register, _client(1), TODAY)
    done = time.monotonic()
    colleague.wait(timeout=30)
    assert len(told) == 1
    # Not before the notice's delay (how soon after it is a figure for benchmarks/, not here).
    assert told[0] - started >= 1.8
    assert done - started >= 3.0, "the write waited for the colleague and then went through"


async def test_the_screen_says_it_waits_for_a_colleague(new_register: NewRegister):
    register = new_register.register
    app = make_app(register.location, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        colleague = holder(register.location, "schrijven", "3.5")
        app.run_worker(lambda: create_client(register, _client(1), TODAY), thread=True)
        await until(
            pilot,
            lambda: any("Wacht op een collega" in n.message for n in app._notifications),
            "the notice that the write waits for a colleague",
        )
        await settle(pilot)
        colleague.wait(timeout=30)
