"""Freshness benchmark: what watching for colleagues' changes costs, and how soon one is seen.

- The CPU the watching thread uses while nothing happens, as a share of one core: 30 s with
  the thread looking every `POLL_SECONDS`, against 30 s without it (process CPU time).
- One look (`PRAGMA data_version` on its own connection), in microseconds (median of 10,000).
- From a colleague's commit (a contact logged through a second opening of the register) until
  the watcher sees it, in ms (median and worst of 20; at most one poll interval).

On a 2,000-client register (the size does not matter to a look: it reads no page).
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.results_file import save_section
from benchmarks.smoke import scaled
from wijkteam_tui.domain.terms import Channel, Outcome
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.freshness import POLL_SECONDS, watch
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput
from wijkteam_tui.store.write.agreements import add_agreement
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.contacts import log_contact

TODAY = date(2026, 11, 22)
CLIENTS = 2_000
IDLE_SECONDS = 30.0
TARGETS = {"polling_cpu_percent": 1, "seen_after_ms_worst": 2000}


def _cpu_share(seconds: float) -> float:
    """Process CPU per wall second over `seconds` of the main thread sleeping."""
    cpu, wall = time.process_time(), time.monotonic()
    time.sleep(seconds)
    return (time.process_time() - cpu) / (time.monotonic() - wall)


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.db"
        register, _ = create_register(path, "bench", "benchmark wachtwoord", demo=True)
        generate(register, scaled(CLIENTS, 60), TODAY, seed=5)
        watcher = watch(register)
        try:
            looks = []
            for _ in range(scaled(10_000, 100)):
                start = time.perf_counter()
                watcher.changed()
                looks.append(time.perf_counter() - start)

            idle = _cpu_share(scaled(IDLE_SECONDS, 1.0))
            stop = threading.Event()
            seen: list[float] = []

            def look() -> None:  # as the app's watching thread does
                while not stop.wait(POLL_SECONDS):
                    if watcher.changed():
                        seen.append(time.monotonic())

            thread = threading.Thread(target=look, daemon=True)
            thread.start()
            watching = _cpu_share(scaled(IDLE_SECONDS, 1.0))

            colleague = open_register(path, "bench", "benchmark wachtwoord")
            client = create_client(colleague, ClientInput("Truus Smit", TODAY), TODAY).id
            agreement = add_agreement(
                colleague, client, AgreementInput(Channel.PHONE, TODAY, interval_days=7), TODAY
            ).id
            time.sleep(2 * POLL_SECONDS)
            delays = []
            for n in range(scaled(20, 3)):
                time.sleep(0.137 * (n % 5))  # not in step with the polling
                before = len(seen)
                day = TODAY - timedelta(days=20 - n)
                log_contact(
                    colleague,
                    ContactInput(client, day, Channel.PHONE, Outcome.GOOD, agreement),
                    TODAY,
                )
                committed = time.monotonic()
                while len(seen) == before:
                    time.sleep(0.001)
                delays.append(seen[-1] - committed)
            colleague.close()
            stop.set()
            thread.join()
        finally:
            watcher.close()
            register.close()
    return {
        "look_us": round(statistics.median(looks) * 1e6, 1),
        "idle_cpu_percent_without": round(idle * 100, 3),
        "idle_cpu_percent_watching": round(watching * 100, 3),
        "polling_cpu_percent": round(max(0.0, watching - idle) * 100, 3),
        "seen_after_ms_median": round(statistics.median(delays) * 1000),
        "seen_after_ms_worst": round(max(delays) * 1000),
        "poll_seconds": POLL_SECONDS,
    }


def main() -> None:
    print(f"Versheid (wijzigingen van collega's zien; {CLIENTS} cliënten)")
    figures = run()
    for key, value in figures.items():
        target = TARGETS.get(key)
        print(f"  {key:<28} {value:>10}" + (f"   doel ≤ {target}" if target else ""))
    save_section("freshness", figures)
