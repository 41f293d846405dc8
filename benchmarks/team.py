"""Team benchmark: the teamleider's review on 20,000 clients and 130 medewerkers.

- Team screen data (`team_review`) and the 12-week trend (`team_trend`), medians in ms;
- `wijkteam overdue --format json` as a whole separate process, production key derivation
  included, median of 3 runs in seconds, and the same beyond the key derivation (the process
  minus the median of 3 key derivations in this process: what the register's size costs);
- reassigning 250 clients (with the agreements their casemanager performs) from one set of
  medewerkers to another and back, median in ms.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from benchmarks.overdue import overdue_figures
from benchmarks.results_file import save_section
from benchmarks.smoke import scaled
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.keys.primitives import KDF_PROFILE_ENV
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.team import team_review, team_trend
from wijkteam_tui.store.write.reassign import reassign_clients

PASSPHRASE = "benchmark wachtwoord"
MEDEWERKERS = 130
TARGETS = {
    "team_review_ms": 100,
    "team_trend_ms": 50,
    "overdue_json_process_seconds": 1.5,
    "overdue_json_beyond_kdf_seconds": 0.5,
    "reassign_250_ms": 1000,
}


def _median_ms(action: Callable[[], object], repeat: int = 15) -> float:
    action()  # warm-up
    spent = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        spent.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(spent), 1)


def run(clients: int = 20_000) -> dict[str, Any]:
    os.environ.pop(KDF_PROFILE_ENV, None)  # production key derivation
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="wijkteam-team-bench-") as tmp:
        db = Path(tmp) / "register.db"
        register, _ = create_register(db, "bench", PASSPHRASE, demo=True)
        generate(register, clients, today, medewerkers=scaled(MEDEWERKERS, 4))
        register.close()
        # The first process of the day runs the daily sweep; the others find it done.
        overdue = overdue_figures(str(db), PASSPHRASE)
        register = open_register(db, "bench", PASSPHRASE)
        try:
            review = _median_ms(lambda: team_review(register, today))
            trend = _median_ms(lambda: team_trend(register, today))
            with register.read() as session:
                rows = session.execute(
                    select(Client.id, Client.casemanager_id).where(
                        Client.casemanager_id.isnot(None)
                    )
                ).all()
            # 250 clients of other medewerkers handed to one.
            target = rows[-1][1]
            moving = [(cid, owner) for cid, owner in rows if owner != target][: scaled(250, 10)]
            chosen = [cid for cid, _ in moving]
            owners = dict(moving)
            spent = []
            for _ in range(3):
                started = time.perf_counter()
                result = reassign_clients(register, chosen, target, "Benchmark.", today)
                spent.append((time.perf_counter() - started) * 1000)
                assert result.clients == len(chosen)
                # Back to where they were (untimed), so that every run moves the same work.
                by_owner: dict[int, list[int]] = {}
                for cid, owner in owners.items():
                    by_owner.setdefault(owner, []).append(cid)
                for owner, ids in by_owner.items():
                    reassign_clients(register, ids, owner, "Terug.", today)
            moved = result.agreements
        finally:
            register.close()
    return {
        "clients": clients,
        "medewerkers": MEDEWERKERS,
        "team_review_ms": review,
        "team_trend_ms": trend,
        **overdue,
        "reassign_250_ms": round(statistics.median(spent), 1),
        "reassign_250_agreements_moved": moved,
    }


def main(clients: int = 20_000) -> None:
    print(f"Team ({clients} cliënten, {MEDEWERKERS} medewerkers; medianen)")
    figures = run(clients)
    for key, target in TARGETS.items():
        print(f"  {key:<36} {figures[key]:>8}   doel ≤ {target}")
    print(f"  {'reassign_250_agreements_moved':<36} {figures['reassign_250_agreements_moved']:>8}")
    # Another size keeps its own section (100,000 clients beside 20,000).
    save_section("team" if clients == 20_000 else f"team_{clients}", figures)
