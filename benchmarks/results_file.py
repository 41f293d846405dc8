"""Reading and merging benchmarks/results.json, so each benchmark keeps its own section."""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.smoke import smoke

RESULTS = Path(__file__).with_name("results.json")


def save_section(name: str, figures: dict[str, Any]) -> None:
    if smoke():
        return  # a smoke run's figures mean nothing
    data: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[name] = {
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
        **figures,
    }
    RESULTS.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
