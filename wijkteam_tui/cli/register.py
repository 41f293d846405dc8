"""`init`, `backup`, `restore` and `db check|upgrade|copy|keys|rekey`: the register as a whole,
its keys and its copies."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wijkteam_tui.cli.prompts import (
    PASSPHRASE_ENV,
    credentials,
    current_passphrase,
    db_path,
    new_passphrase,
    opened,
    printable,
    require_register,
    server_password,
    user_name,
    where,
)
from wijkteam_tui.cli.users import renew_database_key, show_one_time
from wijkteam_tui.errors import RegisterError, UsageError

if TYPE_CHECKING:
    from wijkteam_tui.store.migrate import MigrationReport


def cmd_init(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.opening import create_register

    path = where(args)
    user = user_name(args)
    if not isinstance(path, Path) and args.group:
        raise UsageError("--group is voor een register op deze computer, niet op een teamserver.")
    if isinstance(path, Path):
        # Lazy: only a register on this computer needs it. Said before the passphrase is asked.
        from wijkteam_tui.store.files import check_can_make

        check_can_make(path.parent, args.group)
    passphrase = new_passphrase(
        args, file_attr="passphrase_file", env=PASSPHRASE_ENV, label="Wachtwoord"
    )
    shared: list[str] | None = None
    if isinstance(path, Path) and args.group:
        # Lazy: only a register shared with a group needs it.
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
        server_password=server_password(),
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


def cmd_db_rekey(args: argparse.Namespace) -> int:
    with opened(args) as register:
        pending = renew_database_key(register, "op verzoek van de teamleider")
    if pending:
        raise RegisterError(pending)
    print("De databasesleutel is vernieuwd; alle gebruikers openen het register als voorheen.")
    return 0


def cmd_db_keys(args: argparse.Namespace) -> int:
    """The versions of a team server's key slots, or one put back (teamleider)."""
    # Lazy: the store and psycopg load only for a register on a team server.
    from wijkteam_tui.store.address import ServerAddress
    from wijkteam_tui.store.audit.chain import Event
    from wijkteam_tui.store.audit.log import record
    from wijkteam_tui.store.server import key_history

    address = where(args)
    if not isinstance(address, ServerAddress):
        raise UsageError(
            "Eerdere versies van de sleutels houdt een teamserver bij; hier staat naast het"
            " sleutelbestand één reservekopie (.keys.bak), die wijkteam zelf gebruikt."
        )
    user, passphrase = credentials(args)
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
    with opened(args) as register:
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


def cmd_backup(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.address import ServerAddress
    from wijkteam_tui.store.copies.backup import write_backup

    if isinstance(where(args), ServerAddress):
        return _server_backup(args)
    with opened(args) as register:
        info = write_backup(register, Path(args.output))
    print(f"Back-up geschreven: {info.path} ({info.size / 1024:.0f} kB, versleuteld).")
    return 0


def _server_backup(args: argparse.Namespace) -> int:
    """`backup` of a team server's register (teamleider): a copy in a new encrypted register
    file here, with its key slots, that `db copy --to` puts back in an empty database."""
    # Lazy: the store and psycopg load only for a register on a team server.
    from wijkteam_tui.store.audit.chain import Event
    from wijkteam_tui.store.audit.log import record
    from wijkteam_tui.store.copies.transfer import copy_register
    from wijkteam_tui.store.keys.storage import key_file_path

    source, target = where(args), Path(args.output).expanduser()
    done = copy_register(source, *credentials(args), target)
    with opened(args) as register:
        made = f"versleutelde back-up gemaakt als registerbestand ({done.events} gebeurtenissen)"
        record(register, Event("backup", "register", detail=made))
    keys = key_file_path(target)
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
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.copies.backup import restore_backup

    path = db_path(args)
    user = user_name(args)
    passphrase = current_passphrase(args, f"Wachtwoord van {user} (in de back-up)")
    kept = restore_backup(Path(args.file).expanduser(), path, user, passphrase, force=args.force)
    print(f"Back-up teruggezet in {path}; het auditlog en het herstellog ernaast vermelden het.")
    if kept:
        print(f"Het vorige register is bewaard als {kept}.")
    return 0


def cmd_db_check(args: argparse.Namespace) -> int:
    """Check the register by reading only: nothing is written, migrated or repaired."""
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.address import ServerAddress
    from wijkteam_tui.store.sqlite.check import check_register

    found = where(args)
    if isinstance(found, ServerAddress):
        # Lazy: psycopg loads only for a register on a team server.
        from wijkteam_tui.store.server.check import check_server_register

        report = check_server_register(found, *credentials(args))
    else:
        report = check_register(require_register(db_path(args)), *credentials(args))
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
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.address import ServerAddress
    from wijkteam_tui.store.keys.storage import is_legacy_key_file

    found = where(args)
    if isinstance(found, ServerAddress):
        # The structure on a server is its owner's: the operator's set-up role brings it up
        # to date, with a one-time password in $PGPASSWORD (README).
        # Lazy: psycopg loads only for a register on a team server.
        from wijkteam_tui.store.server.setup import upgrade

        _tell_upgraded(upgrade(found, server_password()))
        return 0
    path = require_register(db_path(args))
    if is_legacy_key_file(path):
        _upgrade_key_file(path, *credentials(args))
    with opened(args) as register:
        report = register.migration
    _tell_upgraded(report)
    if report is not None and report.backup_path:
        print(f"Reservekopie van daarvoor: {report.backup_path}")
    return 0


def _tell_upgraded(report: MigrationReport | None) -> None:
    if report is None:
        print("Het register is al bijgewerkt; er was niets te doen.")
    else:
        print(f"Register bijgewerkt van versie {report.from_revision} naar {report.to_revision}.")


def cmd_db_copy(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher, psycopg) loads only for the command that runs.
    from wijkteam_tui.store.address import location
    from wijkteam_tui.store.copies.transfer import copy_register

    source = where(args)
    if isinstance(source, Path):
        source = require_register(source)
    target = location(args.to)
    done = copy_register(source, *credentials(args), target, server_password=server_password())
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
    """Convert a key file of version 1 (see store/keys/rekey.py) and hand out what it makes."""
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.keys.rekey import upgrade_legacy

    done = upgrade_legacy(path, user, passphrase)
    print("Sleutelbestand omgezet naar versie 2: rollen zijn nu ondertekend en de")
    print("databasesleutel is vernieuwd. Oude kopieën van het sleutelbestand openen niets meer.")
    print()
    print("NIEUWE HERSTELSLEUTEL (de oude vervalt; schrijf hem op en bewaar hem veilig):")
    print(f"    {done.recovery_key}")
    for name, one_time in done.one_time.items():
        show_one_time(name, one_time)
    if done.one_time:
        print(
            "Geef elk eenmalig wachtwoord persoonlijk door; bij de volgende keer kiest ieder een"
            " eigen wachtwoord ('wijkteam passwd').",
            file=sys.stderr,
        )
