"""`wijkteam overdue --format json` timed as a whole process of its own, as cron or a
teamleider's script starts it (production key derivation), and the key derivation it pays
before anything else, measured apart: the team, morning and load benchmarks report both."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

from wijkteam_tui.store.keys.primitives import KDF_PROFILE_ENV

USER = "bench"


def overdue_process(db: str, passphrase: str) -> tuple[float, int]:
    """(seconds, overdue items) of one `overdue --format json` process on the register at
    `db` (a file or a server's address), as the benchmark's teamleider."""
    env = {k: v for k, v in os.environ.items() if k != KDF_PROFILE_ENV}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "wijkteam_tui", "overdue", "--format", "json"],
        env={**env, "WIJKTEAM_DB": db, "WIJKTEAM_USER": USER, "WIJKTEAM_PASSPHRASE": passphrase},
        capture_output=True,
        check=False,
    )
    spent = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode()[-2000:])
    return spent, json.loads(done.stdout)["count"]


def key_derivation_seconds(db: str, passphrase: str) -> float:
    """The median of three: the key slot's derivation locally, the sign-in's two derivations
    and its connection on a server."""
    from wijkteam_tui.store.address import ServerAddress, location
    from wijkteam_tui.store.keys.unlock import unlock
    from wijkteam_tui.store.server.signin import sign_in

    spent = []
    for _ in range(3):
        started = time.perf_counter()
        where = location(db)
        if isinstance(where, ServerAddress):
            signed = sign_in(where, USER, passphrase)
            spent.append(time.perf_counter() - started)
            signed.engine.dispose()
            signed.unlocked.forget()
        else:
            unlock(where, USER, passphrase)
            spent.append(time.perf_counter() - started)
    return statistics.median(spent)


def overdue_figures(db: str, passphrase: str) -> dict[str, Any]:
    """Three `overdue --format json` processes after a first (which may run the day's sweep):
    the median whole process, the part beyond the key derivation, and how many items."""
    overdue_process(db, passphrase)
    runs = [overdue_process(db, passphrase) for _ in range(3)]
    process = statistics.median(seconds for seconds, _ in runs)
    kdf = key_derivation_seconds(db, passphrase)
    return {
        "overdue_json_items": runs[0][1],
        "overdue_json_process_seconds": round(process, 2),
        "overdue_json_beyond_kdf_seconds": round(process - kdf, 2),
        "kdf_seconds": round(kdf, 2),
    }
