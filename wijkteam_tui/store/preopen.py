"""Opening a register for a command: the store loads while the key is derived.

A command that opens a local register spends most of its time on two things that do not need
each other: deriving the key from the passphrase (Argon2id, which leaves Python's lock free for
other threads while it works) and importing the store (SQLAlchemy, the models, the read models:
a third of a second). Done one after the other, every command pays both; here a thread imports
while this one derives, so it pays the longer of the two (`overdue` on 20,000 clients: see
benchmarks/team.py).

This module imports nothing heavy itself: what it imports is what it overlaps.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from wijkteam_tui.store.address import Location
from wijkteam_tui.store.keys.unlock import unlock
from wijkteam_tui.store.sqlite.location import existing_register

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register

#: What every opening needs, imported beside the key derivation.
OPENING = "wijkteam_tui.store.opening"


class _Loading(threading.Thread):
    """Import `modules` in a thread of its own; what went wrong is raised by `finish`."""

    def __init__(self, modules: tuple[str, ...]) -> None:
        super().__init__(name="wijkteam-laden", daemon=True)
        self.modules = modules
        self.failed: BaseException | None = None

    def run(self) -> None:
        try:
            for name in self.modules:
                importlib.import_module(name)
        except BaseException as exc:
            self.failed = exc

    def finish(self) -> None:
        if self.ident is not None:  # (started; else it ran on the caller's thread)
            self.join()
        if self.failed is not None:
            raise self.failed


def open_while_loading(
    location: Location,
    user: str,
    passphrase: str,
    *,
    loading: tuple[str, ...] = (),
    accept_older: bool = False,
) -> Register:
    """`opening.open_register`, with the store and the modules in `loading` imported while the
    key is derived (a local register; on a team server they are imported first). The place is
    checked before the key file is read, as `open_register` does."""
    importer = _Loading((OPENING, *loading))
    if not isinstance(location, Path):
        importer.run()  # (the server's sign-in derives its own keys, after connecting)
        importer.finish()
        # Lazy: imported just above.
        from wijkteam_tui.store.opening import open_register

        return open_register(location, user, passphrase, accept_older=accept_older)
    path = existing_register(location)
    importer.start()
    try:
        unlocked = unlock(path, user, passphrase)
    finally:
        importer.join()
    try:
        importer.finish()
    except BaseException:
        unlocked.forget()
        raise
    # Lazy: imported above, beside the key derivation.
    from wijkteam_tui.store import last_seen
    from wijkteam_tui.store.opening import open_unlocked

    return last_seen.settle(open_unlocked(path, unlocked), accept_older)
