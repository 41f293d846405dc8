"""`wijkteam user add` and `user list` as a teamleider uses them: adding is logged in the
audit log, the list shows who can log in and when they last did; a medewerker is refused."""

from __future__ import annotations

from pathlib import Path

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
