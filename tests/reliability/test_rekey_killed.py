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
