"""`wijkteam access show|set|grant|end`: what a medewerker may open (all clients of the team,
or only those they work for), a teamleider's grants, and who opened a client with noodtoegang."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import Any

from wijkteam_tui.cli.absence import typed_day
from wijkteam_tui.cli.prompts import opened, printable


def add_access_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    access = commands.add_parser(
        "access",
        help="wie welke cliënten opent: instelling, toegang, noodtoegang",
        description="wie welke cliënten opent: instelling, toegang, noodtoegang",
    )
    access_commands = access.add_subparsers(
        dest="access_command", metavar="OPDRACHT", required=True
    )
    showing = access_commands.add_parser(
        "show",
        help="de instelling, de lopende toegang en de noodtoegang van de laatste 7 dagen",
        description="de instelling van het team, de toegang die de teamleider gaf en wie de"
        " laatste --days dagen een cliënt met noodtoegang opende (een medewerker: de eigen)",
        parents=[common],
    )
    showing.add_argument("--days", type=int, default=7, metavar="N", help="hoeveel dagen terug")
    showing.set_defaults(handler=cmd_access_show)
    setting = access_commands.add_parser(
        "set",
        help="wat een medewerker opent: team (alle cliënten) of werk (teamleider)",
        description="team: een medewerker opent elke cliënt van het team; werk: alleen de"
        " cliënten waarvoor hij werkt (casemanager, uitvoerder van een afspraak, waarneming,"
        " toegang van de teamleider), een ander alleen met noodtoegang",
        parents=[common],
    )
    setting.add_argument("access", choices=["team", "werk"], metavar="team|werk")
    setting.add_argument(
        "--hours", type=int, metavar="N", help="hoeveel uur noodtoegang duurt (1 tot 24)"
    )
    setting.set_defaults(handler=cmd_access_set)
    granting = access_commands.add_parser(
        "grant",
        help="een medewerker toegang geven tot een cliënt (teamleider)",
        description="NAAM mag cliënt NUMMER openen, vanaf vandaag tot en met --to (of tot"
        " 'access end')",
        parents=[common],
    )
    granting.add_argument("number", metavar="CLIËNTNUMMER")
    granting.add_argument("name", metavar="NAAM")
    granting.add_argument("--to", dest="end", metavar="DATUM", help="de laatste dag")
    granting.add_argument("--reason", default="", metavar="TEKST", help="waarom")
    granting.set_defaults(handler=cmd_access_grant)
    ending = access_commands.add_parser(
        "end",
        help="de toegang van een medewerker tot een cliënt beëindigen (teamleider)",
        description="NAAM mag cliënt NUMMER vanaf vandaag niet meer openen met toegang van"
        " de teamleider (wel als hij er om een andere reden voor werkt)",
        parents=[common],
    )
    ending.add_argument("number", metavar="CLIËNTNUMMER")
    ending.add_argument("name", metavar="NAAM")
    ending.set_defaults(handler=cmd_access_end)


def cmd_access_show(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.domain.access import ACCESS_LABELS
    from wijkteam_tui.domain.dates import format_date
    from wijkteam_tui.domain.terms import Role
    from wijkteam_tui.store.clock import utc_now
    from wijkteam_tui.store.cover.access import (
        emergencies_since,
        local_day,
        local_time,
        team_access,
    )
    from wijkteam_tui.store.cover.grants import grant_text, grants

    today = date.today()
    since = utc_now() - timedelta(days=max(args.days, 0))
    with opened(args) as register:
        with register.read_connection() as conn:
            access, hours = team_access(conn)
        teamleider = register.user is not None and register.user.role is Role.TEAMLEIDER
        given = grants(register, today) if teamleider else []
        opened_rows = emergencies_since(register, since)
    print(f"Een medewerker opent: {ACCESS_LABELS[access]}; noodtoegang duurt {hours} uur.")
    if teamleider:
        print(f"Toegang van de teamleider ({len(given)}):" if given else "Geen toegang gegeven.")
        for row in given:
            print(
                f"  {row.number:<8} {printable(row.client):<24} {printable(row.user):<16}"
                f" {grant_text(row.until_on)}"
                + (f"  ({printable(row.reason)})" if row.reason else "")
            )
    print(
        f"Noodtoegang de laatste {args.days} dagen ({len(opened_rows)}):"
        if opened_rows
        else f"Geen noodtoegang de laatste {args.days} dagen."
    )
    for seen in opened_rows:
        print(
            f"  {format_date(local_day(seen.opened_at))} {local_time(seen.opened_at)}"
            f"  {printable(seen.user):<16} {seen.number:<8} {printable(seen.client)}"
        )
        print(f"{'':8}reden: {printable(seen.reason)}")
    return 0


def cmd_access_set(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from dataclasses import replace

    from wijkteam_tui.domain.access import ACCESS_LABELS
    from wijkteam_tui.store.read.edit import team_settings_for_edit
    from wijkteam_tui.store.write.settings import update_team_settings

    with opened(args) as register:
        current, version = team_settings_for_edit(register)
        wanted = replace(
            current,
            access=args.access,
            emergency_hours=current.emergency_hours if args.hours is None else args.hours,
        )
        changed = update_team_settings(register, version, wanted)
    hours = wanted.emergency_hours
    said = "gewijzigd" if changed else "was al zo"
    print(f"Een medewerker opent: {ACCESS_LABELS[args.access]}; noodtoegang {hours} uur ({said}).")
    return 0


def cmd_access_grant(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.store.cover.grants import grant_access, grant_text

    today = date.today()
    end = typed_day(args.end, today) if args.end else None
    with opened(args) as register:
        grant_access(
            register, args.number, args.name, until_on=end, reason=args.reason, today=today
        )
    print(f"{printable(args.name)} mag {printable(args.number)} openen, {grant_text(end)}.")
    return 0


def cmd_access_end(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.store.cover.grants import end_grant

    with opened(args) as register:
        end_grant(register, args.number, args.name, date.today())
    print(f"De toegang van {printable(args.name)} tot {printable(args.number)} is beëindigd.")
    return 0
