"""`wijkteam user add --phone` and `wijkteam user phone`: the number the shared documents
print for a casemanager's clients, set by the teamleider at adding or by the person themselves."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli

ANNA = {"WIJKTEAM_PASSPHRASE": "anna haar wachtwoord"}
BRAM = {"WIJKTEAM_PASSPHRASE": "bram zijn wachtwoord"}


def test_a_phone_given_at_adding_is_shown_changed_by_its_owner_and_refused_when_bad(
    tmp_path: Path,
):
    db = str(tmp_path / "register.db")
    assert run_cli("init", "--db", db, "--user", "anna", env=ANNA).returncode == 0
    bad = run_cli(
        "user", "add", "bram", "--role", "medewerker", "--phone", "06-12", "--db", db,
        "--user", "anna", env={**ANNA, "WIJKTEAM_NEW_PASSPHRASE": BRAM["WIJKTEAM_PASSPHRASE"]},
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.strip() == "wijkteam: Een telefoonnummer heeft 10 tot 15 cijfers (nu 4)."
    added = run_cli(
        "user", "add", "bram", "--role", "medewerker", "--phone", "06-1234 5678", "--db", db,
        "--user", "anna", env={**ANNA, "WIJKTEAM_NEW_PASSPHRASE": BRAM["WIJKTEAM_PASSPHRASE"]},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    shown = run_cli("user", "phone", "--db", db, "--user", "bram", env=BRAM)
    assert shown.stdout.strip() == "06-1234 5678"
    changed = run_cli("user", "phone", "06 8765 4321", "--db", db, "--user", "bram", env=BRAM)
    assert changed.stdout.strip() == "Telefoonnummer van bram: 06 8765 4321."
    other = run_cli("user", "phone", "06 1111 1111", "--of", "anna", "--db", db, "--user", "bram",
                    env=BRAM)  # fmt: skip
    assert other.returncode == 4
    assert "Alleen een teamleider wijzigt de gegevens van een ander." in other.stderr
    by_lead = run_cli("user", "phone", "", "--of", "bram", "--db", db, "--user", "anna", env=ANNA)
    assert "verwijderd" in by_lead.stdout
    shown = run_cli("user", "phone", "--of", "bram", "--db", db, "--user", "anna", env=ANNA)
    assert (
        shown.stdout.strip() == "bram heeft geen telefoonnummer; de documenten noemen het kantoor."
    )
    log = run_cli("audit", "show", "--db", db, "--user", "anna", env=ANNA).stdout
    assert "telefoonnummer gewijzigd" in log and "telefoonnummer verwijderd" in log
