"""`wijkteam outcome add|edit|show`: a client's ZRM assessments and conversations about
Positieve Gezondheid, recorded, corrected (the old version is kept) and read back over time."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from wijkteam_tui.cli.absence import typed_day
from wijkteam_tui.cli.prompts import opened, printable
from wijkteam_tui.errors import UsageError

if TYPE_CHECKING:
    from wijkteam_tui.domain.terms import AssessmentKind
    from wijkteam_tui.store.read.outcomes import AssessmentRow
    from wijkteam_tui.store.records import ContactResult

#: How many assessments `outcome show` puts side by side (the newest).
SHOWN = 6


def add_outcome_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    outcome = commands.add_parser(
        "outcome",
        help="ontwikkeling: ZRM en Positieve Gezondheid vastleggen en teruglezen",
        description="ontwikkeling: ZRM en Positieve Gezondheid vastleggen en teruglezen",
    )
    outcome_commands = outcome.add_subparsers(
        dest="outcome_command", metavar="OPDRACHT", required=True
    )
    adding = outcome_commands.add_parser(
        "add",
        help="een meting vastleggen",
        description="een ZRM (13 domeinen, 1 acute problematiek … 5 volledig zelfredzaam, of"
        " n.v.t.) of een gesprek over Positieve Gezondheid (6 dimensies, 0–10) vastleggen."
        " Een daling sinds de vorige ZRM wordt een aandachtspunt.",
        parents=[common],
    )
    adding.add_argument("number", metavar="CLIËNTNUMMER")
    adding.add_argument("--kind", required=True, choices=["zrm", "pg"], metavar="zrm|pg")
    _scored(adding)
    adding.set_defaults(handler=cmd_outcome_add)
    editing = outcome_commands.add_parser(
        "edit",
        help="een meting corrigeren (de vorige versie blijft bewaard)",
        description="de genoemde domeinen, de datum of de eigen woorden van meting METING"
        " (zie 'outcome show') wijzigen; wat niet genoemd is, blijft",
        parents=[common],
    )
    editing.add_argument("number", metavar="CLIËNTNUMMER")
    editing.add_argument("assessment", type=int, metavar="METING")
    _scored(editing)
    editing.set_defaults(handler=cmd_outcome_edit)
    showing = outcome_commands.add_parser(
        "show",
        help="de metingen van een cliënt door de tijd",
        description="per domein de scores van de laatste metingen naast elkaar, met de"
        " verandering sinds de vorige; --format json: alle metingen",
        parents=[common],
    )
    showing.add_argument("number", metavar="CLIËNTNUMMER")
    showing.add_argument("--format", choices=["table", "json"], default="table")
    showing.set_defaults(handler=cmd_outcome_show)


def _scored(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", metavar="DATUM", help="de dag van de meting (vandaag)")
    parser.add_argument(
        "--score",
        action="append",
        default=[],
        metavar="DOMEIN=N",
        help="een domein en zijn score, zoals financien=3 of justitie=nvt (herhaalbaar)",
    )
    parser.add_argument(
        "--domain-note",
        action="append",
        default=[],
        metavar="DOMEIN=TEKST",
        help="een toelichting bij een domein (herhaalbaar)",
    )
    parser.add_argument("--words", metavar="TEKST", help="wat de cliënt zelf zei (eigen woorden)")


def _parsed(
    kind: AssessmentKind, args: argparse.Namespace
) -> tuple[dict[str, int | None], dict[str, str]]:
    # Lazy: the domain only for the command that runs.
    from wijkteam_tui.domain.outcomes import parse_notes, parse_scores

    try:
        return parse_scores(kind, args.score), parse_notes(kind, args.domain_note)
    except ValueError as error:
        raise UsageError(printable(str(error))) from None


def cmd_outcome_add(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.domain.terms import AssessmentKind
    from wijkteam_tui.store.outcomes.assessments import record_assessment
    from wijkteam_tui.store.records import AssessmentInput
    from wijkteam_tui.store.sharing import client_by_number

    today = date.today()
    kind = AssessmentKind(args.kind)
    scores, notes = _parsed(kind, args)
    if not scores:
        raise UsageError("Geef de scores met --score DOMEIN=N, zoals --score financien=3.")
    data = AssessmentInput(
        kind,
        typed_day(args.date, today) if args.date else today,
        scores,
        notes,
        args.words or "",
    )
    with opened(args) as register:
        result = record_assessment(register, client_by_number(register, args.number), data, today)
    print(f"{kind.label} van {printable(args.number)} vastgelegd (meting {result.moment_id}).")
    _said(result)
    return 0


def cmd_outcome_edit(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from dataclasses import replace

    from wijkteam_tui.store.outcomes.assessments import update_assessment
    from wijkteam_tui.store.read.outcomes import client_assessments
    from wijkteam_tui.store.records import AssessmentInput
    from wijkteam_tui.store.sharing import client_by_number

    today = date.today()
    with opened(args) as register:
        client_id = client_by_number(register, args.number)
        rows = client_assessments(register, client_id, today)
        row = next((r for r in rows if r.id == args.assessment), None)
        if row is None:
            raise UsageError(
                f"Meting {args.assessment} hoort niet bij {printable(args.number)}"
                " (zie 'wijkteam outcome show')."
            )
        scores, notes = _parsed(row.kind, args)
        current = AssessmentInput(
            row.kind,
            row.assessed_on,
            {s.code: s.score for s in row.scores},
            {s.code: s.note for s in row.scores if s.note},
            row.own_words,
        )
        wanted = replace(
            current,
            assessed_on=typed_day(args.date, today) if args.date else row.assessed_on,
            scores={**current.scores, **scores},
            notes={**current.notes, **notes},
            own_words=row.own_words if args.words is None else args.words,
        )
        if wanted == current:
            raise UsageError("Er is niets om te wijzigen: geef --score, --date of --words.")
        result = update_assessment(register, row.id, row.version, wanted, today)
    print(f"Meting {row.id} gewijzigd; de vorige versie is bewaard.")
    _said(result)
    return 0


def _said(result: ContactResult) -> None:
    for reason in result.raised:
        print(f"Aandachtspunt: {printable(reason)}")
    for note in result.resolved:
        print(f"Opgelost: {printable(note)}")


def cmd_outcome_show(args: argparse.Namespace) -> int:
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.store.read.outcomes import client_assessments
    from wijkteam_tui.store.sharing import client_by_number

    today = date.today()
    with opened(args) as register:
        rows = client_assessments(register, client_by_number(register, args.number), today)
    if args.format == "json":
        print(json.dumps([_plain(row) for row in rows], ensure_ascii=False, indent=2))
        return 0
    for line in outcome_lines(rows) or [f"Er is nog niets gemeten bij {args.number}."]:
        print(printable(line))
    return 0


def _plain(row: AssessmentRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "version": row.version,
        "kind": row.kind.value,
        "assessed_on": row.assessed_on.isoformat(),
        "own_words": row.own_words,
        "recorded_by": row.recorded_by,
        "changed_by": row.changed_by,
        "changed_at": row.changed_at.isoformat(timespec="seconds") + "Z"
        if row.changed_at
        else None,
        "revisions": row.revisions,
        "scores": {s.code: {"score": s.score, "note": s.note} for s in row.scores},
    }


def outcome_lines(rows: list[AssessmentRow]) -> list[str]:
    """Per kind a table: a domain per line, the newest SHOWN assessments side by side, and the
    change of the newest since the one before it."""
    # Lazy: the domain only for the command that runs.
    from wijkteam_tui.domain.dates import format_short
    from wijkteam_tui.domain.outcomes import DOMAINS, step_text
    from wijkteam_tui.domain.terms import AssessmentKind

    lines: list[str] = []
    for kind in AssessmentKind:
        done = [r for r in rows if r.kind is kind]
        if not done:
            continue
        shown = done[-SHOWN:]
        lines.append(f"{kind.label}: {len(done)} meting(en), de laatste {len(shown)}:")
        lines.append(
            f"{'':30}" + "".join(f"{format_short(r.assessed_on):>10}" for r in shown)
            + "  verschil"
        )  # fmt: skip
        lines.append(f"{'':30}" + "".join(f"{'#' + str(r.id):>10}" for r in shown))
        for domain in DOMAINS[kind]:
            values = [r.score_of(domain.code) for r in shown]
            if not any(any(s.code == domain.code for s in r.scores) for r in shown):
                continue
            cells = "".join(f"{'n.v.t.' if v is None else v:>10}" for v in values)
            lines.append(
                f"{domain.label:<30}{cells}  {step_text(*values[-2:]) if len(values) > 1 else ''}"
            )
        for r in shown:
            if r.own_words:
                lines.append(f"  {format_short(r.assessed_on)} in eigen woorden: {r.own_words}")
        lines.append("")
    return lines[:-1] if lines else lines
