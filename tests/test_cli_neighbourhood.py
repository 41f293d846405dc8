"""`wijkteam neighbourhood` as the teamleider types it: the table, CSV read back by Python's csv
module, JSON, one postcode area; a medewerker refused; and the teamleider's corrections
(`join`, `part`, `forget`) changing who is one person.

Fenna (06-12345678, in four networks, weekly from 140 days ago, every visit made) carries four
clients: 4 x 30.4375 / 7 = 17.4 moments a month, more than 3 clients and 12 moments, a signal.
"Riet" in two networks, without a number, is two people until the teamleider joins them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from tests.helpers import REPO, run_cli
from tests.test_cli_import import ANNA, BRAM, _new_team
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome
from wijkteam_tui.store import services
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput

pytestmark = pytest.mark.local_only
FENNA = "06-12345678"


def _wijkteam(db, *args: str, user: str = "anna"):
    passphrase = {"anna": ANNA, "bram": BRAM}[user]
    return run_cli(*args, "--db", str(db), "--user", user, env={"WIJKTEAM_PASSPHRASE": passphrase})


@pytest.fixture
def db(tmp_path):
    db = _new_team(tmp_path / "wijk" / "register.db")
    today = date.today()
    start = today - timedelta(days=140)
    register = open_register(db, "anna", ANNA)
    try:
        for n, postcode in enumerate(("7271 AB", "7271 CD", "7272 EF", "7273 GH")):
            client = services.create_client(
                register,
                ClientInput(f"Cliënt {n}", start - timedelta(days=30), postcode=postcode),
                today,
            ).id
            fenna = services.add_member(
                register,
                client,
                MemberInput(
                    "Fenna de Vries", MemberKind.INFORMAL, "buurvrouw", phone="06-12345678"
                ),
                today,
            ).id
            agreement = services.add_agreement(
                register,
                client,
                AgreementInput(Channel.VISIT, start, member_id=fenna, interval_days=7),
                today,
            ).id
            for week in range(1, 20):
                services.log_contact(
                    register,
                    ContactInput(
                        client, start + timedelta(days=7 * week), Channel.VISIT, Outcome.GOOD,
                        agreement, fenna,
                    ),
                    today,
                )  # fmt: skip
            if n < 2:
                data = MemberInput(f"Riet {'Vos' if n else 'van Dam'}", MemberKind.INFORMAL)
                services.add_member(register, client, data, today)
    finally:
        register.close()
    return db


def _members(db) -> dict[str, list[int]]:
    document = json.loads(_wijkteam(db, "neighbourhood", "--format", "json").stdout)
    return {
        person["name"]: [member["member_id"] for member in person["members"]]
        for person in document["supporters"]
    }


def test_the_table_names_the_stretched_volunteer_and_how_she_was_found(db):
    result = _wijkteam(db, "neighbourhood")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Buurt van Wijkteam Oost op ")
    assert "Steunpersonen met meer dan één cliënt (1, 1 met een signaal)" in lines
    assert "  Fenna de Vries" in lines
    assert "    ! draagt 4 cliënten, 17 contacten per maand" in lines
    found = [line for line in lines if line.startswith("    - ")]
    assert len(found) == 4
    assert found[0].startswith("    - Cliënt 0 (100001, 7271): Fenna de Vries, buurvrouw; via")
    assert all("via telefoon (lid " in line for line in found)
    areas = lines[lines.index("Per postcodegebied") + 2 :]
    assert [line.split() for line in areas] == [
        ["7271", "2", "3", "0", "0"],  # Fenna once, and both Riets
        ["7272", "1", "1", "0", "0"],
        ["7273", "1", "1", "0", "0"],
    ]


def test_csv_and_json_read_back(db):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKTEAM_")}
    env |= {"WIJKTEAM_KDF": "test", "WIJKTEAM_PASSPHRASE": ANNA}
    result = subprocess.run(
        [sys.executable, "-m", "wijkteam_tui", "neighbourhood", "--format", "csv",
         "--db", str(db), "--user", "anna"],
        capture_output=True, env=env, cwd=REPO, timeout=120, check=False,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8-sig"), newline="")))
    [fenna] = [row for row in rows if row["soort"] == "steunpersoon"]
    assert (fenna["naam"], fenna["cliënten"], fenna["afspraken"]) == ("Fenna de Vries", "4", "4")
    assert fenna["contacten per maand"] == "17,4"
    assert fenna["gebied"] == "7271 7272 7273"
    assert fenna["signalen"] == "draagt 4 cliënten, 17 contacten per maand"
    assert fenna["gevonden via"].startswith("Cliënt 0 (100001): telefoon; ")
    assert [row["naam"] for row in rows if row["soort"] == "gebied"] == ["7271", "7272", "7273"]
    document = json.loads(_wijkteam(db, "neighbourhood", "--format", "json").stdout)
    assert (document["schema"], document["version"]) == ("wijkteam-neighbourhood", 1)
    [person] = document["supporters"]
    assert person["clients"] == 4
    assert round(person["moments_a_month"], 2) == 17.39
    assert [m["matched_by"] for m in person["members"]] == [["telefoon"]] * 4


def test_one_area_and_a_wrong_area(db):
    result = _wijkteam(db, "neighbourhood", "--area", "7273", "--format", "json")
    document = json.loads(result.stdout)
    assert document["area"] == "7273"
    assert [p["name"] for p in document["supporters"]] == ["Fenna de Vries"]
    assert [a["area"] for a in document["areas"]] == ["7273"]
    wrong = _wijkteam(db, "neighbourhood", "--area", "72a1")
    assert wrong.returncode == 2
    assert "'72a1' is geen postcodegebied" in wrong.stderr


def test_a_medewerker_may_not_list_or_decide(db):
    refused = _wijkteam(db, "neighbourhood", user="bram")
    assert refused.returncode != 0
    assert "Alleen een teamleider bekijkt de buurt" in refused.stderr
    refused = _wijkteam(db, "neighbourhood", "part", "1", user="bram")
    assert refused.returncode != 0
    assert "Alleen een teamleider koppelt of ontkoppelt" in refused.stderr


def test_join_part_and_forget(db):
    assert "Riet van Dam" not in _members(db)
    joined = _wijkteam(db, "neighbourhood", "join", "2", "4")
    assert joined.returncode == 0, joined.stderr
    assert joined.stdout == "Lid 2 en lid 4 zijn dezelfde persoon.\n"
    assert _members(db)["Riet van Dam"] == [2, 4]
    fenna = _members(db)["Fenna de Vries"]
    parted = _wijkteam(db, "neighbourhood", "part", str(fenna[0]))
    assert parted.stdout == f"Lid {fenna[0]} is een eigen persoon: los van 3 netwerkleden.\n"
    assert _members(db)["Fenna de Vries"] == fenna[1:]
    forgotten = _wijkteam(db, "neighbourhood", "forget", str(fenna[0]))
    assert forgotten.stdout.startswith(f"Lid {fenna[0]}: weer gekoppeld op telefoonnummer")
    assert _members(db)["Fenna de Vries"] == fenna
    same_client = _wijkteam(db, "neighbourhood", "join", str(fenna[0]), "2")
    assert same_client.returncode != 0
    assert "staan in het netwerk van dezelfde cliënt" in same_client.stderr
