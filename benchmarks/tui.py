"""TUI benchmark: start-up, Vandaag after the passphrase, search keystrokes and peak memory,
on a 20,000-client register, each run a separate whole process (benchmarks/tui_probe.py).

Run on a quiet machine and again while two other processes keep both cores busy, because a
person's desk machine is rarely idle: memory and keystroke figures must hold in both."""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.results_file import save_section
from benchmarks.smoke import scaled
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.keys.primitives import KDF_PROFILE_ENV
from wijkteam_tui.store.opening import create_register

PASSPHRASE = "benchmark wachtwoord"
RUNS = 3
TARGETS = {
    "unlock_screen_seconds": 0.8,
    "vandaag_after_passphrase_seconds": 0.5,
    "search_keystroke_ms_median": 25,
    "search_keystroke_ms_max": 50,
    "peak_memory_mb": 200,
    "form_open_ms": 100,
    "member_form_open_ms": 100,
    "phase_form_open_ms": 100,
    "netwerkkaart_drawn_ms": 50,
    "ontwikkeling_drawn_ms": 50,
    "form_save_to_file_drawn_ms": 150,
    "import_to_unlock_screen_cpu_seconds": 0.25,
}

#: What `wijkteam` imports before the unlock screen's first frame, timed in CPU seconds in a
#: fresh process (tests/views/test_loading.py checks that none of the store's libraries is in it).
_IMPORTS = """
import time
started = time.process_time()
import wijkteam_tui.cli, wijkteam_tui.cli.tui, wijkteam_tui.app, wijkteam_tui.views.unlock
print(time.process_time() - started)
"""


def _spin(stop_at: float) -> None:
    while time.time() < stop_at:
        pass


@contextmanager
def _busy_machine(processes: int = 2, seconds: float = 600.0):  # type: ignore[no-untyped-def]
    """Other work on every core (bounded in time, ended when the block ends)."""
    workers = [
        multiprocessing.Process(target=_spin, args=(time.time() + seconds,), daemon=True)
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        yield
    finally:
        for worker in workers:
            worker.terminate()
            worker.join()


def _probe(db: Path, env: dict[str, str]) -> dict[str, Any]:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.tui_probe", str(db), PASSPHRASE, str(started)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if result.returncode != 0:
        raise RuntimeError(f"tui_probe failed:\n{result.stderr[-3000:]}")
    figures = dict(json.loads(result.stdout.strip().splitlines()[-1]))
    imported = subprocess.run(
        [sys.executable, "-c", _IMPORTS],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    figures["import_to_unlock_screen_cpu_seconds"] = round(float(imported.stdout), 3)
    return figures


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for key in runs[0]:
        values = [r[key] for r in runs]
        worst = key in ("peak_memory_mb", "search_keystroke_ms_max")
        figures[key] = max(values) if worst else statistics.median(values)
    return figures


def run(clients: int = 20_000) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != KDF_PROFILE_ENV}
    os.environ.pop(KDF_PROFILE_ENV, None)  # production key derivation
    with tempfile.TemporaryDirectory(prefix="wijkteam-tui-bench-") as tmp:
        db = Path(tmp) / "register.db"
        register, _ = create_register(db, "bench", PASSPHRASE, demo=True)
        generate(register, clients, date.today())
        register.close()
        quiet = [_probe(db, env) for _ in range(scaled(RUNS, 1))]
        # (In the smoke run nothing spins: it runs beside the test suite.)
        with _busy_machine(processes=scaled(2, 0)):
            busy = [_probe(db, env) for _ in range(scaled(RUNS, 1))]
    return {"clients": clients, "runs": RUNS, "quiet": _summary(quiet), "busy": _summary(busy)}


def main(clients: int = 20_000) -> None:
    print(f"TUI ({clients} cliënten, {RUNS} losse processen per meting; mediaan, maxima: hoogste)")
    figures = run(clients)
    print(f"  {'':<36} {'stil':>8} {'druk':>8}")
    for key, target in TARGETS.items():
        print(f"  {key:<36} {figures['quiet'][key]:>8} {figures['busy'][key]:>8}   doel ≤ {target}")
    for key in ("netwerkkaart_settled_ms", "kdf_seconds"):
        print(f"  {key:<36} {figures['quiet'][key]:>8} {figures['busy'][key]:>8}")
    save_section("tui", figures)
