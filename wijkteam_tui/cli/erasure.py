"""`erase` and `retention list|extend`: a client's file destroyed on request (AVG art. 17), and
the files past their retention period."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from wijkteam_tui.cli.prompts import ask_confirmation, opened, printable
from wijkteam_tui.domain.dates import format_date


def cmd_erase(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.erasure import erase_client, erasure_facts
    from wijkteam_tui.store.sharing import client_by_number

    with opened(args) as register:
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
        confirm = args.confirm if args.confirm is not None else ask_confirmation()
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


def cmd_retention_list(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.erasure import past_retention

    with opened(args) as register:
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
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.erasure import extend_retention
    from wijkteam_tui.store.sharing import client_by_number

    with opened(args) as register:
        client_id = client_by_number(register, args.client)
        extend_retention(register, client_id, args.until, args.reason, date.today())
    print(f"Dossier {args.client} wordt bewaard tot en met {format_date(args.until)}.")
    return 0
