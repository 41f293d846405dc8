"""`wijkteam db check`: everything that can be found wrong with a register, found by reading.

Nothing here writes: the database is opened read-only (SQLite's `mode=ro`), it is never
migrated, its users are not synced, and a damaged key file is reported but not repaired from
its backup copy. What a normal opening would change is said instead.
"""

from __future__ import annotations

import grp
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from wijkteam_tui.store import files
from wijkteam_tui.store.address import Location
from wijkteam_tui.store.copies import restores
from wijkteam_tui.store.keys.slots import Unlocked
from wijkteam_tui.store.keys.storage import (
    backup_key_file_path,
    key_file_path,
    key_file_problem,
    key_lock_path,
)
from wijkteam_tui.store.keys.unlock import unlock
from wijkteam_tui.store.migrate import head_revision
from wijkteam_tui.store.opening import verify_identity
from wijkteam_tui.store.sqlite import faults, journal
from wijkteam_tui.store.sqlite.connection import connect_keyed, integrity_problems
from wijkteam_tui.store.sqlite.location import existing_register
from wijkteam_tui.store.sqlite.lock import lock_file_path


@dataclass
class CheckReport:
    path: Location
    revision: str = ""
    head: str = ""
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.problems


def check_register(
    path: Path, user: str, passphrase: str, *, today: date | None = None
) -> CheckReport:
    """Check the register at `path` with `user`'s passphrase, reading only.

    A file that is not this key file's register raises the same RegisterError as opening it
    would; damage inside the register is listed in `problems`."""
    path = existing_register(path, write=False)
    unlocked = unlock(path, user, passphrase, repair=False)
    report = CheckReport(path, head=head_revision())
    report.warnings += unlocked.warnings
    hot = path.with_name(path.name + "-journal")
    try:
        conn = connect_keyed(path, unlocked.db_key, read_only=True)
    except faults.ReadOnlyError:
        if not hot.exists():
            raise
        # A write stopped halfway (a crash, a killed re-key): only a writing connection rolls
        # it back, and a check writes nothing.
        report.problems.append(
            f"Naast het register staat een halverwege gestopte schrijfactie ({hot.name})."
            " Open het register gewoon (wijkteam of een ander commando): die wordt dan"
            " teruggedraaid. Controleer daarna opnieuw."
        )
        return report
    try:
        report.problems += integrity_problems(conn)
        if report.sound:
            report.revision = verify_identity(conn, path, unlocked.key_file.register_id)
            report.warnings += clock_warnings(conn, today or date.today())
            report.warnings += retention_warnings(conn, today or date.today())
            report.problems += generation_problems(conn, unlocked.key_file.generation)
    finally:
        conn.close()
    if report.revision and report.revision != report.head:
        report.warnings.append(
            f"Structuurversie {report.revision}; wordt bijgewerkt naar {report.head} zodra het"
            " register gewoon wordt geopend (eerst wordt een kopie gemaakt)."
        )
    if journal.journal_path(path).exists():
        report.warnings.append(
            "Een 'restore' is onderbroken; het wordt afgemaakt zodra het register gewoon wordt"
            " geopend."
        )
    if due := unlocked.key_file.rekey_due:
        report.warnings.append(
            f"Uitgeschakeld terwijl het register open was: {', '.join(due)}."
            " De databasesleutel is nog niet vernieuwd, dus wat zij wisten opent het register"
            " nog: 'wijkteam db rekey' (als niemand het open heeft)."
        )
    report.problems += _key_backup_problems(path, unlocked)
    report.warnings += mode_warnings(path)
    return report


