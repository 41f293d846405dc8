"""`wijkteam overdue` and `wijkteam digest` as scripts use them: real exit codes, CSV and JSON
read back by Python's own csv module and a JSON Schema validator. The bytes a script reads come
from a separate process (`_cli_bytes`); the other runs are in this process (`run_cli`)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import REPO, run_cli
from wijkteam_tui.domain.terms import Channel
from wijkteam_tui.export.overdue import FORMULA_START, SCHEMA_FILE
from wijkteam_tui.store import services
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.edit import list_users
from wijkteam_tui.store.records import AgreementInput, ClientInput

ANNA, BRAM = "geheim wachtwoord", "bram zijn wachtwoord"
DAY = "2026-11-22"
OPENED = date(2026, 9, 1)

#: Names a spreadsheet or a CSV parser could trip over.
NASTY = [
    'Jan "de Kapper", Jansen',
    "Regel\nbreuk",
    "=cmd|' /C calc'!A0",
    "+31 6 12345678",
    "-2",
    "@SUM(1)",
    "Tab\tin het midden",
    "Zoë Şükrü Nguyễn",
]


def _cli_bytes(*args: str, passphrase: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKTEAM_")}
    env |= {"WIJKTEAM_KDF": "test", "WIJKTEAM_PASSPHRASE": passphrase}
    return subprocess.run(
        [sys.executable, "-m", "wijkteam_tui", *args],
        capture_output=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def team_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """anna (teamleider) with the nasty names as clients, bram (medewerker) with one client;
    every client has a weekly call from 1 September that nobody made."""
    db = tmp_path_factory.mktemp("team") / "register.db"
    init = run_cli(
        "init", "--db", str(db), "--user", "anna", "--name", "Wijkteam Zuid",
        env={"WIJKTEAM_PASSPHRASE": ANNA},
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    added = run_cli(
        "user", "add", "bram", "--role", "medewerker", "--db", str(db), "--user", "anna",
        env={"WIJKTEAM_PASSPHRASE": ANNA, "WIJKTEAM_NEW_PASSPHRASE": BRAM},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    register = open_register(db, "anna", ANNA)
    try:
        bram_id = next(u.id for u in list_users(register) if u.name == "bram")
        owners = [(name, register.user.id) for name in NASTY] + [("Kees Bakker", bram_id)]
        for name, owner in owners:
            typed = " ".join(name.splitlines())  # a line break is refused when typed now
            client = services.create_client(
                register, ClientInput(typed, OPENED, casemanager_id=owner), OPENED
            )
            services.add_agreement(
                register, client.id, AgreementInput(Channel.PHONE, OPENED, interval_days=7), OPENED
            )
            if typed != name:  # as a register made before that keeps it
                with register.write() as session:
                    session.get(Client, client.id).name = name
    finally:
        register.close()
    return db


def _args(db: Path, user: str, *rest: str) -> list[str]:
    return [*rest, "--db", str(db), "--user", user, "--date", DAY]


def test_csv_reads_back_every_name_and_no_cell_is_a_formula(team_db: Path):
    result = _cli_bytes(*_args(team_db, "anna", "overdue", "--format", "csv"), passphrase=ANNA)
    assert result.returncode == 0, result.stderr.decode()
    raw = result.stdout
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark"
    text = raw.decode("utf-8-sig")
    assert text.split("\r\n", 1)[0].startswith("dagen te laat,"), "RFC 4180: CRLF line ends"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == len(NASTY) + 1
    for row in rows:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    names = [row[header.index("cliënt")] for row in body]
    # The one apostrophe in front of a formula character is all that was added.
    restored = {
        name[1:] if name[:1] == "'" and name[1:2] in FORMULA_START else name for name in names
    }
    assert restored == {*NASTY, "Kees Bakker"}
    assert {row[0] for row in body} == {str((date(2026, 11, 22) - date(2026, 9, 8)).days)}


@pytest.mark.parametrize("start", FORMULA_START)
def test_every_formula_start_gets_an_apostrophe(start: str):
    from wijkteam_tui.export.overdue import neutralised

    assert neutralised(f"{start}1+1") == f"'{start}1+1"
    assert neutralised(f"a{start}") == f"a{start}"


def test_json_follows_its_published_schema_and_keeps_every_name(team_db: Path):
    result = run_cli(
        *_args(team_db, "anna", "overdue", "--format", "json"), env={"WIJKTEAM_PASSPHRASE": ANNA}
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    assert (document["schema"], document["version"], document["date"]) == (
        "wijkteam-overdue",
        1,
        DAY,
    )
    assert {item["client"] for item in document["items"]} == {*NASTY, "Kees Bakker"}
    assert document["count"] == len(document["items"]) == len(NASTY) + 1


def test_a_run_is_one_audit_event_that_each_listed_client_finds(team_db: Path):
    from wijkteam_tui.store.audit import log
    from wijkteam_tui.store.read.inzage import client_inzage

    register = open_register(team_db, "anna", ANNA)
    try:
        before = log.events(register)[-1].seq
    finally:
        register.close()
    result = run_cli(*_args(team_db, "bram", "overdue"), env={"WIJKTEAM_PASSPHRASE": BRAM})
    assert result.returncode == 0, result.stderr
    register = open_register(team_db, "anna", ANNA)
    try:
        new = [e for e in log.events(register) if e.seq > before and e.user_name == "bram"]
        exports = [e for e in new if e.action == "export"]
        assert len(exports) == 1, "one event for the run"
        assert exports[0].detail.startswith("lijst te late contactmomenten (tabel): 1 cliënt,")
        with register.read() as session:
            kees = session.query(Client).filter_by(name="Kees Bakker").one()
            jansen = session.query(Client).filter(Client.name.like("%Jansen")).one()
            kees_id, kees_number, jansen_id = kees.id, kees.number, jansen.id
        assert exports[0].seq in [e.seq for e in log.events(register, client_number=kees_number)]
        access = [e["seq"] for e in client_inzage(register, kees_id).document["access"]]
        assert exports[0].seq in access
        others = [e["seq"] for e in client_inzage(register, jansen_id).document["access"]]
        assert exports[0].seq not in others, "only the clients on bram's list"
        assert log.verify(register).ok
    finally:
        register.close()


def test_the_table_fits_80_columns_and_shows_control_characters_escaped(team_db: Path):
    result = run_cli(*_args(team_db, "anna", "overdue"), env={"WIJKTEAM_PASSPHRASE": ANNA})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Te laat op {DAY}: {len(NASTY) + 1} contactmomenten"
    assert max(len(line) for line in lines) <= 80
    assert "\x1b" not in result.stdout and "\t" not in result.stdout
    assert any("Regel\\nbreuk" in line for line in lines)


def test_a_medewerker_sees_only_their_own_list_and_is_refused_the_team_with_exit_4(
    team_db: Path,
):
    own = run_cli(*_args(team_db, "bram", "overdue"), env={"WIJKTEAM_PASSPHRASE": BRAM})
    assert own.returncode == 0, own.stderr
    assert "Kees Bakker" in own.stdout and "Jansen" not in own.stdout
    for asked in ("anna",):
        refused = run_cli(
            *_args(team_db, "bram", "overdue", "--medewerker", asked),
            env={"WIJKTEAM_PASSPHRASE": BRAM},
        )
        assert refused.returncode == 4
        assert refused.stdout == ""
        assert refused.stderr.strip() == (
            "wijkteam: Een medewerker ziet alleen de eigen lijst; het hele team of een collega"
            " is voor een teamleider."
        )
    unknown = run_cli(
        *_args(team_db, "anna", "overdue", "--medewerker", "niemand"),
        env={"WIJKTEAM_PASSPHRASE": ANNA},
    )
    assert unknown.returncode == 1
    assert "geen medewerker met de gebruikersnaam 'niemand'" in unknown.stderr


def test_a_wrong_date_is_a_usage_error_in_dutch(team_db: Path):
    result = run_cli(
        "overdue", "--db", str(team_db), "--user", "anna", "--date", "22-11-2026",
        env={"WIJKTEAM_PASSPHRASE": ANNA},
    )  # fmt: skip
    assert result.returncode == 2
    assert "gebruik JJJJ-MM-DD" in result.stderr


def test_the_digest_gives_figures_per_medewerker_and_names_no_client(team_db: Path):
    team = run_cli(*_args(team_db, "anna", "digest"), env={"WIJKTEAM_PASSPHRASE": ANNA})
    assert team.returncode == 0, team.stderr
    text = team.stdout
    assert text.startswith("Weekoverzicht Wijkteam Zuid\nweek 47: ma 16 nov 2026 t/m zo 22 nov")
    assert "Team: 9 cliënten (intensief 9)" in text
    assert "anna: 8 cliënten (intensief 8)" in text
    assert "bram: 1 cliënt (intensief 1)" in text
    assert "  te laat                  1 contactmoment, het langste 75 dagen" in text
    for name in [*NASTY, "Kees Bakker"]:
        assert name not in text
    own = run_cli(*_args(team_db, "bram", "digest"), env={"WIJKTEAM_PASSPHRASE": BRAM})
    assert own.returncode == 0, own.stderr
    assert "bram: 1 cliënt" in own.stdout
    assert "Team:" not in own.stdout and "anna" not in own.stdout


def test_sweep_for_a_timer_brings_the_signals_up_to_date_once(tmp_path: Path):
    from datetime import timedelta

    from sqlalchemy import select

    from wijkteam_tui.domain.terms import ThresholdRule
    from wijkteam_tui.store.models import Alert

    db = tmp_path / "register.db"
    init = run_cli("init", "--db", str(db), "--user", "anna", env={"WIJKTEAM_PASSPHRASE": ANNA})
    assert init.returncode == 0, init.stderr
    long_ago = date.today() - timedelta(days=60)
    register = open_register(db, "anna", ANNA)
    try:
        services.create_client(
            register,
            ClientInput(name="Kees Bakker", opened_on=long_ago, casemanager_id=register.user.id),
            long_ago,
        )
    finally:
        register.close()
    env = {"WIJKTEAM_PASSPHRASE": ANNA}
    first = run_cli("sweep", "--db", str(db), "--user", "anna", env=env)
    assert first.returncode == 0, first.stderr
    assert "Signalen bijgewerkt tot" in first.stdout and ": 1 cliënt opnieuw" in first.stdout
    again = run_cli("sweep", "--db", str(db), "--user", "anna", env=env)
    assert again.returncode == 0 and ": 0 cliënten opnieuw" in again.stdout, again.stdout
    register = open_register(db, "anna", ANNA)
    try:
        with register.read() as session:
            rules = session.scalars(select(Alert.rule)).all()
        assert rules == [ThresholdRule.OUT_OF_VIEW]
    finally:
        register.close()
