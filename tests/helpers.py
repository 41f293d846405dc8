"""Small helpers shared by tests: fictitious records and file fingerprints."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from wijkteam_tui.store.engine import utc_now
from wijkteam_tui.store.models import Client

REPO = Path(__file__).resolve().parent.parent


def make_client(number: str, name: str, **fields: object) -> Client:
    now = utc_now()
    values: dict[str, object] = {
        "number": number,
        "name": name,
        "opened_on": date(2026, 1, 5),
        "created_at": now,
        "updated_at": now,
    }
    values.update(fields)
    return Client(**values)


def fingerprint(*paths: Path) -> dict[str, tuple[str, int] | None]:
    """(sha256, mtime_ns) of each file, None where it does not exist."""
    result: dict[str, tuple[str, int] | None] = {}
    for path in paths:
        if path.exists():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            result[path.name] = (digest, path.stat().st_mtime_ns)
        else:
            result[path.name] = None
    return result


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `wijkteam` as a separate process, so that file-descriptor output is captured too."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKTEAM_")}
    full_env["WIJKTEAM_KDF"] = "test"
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "wijkteam_tui", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or REPO,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
