"""`wijkteam import` as a teamleider uses it: a team's "wie belt wie" sheet of a few hundred
clients, written by Python's csv in Dutch Excel's dialect (semicolons, Windows-1252), or by
openpyxl with formula cells; one dry run that changes nothing, one apply; a bad row refusing
the whole import, or left out with --valid-only into an error sheet that imports once fixed; a
kill -9 halfway leaving the register as it was; a medewerker refused with exit 4."""

from __future__ import annotations

import csv
import os
import signal
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.caseload.files import with_saved_results, workbook
from tests.helpers import REPO, run_cli
from wijkteam_tui.store.audit import log as audit_log
from wijkteam_tui.store.audit.log import events as audit_events
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.client_file import client_file
from wijkteam_tui.store.read.search import search_clients

ANNA, BRAM = "geheim wachtwoord", "bram zijn wachtwoord"
HEADER = ["Cliëntnaam", "Geb. datum", "Adres", "Huisnr", "Telefoon", "Casemanager", "Wie",
          "Relatie", "Hoe", "Hoe vaak", "Laatste contact", "Opmerking"]  # fmt: skip
FIRST = ["Anouk", "Bas", "Cor", "Dewi", "Els", "Fenna", "Gerrit", "Hatice", "Ivo", "Joke"]
LAST = ["Jansen", "de Vries", "Öztürk", "Bakker", "Visser", "Smit", "Meijer", "de Boer"]


def _rows(count: int) -> list[list[str]]:
    """`count` clients, each with two rows (two agreements), as a team keeps them."""
    rows = []
    for n in range(count):
        name = f"{FIRST[n % 10]} {LAST[n // 10 % 8]}-{n}"
        born = f"{1 + n % 28}-{1 + n % 12}-{1930 + n % 60}"
        client = [name, born, "Kerkstraat", str(1 + n), f"06-{10000000 + n}",
                  "bram" if n % 2 else "anna"]  # fmt: skip
        rows.append([*client, "Truus (dochter)", "dochter", "bellen", "elke zondag",
                     "29-11-2026", "café; vaste koffie"])  # fmt: skip
        rows.append([*client, "", "", "bezoek", "elke 4 weken", "", ""])
    return rows


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def team(tmp_path: Path) -> Path:
    return _new_team(tmp_path / "register.db")


