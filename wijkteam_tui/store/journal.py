"""The journal of a restore: the renames that put a staged back-up in place.

`restore` writes it once the back-up is staged and checked and the old files are kept, then
does the renames. A restore stopped in between (power cut, kill) is finished by the next
process that opens or restores the register, before SQLite touches the database: each rename
is done at most once, and done again harmlessly when its source is already gone.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from wijkteam_tui.store.files import atomic_write, fsync_dir

STAGING_PREFIX = "wijkteam-herstel-"


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + ".herstel.json")


def write(db_path: Path, staging: Path, moves: list[tuple[Path, Path]]) -> None:
    journal = {
        "staging": staging.name,
        "moves": [
            [str(source.relative_to(db_path.parent)), target.name] for source, target in moves
        ],
    }
    atomic_write(journal_path(db_path), json.dumps(journal).encode("utf-8"))


def finish_interrupted_restore(db_path: Path) -> None:
    """Finish a restore that was stopped after its journal was written, and remove staging
    folders that restores which died earlier left behind. Called (holding the register's lock)
    before the register is opened or restored."""
    folder = db_path.parent
    written = journal_path(db_path)
    if written.exists():
        journal = json.loads(written.read_text("utf-8"))
        for source, target in journal["moves"]:
            try:
                os.replace(folder / source, folder / target)
            except FileNotFoundError:
                continue  # moved before the stop
        fsync_dir(folder)
        written.unlink()
        shutil.rmtree(folder / journal["staging"], ignore_errors=True)
    remove_abandoned(folder, STAGING_PREFIX)


def remove_abandoned(folder: Path, prefix: str) -> None:
    """Remove the folders `<prefix><pid>-…` in `folder` whose process no longer runs."""
    for leftover in folder.glob(f"{prefix}*"):
        pid = leftover.name[len(prefix) :].split("-", 1)[0]
        if leftover.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
