"""Loading the store and the working screens in the background while the first screen is up.

Python must not import one package from two threads at once (a half-initialised module
raises), so every place that needs the store first calls `preload()`: the first caller
imports, the others wait for it."""

from __future__ import annotations

import importlib
import threading

#: The one module that imports everything the working screens need.
ENTRY = "wijkteam_tui.views.working"

_lock = threading.Lock()
_done = threading.Event()


def preload() -> None:
    """Import the store and the working screens once; safe from any thread."""
    if _done.is_set():
        return
    with _lock:
        if not _done.is_set():
            importlib.import_module(ENTRY)
            _done.set()
