"""The real program in a real terminal (tmux): a login pasted in one burst and a contact typed
at machine speed land where they belong. This is the path Pilot does not take: the terminal's
bytes, parsed by Textual's driver."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers import REPO
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome
from wijkteam_tui.store.models import ContactMoment
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput
from wijkteam_tui.store.write.agreements import add_agreement
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.contacts import log_contact
from wijkteam_tui.store.write.network import add_member

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("tmux") is None,
        reason="tmux ontbreekt; installeer het met: sudo apt-get install tmux",
    ),
]
PASSPHRASE = "lange zin van vier woorden"


class Terminal:
    """A tmux session on its own server socket, 120x35, running one command."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.socket = f"wijkteam-test-{uuid.uuid4().hex[:8]}"
        line = " ".join(f"{k}={v}" for k, v in env.items()) + " " + " ".join(command)
        self._tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "35", f"env {line}")

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def send(self, *keys: str) -> None:
        """One send-keys call: tmux writes all of it to the program at once."""
        self._tmux("send-keys", "-t", "t", *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, seconds: float = 30.0) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], check=False)


@pytest.fixture
def register_path(tmp_path: Path) -> Path:
    today = date.today()
    path = tmp_path / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Oost")
    assert register.user is not None
    start = today - timedelta(days=60)
    client = create_client(
        register,
        ClientInput("Grietje Wolters", start, casemanager_id=register.user.id),
        start,
    ).id
    daughter = add_member(
        register, client, MemberInput("Fenna Wolters", MemberKind.INFORMAL, "dochter"), start
    )
    agreement = add_agreement(
        register, client, AgreementInput(Channel.PHONE, start, daughter.id, interval_days=7), start
    )
    spoken = today - timedelta(days=20)
    log_contact(
        register, ContactInput(client, spoken, Channel.PHONE, Outcome.GOOD, agreement.id), spoken
    )
    register.close()
    return path


@pytest.fixture
def terminal(register_path: Path) -> Iterator[Terminal]:
    env = {
        "WIJKTEAM_KDF": "test",
        "PYTEST_CURRENT_TEST": "terminal",
        "PYTHONPATH": str(REPO),
        "TERM": "xterm-256color",
        "XDG_STATE_HOME": os.environ["XDG_STATE_HOME"],
    }
    command = [sys.executable, "-m", "wijkteam_tui", "--db", str(register_path)]
    shown = Terminal(command, {**env, "HOME": os.environ.get("HOME", "/tmp")})
    yield shown
    shown.close()


def test_a_pasted_login_and_a_contact_typed_at_machine_speed(
    terminal: Terminal, register_path: Path
):
    terminal.wait_for("Wachtwoord")
    terminal.send("anna", "Enter", PASSPHRASE, "Enter")
    terminal.wait_for("Te laat (1)")
    spoken = date.today() - timedelta(days=2)
    terminal.send("c", "d", spoken.strftime("%d-%m-%Y"), "Enter")
    terminal.wait_for("Contact vastgelegd")
    terminal.send("C-q")
    register = open_register(register_path, "anna", PASSPHRASE)
    with register.read() as session:
        newest = session.scalars(
            select(ContactMoment).order_by(ContactMoment.id.desc()).limit(1)
        ).one()
    register.close()
    assert newest.occurred_on == spoken


def test_a_terminal_that_goes_away_closes_the_register(terminal: Terminal, register_path: Path):
    """The SSH session drops (tmux ends the pane: SIGHUP): the program closes the register,
    keeping the audit log's head and releasing its lock, and ends."""
    from wijkteam_tui.store import keys as crypto
    from wijkteam_tui.store.sqlite import lock

    terminal.wait_for("Wachtwoord")
    terminal.send("anna", "Enter", PASSPHRASE, "Enter")
    terminal.wait_for("Te laat (1)")
    pid = int(terminal._tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())
    assert lock.hold_alone(register_path) is None, "the open program holds its lock"
    terminal.close()
    deadline = time.monotonic() + 30
    while _running(pid):
        assert time.monotonic() < deadline, "the program did not end"
        time.sleep(0.05)
    alone = lock.hold_alone(register_path)
    assert alone is not None, "its lock was released"
    alone.release()
    register = open_register(register_path, "anna", PASSPHRASE)
    try:
        from wijkteam_tui.store.audit import log

        kept = crypto.read_key_file(crypto.key_file_path(register_path)).extra["audit_head"]
        events = log.events(register)
        # The head the closing kept is the newest event before this opening's own login.
        assert kept[0] == events[-2].seq
        assert log.verify(register).ok
    finally:
        register.close()


def _running(pid: int) -> bool:
    """Whether `pid` still runs (a process that ended but whose parent, the tmux server, is
    gone stays a zombie until something reaps it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status
