"""Run the benchmarks: `python -m benchmarks
[--only storage|domain|tui|team|export|audit|freshness] [--clients N]`."""

from __future__ import annotations

import argparse

from benchmarks import audit, domain, export, freshness, storage, team, tui


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "--only",
        choices=["storage", "domain", "tui", "team", "export", "audit", "freshness"],
        help="run one benchmark",
    )
    parser.add_argument(
        "--clients", type=int, help="one register size for the domain benchmark (quick run)"
    )
    args = parser.parse_args()
    if args.only in (None, "storage"):
        storage.main()
    if args.only in (None, "domain"):
        domain.main((args.clients,) if args.clients else domain.SIZES)
    if args.only in (None, "tui"):
        tui.main(args.clients or 20_000)
    if args.only in (None, "team"):
        team.main(args.clients or 20_000)
    if args.only in (None, "export"):
        export.main()
    if args.only in (None, "audit"):
        audit.main()
    if args.only in (None, "freshness"):
        freshness.main()


if __name__ == "__main__":
    main()
