"""`wijkteam user add` and `user list` as a teamleider uses them: adding is logged in the
audit log, the list shows who can log in and when they last did; a medewerker is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli

ANNA = "anna haar wachtwoord"
BRAM = "bram zijn wachtwoord"


def test_adding_is_logged_and_the_list_shows_who_can_log_in(tmp_path: Path):
    db = str(tmp_path / "register.db")
    anna = {"WIJKTEAM_PASSPHRASE": ANNA}
    assert run_cli("init", "--db", db, "--user", "anna", env=anna).returncode == 0
    added = run_cli(
        "user", "add", "bram", "--role", "medewerker", "--db", db, "--user", "anna",
        env={**anna, "WIJKTEAM_NEW_PASSPHRASE": BRAM},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = run_cli("user", "list", "--db", db, "--user", "anna", env=anna)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    bram = next(line for line in lines if line.startswith("bram "))
    assert "medewerker" in bram and " ja " in bram and bram.rstrip().endswith("—")
    assert next(line for line in lines if line.startswith("anna ")).split()[-2].startswith("20")
    shown = run_cli("audit", "show", "--db", db, "--user", "anna", env=anna)
    assert "gebruiker gewijzigd" in shown.stdout
    assert "toegevoegd als medewerker" in shown.stdout
    refused = run_cli(
        "user", "list", "--db", db, "--user", "bram", env={"WIJKTEAM_PASSPHRASE": BRAM}
    )
    assert refused.returncode == 4
    assert "Alleen een teamleider beheert de gebruikers." in refused.stderr


def test_a_deactivated_user_cannot_log_in_and_their_history_stays(tmp_path: Path):
    import shutil

    db = str(tmp_path / "register.db")
    anna = {"WIJKTEAM_PASSPHRASE": ANNA}
    bram = {"WIJKTEAM_PASSPHRASE": BRAM}
    assert run_cli("init", "--db", db, "--user", "anna", env=anna).returncode == 0
    run_cli(
        "user", "add", "bram", "--role", "medewerker", "--db", db, "--user", "anna",
        env={**anna, "WIJKTEAM_NEW_PASSPHRASE": BRAM},
    )  # fmt: skip
    assert run_cli("overdue", "--db", db, "--user", "bram", env=bram).returncode == 0
    kept = tmp_path / "oud"
    kept.mkdir()
    for name in ("register.keys", "register.keys.bak"):
        shutil.copy2(tmp_path / name, kept / name)
    refused = run_cli("user", "deactivate", "bram", "--db", db, "--user", "bram", env=bram)
    assert refused.returncode == 4
    done = run_cli("user", "deactivate", "bram", "--db", db, "--user", "anna", env=anna)
    assert done.returncode == 0, done.stderr
    assert "bram is uitgeschakeld" in done.stdout
    gone = run_cli("overdue", "--db", db, "--user", "bram", env=bram)
    assert gone.returncode != 0
    newest = tmp_path / "nieuw"
    newest.mkdir()
    for name in ("register.keys", "register.keys.bak"):
        shutil.copy2(tmp_path / name, newest / name)
    # The key file from before brings bram back no more: the database has a new key since.
    assert "databasesleutel is vernieuwd" in done.stdout
    for name in ("register.keys", "register.keys.bak"):
        shutil.copy2(kept / name, tmp_path / name)
    replayed = run_cli("overdue", "--db", db, "--user", "bram", env=bram)
    assert replayed.returncode != 0
    assert "kan met dit sleutelbestand niet" in replayed.stderr
    for name in ("register.keys", "register.keys.bak"):
        shutil.copy2(newest / name, tmp_path / name)
    listed = run_cli("user", "list", "--db", db, "--user", "anna", env=anna)
    bram_line = next(line for line in listed.stdout.splitlines() if line.startswith("bram "))
    assert " nee " in bram_line and bram_line.split()[-2].startswith("20"), "history stays"
    shown = run_cli("audit", "show", "--medewerker", "bram", "--db", db, "--user", "anna", env=anna)
    assert "bram (medewerker)" in shown.stdout, "the log still names bram"
    self_refused = run_cli("user", "deactivate", "anna", "--db", db, "--user", "anna", env=anna)
    assert self_refused.returncode != 0 and "uzelf" in self_refused.stderr


def test_a_reset_gives_a_one_time_passphrase_that_must_be_changed(tmp_path: Path):
    from wijkteam_tui.store import keys as crypto
    from wijkteam_tui.store.opening import open_register

    db = str(tmp_path / "register.db")
    anna = {"WIJKTEAM_PASSPHRASE": ANNA}
    assert run_cli("init", "--db", db, "--user", "anna", env=anna).returncode == 0
    run_cli(
        "user", "add", "bram", "--role", "medewerker", "--db", db, "--user", "anna",
        env={**anna, "WIJKTEAM_NEW_PASSPHRASE": BRAM},
    )  # fmt: skip
    refused = run_cli(
        "user", "reset", "anna", "--db", db, "--user", "bram", env={"WIJKTEAM_PASSPHRASE": BRAM}
    )
    assert refused.returncode == 4
    reset = run_cli("user", "reset", "bram", "--db", db, "--user", "anna", env=anna)
    assert reset.returncode == 0, reset.stderr
    one_time = reset.stdout.strip().rsplit(" ", 1)[-1]
    assert len(one_time) == 24 and one_time.count("-") == 4
    old = run_cli("overdue", "--db", db, "--user", "bram", env={"WIJKTEAM_PASSPHRASE": BRAM})
    assert old.returncode == 3, "the old passphrase opens nothing any more"
    once = run_cli("overdue", "--db", db, "--user", "bram", env={"WIJKTEAM_PASSPHRASE": one_time})
    assert once.returncode != 0 and "eenmalig wachtwoord" in once.stderr
    chosen = "bram kiest zelf een nieuw wachtwoord"
    changed = run_cli(
        "passwd", "--db", db, "--user", "bram",
        env={"WIJKTEAM_PASSPHRASE": one_time, "WIJKTEAM_NEW_PASSPHRASE": chosen},
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    open_register(Path(db), "bram", chosen).close()
    slot = crypto.read_key_file(crypto.key_file_path(Path(db))).user_slot("bram")
    assert slot is not None and not slot.must_change
    # The flag is part of the authenticated header: editing it away breaks the slot.
    shown = run_cli("audit", "show", "--db", db, "--user", "anna", env=anna)
    assert "eenmalig wachtwoord gegeven door de teamleider" in shown.stdout
    assert "wachtwoord gewijzigd" in shown.stdout


def test_add_with_a_one_time_passphrase_and_a_full_name(tmp_path: Path):
    from wijkteam_tui.errors import OneTimePassphraseError
    from wijkteam_tui.store import keys as crypto

    db = str(tmp_path / "register.db")
    anna = {"WIJKTEAM_PASSPHRASE": ANNA}
    assert run_cli("init", "--db", db, "--user", "anna", env=anna).returncode == 0
    added = run_cli(
        "user", "add", "cem", "--role", "teamleider", "--one-time", "--display-name", "Cem Demir",
        "--db", db, "--user", "anna", env=anna,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Gebruiker cem toegevoegd als teamleider." in added.stdout
    one_time = added.stdout.strip().rsplit(" ", 1)[-1]
    assert len(one_time) == 24 and one_time.count("-") == 4
    with pytest.raises(OneTimePassphraseError):
        crypto.unlock(Path(db), "cem", one_time)
    listed = run_cli("user", "list", "--db", db, "--user", "anna", env=anna).stdout
    assert "Cem Demir" in next(line for line in listed.splitlines() if line.startswith("cem "))
    again = run_cli(
        "user", "add", "cem", "--role", "medewerker", "--one-time", "--db", db, "--user", "anna",
        env=anna,
    )  # fmt: skip
    assert again.returncode == 2 and "bestaat al" in again.stderr


def test_user_add_refuses_a_name_that_differs_only_in_case(tmp_path: Path):
    db = str(tmp_path / "register.db")
    anna = {"WIJKTEAM_PASSPHRASE": ANNA}
    assert run_cli("init", "--db", db, "--user", "anna", env=anna).returncode == 0
    refused = run_cli(
        "user", "add", "Anna", "--role", "medewerker", "--one-time", "--db", db, "--user", "anna",
        env=anna,
    )  # fmt: skip
    assert refused.returncode == 1
    assert "Er is al een gebruiker 'anna'" in refused.stderr
    assert "Traceback" not in refused.stderr
    listed = run_cli("user", "list", "--db", db, "--user", "anna", env=anna).stdout
    assert not any(line.startswith("Anna ") for line in listed.splitlines())
