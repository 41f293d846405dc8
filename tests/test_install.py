"""One install for every account on a host (`make install`): two real Unix accounts start the
installed program, each makes and opens a register of their own with it; an update replaces the
install in one step; and a Python that only root can read is refused before anything is made."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.accounts import (
    MEMBERS,
    Account,
    as_account,
    can_make_accounts,
    make_accounts,
    passable_folder,
)
from tests.helpers import REPO

#: A Python every account can read (Debian's own); pyenv's in /root is not.
SHARED_PYTHON = Path("/usr/bin/python3")

pytestmark = pytest.mark.skipif(
    bool(can_make_accounts()) or not SHARED_PYTHON.exists() or shutil.which("make") is None,
    reason=can_make_accounts()
    or "nodig: /usr/bin/python3 en make (sudo apt-get install python3-venv make)",
)


def _install(prefix: Path, bindir: Path, python: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-s", "install", f"PYTHON={python}", f"PREFIX={prefix}", f"BINDIR={bindir}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))},
    )


def _use(program: str, home: str) -> tuple[str, str, str]:
    """As the account: the version, a new register of its own, and a check that opens it."""
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "WIJKTEAM_PASSPHRASE": "een lang wachtwoord 1"}
    db = f"{home}/wijk/register.db"

    def run(*args: str) -> str:
        done = subprocess.run(
            [program, *args], capture_output=True, text=True, env=env, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{args}: {done.returncode} {done.stderr}")
        return done.stdout

    version = run("--version")
    made = run("init", "--db", db, "--user", "anna", "--name", "Wijkteam Noord")
    checked = run("db", "check", "--db", db, "--user", "anna")
    return version, made, checked


def test_two_accounts_use_one_install_and_an_update_replaces_it(tmp_path: Path):
    accounts = make_accounts()
    with passable_folder() as folder:
        prefix, bindir = folder / "opt" / "wijkteam", folder / "bin"
        (folder / "opt").mkdir()
        first = _install(prefix, bindir, SHARED_PYTHON)
        assert first.returncode == 0, first.stderr
        program = str(bindir / "wijkteam")
        for name in MEMBERS:
            home = _home(folder / f"home-{name}", accounts[name])
            version, made, checked = as_account(accounts[name], _use, program, str(home))
            assert version.startswith("wijkteam ")
            assert "herstelsleutel" in made.lower()
            assert "Controle: in orde" in checked
            assert (home / "wijk" / "register.db").stat().st_uid == accounts[name].uid
        installed = os.readlink(prefix)
        again = _install(prefix, bindir, SHARED_PYTHON)
        assert again.returncode == 0, again.stderr
        assert os.readlink(prefix) != installed, "the link moved to the new install"
        assert not Path(installed).exists(), "the previous install is gone"
        home = _home(folder / f"home-{MEMBERS[0]}-2", accounts[MEMBERS[0]])
        version, _, checked = as_account(accounts[MEMBERS[0]], _use, program, str(home))
        assert version.startswith("wijkteam ") and "Controle: in orde" in checked


def _home(path: Path, account: Account) -> Path:
    """A home folder of the account's own (the test accounts have none)."""
    path.mkdir()
    os.chown(path, account.uid, account.gid)
    return path


def test_a_python_only_its_owner_can_read_is_refused_before_anything_is_made(tmp_path: Path):
    private = tmp_path / "eigen"
    private.mkdir(mode=0o700)
    python = Path(os.path.realpath(sys.executable))
    if all(os.stat(p).st_mode & 0o001 for p in python.parents if p != Path("/")):
        pytest.skip("deze Python is voor iedereen leesbaar; er is niets te weigeren")
    refused = _install(private / "opt" / "wijkteam", private / "bin", python)
    assert refused.returncode != 0
    assert "kunnen andere accounts niet gebruiken" in refused.stderr
    assert "PYTHON=/usr/bin/python3" in refused.stderr
    assert not (private / "opt").exists() and not (private / "bin").exists()
