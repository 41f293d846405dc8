"""Keeping the unlocked register's secrets out of places they could leak to.

A core dump of a process that has a register open holds the database key and decrypted pages;
it would be written to disk, unencrypted, where crash reporters collect them. `harden()` turns
core dumps off for this process (RLIMIT_CORE 0) and, on Linux, marks it not dumpable, which
also stops other processes of the same account from reading its memory through ptrace or
/proc/PID/mem.
"""

from __future__ import annotations

import contextlib
import ctypes
import resource
import sys

_PR_SET_DUMPABLE = 4


def harden() -> None:
    """No core dumps, and (Linux) not dumpable. Best effort: a refusal is not an error."""
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
