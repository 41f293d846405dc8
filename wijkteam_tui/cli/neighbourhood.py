"""`wijkteam neighbourhood`: the Buurt view for the teamleider (steunpersonen who carry several
clients, the sociale kaart's entries, postcode areas), and the teamleider's correction of who
is the same person: `join` two members (`lid` in the list), `part` one from whom it was
matched with, `forget` the decisions on one."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from typing import Any

from wijkteam_tui.cli.prompts import opened, printable
from wijkteam_tui.errors import UsageError

_AREA = re.compile(r"[1-9][0-9]{3}")
_FORMAT_WORDS = {"table": "tabel", "csv": "CSV", "json": "JSON"}


def add_neighbourhood_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    neighbourhood = commands.add_parser(
        "neighbourhood",
        help="de buurt: wie in de netwerken meerdere cliënten draagt (teamleider)",
        description="steunpersonen die meerdere cliënten dragen, met hun afspraken, contacten"
        " per maand en hoeveel daarvan in 12 weken is nagekomen; de voorzieningen van de"
        " sociale kaart; per postcodegebied cliënten, steunpersonen en voorzieningen."
        " Alleen voor een teamleider.",
        parents=[common],
    )
    neighbourhood.add_argument("--area", metavar="1234", help="alleen dit postcodegebied")
    neighbourhood.add_argument("--format", choices=["table", "csv", "json"], default="table")
    neighbourhood.set_defaults(handler=cmd_neighbourhood)
    decisions = neighbourhood.add_subparsers(dest="decision", metavar="OPDRACHT")
    joining = decisions.add_parser(
        "join",
        help="twee netwerkleden zijn dezelfde persoon (ook zonder gelijk nummer of e-mail)",
        description="twee netwerkleden (LID in de lijst) van verschillende cliënten zijn"
        " dezelfde persoon",
        parents=[common],
    )
    joining.add_argument("member", type=int, metavar="LID")
    joining.add_argument("other", type=int, metavar="LID")
    joining.set_defaults(handler=cmd_neighbourhood_decide)
    for name, helptext in (
        ("part", "een netwerklid is niet de persoon met wie het gekoppeld werd"),
        ("forget", "alle beslissingen over een netwerklid vergeten: weer op nummer en e-mail"),
    ):
        decision = decisions.add_parser(name, help=helptext, description=helptext, parents=[common])
        decision.add_argument("member", type=int, metavar="LID")
        decision.set_defaults(handler=cmd_neighbourhood_decide)


def cmd_neighbourhood(args: argparse.Namespace) -> int:
    area = (args.area or "").strip()
    if area and not _AREA.fullmatch(area):
        raise UsageError(
            f"'{printable(area)}' is geen postcodegebied: de vier cijfers van een postcode,"
            " zoals 7271."
        )
    with opened(args) as register:
        # Lazy: the store and the formats load only for the command that runs.
        from wijkteam_tui.export.neighbourhood import csv_bytes, json_text, table_text
        from wijkteam_tui.store.audit.lists import listed
        from wijkteam_tui.store.audit.log import record
        from wijkteam_tui.store.read.neighbourhood import neighbourhood
        from wijkteam_tui.store.read.today import team_info

        register.require_teamleider("Alleen een teamleider bekijkt de buurt op de opdrachtregel.")
        view = neighbourhood(register, date.today(), area)
        team = team_info(register).name
        named = {
            (lean.client_id, lean.number) for person in view.supporters for lean in person.leaning
        }
        record(register, listed(sorted(named), f"buurt ({_FORMAT_WORDS[args.format]})"))
    if args.format == "csv":
        sys.stdout.flush()
        sys.stdout.buffer.write(csv_bytes(view))
        sys.stdout.buffer.flush()
    elif args.format == "json":
        sys.stdout.write(json_text(view, team))
    else:
        sys.stdout.write(table_text(view, team, printable))
    return 0


def cmd_neighbourhood_decide(args: argparse.Namespace) -> int:
    with opened(args) as register:
        # Lazy: the store loads only for the command that runs.
        from wijkteam_tui.store.neighbourhood.links import (
            decide_match,
            forget_member,
            part_member,
        )

        if args.decision == "join":
            decide_match(register, args.member, args.other, same=True)
            said = f"Lid {args.member} en lid {args.other} zijn dezelfde persoon."
        elif args.decision == "part":
            parted = part_member(register, args.member)
            said = (
                f"Lid {args.member} is met niemand gekoppeld."
                if not parted
                else f"Lid {args.member} is een eigen persoon: los van {parted}"
                f" {'netwerklid' if parted == 1 else 'netwerkleden'}."
            )
        else:
            forgotten = forget_member(register, args.member)
            said = (
                f"Over lid {args.member} was niets beslist."
                if not forgotten
                else f"Lid {args.member}: weer gekoppeld op telefoonnummer en e-mailadres."
            )
    print(said)
    return 0
