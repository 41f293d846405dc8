"""Secrets do not outlive their use: no core dumps, no passphrase kept after unlocking, and the
database key overwritten and the register closed when the screen locks."""

from __future__ import annotations

import gc
import hashlib
import secrets
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO
from tests.views.conftest import make_app, settle
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.views.today import TodayScreen
from wijkteam_tui.views.unlock import UnlockScreen


def test_the_program_makes_no_core_dumps_and_is_not_dumpable():
    probe = (
        "import ctypes, resource\n"
        "from wijkteam_tui.cli import main\n"
        "main(['--version'])\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "(0, 0) 0"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _held_anywhere(length: int, digest: str) -> list[object]:
    """Every live container that refers to a string with this length and hash."""
    holders = []
    for holder in gc.get_objects():
        for referent in gc.get_referents(holder):
            found = isinstance(referent, str) and len(referent) == length
            if found and _digest(referent) == digest:
                holders.append(holder)
    return holders


async def test_after_unlocking_no_object_holds_the_passphrase_and_locking_wipes_the_key(
    tmp_path: Path,
):
    path = tmp_path / "team" / "register.db"
    typed = list(f"een-eigen-wachtwoord-{secrets.token_hex(6)}")
    length, digest = len(typed), _digest("".join(typed))
    register, _ = create_register(path, "anna", "".join(typed))
    register.close()
    app = make_app(path, user_hint="anna")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*typed, "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        del typed
        gc.collect()
        assert _held_anywhere(length, digest) == []
        opened = app.register
        assert opened is not None and any(opened.unlocked.db_key)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert opened.closed
        assert not any(opened.unlocked.db_key), "the key is overwritten in memory"
