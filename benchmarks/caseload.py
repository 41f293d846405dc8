"""Caseload import benchmark: a generated workbook (Cliënten, Netwerk, Afspraken, Ontwikkeling) of
1,000 clients with 5 network members, 3 agreements and 2 ZRM assessments each (all 13 domains
scored; a conversation about Positieve Gezondheid for one in three), one of 10,000 and one of
30,000, brought into a new register by `wijkteam import` as a teamleider types it: the dry run,
then `--apply` (one transaction, then the daily sweep), each a process of its own with
production key derivation. Seconds per step and each process's peak memory (its maximum resident
set, from the kernel); then the same file imported again (which changes nothing) and `wijkteam
export team` of the imported register. Goals (issue 28): 1,000 clients dry run ≤ 15 s and import
≤ 30 s; 10,000 ≤ 5 min; peak memory ≤ 300 MB whatever the size (the third size shows it does not
grow with the file)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.results_file import save_section
from benchmarks.smoke import scaled
from wijkteam_tui.domain.outcomes import PG_DIMENSIONS, ZRM_DOMAINS
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.store.demo.fictitious import FIRST_NAMES, LAST_NAMES, STREETS
from wijkteam_tui.store.keys.primitives import KDF_PROFILE_ENV
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.users import add_user

SIZES = (1_000, 10_000, 30_000)
MEMBERS, AGREEMENTS, ASSESSMENTS = 5, 3, 2
PASSPHRASE = "benchmark wachtwoord"
COLLEAGUES = 25
RELATIONS = ("dochter", "zoon", "buurvrouw", "buurman", "vriendin", "vrijwilliger", "huisarts")
KINDS = ("informeel", "informeel", "informeel", "formeel", "voorziening")
HOW_OFTEN = (
    "elke week",
    "elke 14 dagen",
    "elke dinsdag",
    "elke maand",
    "eerste maandag van de maand",
)
CHANNELS = ("telefoon", "bezoek", "app", "beeldbellen")


def caseload_file(path: Path, clients: int, today: date) -> Path:
    """A workbook as a team's export holds it, written row by row (openpyxl write-only)."""
    from openpyxl import Workbook

    rng = random.Random(clients)
    book = Workbook(write_only=True)
    names_of_sheets = ("Cliënten", "Netwerk", "Afspraken", "Ontwikkeling")
    sheets = {name: book.create_sheet(name) for name in names_of_sheets}
    sheets["Cliënten"].append(
        ["Cliëntnummer", "Naam", "Geboortedatum", "Straat", "Huisnummer", "Postcode", "Plaats",
         "Telefoon", "Casemanager", "Fase", "Startdatum", "Eigen woorden"]
    )  # fmt: skip
    sheets["Netwerk"].append(
        ["Cliëntnummer", "Naam", "Relatie", "Soort", "Ring", "Steun", "Telefoon",
         "Toestemming", "Toestemming op"]
    )  # fmt: skip
    sheets["Afspraken"].append(
        ["Cliëntnummer", "Wie", "Kanaal", "Hoe vaak", "Start", "Laatste contact"]
    )
    domains = (*ZRM_DOMAINS, *PG_DIMENSIONS)
    sheets["Ontwikkeling"].append(
        ["Cliëntnummer", "Soort", "Datum", *(d.label for d in domains), "Eigen woorden"]
    )
    for n in range(clients):
        number = str(200_001 + n)
        opened = today - timedelta(days=rng.randint(30, 700))
        sheets["Cliënten"].append(
            [number, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
             date(1930 + rng.randint(0, 70), rng.randint(1, 12), rng.randint(1, 28)),
             rng.choice(STREETS), str(rng.randint(1, 200)), f"{rng.randint(1000, 9999)} AB",
             "Middelwijk", f"06-{rng.randint(10_000_000, 99_999_999)}",
             f"mw{rng.randint(1, COLLEAGUES)}", "intensief", opened,
             "Ik wil graag zelf blijven koken."]
        )  # fmt: skip
        names = []
        for m in range(MEMBERS):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {m}"
            names.append(name)
            consent = rng.random() < 0.6
            sheets["Netwerk"].append(
                [number, name, rng.choice(RELATIONS), rng.choice(KINDS), rng.randint(1, 3),
                 "praktisch, gezelschap", f"06-{rng.randint(10_000_000, 99_999_999)}",
                 "ja" if consent else "nee", opened if consent else None]
            )  # fmt: skip
        for a in range(AGREEMENTS):
            last = today - timedelta(days=rng.randint(0, 40))
            sheets["Afspraken"].append(
                [number, names[a], rng.choice(CHANNELS), rng.choice(HOW_OFTEN), opened,
                 max(last, opened)]
            )  # fmt: skip
        for a in range(ASSESSMENTS):
            on = opened + (today - opened) * a // ASSESSMENTS
            scores = [rng.randint(1, 5) for _ in ZRM_DOMAINS]
            sheets["Ontwikkeling"].append(
                [number, "ZRM", on, *scores, *(None for _ in PG_DIMENSIONS), None]
            )
        if n % 3 == 0:
            scores = [rng.randint(0, 10) for _ in PG_DIMENSIONS]
            sheets["Ontwikkeling"].append(
                [number, "Positieve Gezondheid", today, *(None for _ in ZRM_DOMAINS), *scores,
                 "Het gaat beter dan vorig jaar."]
            )  # fmt: skip
    book.save(path)
    return path


