"""The argparse tree of `wijkteam`, with every text in Dutch."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from wijkteam_tui import __version__
from wijkteam_tui.cli.absence import add_absence_commands
from wijkteam_tui.cli.access import add_access_commands
from wijkteam_tui.cli.caseload import cmd_export_team, cmd_import
from wijkteam_tui.cli.demo import DEMO_CLIENTS, cmd_demo
from wijkteam_tui.cli.dutch_argparse import Parser
from wijkteam_tui.cli.erasure import cmd_erase, cmd_retention_extend, cmd_retention_list
from wijkteam_tui.cli.exports import cmd_export_agreements, cmd_export_client
from wijkteam_tui.cli.mail import add_mail_commands
from wijkteam_tui.cli.neighbourhood import add_neighbourhood_commands
from wijkteam_tui.cli.outcomes import add_outcome_commands
from wijkteam_tui.cli.prompts import (
    DB_ENV,
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    RECOVERY_KEY_ENV,
    USER_ENV,
    iso_date,
)
from wijkteam_tui.cli.register import (
    cmd_backup,
    cmd_db_check,
    cmd_db_copy,
    cmd_db_keys,
    cmd_db_rekey,
    cmd_db_upgrade,
    cmd_init,
    cmd_restore,
)
from wijkteam_tui.cli.reports import (
    cmd_audit_show,
    cmd_audit_verify,
    cmd_digest,
    cmd_overdue,
    cmd_sweep,
)
from wijkteam_tui.cli.users import (
    add_contact_commands,
    cmd_passwd,
    cmd_recover,
    cmd_user_add,
    cmd_user_deactivate,
    cmd_user_list,
    cmd_user_reset,
)
from wijkteam_tui.domain.terms import Role


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
    add_contact_commands(user_commands, common)
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
    add(
        "sweep",
        "signalen bijwerken tot vandaag (voor een cron-job of systemd-timer, elke ochtend vroeg)",
        cmd_sweep,
        parents=[common],
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
    digest.add_argument(
        "--mail",
        action="store_true",
        help="per mail naar elke collega met een e-mailadres (teamleider; wijkteam user email)",
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
    agreements.add_argument(
        "--emergency",
        metavar="REDEN",
        help="noodtoegang tot een cliënt waarvoor u niet werkt (als het team alleen die opent):"
        " de reden ziet de teamleider en de cliënt",
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
    team = export_commands.add_parser(
        "team",
        help="de hele caseload, zoals 'import' hem leest (teamleider)",
        description="alle open cliënten met hun netwerk (toestemming en al) en afspraken, in de"
        " indeling die 'wijkteam import' leest: zo gaat een team nooit vast aan dit register",
        parents=[common],
    )
    team.add_argument(
        "--format",
        choices=["xlsx", "csv"],
        default="xlsx",
        help="xlsx: een werkmap met de bladen Cliënten, Netwerk en Afspraken; csv: een bestand"
        " per blad (BESTAND-clienten.csv, -netwerk.csv, -afspraken.csv)",
    )
    team.add_argument("-o", "--output", required=True, metavar="BESTAND", help="het bestand")
    team.add_argument("--force", action="store_true", help="bestaande bestanden vervangen")
    team.set_defaults(handler=cmd_export_team)


def _add_import_command(add: Any, common: argparse.ArgumentParser) -> None:
    """`import`: a caseload from a spreadsheet (teamleider)."""
    caseload = add(
        "import",
        "cliënten, netwerk en afspraken uit een spreadsheet (CSV of XLSX; teamleider)",
        cmd_import,
        parents=[common],
    )
    caseload.add_argument(
        "files",
        nargs="+",
        metavar="BESTAND",
        help="CSV (; of ,) of Excel-werkmap (.xlsx); meer bestanden worden samen gelezen (zoals"
        " de CSV-bestanden van 'export team')",
    )
    caseload.add_argument(
        "--columns",
        metavar="KOLOMMEN",
        help="TOML-bestand dat zegt welke kolom wat is ([kolommen]) en wat een blad bevat"
        " ([bladen])",
    )
    caseload.add_argument(
        "--apply",
        action="store_true",
        help="echt importeren (anders een proefimport die niets verandert); alles of niets",
    )
    caseload.add_argument(
        "--valid-only",
        action="store_true",
        help="met --apply: alleen de goede rijen; de andere in BESTAND-fouten, om te verbeteren",
    )
    caseload.add_argument(
        "--force", action="store_true", help="een bestaand foutenbestand vervangen"
    )


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
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
    new_secret = Parser(add_help=False)
    new_secret.add_argument(
        "--new-passphrase-file",
        metavar="BESTAND",
        help=f"lees het nieuwe wachtwoord uit BESTAND (anders ${NEW_PASSPHRASE_ENV} of vragen)",
    )

    parser = Parser(
        prog="wijkteam",
        description="Wijkteam-register: houdt bewoners duurzaam in beeld (versleuteld)."
        " Zonder opdracht opent het scherm.",
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"wijkteam {__version__}",
        help="toon het versienummer en stop",
    )
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=Parser)

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
    _add_import_command(add, common)

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
        " van een teamserver naar een nieuw bestand hier; de bron blijft zoals hij was. Naar een"
        " teamserver met het eenmalige wachtwoord van de beheerder in $PGPASSWORD.",
        parents=[common],
    )
    copy.add_argument("--to", required=True, metavar="URL|PAD", help="waarheen")
    copy.set_defaults(handler=cmd_db_copy)
    _add_audit_commands(commands, common)
    add_mail_commands(commands, common)
    for add_commands in (
        add_absence_commands,
        add_access_commands,
        add_outcome_commands,
        add_neighbourhood_commands,
    ):
        add_commands(commands, common)
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
