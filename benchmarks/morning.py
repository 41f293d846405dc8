"""Morning benchmark: the first unlock of a day on a register last opened 1, 3 (a weekend) or
14 days ago. Every other benchmark builds its register with today's date, so none of them sees
the daily sweep (store/sweep.py) that the first opening of a day runs, behind Vandaag.

One register is generated as of 14 days ago and swept that day; a copy of it is opened as the
person would on each later day (their own state folder, so no copy looks "older"): the time to
open it beyond the key derivation and Vandaag's lists as stored (together: the wait before
Vandaag is usable), and the sweep that follows in the background (and how many clients it
evaluated).

On a team server (`--backend postgresql`) a database cannot be copied with its people's roles,
so one register is generated as of 15 days ago and opened twice: the next day (1 day) and 14
days after that (14 days). There `wijkteam overdue --format json` is timed as a whole process
too, after the second opening (the sign-in's two key derivations measured apart)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.overdue import overdue_figures
from benchmarks.results_file import save_section
from benchmarks.smoke import scaled
from wijkteam_tui.store import last_seen
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.keys.primitives import KDF_PROFILE_ENV
from wijkteam_tui.store.keys.storage import backup_key_file_path, key_file_path
from wijkteam_tui.store.keys.unlock import unlock
from wijkteam_tui.store.last_seen import STATE_ENV
from wijkteam_tui.store.opening import create_register, open_unlocked
from wijkteam_tui.store.read.today import today_list
from wijkteam_tui.store.sweep import daily_sweep

PASSPHRASE = "benchmark wachtwoord"
DAYS_AWAY = (1, 3, 14)
#: Issue targets at 20,000 clients: Vandaag usable beyond the key derivation, and the sweep.
TARGETS = {"vandaag_usable_seconds": 0.5, "sweep_seconds_1": 2.0, "sweep_seconds_14": 10.0}


def _copy(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    target = folder / source.name
    for src, dst in (
        (source, target),
        (key_file_path(source), key_file_path(target)),
        (backup_key_file_path(source), backup_key_file_path(target)),
    ):
        shutil.copy2(src, dst)
    return target


def _first_day(opened: Any, today: date, kdf: float, opening: float) -> dict[str, Any]:
    """Vandaag as stored, as the unlock screen reads it; then the sweep, which the app runs
    behind the screen (views/sweeping.py); the register closed after them."""
    try:
        assert opened.user is not None
        started = time.perf_counter()
        today_list(opened, opened.user.id, today, teamleider=True)
        vandaag = time.perf_counter() - started
        started = time.perf_counter()
        evaluated = daily_sweep(opened, today)
        sweep = time.perf_counter() - started
    finally:
        opened.close()
    return {
        "kdf_seconds": round(kdf, 3),
        "open_beyond_kdf_seconds": round(opening, 3),
        "sweep_seconds": round(sweep, 3),
        "sweep_clients_evaluated": evaluated,
        "vandaag_lists_seconds": round(vandaag, 3),
        "vandaag_usable_seconds": round(opening + vandaag, 3),
    }


def run(clients: int = 20_000) -> dict[str, Any]:
    os.environ.pop(KDF_PROFILE_ENV, None)  # production key derivation, measured apart
    base = date.today() - timedelta(days=max(DAYS_AWAY))
    figures: dict[str, Any] = {"clients": clients}
    kept_state = os.environ.get(STATE_ENV)
    with tempfile.TemporaryDirectory(prefix="wijkteam-morning-bench-") as tmp:
        original = Path(tmp) / "origineel" / "register.db"
        os.environ[STATE_ENV] = str(Path(tmp) / "state-origineel")
        register, _ = create_register(original, "bench", PASSPHRASE, demo=True)
        started = time.perf_counter()
        generate(register, clients, base)
        daily_sweep(register, base)  # last used that day: its sweep is done
        figures["generated_seconds"] = round(time.perf_counter() - started, 1)
        register.close()
        for days in DAYS_AWAY:
            path = _copy(original, Path(tmp) / f"na-{days}-dagen")
            os.environ[STATE_ENV] = str(Path(tmp) / f"state-{days}")
            today = base + timedelta(days=days)
            started = time.perf_counter()
            unlocked = unlock(path, "bench", PASSPHRASE)
            kdf = time.perf_counter() - started
            started = time.perf_counter()
            # As the unlock screen opens it, after the key derivation.
            opened = last_seen.settle(open_unlocked(path, unlocked), False)
            opening = time.perf_counter() - started
            figures[f"after_{days}_days"] = _first_day(opened, today, kdf, opening)
    if kept_state is None:
        os.environ.pop(STATE_ENV, None)
    else:
        os.environ[STATE_ENV] = kept_state
    return figures


def _server_opening(location: Any, today: date) -> dict[str, Any]:
    """Sign in and open as the unlock screen does, then Vandaag as stored, then the sweep."""
    from wijkteam_tui.store.opening import open_on_engine
    from wijkteam_tui.store.server.signin import sign_in

    started = time.perf_counter()
    signed = sign_in(location, "bench", PASSPHRASE)
    sign_in_seconds = time.perf_counter() - started
    started = time.perf_counter()
    opened = last_seen.settle(
        open_on_engine(
            location,
            signed.engine,
            signed.unlocked,
            keys=signed.keys,
            audit_key=signed.audit_key,
            how="login",
            fault=signed.fault,
        ),
        False,
    )
    opening = time.perf_counter() - started
    # (kdf_seconds: both key derivations and connecting.)
    return _first_day(opened, today, sign_in_seconds, opening)


def run_server(clients: int) -> dict[str, Any]:
    from tests import pg
    from wijkteam_tui.store.address import server_address

    os.environ.pop(KDF_PROFILE_ENV, None)
    base = date.today() - timedelta(days=15)
    figures: dict[str, Any] = {"clients": clients}
    kept_state = os.environ.get(STATE_ENV)
    cluster = pg.start_cluster(durable=True)
    try:
        with tempfile.TemporaryDirectory(prefix="wijkteam-morning-bench-") as tmp:
            os.environ[STATE_ENV] = str(Path(tmp) / "state")
            address = cluster.address(cluster.new_register_database())
            location = server_address(address)
            register, _ = create_register(
                location, "bench", PASSPHRASE, server_password=pg.BOOTSTRAP_PASSWORD
            )
            started = time.perf_counter()
            generate(register, clients, base)
            daily_sweep(register, base)
            figures["generated_seconds"] = round(time.perf_counter() - started, 1)
            register.close()
            for days, later in ((1, 1), (14, 15)):
                figures[f"after_{days}_days"] = _server_opening(location, base + timedelta(later))
            # After 14 days in which nobody logged a contact: most agreements are overdue.
            figures |= overdue_figures(address, PASSPHRASE)
    finally:
        cluster.stop()
        if kept_state is None:
            os.environ.pop(STATE_ENV, None)
        else:
            os.environ[STATE_ENV] = kept_state
    return figures


def main(clients: int = 20_000, backend: str = "sqlite") -> None:
    clients = scaled(clients, 60)
    print(f"Ochtend (eerste opening van de dag; {clients} cliënten, {backend})")
    server = backend == "postgresql"
    figures = run_server(clients) if server else run(clients)
    days_away = (1, 14) if server else DAYS_AWAY
    print(f"  gegenereerd in {figures['generated_seconds']} s")
    heads = ("openen", "lijsten", "Vandaag", "sweep", "cliënten")
    print(f"  {'laatst geopend':<16} " + " ".join(f"{head:>9}" for head in heads))
    for days in days_away:
        f = figures[f"after_{days}_days"]
        print(
            f"  {f'{days} dag(en) terug':<16} {f['open_beyond_kdf_seconds']:>7.3f}s"
            f" {f['vandaag_lists_seconds']:>7.3f}s {f['vandaag_usable_seconds']:>7.3f}s"
            f" {f['sweep_seconds']:>7.3f}s {f['sweep_clients_evaluated']:>9}"
        )
    print(
        f"  doel bij 20.000: Vandaag bruikbaar ≤ {TARGETS['vandaag_usable_seconds']} s;"
        f" sweep na 1 dag ≤ {TARGETS['sweep_seconds_1']} s, na 14 dagen"
        f" ≤ {TARGETS['sweep_seconds_14']} s (op de achtergrond)"
    )
    if server:
        print(
            f"  overdue --format json ({figures['overdue_json_items']} te laat, na 14 dagen zonder"
            f" contacten): {figures['overdue_json_process_seconds']} s, voorbij het aanmelden"
            f" {figures['overdue_json_beyond_kdf_seconds']} s"
        )
    # Another size or backend keeps its own section (100,000 clients beside 20,000).
    name = "morning" if clients == 20_000 else f"morning_{clients}"
    save_section(name.replace("morning", "morning_postgresql") if server else name, figures)