def _new_team(db: Path) -> Path:
    """A register with teamleider anna and medewerker bram."""
    db.parent.mkdir(exist_ok=True)
    init = run_cli(
        "init", "--db", str(db), "--user", "anna", "--name", "Wijkteam Oost",
        env={"WIJKTEAM_PASSPHRASE": ANNA},
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    added = run_cli(
        "user", "add", "bram", "--role", "medewerker", "--db", str(db), "--user", "anna",
        env={"WIJKTEAM_PASSPHRASE": ANNA, "WIJKTEAM_NEW_PASSPHRASE": BRAM},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    return db


def _import(db: Path, path: Path, *rest: str, user: str = "anna", passphrase: str = ANNA):
    return run_cli(
        "import", str(path), *rest, "--db", str(db), "--user", user,
        env={"WIJKTEAM_PASSPHRASE": passphrase},
    )  # fmt: skip


def said(output: str) -> str:
    """The report as one line (it is wrapped to fit the terminal)."""
    return " ".join(output.split())


def _clients(db: Path) -> int:
    register = open_register(db, "anna", ANNA)
    try:
        return len(search_clients(register, "kerkstraat", limit=10_000))
    finally:
        register.close()


def test_a_dry_run_then_an_apply_then_the_same_file_again(team: Path, tmp_path: Path):
    sheet = _csv(tmp_path / "wie belt wie.csv", _rows(300))
    dry = _import(team, sheet)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "Blad wie belt wie (plat: een rij per afspraak, 600 rijen):" in said(dry.stdout)
    assert "Naam ← 'Cliëntnaam'" in said(dry.stdout) and "Huisnummer ← 'Huisnr'" in said(dry.stdout)
    assert "niet gelezen: 'Opmerking'" in said(dry.stdout)
    assert "Cliënten: 300 nieuw, 0 bijgewerkt, 0 al zo in het register." in said(dry.stdout)
    assert "Dit was een proefimport: er is niets veranderd." in said(dry.stdout)
    assert _clients(team) == 0

    applied = _import(team, sheet, "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert (
        "Geïmporteerd uit wie belt wie.csv: 300 nieuwe cliënten, 0 bijgewerkt, 300 netwerkleden,"
        " 600 afspraken, 300 contactmomenten, 0 metingen." in said(applied.stdout)
    )
    assert _clients(team) == 300
    register = open_register(team, "anna", ANNA)
    try:
        (hit,) = [h for h in search_clients(register, "Bas Jansen-1") if h.name == "Bas Jansen-1"]
        file = client_file(register, hit.id, date.today())
        assert hit.casemanager == "bram" and file.phone == "06-10000001"
        assert [m.name for m in file.members] == ["Truus (dochter)"]
        assert sorted(a.channel.value for a in file.agreements) == ["bezoek", "telefoon"]
        # One event per row written, 1,500 in one transaction, appended in batches: the chain
        # holds across them.
        made = [e for e in audit_events(register) if e.action == "create"]
        assert len(made) >= 1_500 and audit_log.verify(register).ok
    finally:
        register.close()

    again = _import(team, sheet, "--apply")
    assert again.returncode == 0, again.stdout
    assert "Cliënten: 0 nieuw, 0 bijgewerkt, 300 al zo in het register." in said(again.stdout)
    assert _clients(team) == 300


def test_one_bad_row_among_500_writes_nothing_unless_valid_only(team: Path, tmp_path: Path):
    rows = _rows(250)
    rows[137][1] = "31-02-1950"  # the 69th client, on row 139 of the sheet
    sheet = _csv(tmp_path / "caseload.csv", rows)
    refused = _import(team, sheet, "--apply")
    assert refused.returncode == 1
    assert "caseload, rij 139, Geb. datum: '31-02-1950' bestaat niet als datum." in said(
        refused.stdout
    )
    assert "Er is niets geïmporteerd." in said(refused.stdout)
    assert _clients(team) == 0

    partly = _import(team, sheet, "--apply", "--valid-only")
    assert partly.returncode == 0, partly.stdout + partly.stderr
    assert "250 nieuwe cliënten" in said(partly.stdout)
    errors = tmp_path / "caseload-fouten.csv"
    assert os.stat(errors).st_mode & 0o777 == 0o600
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        got = list(csv.reader(handle, delimiter=";"))
    assert got[0] == [*HEADER, "Fout"]
    assert [row[0] for row in got[1:]] == [rows[137][0]]
    assert got[1][-1] == "Geb. datum: '31-02-1950' bestaat niet als datum."
    # The client's other row was fine: they came in with that agreement.
    assert _clients(team) == 250

    # Fixed in the error sheet and imported again: the same name, birth date and details,
    # so the same client, who gets the agreement of that row.
    got[1][1] = rows[136][1]
    with errors.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(got)
    fixed = _import(team, errors, "--apply")
    assert fixed.returncode == 0, fixed.stdout
    assert "niet gelezen: 'Opmerking', 'Fout'" in said(fixed.stdout)
    assert "Cliënten: 0 nieuw, 1 bijgewerkt" in said(fixed.stdout)
    assert _clients(team) == 250


def test_formula_cells_come_in_as_their_saved_result(team: Path, tmp_path: Path):
    rows = [
        ["Naam", "Huisnummer", "Telefoon", "Plaats"],
        ["Truus Bakker", "=1+1", '="06"&"12345678"', '=HYPERLINK("https://x","Oost")'],
    ]
    path = workbook(tmp_path / "caseload.xlsx", {"Cliënten": rows})
    with_saved_results(path, {"B2": ("n", "2"), "C2": ("str", "0612345678"),
                               "D2": ("str", "Oost")})  # fmt: skip
    applied = _import(team, path, "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    register = open_register(team, "anna", ANNA)
    try:
        (hit,) = search_clients(register, "truus")
        file = client_file(register, hit.id, date.today())
        assert (hit.house_number, file.phone) == ("2", "0612345678")
        assert file.address.endswith("Oost")
    finally:
        register.close()


def test_a_medewerker_is_refused_with_exit_4(team: Path, tmp_path: Path):
    sheet = _csv(tmp_path / "caseload.csv", _rows(2))
    refused = _import(team, sheet, user="bram", passphrase=BRAM)
    assert refused.returncode == 4
    assert "Alleen een teamleider kan een caseload importeren." in refused.stderr


def test_a_kill_halfway_through_apply_leaves_the_register_as_it_was(team: Path, tmp_path: Path):
    sheet = _csv(tmp_path / "groot.csv", _rows(1500))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKTEAM_")}
    env |= {"WIJKTEAM_KDF": "test", "WIJKTEAM_PASSPHRASE": ANNA}
    process = subprocess.Popen(
        [sys.executable, "-m", "wijkteam_tui", "import", str(sheet), "--apply",
         "--db", str(team), "--user", "anna"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        env=env, cwd=REPO, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    try:
        # Its progress, a line per tenth when stderr is no terminal: killed after the first.
        line = process.stderr.readline()
        assert "cliënten" in line, line
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert _clients(team) == 0
    check = run_cli("db", "check", "--db", str(team), "--user", "anna",
                    env={"WIJKTEAM_PASSPHRASE": ANNA})  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr


def _export_team(db: Path, target: Path, *rest: str, user: str = "anna", passphrase: str = ANNA):
    return run_cli(
        "export", "team", "-o", str(target), *rest, "--db", str(db), "--user", user,
        env={"WIJKTEAM_PASSPHRASE": passphrase},
    )  # fmt: skip


def test_the_whole_caseload_out_and_into_a_new_register(team: Path, tmp_path: Path):
    applied = _import(team, _csv(tmp_path / "wie belt wie.csv", _rows(40)), "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    # Two ZRMs of the first client on the day their file opened (today), the later one a
    # drop: both travel with the caseload.
    for score in ("4", "2"):
        added = run_cli(
            "outcome", "add", "100001", "--kind", "zrm",
            "--score", f"financien={score}", "--score", "justitie=nvt",
            "--domain-note", "financien=schulden; bewindvoering", "--db", str(team),
            "--user", "anna", env={"WIJKTEAM_PASSPHRASE": ANNA},
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    out = tmp_path / "uit"
    out.mkdir()
    refused = _export_team(team, out / "team.xlsx", user="bram", passphrase=BRAM)
    assert refused.returncode == 4 and not list(out.iterdir()), refused.stderr

    done = _export_team(team, out / "team.csv", "--format", "csv")
    assert done.returncode == 0, done.stderr
    sheets = ("clienten", "netwerk", "afspraken", "ontwikkeling")
    files = [out / f"team-{sheet}.csv" for sheet in sheets]
    assert sorted(out.iterdir()) == sorted(files)
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)
    assert "40 cliënten, 40 netwerkleden, 80 afspraken en 2 metingen in" in said(done.stdout)
    assert "onversleutelde" in done.stderr
    again = _export_team(team, out / "team.csv", "--format", "csv")
    assert again.returncode != 0 and "bestaat al" in again.stderr
    register = open_register(team, "anna", ANNA)
    try:
        (event,) = [e for e in audit_events(register) if "hele caseload" in e.detail]
        assert event.detail.startswith("hele caseload (csv): 40 cliënten, lijst ")
    finally:
        register.close()

    fresh = _new_team(tmp_path / "nieuw" / "register.db")
    applied = _import(fresh, files[3], *map(str, files[:3]), "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert (
        "Geïmporteerd uit team-ontwikkeling.csv, team-clienten.csv, team-netwerk.csv,"
        " team-afspraken.csv: 40 nieuwe cliënten, 0 bijgewerkt, 40 netwerkleden, 80 afspraken,"
        " 40 contactmomenten, 2 metingen." in said(applied.stdout)
    )
    shown = run_cli(
        "outcome", "show", "100001", "--format", "json", "--db", str(fresh), "--user", "anna",
        env={"WIJKTEAM_PASSPHRASE": ANNA},
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count('"financien"') == 2 and "schulden; bewindvoering" in shown.stdout
    dry = _import(fresh, files[0], *map(str, files[1:]))
    assert "Cliënten: 0 nieuw, 0 bijgewerkt, 40 al zo in het register." in said(dry.stdout)
    assert "Metingen (ZRM, Positieve Gezondheid): 0 nieuw." in said(dry.stdout)
