"""`wijkteam remind`: the reminders due today sent to the network members who consented, for
cron or a systemd timer (`--dry-run` lists them and sends nothing); and `wijkteam mail text`
and `mail sensitive`: the team's wording of reminders and the words no subject may hold.

Exit 0 when everything due went out (or nothing was due), 1 when one or more failed: the next
run tries those again."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from wijkteam_tui.cli.prompts import iso_date, opened, printable
from wijkteam_tui.errors import UsageError


def add_remind_command(commands: Any, common: argparse.ArgumentParser) -> None:
    remind = commands.add_parser(
        "remind",
        help="herinneringen aan het netwerk versturen",
        description="de herinneringen van vandaag versturen aan netwerkleden met toestemming"
        " (voor cron of een systemd-timer); een mislukte gaat bij de volgende keer opnieuw",
        parents=[common],
    )
    remind.add_argument(
        "--dry-run", action="store_true", help="alleen laten zien wat er zou gaan, niets versturen"
    )
    remind.add_argument("--format", choices=["table", "json"], default="table")
    remind.add_argument("--date", type=iso_date, metavar="JJJJ-MM-DD", help=argparse.SUPPRESS)
    remind.set_defaults(handler=cmd_remind)


def add_text_commands(mail_commands: Any, common: argparse.ArgumentParser) -> None:
    text = mail_commands.add_parser(
        "text",
        help="de tekst van een herinnering (teamleider)",
        description="de tekst van een herinnering per kanaal (bezoek, telefoon, beeldbellen,"
        " app, inloop) of na niet bereikt (opnieuw): zonder opties de huidige tekst",
        parents=[common],
    )
    text.add_argument("key", metavar="KANAAL", nargs="?")
    text.add_argument("--subject", metavar="TEKST", help="het onderwerp")
    text.add_argument("--body-file", metavar="BESTAND", help="de tekst uit een bestand")
    text.add_argument("--default", action="store_true", help="terug naar de standaardtekst")
    text.set_defaults(handler=cmd_mail_text)
    sensitive = mail_commands.add_parser(
        "sensitive",
        help="gevoelige woorden (teamleider)",
        description="woorden (een diagnose, een organisatie) die nooit in het onderwerp of de"
        " afzendernaam van een herinnering staan; zonder woorden: de huidige lijst",
        parents=[common],
    )
    sensitive.add_argument("words", metavar="WOORD", nargs="*")
    sensitive.add_argument("--clear", action="store_true", help="de lijst leegmaken")
    sensitive.set_defaults(handler=cmd_mail_sensitive)


#: What `remind` needs, imported while the key is derived.
_REMIND_NEEDS = ("wijkteam_tui.mail.remind",)


def cmd_remind(args: argparse.Namespace) -> int:
    today = args.date or date.today()
    with opened(args, *_REMIND_NEEDS) as register:
        # Lazy: imported while the key was derived (`opened`).
        from wijkteam_tui.mail.remind import run

        report = run(register, today, dry_run=args.dry_run)
    # Lazy: imported with the store above.
    from wijkteam_tui.domain.dates import format_date

    outcome = {id(due): "" for due in report.sent}
    outcome.update({id(due): why for due, why in report.failed})
    if args.format == "json":
        print(
            json.dumps(
                {
                    "date": today.isoformat(),
                    "dry_run": args.dry_run,
                    "reminders": [
                        {
                            "client": due.client_number,
                            "agreement": due.agreement_id,
                            "to": due.address,
                            "moment": due.due_on.isoformat(),
                            "kind": due.kind,
                            "status": _status(args.dry_run, outcome, due),
                            "error": outcome.get(id(due), ""),
                        }
                        for due in report.due
                    ],
                    "interrupted": report.interrupted,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(f"Herinneringen voor {format_date(today)}: {len(report.due)} te versturen.")
        for due in report.due:
            status = _status(args.dry_run, outcome, due)
            print(
                f"  {due.client_number:<8} {format_date(due.due_on):<15} {due.kind:<8}"
                f" {printable(due.address):<28} {status}"
            )
            if outcome.get(id(due)):
                print(f"           {printable(outcome[id(due)])}")
        if not args.dry_run:
            print(f"{len(report.sent)} verzonden, {len(report.failed)} mislukt.")
    if report.interrupted:
        print(
            f"{report.interrupted} herinnering(en) van een eerdere keer onderbroken: misschien"
            " verzonden, daarom niet opnieuw.",
            file=sys.stderr,
        )
    if report.failed:
        print(
            f"{len(report.failed)} herinnering(en) mislukt; de volgende keer opnieuw.",
            file=sys.stderr,
        )
        return 1
    return 0


def _status(dry_run: bool, outcome: dict[int, str], due: object) -> str:
    if dry_run:
        return "gaat"
    if id(due) not in outcome:
        return "al bezig (een andere keer)"
    return "mislukt" if outcome[id(due)] else "verzonden"


def cmd_mail_text(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.domain.reminders import PLACEHOLDERS, TEXT_KEYS, Text
    from wijkteam_tui.store.mail.reminders import set_text, wording

    if args.key is not None and args.key not in TEXT_KEYS:
        raise UsageError(f"Kies een kanaal: {', '.join(TEXT_KEYS)}.")
    with opened(args) as register:
        if args.default or args.subject is not None or args.body_file is not None:
            if args.key is None:
                raise UsageError(f"Zeg welk kanaal: {', '.join(TEXT_KEYS)}.")
            current = wording(register).texts[args.key]
            text = None
            if not args.default:
                text = Text(
                    args.subject if args.subject is not None else current.subject,
                    _read(args.body_file) if args.body_file is not None else current.body,
                )
            set_text(register, args.key, text)
            print(f"De tekst voor {args.key} is opgeslagen.")
        texts = wording(register).texts
    for key in [args.key] if args.key else TEXT_KEYS:
        print(f"== {key}\nOnderwerp: {printable(texts[key].subject)}\n")
        print(texts[key].body)
    print("Invulvelden: " + ", ".join(f"{{{name}}} {what}" for name, what in PLACEHOLDERS.items()))
    return 0


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{printable(path)} is niet te lezen als tekst ({error}).") from None


def cmd_mail_sensitive(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.store.mail.reminders import set_sensitive_words, wording

    with opened(args) as register:
        if args.clear or args.words:
            set_sensitive_words(register, [] if args.clear else args.words)
        words = wording(register).sensitive
    print("Gevoelige woorden: " + (", ".join(printable(w) for w in words) or "(geen)"))
    return 0
