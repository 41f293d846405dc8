"""Restore is safe: never while the register is open, never without a database at the live path,
and a restore killed at any moment is finished (or was never started) at the next opening."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import REPO, fingerprint, make_client, run_cli
from tests.reliability.conftest import start_writer
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.copies import restores
from wijkteam_tui.store.copies.backup import _keep, _stage, write_backup
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sqlite import journal
from wijkteam_tui.store.users import add_user

# Only on a local register: restoring a local back-up.
pytestmark = pytest.mark.local_only

ENV = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}
BRAM = "bram zijn wachtwoord"


def _numbers(register: Register) -> set[str]:
    with register.read() as session:
        return {client.number for client in session.query(Client)}


def test_restore_refuses_while_another_process_writes_and_no_write_is_lost(
    shared_register: Path, tmp_path: Path
):
    register = open_register(shared_register, "anna", PASSPHRASE)
    bundle = tmp_path / "zondag.wkb"
    write_backup(register, bundle)
    register.close()
    writer = start_writer(shared_register, "W", 1500)
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "READY"
    for _ in range(20):  # the writer is well under way
        writer.stdout.readline()
    refused = run_cli("restore", str(bundle), "--force", "--db", str(shared_register), env=ENV)
    assert writer.poll() is None, "the writer was still writing while restore ran"
    rest = writer.communicate(timeout=120)[0].split()
    assert writer.returncode == 0
    assert refused.returncode == 1
    assert "nog geopend" in refused.stderr
    assert len(rest) == 1480
    reopened = open_register(shared_register, "anna", PASSPHRASE)
    try:
        assert {f"W-{i}" for i in range(1500)} <= _numbers(reopened)
    finally:
        reopened.close()
    assert not list(shared_register.parent.glob("*voor-herstel*"))


def _backed_up_then_changed(
    new_register: NewRegister, tmp_path: Path
) -> tuple[Path, set[str], set[str]]:
    """A back-up of a register with one client, then a second client added and the register
    closed: (back-up, client numbers in the back-up, client numbers now)."""
    register = new_register.register
    with register.write() as session:
        session.add(make_client("1", "Ilse de Boer"))
    bundle = tmp_path / "zondag.wkb"
    write_backup(register, bundle)
    backed_up = _numbers(register)
    with register.write() as session:
        session.add(make_client("2", "Kees Jansen"))
    current = _numbers(register)
    register.close()
    return bundle, backed_up, current


def _restore_process(bundle: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKTEAM_")}
    env.update(ENV, WIJKTEAM_KDF="test")
    return subprocess.Popen(
        [sys.executable, "-m", "wijkteam_tui", "restore", str(bundle), "--force", "--db", str(db)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_a_restore_killed_at_any_moment_leaves_the_old_or_the_new_register(
    new_register: NewRegister, tmp_path: Path
):
    path = new_register.path
    bundle, backed_up, current = _backed_up_then_changed(new_register, tmp_path)

    started = time.monotonic()
    whole = _restore_process(bundle, path)
    assert whole.wait(timeout=60) == 0
    duration = time.monotonic() - started
    outcomes = []
    for step in range(10):
        reopened = open_register(path, "anna", PASSPHRASE)
        if _numbers(reopened) == backed_up:  # make the live register differ from the back-up
            with reopened.write() as session:
                session.add(make_client("2", "Kees Jansen"))
        reopened.close()
        restore = _restore_process(bundle, path)
        time.sleep(duration * (0.35 + 0.65 * step / 10))
        restore.send_signal(signal.SIGKILL)
        restore.wait()
        assert path.exists(), "there is always a database at the live path"
        reopened = open_register(path, "anna", PASSPHRASE)
        try:
            numbers = _numbers(reopened)
            assert numbers in (backed_up, current)
            assert reopened.check() == []
        finally:
            reopened.close()
        outcomes.append("nieuw" if numbers == backed_up else "oud")
        assert not journal.journal_path(path).exists()
        assert not list(path.parent.glob(f"{journal.STAGING_PREFIX}*"))
    assert "oud" in outcomes, outcomes


@pytest.mark.parametrize("moves_done", [0, 1, 2, 3])
def test_a_restore_stopped_between_its_renames_is_finished_by_the_next_opening(
    new_register: NewRegister, tmp_path: Path, moves_done: int
):
    """The state a kill leaves after the journal is written and `moves_done` renames are done
    (made with restore's own steps), then opened the normal way."""
    path = new_register.path
    bundle, backed_up, _ = _backed_up_then_changed(new_register, tmp_path)

    staging = path.parent / f"{journal.STAGING_PREFIX}999999-test"
    staging.mkdir()
    staged = staging / path.name
    restores.append(path, _stage(bundle, staged, "anna", PASSPHRASE))
    _keep(path)
    moves = [
        (crypto.key_file_path(staged), crypto.key_file_path(path)),
        (crypto.backup_key_file_path(staged), crypto.backup_key_file_path(path)),
        (staged, path),
    ]
    journal.write(path, staging, moves)
    for source, target in moves[:moves_done]:
        os.replace(source, target)
    assert path.exists()
    check = run_cli("db", "check", "--db", str(path), env=ENV)
    assert "'restore' is onderbroken" in check.stdout, check.stdout + check.stderr
    assert journal.journal_path(path).exists(), "db check only reads"

    reopened = open_register(path, "anna", PASSPHRASE)
    try:
        assert _numbers(reopened) == backed_up
        assert reopened.check() == []
    finally:
        reopened.close()
    assert not journal.journal_path(path).exists()
    assert not staging.exists()


def test_staging_left_by_a_restore_that_died_before_its_journal_is_removed_at_opening(
    new_register: NewRegister,
):
    path = new_register.path
    new_register.register.close()
    gone = subprocess.Popen(["true"])
    gone.wait()
    leftover = path.parent / f"{journal.STAGING_PREFIX}{gone.pid}-abc"
    leftover.mkdir()
    (leftover / "register.db").write_bytes(b"\0" * 4096)
    alive = path.parent / f"{journal.STAGING_PREFIX}{os.getpid()}-def"
    alive.mkdir()
    open_register(path, "anna", PASSPHRASE).close()
    assert not leftover.exists()
    assert alive.exists(), "a restore that is still running keeps its staging folder"


def test_a_medewerker_may_not_restore_and_nothing_changes(
    new_register: NewRegister, tmp_path: Path
):
    path = new_register.path
    add_user(new_register.register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    bundle = tmp_path / "zondag.wkb"
    write_backup(new_register.register, bundle)
    new_register.register.close()
    before = fingerprint(*sorted(path.parent.iterdir()))
    refused = run_cli(
        "restore", str(bundle), "--force", "--db", str(path),
        env={"WIJKTEAM_USER": "bram", "WIJKTEAM_PASSPHRASE": BRAM},
    )  # fmt: skip
    assert refused.returncode == 4, refused.stderr
    assert "Alleen een teamleider zet een back-up terug" in refused.stderr
    assert fingerprint(*sorted(path.parent.iterdir())) == before


def test_backup_and_restore_are_logged_and_colleagues_are_told_once(
    new_register: NewRegister, tmp_path: Path
):
    path = new_register.path
    anna = new_register.register
    add_user(anna, "bram", Role.MEDEWERKER, passphrase=BRAM)
    open_register(path, "bram", BRAM).close()
    bundle = tmp_path / "zondag.wkb"
    made = run_cli("backup", "-o", str(bundle), "--db", str(path), env=ENV)
    assert made.returncode == 0, made.stderr
    backups = [e for e in log.events(anna) if e.action == "backup"]
    assert [(e.object_type, e.user_name) for e in backups] == [("register", "anna")]
    assert backups[0].detail.startswith("versleutelde back-up van ")
    with anna.write() as session:
        session.add(make_client("2", "Kees Jansen"))
    anna.close()
    open_register(path, "bram", BRAM).close()  # bram saw Kees

    restored = run_cli("restore", str(bundle), "--force", "--db", str(path), env=ENV)
    assert restored.returncode == 0, restored.stderr
    journal_file = restores.journal_path(path)
    assert stat.S_IMODE(journal_file.stat().st_mode) == 0o600
    [entry] = restores.entries(path)
    assert entry.user == "anna" and entry.register_id == anna.unlocked.key_file.register_id

    again = open_register(path, "anna", PASSPHRASE)
    try:
        assert not any("teruggezet" in w or "oudere stand" in w for w in again.warnings)
        events = log.events(again)
        assert [e.action for e in events].count("backup") == 0, "made after the copy"
        restore = next(e for e in events if e.action == "restore")
        assert restore.detail.startswith(f"back-up van {entry.backup_made} teruggezet; het")
        assert f"het vervangen register kende volgnummer {entry.replaced_seq}," in restore.detail
        assert entry.replaced_seq > entry.head_seq
        assert "older" not in {e.action for e in events}
    finally:
        again.close()
    bram = open_register(path, "bram", BRAM)
    try:
        told = [w for w in bram.warnings if "teruggezet naar de back-up" in w]
        assert len(told) == 1 and told[0].startswith("anna heeft het register op ")
        assert _numbers(bram) == set(), "Kees came after the back-up"
    finally:
        bram.close()
    once = open_register(path, "bram", BRAM)
    try:
        assert not any("teruggezet" in w for w in once.warnings)
    finally:
        once.close()
    teamleider = open_register(path, "anna", PASSPHRASE)
    try:
        older = [e.detail for e in log.events(teamleider) if e.action == "older"]
        assert len(older) == 1 and older[0].endswith("; gemeld aan bram")
    finally:
        teamleider.close()
