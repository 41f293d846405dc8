"""The smoke run (`python -m benchmarks --smoke`): every benchmark start to end at a tiny size,
in a minute or two, so that `make bench` cannot stop working unnoticed (the test suite runs it).
Its figures mean nothing and are not written to results.json.

Set through the environment, so that the processes a benchmark starts (the TUI probe, the
`overdue` runs) are tiny too."""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T")

ENV = "WIJKTEAM_BENCH_SMOKE"


def smoke() -> bool:
    return os.environ.get(ENV) == "1"


def scaled(real: T, tiny: T) -> T:
    """`real` in a benchmark run, `tiny` in the smoke run."""
    return tiny if smoke() else real
