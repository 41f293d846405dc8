"""`demo`: a register of fictitious people, built when absent (in a folder of its own, moved in
place only when complete) and opened on the screens or shown as text."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wijkteam_tui.cli.prompts import DB_ENV, default_db_path, progress_bar
from wijkteam_tui.cli.reports import vandaag_text
from wijkteam_tui.cli.tui import run_tui
from wijkteam_tui.errors import UsageError, WijkteamError

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register

#: The demo register's user; its passphrase is store.keys.changes.DEMO_PASSPHRASE.
DEMO_USER = "demo"
DEMO_CLIENTS = 400
#: The largest demo register `demo --clients` builds (20,000 take about 30 s and 120 MB).
DEMO_MAX_CLIENTS = 50_000
DEMO_STAGING = "wijkteam-demo-bouw-"


def default_demo_path() -> Path:
    """The demo register lives apart from a real one: `demo.db` beside it (in the data
    folder, or beside $WIJKTEAM_DB when that is a local file)."""
    text = os.environ.get(DB_ENV, "")
    local = text and not text.lower().startswith(("postgresql:", "postgres:"))
    return (Path(text).expanduser() if local else default_db_path()).with_name("demo.db")


def cmd_demo(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.keys.changes import DEMO_PASSPHRASE
    from wijkteam_tui.store.keys.storage import is_legacy_key_file
    from wijkteam_tui.store.opening import open_register
    from wijkteam_tui.store.sweep import daily_sweep

    path = Path(args.db).expanduser() if getattr(args, "db", None) else default_demo_path()
    today = date.today()
    if args.clients is not None and not 1 <= args.clients <= DEMO_MAX_CLIENTS:
        raise UsageError(f"--clients moet tussen 1 en {DEMO_MAX_CLIENTS} liggen.")
    if path.exists():
        if is_legacy_key_file(path):
            # Lazy: only a demo register with a key file of version 1 needs converting.
            from wijkteam_tui.store.keys.rekey import upgrade_legacy

            upgrade_legacy(path, DEMO_USER, DEMO_PASSPHRASE)
            print("Demoregister omgezet naar sleutelbestand versie 2.", file=sys.stderr)
        register = open_register(path, DEMO_USER, DEMO_PASSPHRASE)
        if args.clients is not None:
            print(f"Er staat al een demoregister op {path}; --clients wordt genegeerd.")
    else:
        register = _build_demo(path, args.clients or DEMO_CLIENTS, today)
    try:
        # The daily sweep, as whenever a register is opened to show lists.
        daily_sweep(register, today)
        if args.no_tui:
            print(vandaag_text(register, today))
    except BaseException:
        register.close()
        raise
    if args.no_tui:
        register.close()
        print(
            f"DEMO — fictieve gegevens. Register: {path} (gebruiker {DEMO_USER},"
            f" wachtwoord {DEMO_PASSPHRASE})."
        )
        return 0
    return run_tui(path, register=register)


def _build_demo(path: Path, clients: int, today: date) -> Register:
    """Build the demo register in a folder of its own beside `path` and move it in place only
    when it is complete (the database last), so that a build that is stopped, however it is
    stopped, leaves nothing that opens as a register."""
    # Lazy: tempfile, the store and the generator load only when a demo register is built.
    import tempfile

    from wijkteam_tui.store.demo.generator import generate
    from wijkteam_tui.store.files import private_folder
    from wijkteam_tui.store.keys.changes import DEMO_PASSPHRASE
    from wijkteam_tui.store.keys.storage import backup_key_file_path, key_file_path
    from wijkteam_tui.store.opening import create_register, open_register

    private_folder(path.parent)
    _remove_demo_leftovers(path)
    print(f"Demoregister opbouwen op {path} met {clients} fictieve cliënten…", file=sys.stderr)
    building = Path(tempfile.mkdtemp(prefix=f"{DEMO_STAGING}{os.getpid()}-", dir=path.parent))
    try:
        staged = building / path.name
        register, _ = create_register(
            staged, DEMO_USER, DEMO_PASSPHRASE, team_name="Wijkteam Middelwijk", demo=True
        )

        try:
            shown = progress_bar(sys.stderr, "cliënten")
            summary = generate(register, clients, today, progress=shown)
        finally:
            register.close()
        for name in (backup_key_file_path, key_file_path, lambda p: p):
            os.replace(name(staged), name(path))
    finally:
        shutil.rmtree(building, ignore_errors=True)
    print(
        f"Klaar in {summary.seconds:.1f} s: {summary.clients} cliënten,"
        f" {summary.medewerkers} medewerkers, {summary.agreements} contactafspraken,"
        f" {summary.contact_moments} contactmomenten, {summary.open_alerts} aandachtspunten."
    )
    return open_register(path, DEMO_USER, DEMO_PASSPHRASE)


def _remove_demo_leftovers(path: Path) -> None:
    """Key files at `path` without their database, left by a demo build stopped while moving
    in place, are removed, but only when the demo's own user and passphrase open them: a real
    register's key file is never touched."""
    # Lazy: the store loads only when a demo register is built.
    from wijkteam_tui.store.keys.changes import DEMO_PASSPHRASE
    from wijkteam_tui.store.keys.storage import backup_key_file_path, key_file_path
    from wijkteam_tui.store.keys.unlock import unlock
    from wijkteam_tui.store.sqlite.journal import remove_abandoned

    remove_abandoned(path.parent, DEMO_STAGING)
    keys = [key_file_path(path), backup_key_file_path(path)]
    if path.exists() or not any(key.exists() for key in keys):
        return
    try:
        unlock(path, DEMO_USER, DEMO_PASSPHRASE, repair=False).forget()
    except WijkteamError:
        return  # not the demo's: create_register will refuse and name the file
    for key in keys:
        key.unlink(missing_ok=True)
