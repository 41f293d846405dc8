"""Back-ups of a register and restoring them.

A back-up is one file: a zip (stored, not compressed: encrypted pages do not compress) holding
`register.db` (a consistent copy, still encrypted with the database key), `register.keys` (the
key file, whose slots are protected by the passphrases valid at back-up time) and a manifest
with the SHA-256 of both. Nothing in it is readable without a passphrase or the recovery key.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import RegisterError, RoleError, WijkteamError
from wijkteam_tui.store import files
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.copies import restores
from wijkteam_tui.store.files import atomic_write, fsync_dir
from wijkteam_tui.store.keys import attempts
from wijkteam_tui.store.keys.storage import (
    backup_key_file_path,
    key_file_path,
    key_lock_path,
    read_key_file,
    write_key_file,
)
from wijkteam_tui.store.keys.unlock import unlock
from wijkteam_tui.store.migrate import current_revision
from wijkteam_tui.store.opening import open_register, verify_identity
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sqlite import faults, journal, lock
from wijkteam_tui.store.sqlite.connection import connect_keyed, copy_database, integrity_problems
from wijkteam_tui.store.sqlite.location import check_location

BACKUP_FORMAT = "wijkteam-back-up"
BACKUP_VERSION = 1
_DB_NAME = "register.db"
_KEYS_NAME = "register.keys"
_MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    revision: str | None
    created_at: str


def write_backup(register: Register, out_path: Path) -> BackupInfo:
    """Write a back-up of the open register to `out_path` (atomically; never over the register)."""
    out_path = out_path.expanduser().resolve()
    own = own_files(register.path)
    if out_path in own or (
        out_path.exists() and any(out_path.samefile(f) for f in own if f.exists())
    ):
        raise RegisterError(
            f"{out_path} is een bestand van het register zelf; een back-up erover zou het"
            " register vernielen. Kies een andere naam of plek."
        )
    if out_path.is_dir():
        raise RegisterError(f"{out_path} is een map; geef een bestandsnaam op.")
    if not out_path.parent.is_dir():
        raise RegisterError(f"De map {out_path.parent} bestaat niet.")
    created_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    revision = current_revision(register.engine)
    with tempfile.TemporaryDirectory(prefix="wijkteam-backup-", dir=out_path.parent) as tmp:
        db_copy = Path(tmp) / _DB_NAME
        with register.raw() as raw:
            copy_database(raw, db_copy, register.unlocked.db_key)
        keys = files.read_beside(key_file_path(register.path))
        manifest = {
            "format": BACKUP_FORMAT,
            "version": BACKUP_VERSION,
            "created_at": created_at,
            "register_id": register.unlocked.key_file.register_id,
            "revision": revision,
            "files": {_DB_NAME: _sha256_file(db_copy), _KEYS_NAME: _sha256(keys)},
        }
        fd, bundle = files.temporary_beside(Path(tmp) / "bundle.zip", mode=0o600)
        with os.fdopen(fd, "w+b") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
                archive.writestr(_MANIFEST_NAME, json.dumps(manifest, indent=2, sort_keys=True))
                archive.write(db_copy, _DB_NAME)
                archive.writestr(_KEYS_NAME, keys)
            handle.flush()
            os.fsync(handle.fileno())
        bundle.move_to(out_path)
    info = BackupInfo(out_path, out_path.stat().st_size, revision, created_at)
    # Not the file's name: a person chooses it, and it may name a client.
    made = f"versleutelde back-up van {created_at} gemaakt ({info.size} bytes)"
    log.record(register, chain.Event("backup", "register", detail=made))
    return info


def own_files(db_path: Path) -> set[Path]:
    """Every file that is part of the register at `db_path` (resolved, also through links):
    the database and SQLite's files beside it, the key file and its copy, the lock files, the
    wrong-passphrase counts and the restore journal."""
    db_path = db_path.expanduser().resolve()
    names = [
        db_path,
        db_path.with_name(db_path.name + "-wal"),
        db_path.with_name(db_path.name + "-shm"),
        db_path.with_name(db_path.name + "-journal"),
        key_file_path(db_path),
        backup_key_file_path(db_path),
        key_lock_path(db_path),
        lock.lock_file_path(db_path),
        attempts.attempts_file_path(db_path),
        journal.journal_path(db_path),
        restores.journal_path(db_path),
    ]
    return {name.resolve() for name in names}


RESTORE_REFUSAL = "Alleen een teamleider zet een back-up terug; er is niets gewijzigd."


def restore_backup(
    bundle_path: Path, db_path: Path, user: str, passphrase: str, *, force: bool = False
) -> Path | None:
    """Put the back-up in place at `db_path` (teamleider), and log it.

    The back-up is checked completely first (manifest hashes, the passphrase against its key
    file, that it holds this register, the database's integrity, that `user` is a teamleider
    in it and in the register it replaces); only then is anything moved. It refuses while any
    process has the register open. An existing register is kept beside it as
    `<naam>-voor-herstel-<tijd>.db/.keys` and that path is returned.

    The restore is written to the journal of restores beside the register (store/copies/restores.py)
    before its files move, so that colleagues who saw a later state are told who went back
    and when; the restored register is then opened once to log the restore in its audit log,
    and what `user` sees now is remembered (store/last_seen.py).

    At no moment is there no database at `db_path`: the old files are first linked to their
    kept names, and the staged files (fsynced) then replace them one rename at a time. A journal
    beside the register lists those renames, so that a restore stopped half-way (power cut,
    kill) is finished by the next program that opens the register.
    """
    db_path = db_path.expanduser()
    if not bundle_path.is_file():
        raise RegisterError(f"Back-up {bundle_path} niet gevonden.")
    files.private_folder(db_path.parent)
    check_location(db_path)
    held = lock.hold_alone(db_path)
    if held is None:
        raise RegisterError(
            f"Het register {db_path} is nog geopend (in wijkteam, door u, een collega of een"
            " script). Sluit het overal af en probeer het opnieuw; er is niets gewijzigd."
        )
    try:
        journal.finish_interrupted_restore(db_path)
        key_path = key_file_path(db_path)
        exists = db_path.exists() or key_path.exists()
        if exists and not force:
            raise RegisterError(
                f"Er staat al een register op {db_path}. Gebruik --force om het te vervangen;"
                " het huidige register wordt dan eerst bewaard."
            )
        replaced_seq = _replaced_head(key_path, user) if exists else 0
        if exists:
            _fold_in_wal(db_path, user, passphrase)
        staging = Path(
            tempfile.mkdtemp(prefix=f"{journal.STAGING_PREFIX}{os.getpid()}-", dir=db_path.parent)
        )
        try:
            staged_db = staging / db_path.name
            staged = _stage(bundle_path, staged_db, user, passphrase)
            restored = dataclasses.replace(staged, replaced_seq=replaced_seq)
            kept = _keep(db_path) if exists else None
            moves = [
                (key_file_path(staged_db), key_file_path(db_path)),
                (backup_key_file_path(staged_db), backup_key_file_path(db_path)),
                (staged_db, db_path),
            ]
            # From the moment the journal of moves is written the restore happens (the next
            # opening finishes it, should this process die): it is in the journal of restores
            # by then.
            restores.append(db_path, restored)
            journal.write(db_path, staging, moves)
            journal.finish_interrupted_restore(db_path)
        finally:
            # Once the journal is written, the staged files are what it puts in place: they
            # stay until the moves are finished (by the next opening, if not here).
            if not journal.journal_path(db_path).exists():
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        held.release()
    _log_restore(db_path, user, passphrase, restored, kept)
    return kept


def _replaced_head(key_path: Path, user: str) -> int:
    """The newest audit event the replaced register's key file knows; refused when that key
    file, readable, does not make `user` a teamleider (a deactivated or demoted person must
    not bring an old state back). An unreadable one is what a restore may be for."""
    try:
        current = read_key_file(key_path)
    except WijkteamError:
        return 0
    slot = current.user_slot(user)
    if slot is None or slot.role != Role.TEAMLEIDER.value or not current.grant_ok(slot):
        raise RoleError(RESTORE_REFUSAL)
    kept = chain.kept_head(current)
    return kept[0] if kept else 0


def _log_restore(
    db_path: Path, user: str, passphrase: str, restored: restores.Restore, kept: Path | None
) -> None:
    """Open the restored register once: its audit log records the restore, and what `user`
    sees now is remembered, so that their next opening is not taken for a copy put back."""
    register = open_register(db_path, user, passphrase, accept_older=True)
    try:
        detail = f"back-up van {restored.backup_made} teruggezet"
        if restored.replaced_seq:
            detail += f"; het vervangen register kende volgnummer {restored.replaced_seq}"
        if kept is not None:
            detail += f", bewaard als {kept.name}"
        log.record(register, chain.Event("restore", "register", detail=detail))
    finally:
        register.close()


def _stage(bundle_path: Path, staged_db: Path, user: str, passphrase: str) -> restores.Restore:
    """Extract the back-up beside the register and check it completely; returns the restore
    as the journal of restores will hold it."""
    made = _extract_checked(bundle_path, staged_db)
    unlocked = unlock(staged_db, user, passphrase)
    if unlocked.role is not Role.TEAMLEIDER:
        unlocked.forget()
        raise RoleError(RESTORE_REFUSAL)
    head: tuple[int, str] = (0, "")
    try:
        conn = connect_keyed(staged_db, unlocked.db_key, wal=False)
        try:
            problems = integrity_problems(conn)
            if not problems:
                verify_identity(conn, staged_db, unlocked.key_file.register_id)
                newest = "SELECT seq, mac FROM audit_events ORDER BY seq DESC LIMIT 1"
                head = conn.execute(newest).fetchone() or head
        finally:
            conn.close()
    except faults.FileFault as exc:
        raise RegisterError(
            f"De back-up {bundle_path} is niet terug te zetten: {exc.reason}. Er is niets"
            " gewijzigd."
        ) from exc
    if problems:
        raise RegisterError(f"De back-up is beschadigd: {problems[0]}. Er is niets gewijzigd.")
    write_key_file(staged_db, unlocked.key_file, unlocked.db_key)
    fsync_dir(staged_db.parent)
    register_id = unlocked.key_file.register_id
    return restores.Restore(restores.now_text(), user, register_id, made, int(head[0]), head[1])


def _fold_in_wal(db_path: Path, user: str, passphrase: str) -> None:
    """Bring what the live register's -wal holds into its database file before it is kept.

    The -wal outlives its database only after a crash; it holds committed transactions. It
    needs the live register's key, so the passphrase must also open the live register."""
    wal = db_path.with_name(db_path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return
    try:
        unlocked = unlock(db_path, user, passphrase, repair=False)
    except WijkteamError as exc:
        raise RegisterError(
            f"Het huidige register {db_path} is niet netjes afgesloten en zijn laatste"
            " wijzigingen staan nog apart (-wal). Open het eerst één keer met wijkteam en sluit"
            " het af, of geef het wachtwoord dat op dit register past. Er is niets gewijzigd."
        ) from exc
    conn = connect_keyed(db_path, unlocked.db_key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()


def _keep(db_path: Path) -> Path:
    """Link the current register's files to `<naam>-voor-herstel-<tijd>`; the live names stay."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    sources = [db_path, key_file_path(db_path), backup_key_file_path(db_path)]

    def named(kept: Path, source: Path) -> Path:
        return kept.with_name(kept.stem + source.name[len(db_path.stem) :])

    present = [source for source in sources if os.path.lexists(source)]
    for source in present:
        # A link would be kept as a link, and a copy made through it (on another file system).
        if not stat.S_ISREG(os.lstat(source).st_mode):
            raise files.not_a_plain_file(source)
    for number in range(1, 1000):  # never over a copy kept earlier (in the same second)
        extra = f"-{number}" if number > 1 else ""
        kept = db_path.with_name(f"{db_path.stem}-voor-herstel-{stamp}{extra}{db_path.suffix}")
        if not any(os.path.lexists(named(kept, source)) for source in sources):
            break
    for source in present:
        target = named(kept, source)
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            files.copy_beside(source, target)
    fsync_dir(db_path.parent)
    return kept


def _extract_checked(bundle_path: Path, staged_db: Path) -> str:
    """Extract and check the back-up; returns when it was made (its manifest says)."""
    damaged = RegisterError(f"{bundle_path} is geen bruikbare wijkteam-back-up (beschadigd).")
    try:
        with zipfile.ZipFile(bundle_path) as archive:
            manifest = json.loads(archive.read(_MANIFEST_NAME))
            if manifest.get("format") != BACKUP_FORMAT:
                raise damaged
            keys = archive.read(_KEYS_NAME)
            made = files.create_beside(staged_db)
            with archive.open(_DB_NAME) as source, os.fdopen(made, "wb") as target:
                shutil.copyfileobj(source, target)
                target.flush()
                os.fsync(target.fileno())
    except OSError as exc:
        # Reading the back-up or writing beside the register: a full disk is not damage.
        fault = faults.from_os(exc, Path(exc.filename) if exc.filename else staged_db.parent)
        if fault is not None:
            raise fault from exc
        raise damaged from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise damaged from exc
    expected = manifest.get("files", {})
    if expected.get(_KEYS_NAME) != _sha256(keys) or expected.get(_DB_NAME) != _sha256_file(
        staged_db
    ):
        raise damaged
    atomic_write(key_file_path(staged_db), keys)
    return str(manifest.get("created_at", ""))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
