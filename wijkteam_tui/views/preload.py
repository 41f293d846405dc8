"""Loading the store in the background while the first screen is up.

Python must not import one package from two threads at once (a half-initialised module
raises), so every place that needs the store first calls `preload()`: the first caller
imports, the others wait for it."""

from __future__ import annotations

import importlib
import threading

MODULES = (
    "wijkteam_tui.store.crypto",
    "wijkteam_tui.store.engine",
    "wijkteam_tui.store.queries",
    "wijkteam_tui.store.services",
    "wijkteam_tui.views.today",
    "wijkteam_tui.views.clients",
    "wijkteam_tui.views.client_file",
)

_lock = threading.Lock()
_done = threading.Event()


def preload() -> None:
    """Import the store and the working screens once; safe from any thread."""
    if _done.is_set():
        return
    with _lock:
        if not _done.is_set():
            for module in MODULES:
                importlib.import_module(module)
            _done.set()
