"""`wijkteam absence add|list|end`: who is away, from when until when, and who covers their
clients meanwhile (a teamleider for anyone, a medewerker for themselves)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from wijkteam_tui.cli.prompts import opened, printable
from wijkteam_tui.errors import UsageError


def add_absence_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    absence = commands.add_parser(
        "absence", help="afwezigheid en waarneming", description="afwezigheid en waarneming"
    )
    absence_commands = absence.add_subparsers(
        dest="absence_command", metavar="OPDRACHT", required=True
    )
    adding = absence_commands.add_parser(
        "add",
        help="afwezigheid vastleggen, met wie waarneemt",
        description="NAAM is afwezig vanaf --from (tot en met --to, of tot nader bericht);"
        " --cover neemt zijn cliënten waar: die staan dan op diens Vandaag. Datums als"
        " 7-12-2026, 2026-12-07, vandaag, morgen of +2w.",
        parents=[common],
    )
    adding.add_argument("name", metavar="NAAM")
    adding.add_argument("--from", dest="start", required=True, metavar="DATUM")
    adding.add_argument("--to", dest="end", metavar="DATUM", help="de laatste dag afwezig")
    adding.add_argument("--cover", metavar="NAAM", help="wie waarneemt")
    adding.add_argument(
        "--cover-client",
        action="append",
        default=[],
        metavar="NUMMER=NAAM",
        help="deze cliënt neemt een ander waar (te herhalen)",
    )
    adding.set_defaults(handler=cmd_absence_add)
    listing = absence_commands.add_parser(
        "list", help="wie afwezig is of wordt", description="wie afwezig is of wordt",
        parents=[common],
    )  # fmt: skip
    listing.set_defaults(handler=cmd_absence_list)
    ending = absence_commands.add_parser(
        "end",
        help="NAAM is terug",
        description="NAAM is vandaag terug: de afwezigheid eindigt (of gaat niet door)",
        parents=[common],
    )
    ending.add_argument("name", metavar="NAAM")
    ending.set_defaults(handler=cmd_absence_end)


def typed_day(text: str, today: date) -> date:
    # Lazy: the dates only for the command that runs.
    from wijkteam_tui.domain.dates import DateInputError, parse_date

    try:
        return parse_date(text, today)
    except DateInputError as error:
        raise UsageError(f"{printable(text)}: {error}") from None


def cmd_absence_add(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.domain.access import covers_by_client
    from wijkteam_tui.domain.fields import FieldError
    from wijkteam_tui.store.cover.absences import add_absence

    today = date.today()
    start = typed_day(args.start, today)
    end = typed_day(args.end, today) if args.end else None
    try:
        by_client = covers_by_client(args.cover_client)
    except FieldError as error:
        raise UsageError(printable(str(error))) from None
    with opened(args) as register:
        add_absence(
            register, args.name, start, end, cover=args.cover, today=today, by_client=by_client
        )
    # Lazy: as above.
    from wijkteam_tui.domain.dates import format_date

    until = f" t/m {format_date(end)}" if end else " tot nader bericht"
    cover = f"; {printable(args.cover)} neemt waar" if args.cover else "; nog niemand neemt waar"
    if by_client:
        cover += f" ({len(by_client)} cliënt(en) door een ander)"
    print(f"{printable(args.name)} afwezig vanaf {format_date(start)}{until}{cover}.")
    return 0


def cmd_absence_list(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.domain.dates import format_date
    from wijkteam_tui.store.cover.absences import absences

    with opened(args) as register:
        rows = absences(register, date.today())
    if not rows:
        print("Niemand is afwezig of wordt het.")
        return 0
    for row in rows:
        cover = f"waarneming: {row.cover}" if row.cover else "niemand neemt waar"
        print(
            f"  {printable(row.name):<20} vanaf {format_date(row.from_on):<15}"
            f" {row.until_text():<30} {printable(cover)}"
        )
        if row.by_client:
            print(f"{'':24}per cliënt: {printable(', '.join(row.by_client))}")
    return 0


def cmd_absence_end(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.store.cover.absences import end_absence

    with opened(args) as register:
        row = end_absence(register, args.name, date.today())
    print(f"{printable(row.name)} is terug ({row.until_text()}).")
    return 0
