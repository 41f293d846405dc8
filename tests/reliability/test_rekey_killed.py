"""A re-key (`wijkteam db rekey`) killed at any moment leaves a register that opens: under the
old key or the new one, whole, never "alleen-lezen"; a re-key stopped after its journal was
written is finished by the next opening, as a restore is."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import REPO, make_client
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.sqlite import journal
from wijkteam_tui.store.sqlite.check import check_register

pytestmark = [pytest.mark.local_only, pytest.mark.slow]


def _rekey_process(db: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKTEAM_")}
    env.update(WIJKTEAM_USER="anna", WIJKTEAM_PASSPHRASE=PASSPHRASE, WIJKTEAM_KDF="test")
    return subprocess.Popen(
        [sys.executable, "-m", "wijkteam_tui", "db", "rekey", "--db", str(db)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_rekey_killed_at_any_moment_leaves_a_register_that_opens(new_register: NewRegister):
    path = new_register.path
    register = new_register.register
    with register.write() as session:
        for n in range(200):
            session.add(make_client(str(n + 1), f"Cliënt {n + 1}"))
    register.close()

    started = time.monotonic()
    assert _rekey_process(path).wait(timeout=60) == 0
    duration = time.monotonic() - started
    for step in range(12):
        rekey = _rekey_process(path)
        time.sleep(duration * (0.2 + 0.8 * step / 12))
        rekey.send_signal(signal.SIGKILL)
        rekey.wait()
        assert path.exists(), "there is always a database at the live path"
        reopened = open_register(path, "anna", PASSPHRASE)
        try:
            with reopened.read() as session:
                assert session.query(Client).count() == 200
            assert reopened.check() == []
            with reopened.write() as session:  # writable: not "alleen-lezen"
                session.add(make_client(f"x{step}", "Na De Onderbreking"))
            with reopened.write() as session:
                session.query(Client).filter(Client.number == f"x{step}").delete()
        finally:
            reopened.close()
        assert not journal.journal_path(path).exists()
        assert not list(path.parent.glob(f"{journal.STAGING_PREFIX}*"))


_HALFWAY_WRITE = """
import os, sys
from pathlib import Path
from wijkteam_tui.store.sqlite.connection import connect_keyed
conn = connect_keyed(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.execute("PRAGMA journal_mode = DELETE")  # as a re-key leaves the file before its export
conn.execute("PRAGMA cache_size = 5")  # pages spill: the journal is written and synced
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE clients SET name = name || ' (half geschreven, teruggedraaid)'")
os.kill(os.getpid(), 9)
"""


def test_a_write_stopped_halfway_in_journal_mode_is_rolled_back_when_opening(
    new_register: NewRegister,
):
    """A hot rollback journal beside the register (a process killed halfway through a write
    while the file was out of WAL mode, as during a re-key) is SQLite's to roll back. The
    read-only check before opening could not do that and called the folder "alleen-lezen",
    at every try; the register now opens, as it was before the write, and takes writes."""
    path = new_register.path
    register = new_register.register
    with register.write() as session:
        for n in range(300):
            session.add(make_client(str(n + 1), f"Cliënt {n + 1}"))
    key = bytes(register.unlocked.db_key)
    register.close()
    killed = subprocess.run(
        [sys.executable, "-c", _HALFWAY_WRITE, str(path), key.hex()], cwd=REPO, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    hot = path.with_name(path.name + "-journal")
    assert hot.exists() and hot.stat().st_size > 0, "a hot journal is left"
    checked = check_register(path, "anna", PASSPHRASE)
    assert [p for p in checked.problems if "halverwege gestopte schrijfactie" in p]
    assert hot.exists(), "a check writes nothing, also not a rollback"

    reopened = open_register(path, "anna", PASSPHRASE)
    try:
        with reopened.read() as session:
            names = [c.name for c in session.query(Client)]
        assert len(names) == 300
        assert not any("teruggedraaid" in name for name in names), "the half write is undone"
        with reopened.write() as session:
            session.add(make_client("x1", "Na De Onderbreking"))
        assert reopened.check() == []
    finally:
        reopened.close()
    assert not hot.exists()
