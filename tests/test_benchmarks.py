"""`make bench` runs start to end: every benchmark at a tiny size (`--smoke`), so that a change
that breaks one is seen at once, not when the figures are next measured. Its figures mean
nothing (timings live in the benchmarks, never in tests) and results.json stays as it was."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import pg
from tests.helpers import REPO

RESULTS = REPO / "benchmarks" / "results.json"

pytestmark = pytest.mark.slow


def test_every_benchmark_runs_start_to_end_at_a_tiny_size():
    if not pg.available():
        pytest.skip(pg.MISSING)  # the load benchmark runs on a real PostgreSQL too
    before = RESULTS.read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKTEAM_")}
    ran = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=900,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-4000:]
    headings = (
        "Opslag",
        "Domein",
        "TUI",
        "Team",
        "Ochtend",
        "Export",
        "Audit",
        "Versheid",
        "sqlite:",
    )
    for heading in headings:
        assert heading in ran.stdout, heading
    assert RESULTS.read_bytes() == before, "a smoke run writes no figures"
