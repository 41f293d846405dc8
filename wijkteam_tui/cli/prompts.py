"""What a command asks of the person and the environment, and what it tells them on the way:
the register's location, the user and their passphrase ($WIJKTEAM_*, files, hidden prompts),
the opened register with its notices, and the progress of long work."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkteam_tui.domain.accounts import passphrase_strength, validate_passphrase
from wijkteam_tui.errors import OlderRegisterError, UsageError, no_register

if TYPE_CHECKING:
    from wijkteam_tui.store.address import Location
    from wijkteam_tui.store.register import Register

DB_ENV = "WIJKTEAM_DB"
USER_ENV = "WIJKTEAM_USER"
PASSPHRASE_ENV = "WIJKTEAM_PASSPHRASE"
NEW_PASSPHRASE_ENV = "WIJKTEAM_NEW_PASSPHRASE"
RECOVERY_KEY_ENV = "WIJKTEAM_RECOVERY_KEY"
#: A team server's operator gives a one-time password for a database role here (README).
SERVER_PASSWORD_ENV = "PGPASSWORD"

WAITING = "Wacht op een collega die het register bijwerkt…"


def printable(text: object) -> str:
    """`text` with every control character shown as an escape (`\\x1b`), so that what someone
    passes as an argument can never steer the terminal it is echoed to."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text)
    )


def iso_date(text: str) -> date:
    """A --date argument: YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{printable(text)}' is geen datum; gebruik JJJJ-MM-DD, bijv. 2026-11-23"
        ) from None


def progress_bar(stream: Any, unit: str) -> Callable[..., None]:
    """A progress bar for a long run: `show(done, total)` redraws one line on a terminal
    (with the time left), and writes a line per tenth when stderr goes to a log."""
    started = time.monotonic()
    on_terminal = stream.isatty()

    def show(done: int, total: int, *_: object) -> None:
        if not on_terminal and done != total and done * 10 // total == (done - 1) * 10 // total:
            return
        spent = time.monotonic() - started
        filled = 30 * done // total
        line = f"  [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {unit}, {spent:.0f} s"
        if done < total and done:
            line += f", nog ongeveer {spent / done * (total - done):.0f} s"
        if on_terminal:
            end = "\n" if done == total else ""
            print(f"\r{line}\x1b[K", end=end, file=stream, flush=True)
        else:
            print(line, file=stream, flush=True)

    return show


def default_db_path() -> Path:
    """`register.db` in the platform's data folder."""
    # Lazy: platformdirs loads only when neither --db nor $WIJKTEAM_DB says where.
    from platformdirs import user_data_path

    return user_data_path("wijkteam", appauthor=False) / "register.db"


# --- secrets -----------------------------------------------------------------------------------


def read_secret_file(path: str) -> str:
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Wachtwoordbestand {path} kan niet worden gelezen.") from exc
    secret = text.splitlines()[0] if text else ""
    if not secret:
        raise UsageError(f"Wachtwoordbestand {path} is leeg.")
    return secret


def _given_secret(path: str | None, env: str) -> str | None:
    """A secret from the file at `path`, else from the environment variable `env`."""
    if path:
        return read_secret_file(path)
    return os.environ.get(env) or None


def prompt(label: str) -> str:
    if not sys.stdin.isatty():
        raise UsageError(
            f"{label} nodig: geef --passphrase-file of zet ${PASSPHRASE_ENV} (er is geen"
            " terminal om naar te vragen)."
        )
    return getpass.getpass(f"{label}: ")


def current_passphrase(args: argparse.Namespace, label: str = "Wachtwoord") -> str:
    """The passphrase from --passphrase-file, $WIJKTEAM_PASSPHRASE or a hidden prompt."""
    return _given_secret(getattr(args, "passphrase_file", None), PASSPHRASE_ENV) or prompt(label)


def new_passphrase(
    args: argparse.Namespace,
    *,
    file_attr: str = "new_passphrase_file",
    env: str = NEW_PASSPHRASE_ENV,
    label: str = "Nieuw wachtwoord",
) -> str:
    """A new passphrase from --new-passphrase-file, $WIJKTEAM_NEW_PASSPHRASE or asked twice
    (`init` gives the options of the first passphrase instead)."""
    given = _given_secret(getattr(args, file_attr, None), env)
    if given:
        return given
    first = prompt(label)
    validate_passphrase(first)
    print(f"Sterkte: {passphrase_strength(first)}", file=sys.stderr)
    if prompt(f"{label} (nogmaals)") != first:
        raise UsageError("De wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    return first


def recovery_key(args: argparse.Namespace) -> str:
    """The recovery key from --recovery-key-file, $WIJKTEAM_RECOVERY_KEY or a hidden prompt."""
    return _given_secret(args.recovery_key_file, RECOVERY_KEY_ENV) or prompt("Herstelsleutel")


def server_password() -> str | None:
    """The one-time password of a team server's operator, if one was given."""
    return os.environ.get(SERVER_PASSWORD_ENV) or None


def ask_confirmation() -> str:
    if not sys.stdin.isatty():
        raise UsageError("Bevestig met --confirm CLIËNTNUMMER (er is geen terminal om te vragen).")
    return input("Typ het cliëntnummer ter bevestiging: ")


# --- who and where -----------------------------------------------------------------------------


def user_name(args: argparse.Namespace) -> str:
    name = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if not name:
        raise UsageError(f"Geef een gebruiker op met --user of ${USER_ENV}.")
    return str(name)


def credentials(args: argparse.Namespace) -> tuple[str, str]:
    """The user and their passphrase, asked in that order."""
    user = user_name(args)
    return user, current_passphrase(args)


def where(args: argparse.Namespace) -> Location:
    """The register of this command: --db, $WIJKTEAM_DB or the default file; a
    `postgresql://…` address is a register on a team server."""
    # Lazy: the store (SQLAlchemy) loads only for a command that uses a register.
    from wijkteam_tui.store.address import location

    text = getattr(args, "db", None) or os.environ.get(DB_ENV)
    return location(text) if text else default_db_path()


def db_path(args: argparse.Namespace) -> Path:
    """The local register of a command about its files (back-ups, checks, the key file)."""
    found = where(args)
    if not isinstance(found, Path):
        raise UsageError(
            f"Dit kan alleen bij een register op deze computer; {found} staat op een teamserver,"
            " waarvan de beheerder de back-ups en controles doet."
        )
    return found


def require_register(path: Path) -> Path:
    if not path.exists():
        raise no_register(path)
    return path


@contextmanager
def opened(args: argparse.Namespace, *loading: str) -> Iterator[Register]:
    """Open the register for a command and close it afterwards. The store, and the modules in
    `loading` that the command needs, are imported while the key is derived."""
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for a command that opens a register,
    # beside the key derivation (store/preopen.py imports nothing heavy itself).
    from wijkteam_tui.store.preopen import open_while_loading

    found = where(args)
    if isinstance(found, Path):
        found = require_register(found)
    accept_older = getattr(args, "accept_older", False)
    try:
        register = open_while_loading(
            found, *credentials(args), loading=loading, accept_older=accept_older
        )
    except OlderRegisterError as refused:
        hint = " Weet u waarom, geef dan --accept-older."
        raise OlderRegisterError(refused.message + hint) from None
    told = register.warnings
    for warning in told:
        print(f"Let op: {printable(warning)}", file=sys.stderr)
    register.on_wait = lambda: print(WAITING, file=sys.stderr, flush=True)
    try:
        yield register
    finally:
        for warning in register.close():
            if warning not in told:
                print(f"Let op: {printable(warning)}", file=sys.stderr)
