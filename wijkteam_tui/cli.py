"""The command line (`wijkteam`). The contract is in DESIGN.md, "Command line".

Errors: one Dutch line on stderr, never a traceback; exit 1 for errors, 2 for usage errors, 3 for
a wrong passphrase, 4 when the user's role may not do it (a medewerker asking for the team).
Set WIJKTEAM_DEBUG=1 to see the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkteam_tui import __version__
from wijkteam_tui.domain.accounts import validate_user_name
from wijkteam_tui.domain.fields import FieldError, clean_phone
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import OlderRegisterError, RegisterError, UsageError, WijkteamError

if TYPE_CHECKING:  # the store is imported lazily so that `--help` starts fast
    from wijkteam_tui.store.address import Location
    from wijkteam_tui.store.engine import Register

DB_ENV = "WIJKTEAM_DB"
USER_ENV = "WIJKTEAM_USER"
PASSPHRASE_ENV = "WIJKTEAM_PASSPHRASE"
NEW_PASSPHRASE_ENV = "WIJKTEAM_NEW_PASSPHRASE"
RECOVERY_KEY_ENV = "WIJKTEAM_RECOVERY_KEY"

_ARGPARSE_DUTCH = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "the following arguments are required: %s": "verplicht maar niet opgegeven: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r"
    " (kies uit %(choices)s)",
    "expected one argument": "verwacht één waarde",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "onduidelijke optie: %(option)s"
    " (kan zijn: %(matches)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "not allowed with argument %s": "niet toegestaan samen met %s",
}


def _dutch(message: str) -> str:
    return _ARGPARSE_DUTCH.get(message, message)


# argparse looks its messages up through gettext at run time; we answer in Dutch.
argparse._ = _dutch  # type: ignore[attr-defined]


def printable(text: object) -> str:
    """`text` with every control character shown as an escape (`\\x1b`), so that what someone
    passes as an argument can never steer the terminal it is echoed to."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text)
    )


def progress_bar(stream: Any, unit: str) -> Callable[..., None]:
    """A progress bar for a long run: `show(done, total)` redraws one line on a terminal
    (with the time left), and writes a line per tenth when stderr goes to a log."""
    import time

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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (zie '{self.prog} --help')")


def default_db_path() -> Path:
    """`register.db` in the platform's data folder."""
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


def _prompt(label: str) -> str:
    if not sys.stdin.isatty():
        raise UsageError(
            f"{label} nodig: geef --passphrase-file of zet ${PASSPHRASE_ENV} (er is geen"
            " terminal om naar te vragen)."
        )
    return getpass.getpass(f"{label}: ")


def current_passphrase(args: argparse.Namespace, label: str = "Wachtwoord") -> str:
    """The passphrase from --passphrase-file, $WIJKTEAM_PASSPHRASE or a hidden prompt."""
    if getattr(args, "passphrase_file", None):
        return read_secret_file(args.passphrase_file)
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    return _prompt(label)


