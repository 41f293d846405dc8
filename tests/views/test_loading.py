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


#: What `wijkteam` imports before the unlock screen's first frame (wijkteam_tui.cli:run, then
#: the TUI command, the app and the unlock screen).
BEFORE_THE_FIRST_FRAME = """
import sys
import wijkteam_tui.cli, wijkteam_tui.cli.tui, wijkteam_tui.app, wijkteam_tui.views.unlock
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_nothing_before_the_unlock_screen_imports_the_store_s_libraries():
    """SQLAlchemy, Alembic, psycopg, SQLCipher and the key handling load in the background
    while the passphrase is typed (views.preload), never before the first frame."""
    result = subprocess.run(
        [sys.executable, "-c", BEFORE_THE_FIRST_FRAME],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    loaded = set(result.stdout.split())
    assert "textual" in loaded, "the probe imports what it says"
    heavy = {"sqlalchemy", "alembic", "psycopg", "sqlcipher3", "cryptography", "argon2"}
    assert loaded & heavy == set()
