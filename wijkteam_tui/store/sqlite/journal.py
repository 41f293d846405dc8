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
import stat
from pathlib import Path
from typing import Any

from wijkteam_tui.errors import RegisterError
from wijkteam_tui.store.files import atomic_write, fsync_dir, read_beside

STAGING_PREFIX = "wijkteam-herstel-"
# Far more than a journal of three renames needs.
_MAX_BYTES = 64 * 1024


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
    if os.path.lexists(written):
        staging, names = _read(written)
        for name in names:
            try:
                os.replace(folder / staging / name, folder / name)
            except FileNotFoundError:
                continue  # moved before the stop
        fsync_dir(folder)
        written.unlink()
        shutil.rmtree(folder / staging, ignore_errors=True)
    remove_abandoned(folder, STAGING_PREFIX)


def _read(written: Path) -> tuple[str, list[str]]:
    """The staging folder of a journal and the names it moves from there into the register's
    folder, only when `write` could have made them: a staging folder (a folder, not a link) in
    the register's folder, and each file from it to the same name beside the register. Anything
    else was put there by someone else, perhaps to move or remove files elsewhere: refused."""
    refused = RegisterError(
        f"{written} is niet door wijkteam geschreven, of is beschadigd; er is niets verplaatst"
        " of verwijderd. Laat de beheerder van deze computer kijken wie het daar neerzette, en"
        " verwijder het."
    )
    try:
        journal: Any = json.loads(read_beside(written, _MAX_BYTES))
        staging, moves = journal["staging"], journal["moves"]
        renames = [(str(source), str(target)) for source, target in moves]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise refused from None
    if not (_plain_name(staging) and staging.startswith(STAGING_PREFIX)):
        raise refused
    if any(
        source != f"{staging}/{target}" or not _plain_name(target) for source, target in renames
    ):
        raise refused
    try:
        if not stat.S_ISDIR(os.lstat(written.parent / staging).st_mode):
            raise refused
    except FileNotFoundError:
        pass  # every rename was done and the folder removed before the stop
    return staging, [target for _, target in renames]


def _plain_name(name: object) -> bool:
    """A name of a file in one folder: no path, not "." or ".."."""
    return isinstance(name, str) and name not in ("", ".", "..") and not {"/", "\0"} & set(name)


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
