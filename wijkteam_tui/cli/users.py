"""`user add|phone|list|deactivate|reset`, `passwd` and `recover`: who has access, and their
passphrases."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkteam_tui.cli.prompts import (
    current_passphrase,
    db_path,
    new_passphrase,
    opened,
    printable,
    recovery_key,
    require_register,
    server_password,
    user_name,
    where,
)
from wijkteam_tui.domain.accounts import validate_user_name
from wijkteam_tui.domain.fields import FieldError, clean_phone
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import UsageError, WijkteamError

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register

#: What the audit log says of a passphrase changed by its owner, and of one set with the
#: recovery key.
PASSPHRASE_CHANGED = "wachtwoord gewijzigd"
PASSPHRASE_RECOVERED = "nieuw wachtwoord met de herstelsleutel"


def cmd_user_add(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.users import REFUSAL, add_user, can_log_in

    validate_user_name(args.name)
    role = Role(args.role)
    try:
        # Before the passphrase is asked, so a mistyped number costs nothing to type again.
        clean_phone(args.phone)
    except FieldError as error:
        raise UsageError(str(error)) from None
    with opened(args) as register:
        register.require_teamleider(REFUSAL)
        if can_log_in(register, args.name):
            raise UsageError(f"Gebruiker '{args.name}' bestaat al.")
        passphrase = None
        if not args.one_time:
            passphrase = new_passphrase(args, label=f"Wachtwoord voor {args.name}")
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


def add_contact_commands(user_commands: Any, common: argparse.ArgumentParser) -> None:
    """`user phone` and `user email`: how a colleague is reached."""
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
    email = user_commands.add_parser(
        "email",
        help="eigen e-mailadres tonen of wijzigen (een teamleider ook dat van een ander)",
        description="waar 'wijkteam digest --mail' het weekoverzicht heen stuurt; zonder ADRES"
        " getoond, met '' verwijderd",
        parents=[common],
    )
    email.add_argument("address", metavar="ADRES", nargs="?", default=None)
    email.add_argument(
        "--of", dest="name", metavar="NAAM", default="", help="van deze gebruiker (teamleider)"
    )
    email.set_defaults(handler=cmd_user_email)


def cmd_user_phone(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.users import set_phone, user_phone

    with opened(args) as register:
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


def cmd_user_email(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.users import set_email, user_email

    with opened(args) as register:
        assert register.user is not None
        name = args.name or register.user.name
        if args.address is None:
            address = user_email(register, name)
            print(
                address or f"{name} heeft geen e-mailadres; het weekoverzicht gaat niet per mail."
            )
            return 0
        address = set_email(register, name, args.address)
    if address:
        print(f"E-mailadres van {name}: {printable(address)}.")
    else:
        print(f"E-mailadres van {name} verwijderd; het weekoverzicht gaat niet meer per mail.")
    return 0


def show_one_time(name: str, passphrase: str) -> None:
    print(f"Eenmalig wachtwoord voor {name}: {passphrase}")


def _tell_one_time(name: str, passphrase: str) -> None:
    show_one_time(name, passphrase)
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
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.keys.unlock import unlocked_with_key
    from wijkteam_tui.store.opening import open_unlocked

    key = bytes(unlocked.db_key)
    register = open_unlocked(path, unlocked_with_key(path, key, user))
    try:
        register.saw_key_generation(change())
        log(register)
    finally:
        register.close()


def cmd_user_reset(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.users import reset_passphrase

    with opened(args) as register:
        passphrase = reset_passphrase(register, args.name)
    _tell_one_time(args.name, passphrase)
    return 0


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.users import deactivate_user

    with opened(args) as register:
        deactivate_user(register, args.name)
        pending = renew_database_key(register, f"na het uitschakelen van {args.name}")
    print(
        f"{args.name} is uitgeschakeld: de toegang is verwijderd, de geschiedenis blijft. Draag"
        " de cliënten over op het Team-scherm (o)."
    )
    if pending:
        print(f"Let op: {pending}", file=sys.stderr)
    else:
        print("De databasesleutel is vernieuwd: wat zij wisten, opent het register niet meer.")
    return 0


def renew_database_key(register: Register, reason: str) -> str | None:
    """Renew the database key of the register `opened` gave; it is closed again afterwards
    (by `opened`: the register object closes itself once, the reopened one here)."""
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.keys.rekey import renew_key

    reopened, pending = renew_key(register, reason)
    reopened.close()
    return pending


def cmd_user_list(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.users import user_overview

    with opened(args) as register:
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
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.keys.changes import set_user_passphrase
    from wijkteam_tui.store.keys.unlock import unlock

    if isinstance(where(args), Path):
        path = require_register(db_path(args))
        user = user_name(args)
        unlocked = unlock(
            path, user, current_passphrase(args, "Huidig wachtwoord"), one_time_ok=True
        )
        passphrase = new_passphrase(args)
        _change_key_file(
            path,
            unlocked,
            user,
            lambda: set_user_passphrase(path, unlocked, user, passphrase).generation,
            lambda r: _log_user(r, user, PASSPHRASE_CHANGED),
        )
    else:
        user = _server_passwd(args)
    print(f"Wachtwoord van {user} gewijzigd.")
    return 0


def _server_passwd(args: argparse.Namespace) -> str:
    """`passwd` on a team server: the slot and the person's login change in one step."""
    # Lazy: the store and psycopg load only for a register on a team server.
    from wijkteam_tui.store.address import ServerAddress
    from wijkteam_tui.store.keys.changes import set_user_passphrase
    from wijkteam_tui.store.opening import open_on_server

    address = where(args)
    assert isinstance(address, ServerAddress)
    user = user_name(args)
    current = current_passphrase(args, "Huidig wachtwoord")
    register = open_on_server(address, user, current, one_time_ok=True)
    try:
        passphrase = new_passphrase(args)
        set_user_passphrase(register.keys, register.unlocked, user, passphrase)
        _log_user(register, user, PASSPHRASE_CHANGED)
    finally:
        register.close()
    return user


