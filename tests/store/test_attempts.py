"""Wrong passphrases in a row make the next try wait, remembered beside the register."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import REPO
from wijkteam_tui.errors import TooManyAttemptsError, WrongPassphraseError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.keys import attempts, slots

# Only on a local register: wrong tries are counted beside a local register's files; a server
# refuses a wrong password itself.
pytestmark = pytest.mark.local_only

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def closed(new_register: NewRegister) -> Path:
    new_register.register.close()
    return new_register.path


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts Argon2id derivations: a refused try must not run one."""
    calls: list[int] = []
    derive = crypto.derive_key

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return derive(*args, **kwargs)

    monkeypatch.setattr(slots, "derive_key", counted)
    return calls


def _wrong(path: Path) -> WrongPassphraseError:
    with pytest.raises(WrongPassphraseError) as wrong:
        crypto.unlock(path, "anna", "verkeerd wachtwoord")
    return wrong.value


def test_after_three_wrong_passphrases_the_next_try_waits_without_deriving_a_key(
    closed: Path, derivations: list[int]
):
    with time_machine.travel(T0, tick=False) as clock:
        assert [_wrong(closed).wait_seconds for _ in range(3)] == [0, 0, 2]
        tried = len(derivations)

        with pytest.raises(TooManyAttemptsError) as refused:
            crypto.unlock(closed, "anna", PASSPHRASE)
        assert refused.value.wait_seconds == 2
        assert refused.value.message == (
            "Te vaak een verkeerd wachtwoord voor anna. Probeer het over 2 seconden opnieuw."
        )
        clock.shift(1)
        with pytest.raises(TooManyAttemptsError, match="over 1 seconde opnieuw"):
            crypto.unlock(closed, "anna", PASSPHRASE)
        assert len(derivations) == tried, "no key was derived while waiting"

        clock.shift(1)
        assert crypto.unlock(closed, "anna", PASSPHRASE).user == "anna"
        assert _wrong(closed).wait_seconds == 0, "the right passphrase starts the count afresh"


def test_each_further_wrong_passphrase_doubles_the_wait(closed: Path):
    with time_machine.travel(T0, tick=False) as clock:
        waits = []
        for _ in range(5):
            waits.append(_wrong(closed).wait_seconds)
            clock.shift(waits[-1])
        assert waits == [0, 0, 2, 4, 8]


def test_the_wait_holds_for_the_next_program_that_unlocks(closed: Path):
    script = textwrap.dedent(
        f"""
        import pathlib, time_machine
        from datetime import datetime
        from wijkteam_tui.errors import WrongPassphraseError
        from wijkteam_tui.store import keys as crypto
        with time_machine.travel(datetime.fromisoformat({T0.isoformat()!r}), tick=False):
            for _ in range(3):
                try:
                    crypto.unlock(pathlib.Path({str(closed)!r}), "anna", "verkeerd wachtwoord")
                except WrongPassphraseError:
                    pass
        """
    )
    other = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert other.returncode == 0, other.stderr
    with (
        time_machine.travel(T0.timestamp() + 1, tick=False),
        pytest.raises(TooManyAttemptsError) as refused,
    ):
        crypto.unlock(closed, "anna", PASSPHRASE)
    assert refused.value.wait_seconds == 1


def test_wrong_recovery_keys_wait_too_and_apart_from_the_users(closed: Path):
    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            with pytest.raises(WrongPassphraseError, match="Herstelsleutel onjuist"):
                crypto.unlock_with_recovery_key(closed, crypto.new_recovery_key())
        with pytest.raises(TooManyAttemptsError, match="Te vaak een verkeerde herstelsleutel"):
            crypto.unlock_with_recovery_key(closed, crypto.new_recovery_key())
        assert crypto.unlock(closed, "anna", PASSPHRASE).user == "anna"


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff kapot",
        b"[1, 2, 3]",
        b'{"anna": {"failures": "veel", "last": "gisteren"}}',
        b'{"anna": {"failures": true, "last": 1e999}}',
        b"[" * 50_000,
        b'{"anna": ' + b" " * 70_000 + b"{}}",
    ],
)
def test_a_damaged_attempts_file_counts_as_empty(closed: Path, content: bytes):
    attempts.attempts_file_path(closed).write_bytes(content)
    with time_machine.travel(T0, tick=False):
        assert crypto.unlock(closed, "anna", PASSPHRASE).user == "anna"
        assert [_wrong(closed).wait_seconds for _ in range(3)] == [0, 0, 2]
    assert json.loads(attempts.attempts_file_path(closed).read_text())["anna"]["failures"] == 3


def test_a_folder_that_cannot_be_written_does_not_stop_a_correct_unlock(
    closed: Path, monkeypatch: pytest.MonkeyPatch
):
    with time_machine.travel(T0, tick=False):
        _wrong(closed)

        def read_only(path: Path, data: bytes) -> None:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(attempts, "atomic_write", read_only)
        assert _wrong(closed).wait_seconds == 0
        assert crypto.unlock(closed, "anna", PASSPHRASE).user == "anna"


def test_the_attempts_file_is_private_and_keeps_the_200_latest_names(closed: Path):
    with time_machine.travel(T0, tick=False) as clock:
        for number in range(250):
            attempts.record_failure(closed, f"gebruiker{number}")
            clock.shift(1)
    path = attempts.attempts_file_path(closed)
    assert path.name == "register.pogingen"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = json.loads(path.read_text())
    assert len(kept) == attempts.MAX_NAMES
    assert "gebruiker249" in kept and "gebruiker49" not in kept