def generation_problems(conn: Any, on_disk: int) -> list[str]:
    """The key file is older than the newest the register has seen: a copy put back."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(team_settings)")}
    if "key_generation" not in columns:
        return []  # a register from before generations were kept (it gains them on opening)
    row = conn.execute("SELECT key_generation FROM team_settings WHERE id = 1").fetchone()
    seen = int(row[0]) if row and row[0] is not None else 0
    if on_disk >= seen:
        return []
    return [
        f"het sleutelbestand (generatie {on_disk}) is ouder dan het register (generatie {seen}):"
        " een oude kopie is teruggezet; zet het nieuwste sleutelbestand terug"
    ]


def retention_warnings(conn: Any, today: date) -> list[str]:
    """Closed files past their retention date: the law says they must be destroyed."""
    row = conn.execute(
        "SELECT count(*), min(retention_until) FROM clients WHERE retention_until < ?",
        (today.isoformat(),),
    ).fetchone()
    if not row or not row[0]:
        return []
    return [
        f"{row[0]} {'dossier is' if row[0] == 1 else 'dossiers zijn'} voorbij de bewaartermijn"
        f" (de oudste sinds {row[1]}) en {'moet' if row[0] == 1 else 'moeten'} worden"
        " vernietigd: zie 'wijkteam retention list' en 'wijkteam erase'."
    ]


def clock_warnings(conn: Any, today: date) -> list[str]:
    """The computer's clock stands earlier than days the register has already seen (it was set
    back, or its battery failed): the rules keep using the later day, but a person should know."""
    row = conn.execute("SELECT max(evaluated_on) FROM clients").fetchone()
    latest = date.fromisoformat(row[0]) if row and row[0] else None
    if latest is None or latest <= today:
        return []
    return [
        f"De klok van deze computer staat op {today.isoformat()}, maar het register is al"
        f" bijgewerkt op {latest.isoformat()}: de klok is teruggezet of loopt achter. Afspraken"
        " en aandachtspunten gaan niet terug in de tijd; zet de klok goed."
    ]


def _key_backup_problems(path: Path, unlocked: Unlocked) -> list[str]:
    """The backup copy of the key file must be a valid key file of this register."""
    backup = backup_key_file_path(path)
    if not backup.exists():
        return [f"De reservekopie van het sleutelbestand ontbreekt ({backup})."]
    problem = key_file_problem(backup, unlocked.db_key, unlocked.key_file.register_id)
    if problem:
        return [f"De reservekopie van het sleutelbestand ({backup}) is {problem}."]
    return []


def mode_warnings(path: Path) -> list[str]:
    """The register's files and folder that more people may read or enter than should: others
    than the owner of a private register (0700/0600); in a shared register (`init --group`),
    others than its group (2770/0660), or a file that does not belong to the folder's group
    (its colleagues cannot open it)."""
    folder = path.parent
    shared = files.is_shared(folder)
    widest_file = files.GROUP_FILE_MODE if shared else files.FILE_MODE
    widest_folder = files.GROUP_FOLDER_MODE if shared else files.FOLDER_MODE
    beside = [
        path,
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
        key_file_path(path),
        backup_key_file_path(path),
        key_lock_path(path),
        lock_file_path(path),
        restores.journal_path(path),
    ]
    who = "alleen de groep van het register" if shared else "alleen de eigenaar"
    warnings: list[str] = []
    try:
        group = folder.stat().st_gid
    except OSError:
        return warnings
    for target, widest in [(folder, widest_folder), *((f, widest_file) for f in beside)]:
        try:
            # Not through a link: the advice below (chmod, chgrp) must never reach what a
            # link planted beside the register points at.
            found = target.stat() if target == folder else target.lstat()
        except FileNotFoundError:
            continue
        if target != folder and not stat.S_ISREG(found.st_mode):
            warnings.append(
                f"{target} is geen gewoon bestand (een symbolische koppeling?): iemand met"
                " toegang tot de map heeft het daar neergezet. Kijk wie, en verwijder het"
                " (niet chmod: dat zou wijzigen waar het naar wijst)."
            )
            continue
        mode = stat.S_IMODE(found.st_mode)
        if mode & ~widest & 0o777:
            warnings.append(
                f"{target} staat open voor anderen ({mode:04o}); {who} hoort erbij te kunnen:"
                f" chmod {widest:o} {target}"
            )
        elif shared and found.st_gid != group:
            warnings.append(
                f"{target} hoort niet bij de groep van het register ({_group_name(found.st_gid)}"
                f" in plaats van {_group_name(group)}): collega's kunnen het niet openen."
                f" chgrp {_group_name(group)} {target}"
            )
        elif shared and (mode & 0o060) != 0o060 and target != folder:
            warnings.append(
                f"{target} is niet te schrijven voor de groep van het register ({mode:04o}):"
                f" collega's kunnen het niet openen. chmod 660 {target}"
            )
    return warnings


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)
