"""`overdue`, `digest`, `sweep` and `audit verify|show`: the team's figures and the audit log
as text, for people and for scripts; and the Vandaag of `demo --no-tui`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from wijkteam_tui.cli.prompts import opened, printable
from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.terms import Role

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register

#: The format of a list as the audit log says it.
_FORMAT_WORDS = {"table": "tabel", "csv": "CSV", "json": "JSON"}


def _report_day(args: argparse.Namespace, register: Register) -> date:
    """The day a report is about. On the real today, the daily sweep runs first, so that
    alerts are current and today's snapshot for the trend is written (a cron job keeps the
    trend complete on days nobody opens the screen)."""
    today = date.today()
    day: date = args.date or today
    if day == today:
        # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
        from wijkteam_tui.store.sweep import daily_sweep

        daily_sweep(register, today)
    return day


def cmd_sweep(args: argparse.Namespace) -> int:
    """The daily sweep for a timer, so that nobody's first screen of the day brings the
    signals up to date (it takes seconds on a large register, in the background)."""
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.sweep import daily_sweep

    today = date.today()
    with opened(args) as register:
        evaluated = daily_sweep(register, today)
    word = "cliënt" if evaluated == 1 else "cliënten"
    print(f"Signalen bijgewerkt tot {format_date(today)}: {evaluated} {word} opnieuw beoordeeld.")
    return 0


#: What `overdue` needs, imported while the key is derived.
_OVERDUE_NEEDS = (
    "wijkteam_tui.store.sweep",
    "wijkteam_tui.store.read.team",
    "wijkteam_tui.store.audit.lists",
    "wijkteam_tui.export.overdue",
)


def cmd_overdue(args: argparse.Namespace) -> int:
    with opened(args, *_OVERDUE_NEEDS) as register:
        # Lazy: imported while the key was derived (`opened`).
        from wijkteam_tui.export.overdue import csv_chunks, json_chunks, table_chunks
        from wijkteam_tui.store.audit.lists import listed
        from wijkteam_tui.store.audit.log import record
        from wijkteam_tui.store.read.team import overdue_items
        from wijkteam_tui.store.read.today import team_info

        day = _report_day(args, register)
        items = overdue_items(register, day, args.medewerker)
        team = team_info(register).name
        what = f"lijst te late contactmomenten ({_FORMAT_WORDS[args.format]})"
        record(register, listed([(i.client_id, i.client_number) for i in items], what))
    # Written as it is made (logged above, before any of it left).
    if args.format == "csv":
        sys.stdout.flush()
        for piece in csv_chunks(items):
            sys.stdout.buffer.write(piece)
        sys.stdout.buffer.flush()
    elif args.format == "json":
        for text in json_chunks(items, day, team=team, medewerker=args.medewerker):
            sys.stdout.write(text)
    else:
        for text in table_chunks(items, day, printable=printable):
            sys.stdout.write(text)
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    # Lazy: the store and the export formats load only for the command that runs.
    from wijkteam_tui.export.digest import digest_text
    from wijkteam_tui.store.read.team import digest_data
    from wijkteam_tui.store.read.today import team_info

    if args.mail:
        return _mail_digests(args)
    with opened(args) as register:
        day = _report_day(args, register)
        digest = digest_data(register, day)
        review, trend = digest.review, digest.trend
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
        covered=digest.covered,
    )
    sys.stdout.write("\n".join(printable(line) for line in text.splitlines()) + "\n")
    return 0


def _mail_digests(args: argparse.Namespace) -> int:
    """`digest --mail`: each colleague's week to their address; exit 1 when one did not go."""
    # Lazy: the store and smtplib load only for the command that runs.
    from wijkteam_tui.export.digest_mail import send_digests

    with opened(args) as register:
        day = _report_day(args, register)
        sent = send_digests(register, day)
    if not sent:
        print("Niemand heeft een e-mailadres; zet het met: wijkteam user email ADRES --of NAAM.")
        return 0
    for mail in sent:
        outcome = f"mislukt: {printable(mail.error)}" if mail.error else "verzonden"
        print(f"  {printable(mail.name):<16} {printable(mail.address):<32} {outcome}")
    failed = sum(1 for mail in sent if mail.error)
    print(f"{len(sent) - failed} verzonden, {failed} mislukt.")
    return 1 if failed else 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.audit.log import verify

    with opened(args) as register:
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
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.audit.log import events

    with opened(args) as register:
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
                f" {e.client_number:<8} {outcome}{e.detail_text}"
            )
        )
    print(f"{len(shown)} gebeurtenissen", file=sys.stderr)
    return 0


def vandaag_text(register: Register, today: date) -> str:
    """The logged-in user's Vandaag as plain text (the terminal screen follows in the TUI)."""
    # Lazy: the store (SQLAlchemy, SQLCipher) loads only for the command that runs.
    from wijkteam_tui.store.read.today import today_list

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
