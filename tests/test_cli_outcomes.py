"""`wijkteam outcome add|edit|show` as a person types it: domains by the start of their name,
"nvt", Dutch dates; a drop said as the alert it raised; a wrong score refused in Dutch with
nothing written; `show` as a table of the assessments side by side, or as JSON."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.helpers import run_cli
from tests.test_cli_import import ANNA, BRAM, _new_team
from wijkteam_tui.store import services
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.records import ClientInput

pytestmark = pytest.mark.local_only


def _wijkteam(db, *args: str, user: str = "anna"):
    passphrase = {"anna": ANNA, "bram": BRAM}[user]
    return run_cli(*args, "--db", str(db), "--user", user, env={"WIJKTEAM_PASSPHRASE": passphrase})


@pytest.fixture
def db(tmp_path):
    db = _new_team(tmp_path / "wijk" / "register.db")
    register = open_register(db, "anna", ANNA)
    try:
        opened = date.today() - timedelta(days=400)
        services.create_client(register, ClientInput("Truus Smit", opened), date.today())
    finally:
        register.close()
    return db


def test_two_assessments_a_drop_and_the_table(db):
    before = (date.today() - timedelta(days=120)).isoformat()
    first = _wijkteam(
        db, "outcome", "add", "100001", "--kind", "zrm", "--date", before,
        "--score", "fin=4", "--score", "huisvesting=4", "--score", "justitie=nvt",
        "--domain-note", "fin=Budgetbeheer loopt", user="bram",
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "ZRM van 100001 vastgelegd (meting 1)." in first.stdout
    second = _wijkteam(
        db, "outcome", "add", "100001", "--kind", "zrm",
        "--score", "financiën=2", "--score", "huisvesting=4", user="bram",
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert "Aandachtspunt: ZRM gedaald: financiën 4→2 (meting" in second.stdout
    table = _wijkteam(db, "outcome", "show", "100001").stdout.splitlines()
    assert table[0] == "ZRM: 2 meting(en), de laatste 2:"
    financien = next(line for line in table if line.startswith("financiën"))
    assert financien.split() == ["financiën", "4", "2", "▼2"]
    assert next(line for line in table if line.startswith("justitie")).split() == [
        "justitie", "n.v.t.", "n.v.t.",
    ]  # fmt: skip
    corrected = _wijkteam(db, "outcome", "edit", "100001", "2", "--score", "financien=3")
    assert corrected.returncode == 0, corrected.stderr
    assert "de vorige versie is bewaard" in corrected.stdout
    assert "Opgelost: Automatisch opgelost: een nieuwe of gewijzigde ZRM." in corrected.stdout
    shown = json.loads(_wijkteam(db, "outcome", "show", "100001", "--format", "json").stdout)
    assert [a["scores"]["financien"]["score"] for a in shown] == [4, 3]
    assert shown[0]["scores"]["financien"]["note"] == "Budgetbeheer loopt"
    assert (shown[1]["version"], shown[1]["revisions"], shown[1]["changed_by"]) == (2, 1, "anna")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--kind", "zrm", "--score", "fin=6"),
            "'6' is geen score: een getal van 1 tot 5 of n.v.t.",
        ),
        (("--kind", "pg", "--score", "meedoen=nvt"), "een getal van 0 tot 10."),
        (("--kind", "zrm", "--score", "geluk=3"), "'geluk' is geen ZRM-domein"),
        (("--kind", "zrm", "--score", "m=3"), "past bij meer dan één ZRM-domein"),
        (("--kind", "zrm", "--score", "fin"), "schrijf DOMEIN=SCORE"),
        (("--kind", "zrm"), "Geef de scores met --score"),
        (("--kind", "zrm", "--score", "fin=3", "--date", "31-2-2026"), "31-2-2026"),
        (("--kind", "zrm", "--score", "fin=3", "--date", "morgen"), "toekomst"),
    ],
)
def test_wrong_input_is_refused_in_dutch_and_nothing_is_written(db, args, message):
    refused = _wijkteam(db, "outcome", "add", "100001", *args)
    assert refused.returncode != 0 and message in refused.stderr
    assert (
        "Er is nog niets gemeten bij 100001." in _wijkteam(db, "outcome", "show", "100001").stdout
    )


def test_an_assessment_of_another_client_is_not_edited(db):
    _wijkteam(db, "outcome", "add", "100001", "--kind", "pg", "--score", "meedoen=6",
              "--words", "Ik wil weer naar de koorrepetitie.")  # fmt: skip
    register = open_register(db, "anna", ANNA)
    try:
        services.create_client(register, ClientInput("Piet Jansen", date.today()), date.today())
    finally:
        register.close()
    refused = _wijkteam(db, "outcome", "edit", "100002", "1", "--score", "meedoen=2")
    assert refused.returncode != 0 and "Meting 1 hoort niet bij 100002" in refused.stderr
    table = _wijkteam(db, "outcome", "show", "100001").stdout
    assert "in eigen woorden: Ik wil weer naar de koorrepetitie." in table
