"""The working screens load in the background while the passphrase is typed: after preload(),
opening any screen imports nothing more (an import on the screen thread would stall it)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO

PROBE = """
import importlib, pkgutil, sys
import wijkteam_tui.app  # what `wijkteam` loads before the unlock screen is drawn
import wijkteam_tui.views as views
from wijkteam_tui.views.preload import preload

preload()
before = {name for name in sys.modules if name.startswith("wijkteam_tui")}
for module in pkgutil.iter_modules(views.__path__):
    importlib.import_module(f"wijkteam_tui.views.{module.name}")
after = {name for name in sys.modules if name.startswith("wijkteam_tui")}
print(" ".join(sorted(after - before)))
"""


def test_preload_loads_everything_the_working_screens_need():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "", f"not loaded by preload: {result.stdout}"
