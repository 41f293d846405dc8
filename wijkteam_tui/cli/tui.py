"""`wijkteam` without a command: the terminal screens."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from wijkteam_tui.cli.prompts import USER_ENV, where

if TYPE_CHECKING:
    from wijkteam_tui.store.address import Location
    from wijkteam_tui.store.register import Register


def run_tui(path: Location, *, register: Register | None = None, user: str = "") -> int:
    """Open the terminal screens on the register at `path` (already open for the demo)."""
    # Lazy: Textual loads only when the screens open.
    from wijkteam_tui.app import WijkteamApp

    app = WijkteamApp(path, register=register, user_hint=user)
    try:
        app.run()
    finally:
        if app.register is not None:
            app.register.close()
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    path = where(args)
    user = getattr(args, "user", None) or os.environ.get(USER_ENV, "")
    if isinstance(path, Path) and not path.exists():
        # Lazy: only a register not made yet needs its folder made first.
        from wijkteam_tui.store.files import private_folder

        private_folder(path.parent)
    return run_tui(path, user=user)
