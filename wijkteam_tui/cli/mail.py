"""`wijkteam mail set|show|test`: the SMTP server the team sends through (teamleider sets it;
its password from $WIJKTEAM_MAIL_PASSWORD or asked twice, sealed in the register), what is
set (never the password), and a test message to an address."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from wijkteam_tui.cli.prompts import opened, printable
from wijkteam_tui.cli.remind import add_remind_command, add_text_commands
from wijkteam_tui.errors import UsageError

MAIL_PASSWORD_ENV = "WIJKTEAM_MAIL_PASSWORD"
NOT_SET = "Er zijn nog geen mailinstellingen; een teamleider zet ze met: wijkteam mail set."


def add_mail_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    mail = commands.add_parser(
        "mail", help="de mailserver van het team", description="de mailserver van het team"
    )
    mail_commands = mail.add_subparsers(dest="mail_command", metavar="OPDRACHT", required=True)
    setting = mail_commands.add_parser(
        "set",
        help="de mailserver instellen (teamleider)",
        description="de mailserver instellen (teamleider); het wachtwoord uit"
        f" ${MAIL_PASSWORD_ENV} of gevraagd, versleuteld bewaard in het register",
        parents=[common],
    )
    setting.add_argument("--host", required=True, metavar="SERVER")
    setting.add_argument("--port", type=int, metavar="POORT", help="standaard 587, met --tls 465")
    security = setting.add_mutually_exclusive_group()
    security.add_argument("--starttls", action="store_true", help="STARTTLS (standaard)")
    security.add_argument("--tls", action="store_true", help="TLS vanaf het begin")
    security.add_argument(
        "--plain", action="store_true", help="onversleuteld: alleen een server op deze computer"
    )
    setting.add_argument("--login", default="", metavar="NAAM", help="de gebruikersnaam")
    setting.add_argument("--from", dest="sender", required=True, metavar="ADRES")
    setting.add_argument("--from-name", default="", metavar="NAAM", help="de naam van de afzender")
    setting.add_argument("--reply-to", default="", metavar="ADRES", help="antwoorden naar")
    setting.set_defaults(handler=cmd_mail_set)
    showing = mail_commands.add_parser(
        "show", help="de mailinstellingen", description="de mailinstellingen", parents=[common]
    )
    showing.set_defaults(handler=cmd_mail_show)
    testing = mail_commands.add_parser(
        "test",
        help="een testbericht versturen",
        description="een testbericht versturen naar ADRES",
        parents=[common],
    )
    testing.add_argument("address", metavar="ADRES")
    testing.set_defaults(handler=cmd_mail_test)
    add_text_commands(mail_commands, common)
    add_remind_command(commands, common)


def cmd_mail_set(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.store.mail.config import REFUSAL, MailInput, checked, set_mail

    security = "tls" if args.tls else "geen" if args.plain else "starttls"
    data = checked(
        MailInput(
            host=args.host,
            port=args.port or (465 if args.tls else 587),
            security=security,
            sender_address=args.sender,
            sender_name=args.from_name,
            login=args.login,
            reply_to=args.reply_to,
        )
    )
    with opened(args) as register:
        register.require_teamleider(REFUSAL)
        password = _password() if data.login else ""
        set_mail(register, data, password)
    print(f"De mailserver is ingesteld: {printable(data.host)}:{data.port} ({data.security}).")
    print("Stuur een testbericht met: wijkteam mail test ADRES")
    return 0


def cmd_mail_show(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.store.mail.config import mail_config

    with opened(args) as register:
        config = mail_config(register)
    if config is None:
        print(NOT_SET)
        return 0
    settings = config.settings
    for label, value in (
        ("Server", f"{settings.host}:{settings.port}"),
        ("Beveiliging", settings.security),
        ("Gebruikersnaam", settings.login or "(geen)"),
        ("Wachtwoord", "ingesteld" if config.has_password else "niet ingesteld"),
        ("Afzender", f"{settings.sender_name} <{settings.sender_address}>".strip()),
        ("Antwoorden naar", settings.reply_to or "(de afzender)"),
    ):
        print(f"{label + ':':<17}{printable(value)}")
    return 0


def cmd_mail_test(args: argparse.Namespace) -> int:
    # Lazy: the store and smtplib load only for the command that runs.
    from wijkteam_tui.domain.fields import FieldError, clean_email
    from wijkteam_tui.mail.smtp import message, send
    from wijkteam_tui.store.audit.chain import Event
    from wijkteam_tui.store.audit.log import record
    from wijkteam_tui.store.mail.config import mail_config, mail_password

    try:
        to = clean_email(args.address)
    except FieldError as error:
        raise UsageError(f"{printable(args.address)}: {error}") from None
    if not to:
        raise UsageError("Geef het adres waar het testbericht heen moet.")
    with opened(args) as register:
        config = mail_config(register)
        if config is None:
            raise UsageError(NOT_SET)
        password = mail_password(register)
        body = (
            "Dit is een testbericht van wijkteam: de mailinstellingen van het team werken.\n"
            f"Verstuurd door {register.user.name if register.user else 'wijkteam'}.\n"
        )
        try:
            send(config.settings, password, message(config.settings, to, "Testbericht", body))
        except Exception:
            record(register, Event("mail-test", "mail_settings", "1", outcome="fout"))
            raise
        record(register, Event("mail-test", "mail_settings", "1", detail=f"naar {to}"))
    print(f"Het testbericht is verstuurd naar {printable(to)}.")
    return 0


def _password() -> str:
    """The SMTP password from $WIJKTEAM_MAIL_PASSWORD, else asked twice (hidden)."""
    given = os.environ.get(MAIL_PASSWORD_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise UsageError(
            f"Het wachtwoord van de mailserver is nodig: zet ${MAIL_PASSWORD_ENV} (er is geen"
            " terminal om naar te vragen)."
        )
    first = getpass.getpass("Wachtwoord van de mailserver: ")
    if getpass.getpass("Wachtwoord van de mailserver (nogmaals): ") != first:
        raise UsageError("De wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    if not first:
        raise UsageError("Het wachtwoord is leeg; er is niets gewijzigd.")
    return first
