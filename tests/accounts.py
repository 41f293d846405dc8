"""Real Unix accounts for the team-on-one-host tests: a group `wijkteam-t` with members
`wijkteam-t1` and `wijkteam-t2`, and `wijkteam-t3` outside it. Made once per machine (the tests
run as root in CI, as `.ci/run` does; elsewhere they are skipped with the reason).

`as_account` runs a function as one of them: a forked child takes on the account's user, group
and supplementary groups (and a umask of its own) and runs the function with the modules the
test process already imported, so the child needs no access to the Python installation or the
checkout (which may live in root's home)."""

from __future__ import annotations

import fcntl
import grp
import os
import pickle
import pwd
import shutil
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

GROUP = "wijkteam-t"
MEMBERS = ("wijkteam-t1", "wijkteam-t2")
OUTSIDER = "wijkteam-t3"
#: The passphrases of the shared register's users (the `shared` fixture, tests/store/conftest.py):
#: teamleider anna (the test process) and medewerkers bram and cem (MEMBERS, in that order).
ANNA = "anna haar lange wachtwoord"
BRAM = "bram zijn lange wachtwoord"
CEM = "cem zijn lange wachtwoord"


@dataclass(frozen=True)
class Account:
    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]


class FailedAs(Exception):
    """What the function raised in the child: its class name and message."""

    def __init__(self, kind: str, message: str, trace: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message
        self.trace = trace


def can_make_accounts() -> str:
    """Why accounts cannot be made here ("" when they can)."""
    if os.geteuid() != 0:
        return "nodig: root, om echte Unix-accounts te maken (CI draait als root)"
    if not shutil.which("useradd") or not shutil.which("groupadd"):
        return "useradd en groupadd ontbreken; installeer ze met: sudo apt-get install passwd"
    return ""


def make_accounts() -> dict[str, Account]:
    """The accounts, made if missing (under a lock: xdist workers make them at once)."""
    with open("/tmp/wijkteam-accounts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            grp.getgrnam(GROUP)
        except KeyError:
            subprocess.run(["groupadd", GROUP], check=True)
        for name in (*MEMBERS, OUTSIDER):
            try:
                pwd.getpwnam(name)
            except KeyError:
                extra = ["-G", GROUP] if name in MEMBERS else []
                subprocess.run(
                    ["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", *extra, name], check=True
                )
    accounts = {}
    for name in (*MEMBERS, OUTSIDER):
        entry = pwd.getpwnam(name)
        groups = tuple(g.gr_gid for g in grp.getgrall() if name in g.gr_mem)
        accounts[name] = Account(name, entry.pw_uid, entry.pw_gid, groups)
    return accounts


@contextmanager
def passable_folder() -> Iterator[Path]:
    """A temporary folder that every account can pass through (pytest's own is root's)."""
    folder = Path(tempfile.mkdtemp(prefix="wijkteam-shared-", dir="/tmp"))
    os.chmod(folder, 0o711)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def as_account(account: Account, work: Callable[..., T], *args: Any, umask: int = 0o077) -> T:
    """`work(*args)` run as `account`; its result, or FailedAs with what it raised."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read)
        try:
            os.setgroups(list(account.groups))
            os.setgid(account.gid)
            os.setuid(account.uid)
            os.umask(umask)
            outcome: tuple[str, Any] = ("ok", work(*args))
        except BaseException as error:
            outcome = ("error", (type(error).__name__, str(error), traceback.format_exc()))
        try:
            data = pickle.dumps(outcome)
        except Exception as error:
            data = pickle.dumps(("error", ("PicklingError", str(error), "")))
        with os.fdopen(write, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as incoming:
        data = incoming.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    if kind == "error":
        raise FailedAs(*value)
    return value  # type: ignore[no-any-return]
