"""Run the benchmarks: `python -m benchmarks [--only storage]`."""

from __future__ import annotations

import argparse

from benchmarks import storage


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--only", choices=["storage"], help="run one benchmark")
    parser.add_argument("--clients", type=int, help="register size for the domain benchmark")
    args = parser.parse_args()
    if args.only in (None, "storage"):
        storage.main()


if __name__ == "__main__":
    main()