def new_passphrase(
    args: argparse.Namespace, *, file_attr: str, env: str, label: str = "Nieuw wachtwoord"
) -> str:
    """A new passphrase from a file, an environment variable or asked twice."""
    if getattr(args, file_attr, None):
        return read_secret_file(getattr(args, file_attr))
    if os.environ.get(env):
        return os.environ[env]
    from wijkteam_tui.domain.accounts import passphrase_strength, validate_passphrase

    first = _prompt(label)
    validate_passphrase(first)
    print(f"Sterkte: {passphrase_strength(first)}", file=sys.stderr)
    if _prompt(f"{label} (nogmaals)") != first:
        raise UsageError("De wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    return first


def user_name(args: argparse.Namespace) -> str:
    name = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if not name:
        raise UsageError(f"Geef een gebruiker op met --user of ${USER_ENV}.")
    return str(name)


def where(args: argparse.Namespace) -> Location:
    """The register of this command: --db, $WIJKTEAM_DB or the default file; a
    `postgresql://…` address is a register on a team server."""
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


# --- commands ----------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.engine import create_register

    path = where(args)
    user = user_name(args)
    if not isinstance(path, Path) and args.group:
        raise UsageError("--group is voor een register op deze computer, niet op een teamserver.")
    passphrase = new_passphrase(
        args, file_attr="passphrase_file", env=PASSPHRASE_ENV, label="Wachtwoord"
    )
    shared: list[str] | None = None
    if isinstance(path, Path) and args.group:
        from wijkteam_tui.store.files import shared_folder

        if path.exists():
            raise UsageError(f"Er staat al een register op {path}; er is niets gewijzigd.")
        shared = shared_folder(path.parent, args.group)
    # On a team server the first teamleider signs in this once with the password the
    # operator gave, in $PGPASSWORD (README, "Team op een server").
    register, recovery_key = create_register(
        path,
        user,
        passphrase,
        team_name=args.name or "",
        server_password=os.environ.get("PGPASSWORD") or None,
    )
    register.close()
    print(f"Register aangemaakt: {path}")
    print(f"Eerste gebruiker: {user} (teamleider)")
    if shared is not None:
        print(
            f"Gedeeld met de groep '{args.group}': de map is 2770, de bestanden 0660. Collega's"
            " openen het onder hun eigen account, met hun eigen wachtwoord ('wijkteam user add')."
        )
        for warning in shared:
            print(f"Let op: {warning}", file=sys.stderr)
    print()
    print("HERSTELSLEUTEL (wordt maar één keer getoond; schrijf hem op en bewaar hem veilig):")
    print()
    print(f"    {recovery_key}")
    print()
    print("Met deze sleutel zet u een nieuw wachtwoord als er een vergeten is: 'wijkteam recover'.")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.users import REFUSAL, add_user, can_log_in

    validate_user_name(args.name)
    role = Role(args.role)
    try:
        # Before the passphrase is asked, so a mistyped number costs nothing to type again.
        clean_phone(args.phone)
    except FieldError as error:
        raise UsageError(str(error)) from None
    with _opened(args) as register:
        register.require_teamleider(REFUSAL)
        if can_log_in(register, args.name):
            raise UsageError(f"Gebruiker '{args.name}' bestaat al.")
        passphrase = None
        if not args.one_time:
            passphrase = new_passphrase(
                args,
                file_attr="new_passphrase_file",
                env=NEW_PASSPHRASE_ENV,
                label=f"Wachtwoord voor {args.name}",
            )
        given = add_user(
            register,
            args.name,
            role,
            display_name=args.display_name,
            phone=args.phone,
            passphrase=passphrase,
        )
    print(f"Gebruiker {args.name} toegevoegd als {role.label}.")
    if passphrase is None:
        _tell_one_time(args.name, given)
    return 0


def cmd_user_phone(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.users import set_phone, user_phone

    with _opened(args) as register:
        assert register.user is not None
        name = args.name or register.user.name
        if args.phone is None:
            number = user_phone(register, name)
            print(number or f"{name} heeft geen telefoonnummer; de documenten noemen het kantoor.")
            return 0
        number = set_phone(register, name, args.phone)
    if number:
        print(f"Telefoonnummer van {name}: {number}.")
    else:
        print(f"Telefoonnummer van {name} verwijderd; de documenten noemen nu het kantoor.")
    return 0


def _tell_one_time(name: str, passphrase: str) -> None:
    print(f"Eenmalig wachtwoord voor {name}: {passphrase}")
    print(
        f"Geef het persoonlijk door. Bij de volgende keer kiest {name} eerst een eigen"
        " wachtwoord: op het openingsscherm, of met 'wijkteam passwd'.",
        file=sys.stderr,
    )


def _change_key_file(
    path: Path,
    unlocked: Any,
    user: str | None,
    change: Callable[[], int],
    log: Callable[[Any], None],
) -> None:
    """Change the key file with the register open: opening first refuses a key file older
    than the register (a copy put back), so it can never be rewritten into a newer one; the
    register then records the new generation and the change is logged."""
    from wijkteam_tui.store import crypto
    from wijkteam_tui.store.engine import open_unlocked

    key = bytes(unlocked.db_key)
    register = open_unlocked(path, crypto.unlocked_with_key(path, key, user))
    try:
        register.saw_key_generation(change())
        log(register)
    finally:
        register.close()


def cmd_user_reset(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.users import reset_passphrase

    with _opened(args) as register:
        passphrase = reset_passphrase(register, args.name)
    _tell_one_time(args.name, passphrase)
    return 0


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.users import deactivate_user

    with _opened(args) as register:
        deactivate_user(register, args.name)
        pending = _renew_key(register, f"na het uitschakelen van {args.name}")
    print(
        f"{args.name} is uitgeschakeld: de toegang is verwijderd, de geschiedenis blijft. Draag"
        " de cliënten over op het Team-scherm (o)."
    )
    if pending:
        print(f"Let op: {pending}", file=sys.stderr)
    else:
        print("De databasesleutel is vernieuwd: wat zij wisten, opent het register niet meer.")
    return 0


def _renew_key(register: Register, reason: str) -> str | None:
    """Renew the database key of the register `_opened` gave; it is closed again afterwards
    (by `_opened`: the register object closes itself once, the reopened one here)."""
    from wijkteam_tui.store.rekey import renew_key

    reopened, pending = renew_key(register, reason)
    reopened.close()
    return pending


def cmd_db_rekey(args: argparse.Namespace) -> int:
    with _opened(args) as register:
        pending = _renew_key(register, "op verzoek van de teamleider")
    if pending:
        raise RegisterError(pending)
    print("De databasesleutel is vernieuwd; alle gebruikers openen het register als voorheen.")
    return 0


def cmd_db_keys(args: argparse.Namespace) -> int:
    """The versions of a team server's key slots, or one put back (teamleider)."""
    from wijkteam_tui.store import key_history
    from wijkteam_tui.store.address import ServerAddress
    from wijkteam_tui.store.audit import Event, record

    address = where(args)
    if not isinstance(address, ServerAddress):
        raise UsageError(
            "Eerdere versies van de sleutels houdt een teamserver bij; hier staat naast het"
            " sleutelbestand één reservekopie (.keys.bak), die wijkteam zelf gebruikt."
        )
    user, passphrase = user_name(args), current_passphrase(args)
    if args.restore is None:
        print(f"{'Versie':>6}  {'Vervangen (UTC)':<16}  {'Door':<28}  Gebruikers met een sleutel")
        for version in key_history.key_versions(address, user, passphrase):
            at = f"{version.replaced_at:%Y-%m-%d %H:%M}" if version.replaced_at else "nu in gebruik"
            who = version.problem or ", ".join(version.users)
            print(
                printable(f"{version.generation:>6}  {at:<16}  {version.replaced_by:<28.28}  {who}")
            )
        return 0
    now = key_history.restore_key_version(address, user, passphrase, args.restore)
    with _opened(args) as register:
        record(
            register,
            Event("user", "register", detail=f"sleutels teruggezet: versie {args.restore} is"
                  f" nu versie {now.generation}"),
        )  # fmt: skip
    print(
        f"Versie {args.restore} van de sleutels is teruggezet als versie {now.generation};"
        f" sleutels hebben nu: {', '.join(now.users)}. Wie na versie {args.restore} een ander"
        " wachtwoord kreeg, krijgt van u een eenmalig wachtwoord ('wijkteam user reset')."
    )
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.users import user_overview

    with _opened(args) as register:
        rows = user_overview(register)
    header = f"{'Gebruiker':<20} {'Naam':<24} {'Rol':<12} {'Inloggen':<9} {'Cliënten':>8}"
    print(f"{header}  Laatst ingelogd (UTC)")
    for row in rows:
        last = f"{row.last_login:%Y-%m-%d %H:%M}" if row.last_login else "—"
        print(
            printable(
                f"{row.name:<20.20} {row.display_name:<24.24} {row.role.label:<12}"
                f" {'ja' if row.can_log_in else 'nee':<9} {row.open_clients:>8}  {last}"
            )
        )
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from wijkteam_tui.store import crypto

    if not isinstance(where(args), Path):
        return _server_passwd(args)
    path = _require_register(db_path(args))
    user = user_name(args)
    unlocked = crypto.unlock(
        path, user, current_passphrase(args, "Huidig wachtwoord"), one_time_ok=True
    )
    passphrase = new_passphrase(args, file_attr="new_passphrase_file", env=NEW_PASSPHRASE_ENV)
    _change_key_file(
        path,
        unlocked,
        user,
        lambda: crypto.set_user_passphrase(path, unlocked, user, passphrase).generation,
        lambda r: _log_user(r, user, "wachtwoord gewijzigd"),
    )
    print(f"Wachtwoord van {user} gewijzigd.")
    return 0


def _server_passwd(args: argparse.Namespace) -> int:
    """`passwd` on a team server: the slot and the person's login change in one step."""
    from wijkteam_tui.store import crypto
    from wijkteam_tui.store.address import ServerAddress
    from wijkteam_tui.store.server import open_server_register

    address = where(args)
    assert isinstance(address, ServerAddress)
    user = user_name(args)
    current = current_passphrase(args, "Huidig wachtwoord")
    register = open_server_register(address, user, current, one_time_ok=True)
    try:
        passphrase = new_passphrase(args, file_attr="new_passphrase_file", env=NEW_PASSPHRASE_ENV)
        crypto.set_user_passphrase(register.keys, register.unlocked, user, passphrase)
        _log_user(register, user, "wachtwoord gewijzigd")
    finally:
        register.close()
    print(f"Wachtwoord van {user} gewijzigd.")
    return 0


def _log_user(register: Any, user: str, detail: str) -> None:
    from wijkteam_tui.store.audit import Event, record

    record(register, Event("user", "users", user, detail=detail))


def cmd_recover(args: argparse.Namespace) -> int:
    from wijkteam_tui.store import crypto

    found = where(args)
    user = user_name(args)
    if args.recovery_key_file:
        recovery_key = read_secret_file(args.recovery_key_file)
    elif os.environ.get(RECOVERY_KEY_ENV):
        recovery_key = os.environ[RECOVERY_KEY_ENV]
    else:
        recovery_key = _prompt("Herstelsleutel")
    if not isinstance(found, Path):
        return _server_recover(args, found, user, recovery_key)
    path = _require_register(found)
    unlocked = crypto.unlock_with_recovery_key(path, recovery_key)
    if unlocked.key_file.user_slot(user) is None:
        raise WijkteamError(f"Gebruiker '{user}' bestaat niet in dit register.")
    passphrase = new_passphrase(args, file_attr="new_passphrase_file", env=NEW_PASSPHRASE_ENV)
    _change_key_file(
        path,
        unlocked,
        user,
        lambda: crypto.set_user_passphrase(path, unlocked, user, passphrase).generation,
        lambda r: _log_user(r, user, "nieuw wachtwoord met de herstelsleutel"),
    )
    print(f"Nieuw wachtwoord ingesteld voor {user}. De herstelsleutel blijft geldig.")
    return 0


def _server_recover(args: argparse.Namespace, address: Any, user: str, recovery_key: str) -> int:
    """`recover` on a team server: the person signs in this once with a temporary password
    that the server's operator gave their role ($PGPASSWORD)."""
    from wijkteam_tui.store import server
    from wijkteam_tui.store.audit import Event, record

    temporary = os.environ.get("PGPASSWORD")
    if not temporary:
        raise UsageError(
            f"Op een teamserver kan {user} met een vergeten wachtwoord niet inloggen: vraag de"
            " beheerder van de server om een tijdelijk wachtwoord voor uw databaserol en zet"
            " het in $PGPASSWORD. Er is niets gewijzigd."
        )
    passphrase = new_passphrase(args, file_attr="new_passphrase_file", env=NEW_PASSPHRASE_ENV)
    server.recover(address, user, recovery_key, passphrase, server_password=temporary)
    register = server.open_server_register(address, user, passphrase)
    try:
        record(
            register, Event("user", "users", user, detail="nieuw wachtwoord met de herstelsleutel")
        )
    finally:
        register.close()
    print(f"Nieuw wachtwoord ingesteld voor {user}. De herstelsleutel blijft geldig.")
    print("Het tijdelijke wachtwoord van de beheerder opent niets meer.", file=sys.stderr)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.address import ServerAddress
    from wijkteam_tui.store.backup import write_backup

    if isinstance(where(args), ServerAddress):
        return _server_backup(args)
    with _opened(args) as register:
        info = write_backup(register, Path(args.output))
    print(f"Back-up geschreven: {info.path} ({info.size / 1024:.0f} kB, versleuteld).")
    return 0


def _server_backup(args: argparse.Namespace) -> int:
    """`backup` of a team server's register (teamleider): a copy in a new encrypted register
    file here, with its key slots, that `db copy --to` puts back in an empty database."""
    from wijkteam_tui.store import crypto
    from wijkteam_tui.store.audit import Event, record
    from wijkteam_tui.store.transfer import copy_register

    source, target = where(args), Path(args.output).expanduser()
    user, passphrase = user_name(args), current_passphrase(args)
    done = copy_register(source, user, passphrase, target)
    with _opened(args) as register:
        made = f"versleutelde back-up gemaakt als registerbestand ({done.events} gebeurtenissen)"
        record(register, Event("backup", "register", detail=made))
    keys = crypto.key_file_path(target)
    print(
        f"Back-up geschreven: {printable(str(target))} en {printable(str(keys))} (een"
        " versleuteld register met de sleutels van de server; dezelfde wachtwoorden openen het)."
    )
    print(
        "Terugzetten in een lege database op een server: wijkteam db copy --db"
        f" {printable(str(target))} --to postgresql://server/database (README)."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.backup import restore_backup

    path = db_path(args)
    user = user_name(args)
    passphrase = current_passphrase(args, f"Wachtwoord van {user} (in de back-up)")
    kept = restore_backup(Path(args.file).expanduser(), path, user, passphrase, force=args.force)
    print(f"Back-up teruggezet in {path}; het auditlog en het herstellog ernaast vermelden het.")
    if kept:
        print(f"Het vorige register is bewaard als {kept}.")
    return 0


# --- the team's figures for scripts ----------------------------------------------------------


def iso_date(text: str) -> date:
    """A --date argument: YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{printable(text)}' is geen datum; gebruik JJJJ-MM-DD, bijv. 2026-11-23"
        ) from None


def _report_day(args: argparse.Namespace, register: Register) -> date:
    """The day a report is about. On the real today, the daily sweep runs first, so that
    alerts are current and today's snapshot for the trend is written (a cron job keeps the
    trend complete on days nobody opens the screen)."""
    today = date.today()
    day: date = args.date or today
    if day == today:
        from wijkteam_tui.store.services import sweep_if_new_day

        sweep_if_new_day(register, today)
    return day


def cmd_overdue(args: argparse.Namespace) -> int:
    from wijkteam_tui.export.overdue import to_csv, to_json, to_table
    from wijkteam_tui.store.audit import listed, record
    from wijkteam_tui.store.queries import team_info
    from wijkteam_tui.store.team import overdue_items

    with _opened(args) as register:
        day = _report_day(args, register)
        items = overdue_items(register, day, args.medewerker)
        team = team_info(register).name
        what = f"lijst te late contactmomenten ({args.format})"
        record(register, *listed([(i.client_id, i.client_number) for i in items], what))
    if args.format == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(to_csv(items))
        sys.stdout.buffer.flush()
    elif args.format == "json":
        sys.stdout.write(to_json(items, day, team=team, medewerker=args.medewerker))
    else:
        sys.stdout.write(to_table(items, day, printable=printable))
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from wijkteam_tui.export.digest import digest_text
    from wijkteam_tui.store.queries import team_info
    from wijkteam_tui.store.team import digest_data

    with _opened(args) as register:
        day = _report_day(args, register)
        review, trend = digest_data(register, day)
        info = team_info(register)
        whole_team = register.user is not None and register.user.role is Role.TEAMLEIDER
    text = digest_text(
        review,
        {series.user_id: series for series in trend.per_user},
        trend.team if whole_team else None,
        team_name=info.name,
        wijk=info.wijk,
        today=day,
        whole_team=whole_team,
    )
    sys.stdout.write("\n".join(printable(line) for line in text.splitlines()) + "\n")
    return 0


def cmd_export_agreements(args: argparse.Namespace) -> int:
    from wijkteam_tui.export.files import READABLE_WARNING, export_agreements
    from wijkteam_tui.store.sharing import client_by_number

    if (args.client is None) == (args.medewerker is None):
        raise UsageError("Geef een cliëntnummer of --medewerker NAAM (niet allebei).")
    if args.check:
        return _check_agreements(args)
    if args.output is None:
        raise UsageError("Geef met -o BESTAND aan waar het bestand moet komen.")
    if args.medewerker is not None:
        return _export_clients_of(args)
    target = Path(args.output).expanduser()
    print(f"Let op: {printable(target)} {READABLE_WARNING}", file=sys.stderr)

    def tell(left_out: list[str]) -> None:
        for reason in left_out:
            print(f"Niet gedeeld: {printable(reason)}", file=sys.stderr)

    with _opened(args) as register:
        client_id = client_by_number(register, args.client)
        done = export_agreements(
            register,
            client_id,
            args.format,
            target,
            date.today(),
            force=args.force,
            before_writing=tell,
        )
    for note in done.shortened:
        print(printable(note), file=sys.stderr)
    print(
        f"Afspraken van {printable(done.client_name)}, versie {done.version}:"
        f" {printable(done.path)}"
    )
    return 0


def _check_agreements(args: argparse.Namespace) -> int:
    """`--check`: what an export would leave out, on stderr; nothing is written or recorded."""
    from wijkteam_tui.export.files import left_out
    from wijkteam_tui.store.sharing import client_by_number

    if args.client is None:
        raise UsageError("--check is voor één cliënt: geef een cliëntnummer.")
    with _opened(args) as register:
        reasons = left_out(register, client_by_number(register, args.client), date.today())
    for reason in reasons:
        print(f"Niet gedeeld: {printable(reason)}", file=sys.stderr)
    said = "hierboven staat wat er niet in zou staan" if reasons else "alles kan gedeeld worden"
    print(f"Er is niets geschreven; {said}.")
    return 0


def cmd_export_client(args: argparse.Namespace) -> int:
    from wijkteam_tui.export.inzage import summary_path, write_inzage
    from wijkteam_tui.store.inzage import client_inzage
    from wijkteam_tui.store.sharing import client_by_number

    target = Path(args.output).expanduser()
    print(
        f"Let op: {printable(target)} en {printable(summary_path(target))} worden leesbare,"
        " onversleutelde documenten met alle gegevens van de cliënt (alleen voor u leesbaar:"
        " 0600). Geef ze alleen aan de cliënt die erom vroeg.",
        file=sys.stderr,
    )
    with _opened(args) as register:
        inzage = client_inzage(register, client_by_number(register, args.client))
        written = write_inzage(inzage, target, force=args.force)
    json_file, summary = (printable(path) for path in written)
    print(f"Inzage voor {printable(inzage.client_name)}: {json_file} en {summary}")
    return 0


def _export_clients_of(args: argparse.Namespace) -> int:
    """The shared agreements of every open client of one medewerker, a file each in one
    folder, with a progress bar on stderr."""
    from wijkteam_tui.export.files import READABLE_WARNING, export_clients, file_name
    from wijkteam_tui.store.sharing import clients_to_export

    folder = Path(args.output).expanduser()
    with _opened(args) as register:
        clients = clients_to_export(register, args.medewerker)
        if not clients:
            print(f"{printable(args.medewerker)} heeft geen open cliënten; er is niets gemaakt.")
            return 0
        example = printable(folder / file_name(clients[0].number, args.format))
        print(
            f"Let op: elk bestand (zoals {example}) {READABLE_WARNING}",
            file=sys.stderr,
        )
        done = export_clients(
            register,
            clients,
            args.format,
            folder,
            date.today(),
            force=args.force,
            progress=progress_bar(sys.stderr, "bestanden"),
        )
    if done.with_left_out:
        print(
            f"Bij {done.with_left_out} van de {done.written} cliënten is iemand of iets niet"
            " gedeeld (geen of verlopen toestemming, of niet gedeelde afspraken); 'wijkteam"
            " export agreements NUMMER' zegt per cliënt wat.",
            file=sys.stderr,
        )
    print(f"{done.written} bestanden in {printable(done.folder)}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.audit import verify

    with _opened(args) as register:
        verdict = verify(register)
    if verdict.ok:
        print(
            f"Auditlog: in orde ({verdict.events} gebeurtenissen; keten en sleutelbestand kloppen)"
        )
        return 0
    print(f"Auditlog: BREUK bij volgnummer {verdict.broken_at}: {verdict.reason}.")
    print(
        f"De {verdict.events} gebeurtenissen daarvoor kloppen. Er is niets gewijzigd.",
        file=sys.stderr,
    )
    return 1


def cmd_audit_show(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.audit import events

    with _opened(args) as register:
        shown = events(
            register,
            client_number=args.client,
            user_name=args.about_user,
            since=args.since,
            limit=args.last,
        )
    header = f"{'Nr':>7}  {'Tijd (UTC)':<16}  {'Gebruiker':<20} Code {'Wat':<26} {'Cliënt':<8}"
    print(f"{header} Details")
    for e in shown:
        who = f"{e.user_name} ({e.role})" if e.role else e.user_name
        outcome = "" if e.outcome == "ok" else f"[{e.outcome}] "
        print(
            printable(
                f"{e.seq:>7}  {e.at:%Y-%m-%d %H:%M}  {who:<20.20} {e.code:^4} {e.what:<26.26}"
                f" {e.client_number:<8} {outcome}{e.detail}"
            )
        )
    print(f"{len(shown)} gebeurtenissen", file=sys.stderr)
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.erasure import erase_client, erasure_facts
    from wijkteam_tui.store.sharing import client_by_number

    with _opened(args) as register:
        client_id = client_by_number(register, args.client)
        facts = erasure_facts(register, client_id, date.today())
        print(
            f"Wissen: {printable(facts.name)} ({facts.number}) met {facts.members} netwerkleden,"
            f" {facts.contact_moments} contactmomenten en alles wat erbij hoort. Dit kan niet"
            " ongedaan worden gemaakt.",
            file=sys.stderr,
        )
        if facts.kept_because:
            print(f"Let op: {facts.kept_because}", file=sys.stderr)
        confirm = args.confirm if args.confirm is not None else _ask_confirmation()
        done = erase_client(
            register,
            client_id,
            confirm_number=confirm,
            reason=args.reason,
            override=args.override or "",
            today=date.today(),
        )
    print(f"Cliënt {done.number} is gewist ({done.seconds:.2f} s).")
    if done.exports:
        print(
            "Buiten het register staan nog bestanden over deze cliënt die eerder zijn"
            " gemaakt; zoek en vernietig ze zelf:"
        )
        for made in done.exports:
            print(f"  {printable(made)}")
    for copy in done.copies:
        print(f"Ook gewist in de kopie {printable(copy)}.")
    for copy in done.copies_not_cleaned:
        print(f"Let op: de kopie {printable(copy)} heeft een andere sleutel; verwijder die zelf.")
    if not done.log_emptied:
        print(
            "Let op: een ander venster leest het register nog; de oude gegevens verdwijnen uit"
            " het logbestand zodra dat is gesloten ('wijkteam db check' meldt het tot dan).",
            file=sys.stderr,
        )
    return 0


def _ask_confirmation() -> str:
    if not sys.stdin.isatty():
        raise UsageError("Bevestig met --confirm CLIËNTNUMMER (er is geen terminal om te vragen).")
    return input("Typ het cliëntnummer ter bevestiging: ")


def cmd_retention_list(args: argparse.Namespace) -> int:
    from wijkteam_tui.domain.dates import format_date
    from wijkteam_tui.store.erasure import past_retention

    with _opened(args) as register:
        past = past_retention(register, date.today())
    if not past:
        print("Geen dossiers voorbij hun bewaartermijn.")
        return 0
    print(f"{len(past)} dossiers voorbij hun bewaartermijn (vernietigen met 'wijkteam erase'):")
    for item in past:
        closed = format_date(item.closed_on) if item.closed_on else "—"
        print(
            printable(
                f"  {item.number:<8} {item.name:<28.28} {item.regime:<24.24} gesloten {closed},"
                f" bewaren t/m {format_date(item.retention_until)}"
            )
        )
    return 0


def cmd_retention_extend(args: argparse.Namespace) -> int:
    from wijkteam_tui.domain.dates import format_date
    from wijkteam_tui.store.erasure import extend_retention
    from wijkteam_tui.store.sharing import client_by_number

    with _opened(args) as register:
        client_id = client_by_number(register, args.client)
        extend_retention(register, client_id, args.until, args.reason, date.today())
    print(f"Dossier {args.client} wordt bewaard tot en met {format_date(args.until)}.")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    """Check the register by reading only: nothing is written, migrated or repaired."""
    from wijkteam_tui.store.address import ServerAddress
    from wijkteam_tui.store.check import check_register

    found = where(args)
    if isinstance(found, ServerAddress):
        from wijkteam_tui.store.server_check import check_server_register

        report = check_server_register(found, user_name(args), current_passphrase(args))
    else:
        report = check_register(
            _require_register(db_path(args)), user_name(args), current_passphrase(args)
        )
    print(f"Register: {printable(str(report.path))}")
    if report.revision:
        print(f"Structuurversie: {report.revision} (nieuwste: {report.head})")
    for warning in report.warnings:
        print(f"Let op: {printable(warning)}")
    for problem in report.problems:
        print(f"FOUT: {printable(problem)}")
    if report.problems:
        count = len(report.problems)
        problems = f"{count} {'probleem' if count == 1 else 'problemen'}"
        remedy = (
            "Vraag de beheerder van de server; 'wijkteam db keys' zet eerdere sleutels terug."
            if isinstance(found, ServerAddress)
            else "Zet een back-up terug met 'wijkteam restore --force' (het huidige register"
            " wordt eerst bewaard)."
        )
        print(f"{problems} gevonden. Er is niets gewijzigd. {remedy}", file=sys.stderr)
        return 1
    if isinstance(found, ServerAddress):
        print("Controle: in orde (sleutels, structuur, rechten op de server, auditlog).")
    else:
        print(
            "Controle: in orde (elke pagina, integrity_check, foreign_key_check, sleutelbestand"
            " en reservekopie)."
        )
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from wijkteam_tui.store import crypto
    from wijkteam_tui.store.address import ServerAddress

    found = where(args)
    if isinstance(found, ServerAddress):
        # The structure on a server is its owner's: the operator's set-up role brings it up
        # to date, with a one-time password in $PGPASSWORD (README).
        from wijkteam_tui.store.server import upgrade

        done = upgrade(found, os.environ.get("PGPASSWORD") or None)
        if done is None:
            print("Het register is al bijgewerkt; er was niets te doen.")
        else:
            print(f"Register bijgewerkt van versie {done.from_revision} naar {done.to_revision}.")
        return 0
    path = _require_register(db_path(args))
    if crypto.is_legacy_key_file(path):
        _upgrade_key_file(path, user_name(args), current_passphrase(args))
    with _opened(args) as register:
        report = register.migration
    if report is None:
        print("Het register is al bijgewerkt; er was niets te doen.")
    else:
        print(f"Register bijgewerkt van versie {report.from_revision} naar {report.to_revision}.")
        if report.backup_path:
            print(f"Reservekopie van daarvoor: {report.backup_path}")
    return 0


def cmd_db_copy(args: argparse.Namespace) -> int:
    from wijkteam_tui.store.address import location
    from wijkteam_tui.store.transfer import copy_register

    source = where(args)
    if isinstance(source, Path):
        source = _require_register(source)
    target = location(args.to)
    done = copy_register(
        source,
        user_name(args),
        current_passphrase(args),
        target,
        server_password=os.environ.get("PGPASSWORD") or None,
    )
    print(f"Register gekopieerd naar {printable(done.target)} in {done.seconds:.1f} s.")
    width = max(len(name) for name in done.counts)
    for name, count in done.counts.items():
        print(f"  {name:<{width}}  {count:>9}  gelijk")
    print(f"Auditlog: {done.events} gebeurtenissen, de keten klopt. De bron is niet gewijzigd.")
    if done.closed_logins:
        print(
            f"Op de server kunnen {', '.join(done.closed_logins)} pas inloggen na een eenmalig"
            " wachtwoord: 'wijkteam user reset NAAM --db …' (hun wachtwoord is hier niet"
            " bekend).",
            file=sys.stderr,
        )
    return 0


def _upgrade_key_file(path: Path, user: str, passphrase: str) -> None:
    """Convert a key file of version 1 (see store/rekey.py) and hand out what it makes."""
    from wijkteam_tui.store.rekey import upgrade_legacy

    done = upgrade_legacy(path, user, passphrase)
    print("Sleutelbestand omgezet naar versie 2: rollen zijn nu ondertekend en de")
    print("databasesleutel is vernieuwd. Oude kopieën van het sleutelbestand openen niets meer.")
    print()
    print("NIEUWE HERSTELSLEUTEL (de oude vervalt; schrijf hem op en bewaar hem veilig):")
    print(f"    {done.recovery_key}")
    for name, one_time in done.one_time.items():
        print(f"Eenmalig wachtwoord voor {name}: {one_time}")
    if done.one_time:
        print(
            "Geef elk eenmalig wachtwoord persoonlijk door; bij de volgende keer kiest ieder een"
            " eigen wachtwoord ('wijkteam passwd').",
            file=sys.stderr,
        )


WAITING = "Wacht op een collega die het register bijwerkt…"
DEMO_USER = "demo"
DEMO_PASSPHRASE = "demo"
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
    from wijkteam_tui.store.engine import open_register
    from wijkteam_tui.store.services import sweep_if_new_day

    path = Path(args.db).expanduser() if getattr(args, "db", None) else default_demo_path()
    today = date.today()
    if args.clients is not None and not 1 <= args.clients <= DEMO_MAX_CLIENTS:
        raise UsageError(f"--clients moet tussen 1 en {DEMO_MAX_CLIENTS} liggen.")
    if path.exists():
        from wijkteam_tui.store import crypto

        if crypto.is_legacy_key_file(path):
            from wijkteam_tui.store.rekey import upgrade_legacy

            upgrade_legacy(path, DEMO_USER, DEMO_PASSPHRASE)
            print("Demoregister omgezet naar sleutelbestand versie 2.", file=sys.stderr)
        register = open_register(path, DEMO_USER, DEMO_PASSPHRASE)
        if args.clients is not None:
            print(f"Er staat al een demoregister op {path}; --clients wordt genegeerd.")
    else:
        register = _build_demo(path, args.clients or DEMO_CLIENTS, today)
    try:
        # The daily sweep, as whenever a register is opened to show lists.
        sweep_if_new_day(register, today)
        if args.no_tui:
            print(vandaag_text(register, today))
    except BaseException:
        register.close()
        raise
    if args.no_tui:
        register.close()
        print(f"DEMO — fictieve gegevens. Register: {path} (gebruiker demo, wachtwoord demo).")
        return 0
    return run_tui(path, register=register)


def _build_demo(path: Path, clients: int, today: date) -> Register:
    """Build the demo register in a folder of its own beside `path` and move it in place only
    when it is complete (the database last), so that a build that is stopped, however it is
    stopped, leaves nothing that opens as a register."""
    import shutil
    import tempfile

    from wijkteam_tui.store import crypto
    from wijkteam_tui.store.engine import create_register, open_register
    from wijkteam_tui.store.files import private_folder
    from wijkteam_tui.store.generator import generate

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
        for name in (crypto.backup_key_file_path, crypto.key_file_path, lambda p: p):
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
    from wijkteam_tui.store import crypto
    from wijkteam_tui.store.journal import remove_abandoned

    remove_abandoned(path.parent, DEMO_STAGING)
    keys = [crypto.key_file_path(path), crypto.backup_key_file_path(path)]
    if path.exists() or not any(key.exists() for key in keys):
        return
    try:
        crypto.unlock(path, DEMO_USER, DEMO_PASSPHRASE, repair=False).forget()
    except WijkteamError:
        return  # not the demo's: create_register will refuse and name the file
    for key in keys:
        key.unlink(missing_ok=True)


def run_tui(path: Location, *, register: Register | None = None, user: str = "") -> int:
    """Open the terminal screens on the register at `path` (already open for the demo)."""
    from wijkteam_tui.app import WijkteamApp

    app = WijkteamApp(path, register=register, user_hint=user)
    try:
        app.run()
    finally:
        if app.register is not None:
            app.register.close()
    return 0


def cmd_tui(args: argparse.Namespace) -> int:
    path = where(args)
    user = getattr(args, "user", None) or os.environ.get(USER_ENV, "")
    if isinstance(path, Path) and not path.exists():
        from wijkteam_tui.store.files import private_folder

        private_folder(path.parent)
    return run_tui(path, user=user)


def vandaag_text(register: Register, today: date) -> str:
    """The logged-in user's Vandaag as plain text (the terminal screen follows in the TUI)."""
    from wijkteam_tui.domain.dates import format_date
    from wijkteam_tui.store.queries import today_list

    if register.user is None:
        return "Vandaag: geen ingelogde gebruiker."
    day = today_list(register, register.user.id, today)
    lines = [f"Vandaag, {format_date(today)} — {register.user.name}", ""]
    lines.append(f"Te laat ({len(day.overdue)}):")
    for item in day.overdue[:10]:
        lines.append(
            f"  {item.days_overdue:>4} dg  {item.client_number}  {item.client_name:<28.28}"
            f"  {item.channel.label:<11} {item.who}"
        )
    lines.append(f"Deze week ({len(day.due_soon)}):")
    for item in day.due_soon[:10]:
        # Past the date but within the grace days: not yet te laat, but never a bare past date.
        late = (today - item.next_due).days
        when = f"{late} dg over tijd" if late > 0 else format_date(item.next_due)
        lines.append(f"  {when:<16} {item.client_number}  {item.client_name:<28.28}  {item.who}")
    lines.append(f"Aandachtspunten ({len(day.alerts)}):")
    for alert in day.alerts[:10]:
        lines.append(f"  {alert.client_number}  {alert.client_name:<28.28}  {alert.reason}")
    lines.append(f"Uit beeld ({len(day.out_of_view)}):")
    for client in day.out_of_view[:10]:
        lines.append(
            f"  {client.client_number}  {client.client_name:<28.28}"
            f"  {client.days_without_contact} dagen geen contact"
        )
    lines.append(f"Buiten kantoortijd: {day.out_of_hours_contact or '(niet ingesteld)'}")
    return "\n".join(lines)


def _require_register(path: Path) -> Path:
    if not path.exists():
        raise WijkteamError(
            f"Geen register gevonden op {path}. Maak er een met 'wijkteam init' of geef --db op."
        )
    return path


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[Register]:
    """Open the register for a command and close it afterwards."""
    from wijkteam_tui.store.engine import open_register

    found = where(args)
    if isinstance(found, Path):
        found = _require_register(found)
    accept_older = getattr(args, "accept_older", False)
    try:
        register = open_register(
            found, user_name(args), current_passphrase(args), accept_older=accept_older
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


# --- parser ------------------------------------------------------------------------------------


def _add_user_commands(
    commands: Any, common: argparse.ArgumentParser, new_secret: argparse.ArgumentParser
) -> None:
    """`user add|list|deactivate|reset`: the teamleider's management of who has access."""
    user = commands.add_parser("user", help="gebruikers beheren", description="gebruikers beheren")
    user_commands = user.add_subparsers(dest="user_command", metavar="OPDRACHT", required=True)
    user_add = user_commands.add_parser(
        "add",
        help="gebruiker toevoegen (door een teamleider)",
        description="gebruiker toevoegen; --user is de teamleider die dat doet",
        parents=[common, new_secret],
    )
    user_add.add_argument("name", metavar="NAAM", help="naam van de nieuwe gebruiker")
    user_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    user_add.add_argument(
        "--display-name", default="", metavar="TEKST", help="volledige naam, zoals getoond"
    )
    user_add.add_argument(
        "--phone",
        default="",
        metavar="NUMMER",
        help="telefoonnummer, in de gedeelde afspraken van de eigen cliënten",
    )
    user_add.add_argument(
        "--one-time",
        action="store_true",
        help="een eenmalig wachtwoord geven (getoond; de gebruiker kiest bij de eerste keer"
        " een eigen) in plaats van er een te typen",
    )
    user_add.set_defaults(handler=cmd_user_add)
    user_list = user_commands.add_parser(
        "list",
        help="gebruikers tonen (teamleider)",
        description="alle gebruikers: rol, of ze kunnen inloggen, open cliënten, laatst ingelogd",
        parents=[common],
    )
    user_list.set_defaults(handler=cmd_user_list)
    phone = user_commands.add_parser(
        "phone",
        help="eigen telefoonnummer tonen of wijzigen (een teamleider ook dat van een ander)",
        description="het telefoonnummer dat de gedeelde afspraken van uw cliënten noemen;"
        " zonder NUMMER getoond, met '' verwijderd (dan noemen ze het kantoornummer)",
        parents=[common],
    )
    phone.add_argument("phone", metavar="NUMMER", nargs="?", default=None)
    phone.add_argument(
        "--of", dest="name", metavar="NAAM", default="", help="van deze gebruiker (teamleider)"
    )
    phone.set_defaults(handler=cmd_user_phone)
    deactivate = user_commands.add_parser(
        "deactivate",
        help="gebruiker uitschakelen (teamleider)",
        description="de toegang van een gebruiker verwijderen; de geschiedenis blijft",
        parents=[common],
    )
    deactivate.add_argument("name", metavar="NAAM")
    deactivate.set_defaults(handler=cmd_user_deactivate)
    reset = user_commands.add_parser(
        "reset",
        help="eenmalig wachtwoord geven (teamleider)",
        description="een gebruiker een eenmalig wachtwoord geven dat bij de volgende keer"
        " vervangen moet worden (het oude werkt dan niet meer)",
        parents=[common],
    )
    reset.add_argument("name", metavar="NAAM")
    reset.set_defaults(handler=cmd_user_reset)


def _add_team_and_export_commands(add: Any, commands: Any, common: argparse.ArgumentParser) -> None:
    """`overdue`, `digest` and `export`: what leaves the register for scripts and people."""
    overdue = add(
        "overdue",
        "te late contactmomenten (van het team of van één medewerker)",
        cmd_overdue,
        parents=[common],
    )
    overdue.add_argument("--format", choices=["table", "csv", "json"], default="table")
    overdue.add_argument(
        "--medewerker",
        metavar="NAAM",
        help="alleen de cliënten van deze medewerker (gebruikersnaam); een medewerker ziet"
        " alleen de eigen lijst",
    )
    overdue.add_argument(
        "--date", type=iso_date, metavar="JJJJ-MM-DD", help="te laat op deze dag (anders vandaag)"
    )
    digest = add(
        "digest",
        "weekoverzicht per medewerker in cijfers, zonder namen (voor een mail uit cron)",
        cmd_digest,
        parents=[common],
    )
    digest.add_argument(
        "--date",
        type=iso_date,
        metavar="JJJJ-MM-DD",
        help="laatste dag van de week (anders vandaag)",
    )

    export = commands.add_parser(
        "export", help="gegevens naar een bestand", description="gegevens naar een bestand"
    )
    export_commands = export.add_subparsers(
        dest="export_command", metavar="OPDRACHT", required=True
    )
    agreements = export_commands.add_parser(
        "agreements",
        help="de gedeelde afspraken van een cliënt, voor de cliënt en het netwerk",
        description="de gedeelde afspraken van een cliënt (alleen netwerkleden met toestemming)",
        parents=[common],
    )
    agreements.add_argument("client", metavar="CLIËNTNUMMER", nargs="?")
    agreements.add_argument(
        "--medewerker",
        metavar="NAAM",
        help="in plaats van één cliënt: alle open cliënten van deze medewerker, een bestand per"
        " cliënt in de map van -o (een medewerker: alleen de eigen cliënten)",
    )
    agreements.add_argument(
        "--format",
        choices=["md", "pdf", "kaart", "ics"],
        default="md",
        help="md: leesbaar document; pdf: om te printen (A4); kaart: crisiskaart (A7, PDF) voor"
        " in de portemonnee; ics: agenda (iCalendar) met een terugkerende afspraak per gedeelde"
        " afspraak",
    )
    agreements.add_argument(
        "-o",
        "--output",
        metavar="BESTAND",
        help="het bestand (met --medewerker: de map); verplicht, behalve met --check",
    )
    agreements.add_argument(
        "--check",
        action="store_true",
        help="alleen laten zien wat niet gedeeld wordt en waarom; er wordt niets geschreven",
    )
    agreements.add_argument(
        "--force", action="store_true", help="een bestaand bestand (of bestanden) vervangen"
    )
    agreements.set_defaults(handler=cmd_export_agreements)
    inzage = export_commands.add_parser(
        "client",
        help="inzage (AVG art. 15): alles over een cliënt, met wie het inzag (teamleider)",
        description="inzage (AVG art. 15): alles wat het register over een cliënt bewaart, als"
        " JSON, en een leesbare samenvatting (.md ernaast) met wie het dossier inzag of wijzigde",
        parents=[common],
    )
    inzage.add_argument("client", metavar="CLIËNTNUMMER")
    inzage.add_argument(
        "-o", "--output", required=True, metavar="BESTAND", help="het JSON-bestand (.json)"
    )
    inzage.add_argument("--force", action="store_true", help="bestaande bestanden vervangen")
    inzage.set_defaults(handler=cmd_export_client)


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PAD|URL",
        help=f"register: een bestand, of postgresql://server/database (anders ${DB_ENV})",
    )
    common.add_argument(
        "--user", default=argparse.SUPPRESS, metavar="NAAM", help=f"gebruiker (anders ${USER_ENV})"
    )
    common.add_argument(
        "--passphrase-file",
        default=argparse.SUPPRESS,
        metavar="BESTAND",
        help=f"lees het wachtwoord uit BESTAND (anders ${PASSPHRASE_ENV} of een vraag)",
    )
    common.add_argument(
        "--accept-older",
        action="store_true",
        default=argparse.SUPPRESS,
        help="een register openen dat ouder is dan u het eerder zag (alleen als u weet"
        " waarom, bijv. een teamleider zette een back-up terug)",
    )
    new_secret = _Parser(add_help=False)
    new_secret.add_argument(
        "--new-passphrase-file",
        metavar="BESTAND",
        help=f"lees het nieuwe wachtwoord uit BESTAND (anders ${NEW_PASSPHRASE_ENV} of vragen)",
    )

    parser = _Parser(
        prog="wijkteam",
        description="Wijkteam-register: houdt bewoners duurzaam in beeld (versleuteld)."
        " Zonder opdracht opent het scherm.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"wijkteam {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=_Parser)

    def add(name: str, helptext: str, handler: Callable[[argparse.Namespace], int], **kw):  # type: ignore[no-untyped-def]
        sub = commands.add_parser(name, help=helptext, description=helptext, **kw)
        sub.set_defaults(handler=handler)
        return sub

    demo = add(
        "demo",
        "demoregister met fictieve gegevens bouwen (als het er niet is) en openen",
        cmd_demo,
        parents=[common],
    )
    demo.add_argument("--clients", type=int, metavar="N", help=f"aantal cliënten ({DEMO_CLIENTS})")
    demo.add_argument(
        "--no-tui", action="store_true", help="geen scherm openen; Vandaag als tekst tonen"
    )

    init = add(
        "init", "nieuw register; de eerste gebruiker is teamleider", cmd_init, parents=[common]
    )
    init.add_argument("--name", metavar="TEKST", help="naam van het team")
    init.add_argument(
        "--group",
        metavar="GROEP",
        help="het register delen met deze Unix-groep (een team op één computer): map 2770,"
        " bestanden 0660; zonder --group blijft het van u alleen (0700/0600)",
    )

    _add_user_commands(commands, common, new_secret)

    add("passwd", "eigen wachtwoord wijzigen", cmd_passwd, parents=[common, new_secret])
    recover = add(
        "recover",
        "nieuw wachtwoord instellen met de herstelsleutel",
        cmd_recover,
        parents=[common, new_secret],
    )
    recover.add_argument(
        "--recovery-key-file",
        metavar="BESTAND",
        help=f"lees de herstelsleutel uit BESTAND (anders ${RECOVERY_KEY_ENV} of een vraag)",
    )

    _add_team_and_export_commands(add, commands, common)

    backup = add("backup", "versleutelde back-up maken", cmd_backup, parents=[common])
    backup.add_argument("-o", "--output", required=True, metavar="BESTAND")
    restore = add("restore", "back-up terugzetten", cmd_restore, parents=[common])
    restore.add_argument("file", metavar="BESTAND")
    restore.add_argument(
        "--force", action="store_true", help="vervang een bestaand register (dat wordt bewaard)"
    )

    db = commands.add_parser("db", help="onderhoud van het register", description="onderhoud")
    db_commands = db.add_subparsers(dest="db_command", metavar="OPDRACHT", required=True)
    check = db_commands.add_parser(
        "check", help="register controleren", description="register controleren", parents=[common]
    )
    check.set_defaults(handler=cmd_db_check)
    upgrade = db_commands.add_parser(
        "upgrade",
        help="structuur van het register bijwerken",
        description="structuur van het register bijwerken (hier met reservekopie vooraf; op"
        " een teamserver door de beheerder, met het eenmalige wachtwoord in $PGPASSWORD)",
        parents=[common],
    )
    upgrade.set_defaults(handler=cmd_db_upgrade)
    keys = db_commands.add_parser(
        "keys",
        help="eerdere versies van de sleutels op een teamserver (teamleider)",
        description="de versies van de sleutels op een teamserver tonen, of een eerdere"
        " terugzetten als de huidige beschadigd of verkeerd is",
        parents=[common],
    )
    keys.add_argument("--restore", type=int, metavar="VERSIE", help="deze versie terugzetten")
    keys.set_defaults(handler=cmd_db_keys)
    rekey = db_commands.add_parser(
        "rekey",
        help="databasesleutel vernieuwen (teamleider)",
        description="het register opnieuw versleutelen met een nieuwe sleutel; nodig na het"
        " uitschakelen van een gebruiker terwijl het register nog open was",
        parents=[common],
    )
    rekey.set_defaults(handler=cmd_db_rekey)
    copy = db_commands.add_parser(
        "copy",
        help="register kopiëren naar een teamserver of terug (teamleider)",
        description="het register (--db) kopiëren naar een lege database op een teamserver, of"
        " van een teamserver naar een nieuw bestand hier; de bron blijft zoals hij was",
        parents=[common],
    )
    copy.add_argument("--to", required=True, metavar="URL|PAD", help="waarheen")
    copy.set_defaults(handler=cmd_db_copy)
    _add_audit_commands(commands, common)
    _add_erasure_commands(add, commands, common)
    return parser


def _add_erasure_commands(add: Any, commands: Any, common: argparse.ArgumentParser) -> None:
    erase = add(
        "erase",
        "een cliënt wissen (AVG art. 17; teamleider): alles, voorgoed",
        cmd_erase,
        parents=[common],
    )
    erase.add_argument("client", metavar="CLIËNTNUMMER")
    erase.add_argument("--reason", required=True, metavar="TEKST", help="waarom (geen namen)")
    erase.add_argument(
        "--override",
        metavar="TEKST",
        help="waarom het toch moet terwijl de wettelijke bewaartermijn nog loopt (art. 17 lid 3)",
    )
    erase.add_argument(
        "--confirm", metavar="CLIËNTNUMMER", help="het cliëntnummer nog eens (anders gevraagd)"
    )
    retention = commands.add_parser(
        "retention", help="bewaartermijnen", description="bewaartermijnen (teamleider)"
    )
    retention_commands = retention.add_subparsers(
        dest="retention_command", metavar="OPDRACHT", required=True
    )
    listing = retention_commands.add_parser(
        "list",
        help="dossiers voorbij hun bewaartermijn",
        description="gesloten dossiers voorbij hun bewaartermijn, oudste eerst",
        parents=[common],
    )
    listing.set_defaults(handler=cmd_retention_list)
    extend = retention_commands.add_parser(
        "extend",
        help="een dossier langer bewaren, met reden",
        description="een gesloten dossier langer bewaren dan de bewaartermijn, met reden",
        parents=[common],
    )
    extend.add_argument("client", metavar="CLIËNTNUMMER")
    extend.add_argument("--until", required=True, type=iso_date, metavar="JJJJ-MM-DD")
    extend.add_argument("--reason", required=True, metavar="TEKST", help="waarom (geen namen)")
    extend.set_defaults(handler=cmd_retention_extend)


def _add_audit_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    audit = commands.add_parser(
        "audit",
        help="het auditlog: wie deed wat, wanneer (teamleider)",
        description="het auditlog (NEN 7513): wie deed wat met wiens gegevens, wanneer",
    )
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="OPDRACHT", required=True)
    verify = audit_commands.add_parser(
        "verify",
        help="de keten van het auditlog controleren",
        description="controleer elke gebeurtenis tegen de keten en het sleutelbestand;"
        " exit 1 bij een breuk",
        parents=[common],
    )
    verify.set_defaults(handler=cmd_audit_verify)
    show = audit_commands.add_parser(
        "show",
        help="gebeurtenissen tonen",
        description="gebeurtenissen tonen, oudste eerst",
        parents=[common],
    )
    show.add_argument("--client", metavar="CLIËNTNUMMER", help="alleen over deze cliënt")
    show.add_argument(
        "--medewerker",
        dest="about_user",
        metavar="NAAM",
        help="alleen wat deze gebruiker deed (--user is wie het log bekijkt)",
    )
    show.add_argument(
        "--from", dest="since", type=iso_date, metavar="JJJJ-MM-DD", help="vanaf deze dag (UTC)"
    )
    show.add_argument(
        "--last", type=int, metavar="N", help="alleen de laatste N (na de andere filters)"
    )
    show.set_defaults(handler=cmd_audit_show)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    # Whatever the program creates is for this account only (a register holds special
    # categories of personal data); the store also sets each file's mode itself.
    os.umask(0o077)
    from wijkteam_tui.store.process import harden

    harden()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", cmd_tui)
        return int(handler(args))
    except WijkteamError as error:
        print(f"wijkteam: {printable(error.message)}", file=sys.stderr)
        return error.exit_code
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    except KeyboardInterrupt:
        print("wijkteam: afgebroken; er is niets half opgeslagen.", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: one line, the traceback only on request
        from wijkteam_tui.store.faults import from_os

        # ... unless a disk or a permission caused it: then say which.
        fault = from_os(error) if isinstance(error, OSError) else None
        if fault is not None:
            print(f"wijkteam: {printable(fault.message)}", file=sys.stderr)
            return fault.exit_code
        if os.environ.get("WIJKTEAM_DEBUG"):
            traceback.print_exc()
        print(
            f"wijkteam: onverwachte fout ({type(error).__name__}); er is niets half opgeslagen."
            " Zet WIJKTEAM_DEBUG=1 voor details.",
            file=sys.stderr,
        )
        return 1


def run() -> None:
    sys.exit(main())
