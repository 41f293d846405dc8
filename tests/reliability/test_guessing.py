"""Guessing and bad arguments: strong new passphrases, the light test key derivation only under
the test suite, weak slots strengthened at the next unlock, ASCII user names, no raw control
characters echoed, and a demo build that is stopped leaves nothing that opens."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import REPO, run_cli
from wijkteam_tui.errors import UsageError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.opening import create_register

# Only on a local register: wrong tries counted beside a local register.
pytestmark = pytest.mark.local_only

ENV = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}


def _outside_the_test_suite(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`wijkteam` as a person runs it, with the test setting in the environment by mistake."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WIJKTEAM_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "-m", "wijkteam_tui", *args],
        env={**clean, "WIJKTEAM_KDF": "test", **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [("zomer2026", "minstens 12 tekens"), ("aaaaaaaaaaaaaaaa", "te veel dezelfde tekens")],
)
def test_a_weak_new_passphrase_is_refused_with_the_reason(
    tmp_path: Path, passphrase: str, reason: str
):
    db = tmp_path / "team" / "register.db"
    result = run_cli(
        "init", "--db", str(db), "--user", "anna", env={"WIJKTEAM_PASSPHRASE": passphrase}
    )
    assert result.returncode == 2
    assert reason in result.stderr
    assert not db.exists()
    with pytest.raises(UsageError, match=reason):
        create_register(tmp_path / "ander" / "register.db", "anna", passphrase)


def test_only_the_demo_keeps_its_documented_passphrase(tmp_path: Path):
    with pytest.raises(UsageError):
        create_register(tmp_path / "echt" / "register.db", "demo", "demo")
    register, _ = create_register(tmp_path / "demo" / "demo.db", "demo", "demo", demo=True)
    register.close()


def test_the_test_key_derivation_is_ignored_outside_the_test_suite(tmp_path: Path):
    db = tmp_path / "team" / "register.db"
    made = _outside_the_test_suite(
        "init", "--db", str(db), "--user", "anna", env={"WIJKTEAM_PASSPHRASE": PASSPHRASE}
    )
    assert made.returncode == 0, made.stderr
    key_file = crypto.read_key_file(crypto.key_file_path(db))
    assert {slot.cost for slot in key_file.slots} == {crypto.PRODUCTION_KDF}


def test_a_weak_slot_is_strengthened_at_the_next_unlock_with_a_notice(new_register: NewRegister):
    path = new_register.path
    new_register.register.close()
    before = crypto.read_key_file(crypto.key_file_path(path)).user_slot("anna")
    assert before is not None and before.cost == crypto.TEST_KDF
    result = _outside_the_test_suite(
        "backup", "-o", str(path.parent / "b.wkb"), "--db", str(path), env=ENV
    )
    assert result.returncode == 0, result.stderr
    assert "opnieuw versleuteld met de huidige, sterkere instellingen" in result.stderr
    for copy in (crypto.key_file_path(path), crypto.backup_key_file_path(path)):
        slot = crypto.read_key_file(copy).user_slot("anna")
        assert slot is not None and slot.cost == crypto.PRODUCTION_KDF
    again = run_cli("db", "check", "--db", str(path), env=ENV)
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize(
    "name", ["\u0430nna", "\uff41nna", "anna\u200b", "an na", ".anna", "ánna", "a" * 65]
)
def test_user_names_are_plain_ascii(new_register: NewRegister, name: str):
    result = run_cli(
        "user",
        "add",
        name,
        "--role",
        "medewerker",
        "--db",
        str(new_register.path),
        env={**ENV, "WIJKTEAM_NEW_PASSPHRASE": "een nieuw wachtwoord"},
    )
    assert result.returncode == 2, result.stderr
    assert "gebruikersnaam" in result.stderr


def test_control_characters_in_arguments_are_never_echoed_raw(tmp_path: Path):
    hostile = "\x1b]0;gehackt\x07\x1b[2J"
    for args in (["db", "check", "--db", str(tmp_path / f"{hostile}.db")], [hostile]):
        result = run_cli(*args, env=ENV)
        assert result.returncode != 0
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
        assert "\\x1b" in result.stderr


def test_demo_clients_has_an_upper_bound(tmp_path: Path):
    result = run_cli("demo", "--no-tui", "--clients", "1000000", "--db", str(tmp_path / "d.db"))
    assert result.returncode == 2
    assert "tussen 1 en 50000" in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_demo_build_killed_half_way_leaves_nothing_that_opens(tmp_path: Path):
    db = tmp_path / "demo" / "demo.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKTEAM_")}
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wijkteam_tui",
            "demo",
            "--no-tui",
            "--clients",
            "3000",
            "--db",
            str(db),
        ],
        env={**env, "WIJKTEAM_KDF": "test"},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert build.stderr is not None
    while "cliënten" not in build.stderr.read(80):  # the generator is under way
        time.sleep(0.01)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert not db.exists()
    assert not crypto.key_file_path(db).exists()
    done = run_cli("demo", "--no-tui", "--clients", "30", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in db.parent.iterdir() if p.is_dir()) == []
