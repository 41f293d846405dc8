"""Run the benchmarks: `python -m benchmarks [--only storage|domain|tui|team|morning|export|
caseload|audit|freshness|remind|access|load] [--clients N]`; the load benchmark also takes
[--backend postgresql|sqlite] [--people N] [--seconds S], the morning and access benchmarks
[--backend]. `--smoke` runs
every one start to end at a tiny size (benchmarks/smoke.py)."""

from __future__ import annotations

import argparse
import compileall
import os
from collections.abc import Callable
from pathlib import Path

import wijkteam_tui
from benchmarks.smoke import ENV


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "--only",
        choices=[
            "storage",
            "domain",
            "tui",
            "team",
            "morning",
            "export",
            "caseload",
            "audit",
            "freshness",
            "remind",
            "access",
            "load",
        ],
        help="run one benchmark",
    )
    parser.add_argument(
        "--clients", type=int, help="one register size for the domain benchmark (quick run)"
    )
    parser.add_argument(
        "--backend", choices=["postgresql", "sqlite"], help="load and morning: where"
    )
    parser.add_argument("--people", type=int, help="load: simulated people (30; 8 on sqlite)")
    parser.add_argument("--seconds", type=float, default=300.0, help="load: how long")
    parser.add_argument("--smoke", action="store_true", help="all of them, tiny, not saved")
    args = parser.parse_args()
    if args.smoke:
        os.environ[ENV] = "1"
        args.clients = args.clients or 60
        args.people, args.seconds = args.people or 2, 3.0
    # The program as installed: pip compiles the package's bytecode when it installs it, so
    # the processes a benchmark starts do not compile it on every start (as they would in a
    # working tree where PYTHONDONTWRITEBYTECODE is set).
    compileall.compile_dir(Path(wijkteam_tui.__file__).parent, quiet=1)
    # After the environment is set: the modules read it when they run.
    from benchmarks import (
        access,
        audit,
        caseload,
        domain,
        export,
        freshness,
        load,
        morning,
        remind,
        storage,
        team,
        tui,
    )

    clients = args.clients
    runs: dict[str, Callable[[], None]] = {
        "storage": storage.main,
        "domain": lambda: domain.main((clients,) if clients else domain.SIZES),
        "tui": lambda: tui.main(clients or 20_000),
        "team": lambda: team.main(clients or 20_000),
        "morning": lambda: morning.main(clients or 20_000, args.backend or "sqlite"),
        "export": export.main,
        "caseload": lambda: caseload.main((clients,) if clients else caseload.SIZES),
        "audit": audit.main,
        "freshness": freshness.main,
        "remind": lambda: remind.main(clients or 20_000),
        "access": lambda: access.main(args.backend or "sqlite", clients),
    }
    for name, benchmark in runs.items():
        if args.only in (None, name):
            benchmark()
    if args.only in (None, "load"):
        for backend in [args.backend] if args.backend else ["postgresql", "sqlite"]:
            people = args.people or (30 if backend == "postgresql" else 8)
            clients = args.clients or (100_000 if backend == "postgresql" else 20_000)
            load.main(backend, people, args.seconds, clients)


if __name__ == "__main__":
    main()