def _log_user(register: Any, user: str, detail: str) -> None:
    # Lazy: the store (SQLAlchemy) loads only for the command that runs.
    from wijkteam_tui.store.audit.chain import Event
    from wijkteam_tui.store.audit.log import record

    record(register, Event("user", "users", user, detail=detail))


def cmd_recover(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.keys.changes import set_user_passphrase
    from wijkteam_tui.store.keys.unlock import unlock_with_recovery_key

    found = where(args)
    user = user_name(args)
    key = recovery_key(args)
    if not isinstance(found, Path):
        return _server_recover(args, found, user, key)
    path = require_register(found)
    unlocked = unlock_with_recovery_key(path, key)
    if unlocked.key_file.user_slot(user) is None:
        raise WijkteamError(f"Gebruiker '{user}' bestaat niet in dit register.")
    passphrase = new_passphrase(args)
    _change_key_file(
        path,
        unlocked,
        user,
        lambda: set_user_passphrase(path, unlocked, user, passphrase).generation,
        lambda r: _log_user(r, user, PASSPHRASE_RECOVERED),
    )
    _tell_recovered(user)
    return 0


def _tell_recovered(user: str) -> None:
    print(f"Nieuw wachtwoord ingesteld voor {user}. De herstelsleutel blijft geldig.")


def _server_recover(args: argparse.Namespace, address: Any, user: str, key: str) -> int:
    """`recover` on a team server: the person signs in this once with a temporary password
    that the server's operator gave their role ($PGPASSWORD)."""
    # Lazy: the store and psycopg load only for a register on a team server.
    from wijkteam_tui.store.opening import open_on_server
    from wijkteam_tui.store.server.signin import recover

    temporary = server_password()
    if not temporary:
        raise UsageError(
            f"Op een teamserver kan {user} met een vergeten wachtwoord niet inloggen: vraag de"
            " beheerder van de server om een tijdelijk wachtwoord voor uw databaserol en zet"
            " het in $PGPASSWORD. Er is niets gewijzigd."
        )
    passphrase = new_passphrase(args)
    recover(address, user, key, passphrase, server_password=temporary)
    register = open_on_server(address, user, passphrase)
    try:
        _log_user(register, user, PASSPHRASE_RECOVERED)
    finally:
        register.close()
    _tell_recovered(user)
    print("Het tijdelijke wachtwoord van de beheerder opent niets meer.", file=sys.stderr)
    return 0
