"""A register that goes back in time is noticed by the next person who saw it later: each
person's last seen audit event and key generation are kept outside the register's folder,
and an older register is refused to them (naming both numbers) unless they accept it. On a
local register the old files are copied back as `cp` would; on a team server the newest
events and key generation are taken back as restoring an older dump of the database would."""

from __future__ import annotations

import re
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister, execute_raw
from tests.helpers import run_cli
from wijkteam_tui.errors import OlderRegisterError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store import last_seen, services
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.register import Register

TODAY = date(2026, 11, 22)


def _files(path: Path) -> list[Path]:
    return [
        path,
        path.with_name(path.name + "-wal"),
        crypto.key_file_path(path),
        crypto.backup_key_file_path(path),
    ]


def _copied(path: Path, into: Path) -> None:
    into.mkdir()
    for name in _files(path):
        if name.exists():
            shutil.copy2(name, into / name.name)


def _put_back(path: Path, kept: Path) -> None:
    """The files copied earlier put back over the register's, as `cp` would (and the later
    write-ahead log, which the old copy did not have, gone with the rest)."""
    for name in _files(path):
        old = kept / name.name
        if old.exists():
            shutil.copy2(old, name)
        else:
            name.unlink(missing_ok=True)
    path.with_name(path.name + "-shm").unlink(missing_ok=True)


def _went_back_in_time(new_register: NewRegister, tmp_path: Path) -> tuple[int, int]:
    """anna sees the register, a copy is kept, anna sees it grow, and then the copy is put back
    while the register is closed. Returns what anna saw last (newest event, key generation)."""
    register = new_register.register
    services.create_client(register, ClientInput("Ilse de Boer", date(2026, 9, 1)), TODAY)
    register.close()
    location = new_register.path
    if isinstance(location, Path):
        _copied(location, tmp_path / "kopie")
    else:
        earlier = open_register(location, "anna", PASSPHRASE)
        kept_seq = log.head_count(earlier)
        with earlier.raw() as raw:
            keys = raw.execute("SELECT document, generation FROM key_store").fetchone()
        earlier.close()
    later = open_register(location, "anna", PASSPHRASE)
    services.create_client(later, ClientInput("Kees Jansen", date(2026, 9, 1)), TODAY)
    later.close()
    seen_by_anna = _seen(later)
    if isinstance(location, Path):
        _put_back(location, tmp_path / "kopie")
    else:
        # What restoring an older dump of the database leaves of the log and the key store.
        execute_raw(
            later,
            f"DELETE FROM audit_events WHERE seq > {kept_seq}",
            f"UPDATE key_store SET document = '\\x{bytes(keys[0]).hex()}'::bytea,"
            f" generation = {keys[1]} WHERE id = 1",
        )
    return seen_by_anna


def _seen(register: Register) -> tuple[int, int]:
    who = last_seen._who(register)
    assert who is not None
    kept = last_seen._read(last_seen.state_file(*who))
    assert kept is not None
    return kept.seq, kept.generation


def test_a_register_put_back_in_time_is_refused_to_whoever_saw_it_later(
    new_register: NewRegister, tmp_path: Path
):
    seen_seq, seen_generation = _went_back_in_time(new_register, tmp_path)
    with pytest.raises(OlderRegisterError) as refused:
        open_register(new_register.path, "anna", PASSPHRASE)
    message = refused.value.message
    numbers = re.search(
        r"volgnummer (\d+) \(u zag (\d+)\).* generatie (\d+) \(u zag (\d+)\)", message
    )
    assert numbers is not None, message
    now_seq, saw_seq, now_generation, saw_generation = map(int, numbers.groups())
    assert (saw_seq, saw_generation) == (seen_seq, seen_generation)
    assert now_seq < saw_seq and now_generation < saw_generation
    assert "Een teruggezette kopie?" in message
    with pytest.raises(OlderRegisterError):
        open_register(new_register.path, "anna", PASSPHRASE)  # refused until accepted

    accepted = open_register(new_register.path, "anna", PASSPHRASE, accept_older=True)
    try:
        assert any("U opent een oudere stand" in w for w in accepted.warnings)
        older = [e for e in log.events(accepted) if e.action == "older"]
        assert [e.detail.rsplit("; ", 1)[-1] for e in older] == [
            "niet geopend door anna",
            "niet geopend door anna",
            "gemeld aan anna",
        ]
        assert f"(gezien {seen_seq})" in older[0].detail
    finally:
        accepted.close()
    # Accepted once: what anna sees now is what she saw last.
    again = open_register(new_register.path, "anna", PASSPHRASE)
    try:
        assert not any("oudere stand" in w for w in again.warnings)
    finally:
        again.close()


def test_someone_who_never_saw_the_later_state_is_not_refused(
    new_register: NewRegister, tmp_path: Path, monkeypatch
):
    _went_back_in_time(new_register, tmp_path)
    monkeypatch.setenv(last_seen.STATE_ENV, str(tmp_path / "andere-computer"))
    open_register(new_register.path, "anna", PASSPHRASE).close()


@pytest.mark.local_only
def test_what_was_seen_is_kept_outside_the_register_folder_for_its_owner_only(
    new_register: NewRegister,
):
    register = new_register.register
    who = last_seen._who(register)
    assert who is not None and who[1] == "anna"
    kept = last_seen.state_file(*who)
    register.close()
    assert kept.exists() and not kept.is_relative_to(new_register.path.parent)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700


@pytest.mark.local_only
def test_the_command_line_refuses_an_older_copy_unless_told_to_accept_it(
    new_register: NewRegister, tmp_path: Path
):
    seen_seq, _ = _went_back_in_time(new_register, tmp_path)
    env = {"WIJKTEAM_PASSPHRASE": PASSPHRASE, "WIJKTEAM_USER": "anna"}
    db = ["--db", str(new_register.path)]
    refused = run_cli("overdue", *db, env=env)
    assert refused.returncode == 1, refused.stderr
    assert f"(u zag {seen_seq})" in refused.stderr and "teruggezette kopie?" in refused.stderr
    assert "--accept-older" in refused.stderr and refused.stdout == ""
    accepted = run_cli("overdue", "--accept-older", *db, env=env)
    assert accepted.returncode == 0, accepted.stderr
    assert "Let op: U opent een oudere stand van het register" in accepted.stderr
    assert run_cli("overdue", *db, env=env).returncode == 0