def _run(*args: str, db: Path) -> tuple[float, float, str]:
    """(seconds, peak memory in MB, stdout) of one `wijkteam` process, as the teamleider."""
    env = {k: v for k, v in os.environ.items() if k != KDF_PROFILE_ENV}
    env |= {"WIJKTEAM_DB": str(db), "WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "wijkteam_tui", *args], env=env, stdout=out, stderr=err
        )
        # Reaped here, for the kernel's account of this child alone (Linux: kilobytes).
        _pid, status, usage = os.wait4(process.pid, 0)
        spent = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(err.read().decode()[-2000:])
        return spent, usage.ru_maxrss / 1024, out.read().decode()


def one_size(clients: int, folder: Path) -> dict[str, Any]:
    today = date.today()
    started = time.perf_counter()
    sheet = caseload_file(folder / f"caseload-{clients}.xlsx", clients, today)
    written = time.perf_counter() - started
    db = folder / f"register-{clients}.db"
    register, _ = create_register(db, "anna", PASSPHRASE, team_name="Wijkteam Benchmark")
    try:
        for n in range(1, COLLEAGUES + 1):
            add_user(register, f"mw{n}", Role.MEDEWERKER, passphrase="een collega van het team")
    finally:
        register.close()
    dry, dry_peak, _ = _run("import", str(sheet), db=db)
    applied, apply_peak, said = _run("import", str(sheet), "--apply", db=db)
    assessments = clients * ASSESSMENTS + (clients + 2) // 3
    assert f"{clients} nieuwe cliënten" in " ".join(said.split()), said[-500:]
    assert f"{assessments} metingen" in " ".join(said.split()), said[-500:]
    again, again_peak, said = _run("import", str(sheet), db=db)
    assert f"0 nieuw, 0 bijgewerkt, {clients} al zo" in " ".join(said.split()), said[-500:]
    out = folder / f"uit-{clients}.xlsx"
    exported, export_peak, _ = _run("export", "team", "-o", str(out), db=db)
    figures = {
        "clients": clients,
        "members": clients * MEMBERS,
        "agreements": clients * AGREEMENTS,
        "assessments": assessments,
        "file_mb": round(sheet.stat().st_size / 1e6, 1),
        "file_written_seconds": round(written, 1),
        "dry_run_seconds": round(dry, 1),
        "import_seconds": round(applied, 1),
        "again_dry_run_seconds": round(again, 1),
        "export_seconds": round(exported, 1),
        "peak_mb": {
            "dry_run": round(dry_peak),
            "import": round(apply_peak),
            "again": round(again_peak),
            "export": round(export_peak),
        },
    }
    print(
        f"{clients:>6} cliënten ({figures['file_mb']} MB): proefimport {figures['dry_run_seconds']}"
        f" s, import {figures['import_seconds']} s, opnieuw {figures['again_dry_run_seconds']} s,"
        f" export {figures['export_seconds']} s; piekgeheugen {figures['peak_mb']} MB",
        flush=True,
    )
    return figures


def main(sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="wijkteam-caseload-") as tmp:
        for clients in scaled(sizes, (20,)):
            figures[str(clients)] = one_size(clients, Path(tmp))
    save_section("caseload", figures)
    return figures
