"""The command line as a person or a script uses it: real exit codes, Dutch lines.

Most tests run `wijkteam` in this process (`run_cli`); those about what only a process of its
own shows (usage errors from argparse, a wrong passphrase's exit code, SQLCipher's own output on
the file descriptors) run it as a separate one (`run_cli_process`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import fingerprint, run_cli, run_cli_process
from wijkteam_tui.store import keys as crypto

RECOVERY_KEY = re.compile(r"\b([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})\b")


def _init(db: Path, passphrase: str = "geheim wachtwoord") -> str:
    result = run_cli(
        "init",
        "--db",
        str(db),
        "--user",
        "anna",
        "--name",
        "Wijkteam Zuid",
        env={"WIJKTEAM_PASSPHRASE": passphrase},
    )
    assert result.returncode == 0, result.stderr
    keys = RECOVERY_KEY.findall(result.stdout)
    assert len(keys) == 1, "the recovery key is shown exactly once"
    return keys[0]


def _assert_one_dutch_line(stderr: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("wijkteam: ")
    assert "Traceback" not in stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "register.db"


def test_init_prints_the_recovery_key_once_and_refuses_a_second_init(db: Path):
    _init(db)
    assert db.exists() and crypto.key_file_path(db).exists()
    again = run_cli(
        "init", "--db", str(db), "--user", "anna", env={"WIJKTEAM_PASSPHRASE": "geheim wachtwoord"}
    )
    assert again.returncode == 1
    _assert_one_dutch_line(again.stderr)
    assert "Er staat al een register" in again.stderr


def test_a_wrong_passphrase_exits_3_with_one_line_and_touches_nothing(db: Path):
    _init(db)
    files = [db, crypto.key_file_path(db), crypto.backup_key_file_path(db)]
    before = fingerprint(*files)
    result = run_cli_process(
        "db", "check", "--db", str(db), "--user", "anna", env={"WIJKTEAM_PASSPHRASE": "fout"}
    )
    assert result.returncode == 3
    assert result.stdout == ""
    _assert_one_dutch_line(result.stderr)
    assert "Wachtwoord onjuist" in result.stderr
    assert fingerprint(*files) == before


def test_a_damaged_database_is_reported_without_sqlcipher_noise(db: Path):
    _init(db)
    data = bytearray(db.read_bytes())
    for offset in range(0, 64):
        data[offset] ^= 0xFF
    db.write_bytes(bytes(data))
    result = run_cli_process(
        "db",
        "check",
        "--db",
        str(db),
        "--user",
        "anna",
        env={"WIJKTEAM_PASSPHRASE": "geheim wachtwoord"},
    )
    assert result.returncode == 1
    assert result.stdout == ""
    _assert_one_dutch_line(result.stderr)
    assert "beschadigd" in result.stderr


def test_usage_errors_exit_2_in_dutch(db: Path):
    unknown = run_cli_process("frobnicate")
    assert unknown.returncode == 2
    _assert_one_dutch_line(unknown.stderr)
    assert "ongeldige keuze" in unknown.stderr
    missing = run_cli_process("user", "add", "--db", str(db))
    assert missing.returncode == 2
    assert "verplicht" in missing.stderr
    no_secret = run_cli_process("init", "--db", str(db), "--user", "anna")
    assert no_secret.returncode == 2
    assert "--passphrase-file" in no_secret.stderr
    assert not db.exists()


def test_the_help_is_dutch_to_the_last_line():
    shown = run_cli("--help")
    assert shown.returncode == 0
    assert "toon het versienummer en stop" in shown.stdout
    for english in ("show program's version", "show this help", "positional arguments"):
        assert english not in shown.stdout
    assert run_cli("--version").stdout.startswith("wijkteam ")


def test_passphrase_file_user_add_passwd_and_recover(db: Path, tmp_path: Path):
    recovery_key = _init(db)
    anna_file = tmp_path / "anna.txt"
    anna_file.write_text("geheim wachtwoord\n")
    bram_file = tmp_path / "bram.txt"
    bram_file.write_text("bram zijn wachtwoord\n")

    added = run_cli(
        "user",
        "add",
        "bram",
        "--role",
        "medewerker",
        "--db",
        str(db),
        "--user",
        "anna",
        "--passphrase-file",
        str(anna_file),
        "--new-passphrase-file",
        str(bram_file),
    )
    assert added.returncode == 0, added.stderr
    assert "bram toegevoegd als medewerker" in added.stdout

    by_bram = run_cli(
        "user",
        "add",
        "cem",
        "--role",
        "teamleider",
        "--db",
        str(db),
        "--user",
        "bram",
        "--passphrase-file",
        str(bram_file),
        "--new-passphrase-file",
        str(anna_file),
    )
    assert by_bram.returncode == 4  # refused: not a teamleider
    assert "Alleen een teamleider" in by_bram.stderr

    changed = run_cli(
        "passwd",
        "--db",
        str(db),
        "--user",
        "bram",
        env={
            "WIJKTEAM_PASSPHRASE": "bram zijn wachtwoord",
            "WIJKTEAM_NEW_PASSPHRASE": "bram nieuw wachtwoord",
        },
    )
    assert changed.returncode == 0, changed.stderr
    old = run_cli(
        "db", "check", "--db", str(db), "--user", "bram", "--passphrase-file", str(bram_file)
    )
    assert old.returncode == 3

    recovered = run_cli(
        "recover",
        "--db",
        str(db),
        "--user",
        "bram",
        env={"WIJKTEAM_RECOVERY_KEY": recovery_key, "WIJKTEAM_NEW_PASSPHRASE": "bram hersteld"},
    )
    assert recovered.returncode == 0, recovered.stderr
    checked = run_cli(
        "db",
        "check",
        "--db",
        str(db),
        "--user",
        "bram",
        env={"WIJKTEAM_PASSPHRASE": "bram hersteld"},
    )
    assert checked.returncode == 0, checked.stderr
    assert "in orde" in checked.stdout

    wrong_key = run_cli(
        "recover",
        "--db",
        str(db),
        "--user",
        "bram",
        env={
            "WIJKTEAM_RECOVERY_KEY": crypto.new_recovery_key(),
            "WIJKTEAM_NEW_PASSPHRASE": "x" * 10,
        },
    )
    assert wrong_key.returncode == 3


def test_backup_and_restore_round_trip(db: Path, tmp_path: Path):
    _init(db)
    env = {
        "WIJKTEAM_PASSPHRASE": "geheim wachtwoord",
        "WIJKTEAM_USER": "anna",
        "WIJKTEAM_DB": str(db),
    }
    backup = tmp_path / "zondag.wkb"
    made = run_cli("backup", "-o", str(backup), env=env)
    assert made.returncode == 0, made.stderr
    assert "versleuteld" in made.stdout

    target = tmp_path / "elders" / "register.db"
    restored = run_cli("restore", str(backup), "--db", str(target), env=env)
    assert restored.returncode == 0, restored.stderr
    check = run_cli("db", "check", "--db", str(target), env=env)
    assert check.returncode == 0, check.stderr

    refused = run_cli("restore", str(backup), env=env)
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    forced = run_cli("restore", str(backup), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "bewaard als" in forced.stdout


def test_a_damaged_backup_is_refused_and_nothing_changes(db: Path, tmp_path: Path):
    _init(db)
    env = {
        "WIJKTEAM_PASSPHRASE": "geheim wachtwoord",
        "WIJKTEAM_USER": "anna",
        "WIJKTEAM_DB": str(db),
    }
    backup = tmp_path / "b.wkb"
    assert run_cli("backup", "-o", str(backup), env=env).returncode == 0
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x55
    backup.write_bytes(bytes(data))
    before = fingerprint(db, crypto.key_file_path(db))
    result = run_cli("restore", str(backup), "--force", env=env)
    assert result.returncode == 1
    _assert_one_dutch_line(result.stderr)
    assert "beschadigd" in result.stderr
    assert fingerprint(db, crypto.key_file_path(db)) == before


def test_db_upgrade_reports_an_up_to_date_register(db: Path):
    _init(db)
    result = run_cli(
        "db",
        "upgrade",
        "--db",
        str(db),
        "--user",
        "anna",
        env={"WIJKTEAM_PASSPHRASE": "geheim wachtwoord"},
    )
    assert result.returncode == 0
    assert "al bijgewerkt" in result.stdout


def test_a_missing_register_is_named(tmp_path: Path):
    result = run_cli(
        "db",
        "check",
        "--db",
        str(tmp_path / "nergens.db"),
        "--user",
        "anna",
        env={"WIJKTEAM_PASSPHRASE": "x"},
    )
    assert result.returncode == 1
    assert "Geen register gevonden" in result.stderr


def test_a_register_in_a_sync_folder_is_refused(tmp_path: Path):
    db = tmp_path / "Dropbox" / "wijkteam" / "register.db"
    result = run_cli(
        "init", "--db", str(db), "--user", "anna", env={"WIJKTEAM_PASSPHRASE": "geheim wachtwoord"}
    )
    assert result.returncode == 1
    assert "synchronisatiemap" in result.stderr
    assert not db.exists()


def test_wrong_passphrases_make_the_next_try_wait_on_the_command_line_too(db: Path):
    from wijkteam_tui.store.keys import attempts

    _init(db)
    for _ in range(3):
        wrong = run_cli(
            "db", "check", "--db", str(db), "--user", "anna", env={"WIJKTEAM_PASSPHRASE": "fout"}
        )
        assert wrong.returncode == 3
    assert attempts.wait_seconds(db, "anna") > 0, "three wrong tries on the command line count"
    # Wrong tries made in the screens count here too: the same file beside the register.
    for _ in range(3):
        attempts.record_failure(db, "anna")
    right = run_cli(
        "db",
        "check",
        "--db",
        str(db),
        "--user",
        "anna",
        env={"WIJKTEAM_PASSPHRASE": "geheim wachtwoord"},
    )
    assert right.returncode == 3
    _assert_one_dutch_line(right.stderr)
    assert re.search(r"Probeer het over \d+ seconden? opnieuw", right.stderr), right.stderr
