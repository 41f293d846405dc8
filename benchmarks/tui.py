"""TUI benchmark: start-up, Vandaag after the passphrase, search keystrokes and peak memory,
on a 20,000-client register, each run a separate whole process (benchmarks/tui_probe.py)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.results_file import save_section
from wijkteam_tui.store import crypto
from wijkteam_tui.store.engine import create_register
from wijkteam_tui.store.generator import generate

PASSPHRASE = "benchmark wachtwoord"
RUNS = 3
TARGETS = {
    "unlock_screen_seconds": 0.8,
    "vandaag_after_passphrase_seconds": 0.5,
    "search_keystroke_ms_median": 50,
    "peak_memory_mb": 250,
}


def run(clients: int = 20_000) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != crypto.KDF_PROFILE_ENV}
    os.environ.pop(crypto.KDF_PROFILE_ENV, None)  # production key derivation
    with tempfile.TemporaryDirectory(prefix="wijkteam-tui-bench-") as tmp:
        db = Path(tmp) / "register.db"
        register, _ = create_register(db, "bench", PASSPHRASE, demo=True)
        generate(register, clients, date.today())
        register.close()
        runs = []
        for _ in range(RUNS):
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
            runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    figures: dict[str, Any] = {"clients": clients, "runs": RUNS}
    for key in runs[0]:
        values = [r[key] for r in runs]
        figures[key] = statistics.median(values) if key != "peak_memory_mb" else max(values)
    return figures


def main(clients: int = 20_000) -> None:
    print(f"TUI ({clients} cliënten, {RUNS} losse processen; mediaan, geheugen: hoogste)")
    figures = run(clients)
    for key, target in TARGETS.items():
        print(f"  {key:<36} {figures[key]:>8}   doel ≤ {target}")
    print(f"  {'kdf_seconds':<36} {figures['kdf_seconds']:>8}")
    print(f"  {'search_keystroke_ms_max':<36} {figures['search_keystroke_ms_max']:>8}")
    save_section("tui", figures)
