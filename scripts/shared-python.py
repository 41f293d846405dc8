"""Refuse an install for every account with a Python only one account can read.

A virtual environment runs its base interpreter and that interpreter's standard library: when
they live in someone's home (pyenv in /root, a conda in /home/anna), the other accounts cannot
start the program. Exit 1 with a Dutch message naming the first place they cannot pass."""

from __future__ import annotations

import os
import stat
import sys
import sysconfig
from pathlib import Path


def _closed(path: Path) -> Path | None:
    """The first folder on the way to `path` (or `path` itself) that others cannot pass or read."""
    for part in [*reversed(path.parents), path]:
        mode = part.stat().st_mode
        if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
            return part
        if part == path and not mode & stat.S_IROTH:
            return part
    return None


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 (it runs under whichever Python is given)
        print("wijkteam heeft Python 3.11 of nieuwer nodig.", file=sys.stderr)
        return 1
    for needed in (Path(os.path.realpath(sys.executable)), Path(sysconfig.get_path("stdlib"))):
        closed = _closed(needed)
        if closed is not None:
            print(
                f"Deze Python ({sys.executable}) kunnen andere accounts niet gebruiken: {closed}"
                " is alleen voor de eigenaar. Kies een Python die iedereen kan lezen, bijv."
                " make install PYTHON=/usr/bin/python3",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
