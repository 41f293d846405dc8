"""`wijkteam absence add|list|end` as a person types it: Dutch dates, a medewerker only for
themselves, a date that is no date said in Dutch."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.helpers import run_cli
from tests.test_cli_import import ANNA, BRAM, _new_team
from wijkteam_tui.domain.dates import format_date

pytestmark = pytest.mark.local_only


def _wijkteam(db, *args: str, user: str = "anna"):
    passphrase = {"anna": ANNA, "bram": BRAM}[user]
    return run_cli(*args, "--db", str(db), "--user", user, env={"WIJKTEAM_PASSPHRASE": passphrase})


def test_away_listed_and_back(tmp_path):
    db = _new_team(tmp_path / "wijk" / "register.db")
    today = date.today()
    assert "Niemand is afwezig" in _wijkteam(db, "absence", "list").stdout
    other = _wijkteam(db, "absence", "add", "anna", "--from", "morgen", user="bram")
    assert other.returncode == 4 and "Alleen een teamleider" in other.stderr
    wrong = _wijkteam(db, "absence", "add", "bram", "--from", "31-2-2026", user="bram")
    assert wrong.returncode == 2 and "31-2-2026" in wrong.stderr
    added = _wijkteam(db, "absence", "add", "bram", "--from", "vandaag", "--to", "+1w",
                      "--cover", "anna", user="bram")  # fmt: skip
    assert added.returncode == 0, added.stderr
    last = format_date(today + timedelta(weeks=1))
    assert f"bram afwezig vanaf {format_date(today)} t/m {last}; anna neemt waar." in added.stdout
    listed = _wijkteam(db, "absence", "list").stdout
    assert "bram" in listed and f"t/m {last}" in listed and "waarneming: anna" in listed
    back = _wijkteam(db, "absence", "end", "bram")
    assert back.returncode == 0 and f"terug sinds {format_date(today)}" in back.stdout
    again = _wijkteam(db, "absence", "end", "bram")
    assert again.returncode != 0 and "bram is niet afwezig" in again.stderr


def test_a_cover_by_client(tmp_path):
    db = _new_team(tmp_path / "wijk" / "register.db")
    wrong = _wijkteam(db, "absence", "add", "bram", "--from", "vandaag", "--cover-client", "x")
    assert wrong.returncode == 2 and "per cliënt NUMMER=NAAM" in wrong.stderr
    unknown = _wijkteam(db, "absence", "add", "bram", "--from", "vandaag",
                        "--cover-client", "100001=anna")  # fmt: skip
    assert unknown.returncode != 0 and "100001 is geen cliënt van bram" in unknown.stderr
