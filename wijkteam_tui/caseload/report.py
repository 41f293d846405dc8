"""What a dry run says (the command line and the Team screen alike): per sheet what it was
read as and which header became which column, what the import would do, every problem, and
the remarks; and the refused rows as they were, with their reasons, for the error sheet."""

from __future__ import annotations

import textwrap

from wijkteam_tui.caseload.columns import COLUMNS, Kind
from wijkteam_tui.caseload.plan import Plan
from wijkteam_tui.caseload.sheets import Cell, rows_again
from wijkteam_tui.store.write.intake import ImportCounts

KIND_WORDS = {
    Kind.CLIENTS: "cliënten",
    Kind.MEMBERS: "netwerk",
    Kind.AGREEMENTS: "afspraken",
    Kind.OUTCOMES: "ontwikkeling: een rij per meting",
    Kind.FLAT: "plat: een rij per afspraak",
}
#: The header of the reasons' column on the error sheet (not a column the import reads, so
#: the fixed sheet imports as it is).
REASON = "Fout"


def count(number: int, one: str, more: str) -> str:
    """`1 cliënt`, `2 cliënten`."""
    return f"{number} {one if number == 1 else more}"


def imported_text(counts: ImportCounts) -> str:
    """What an import wrote, in one sentence (the command line and the Team screen)."""
    return (
        f"{count(counts.clients_new, 'nieuwe cliënt', 'nieuwe cliënten')},"
        f" {counts.clients_updated} bijgewerkt,"
        f" {count(counts.members, 'netwerklid', 'netwerkleden')},"
        f" {count(counts.agreements, 'afspraak', 'afspraken')},"
        f" {count(counts.contacts, 'contactmoment', 'contactmomenten')},"
        f" {count(counts.assessments, 'meting', 'metingen')}."
    )


#: The report's lines are wrapped to fit a terminal of 80 columns, and the report pane of the
#: Importeren screen at 80 columns (74 wide inside its padding and scroll bar).
WIDTH = 74


def _wrapped(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False
    )


def _listed(label: str, items: list[str]) -> list[str]:
    """`label` and the items, comma-separated, wrapped between items (never inside one)."""
    lines, line = [], "  " + label
    for n, item in enumerate(items):
        piece = item + ("," if n < len(items) - 1 else "")
        if len(line) + 1 + len(piece) > WIDTH and line.strip() != label.strip():
            lines.append(line)
            line = "    " + piece
        else:
            line += ("" if line.endswith(": ") else " ") + piece
    lines.append(line)
    return lines


def report_lines(plan: Plan) -> list[str]:
    """The dry run's report, line by line."""
    lines: list[str] = []
    for sheet in plan.reading.sheets:
        if sheet.kind is None or sheet.layout is None:
            lines.append(f"Blad {sheet.name}: niet gelezen (geen kolommen die de import kent).")
            continue
        headers = {c.key: c.header for c in COLUMNS[sheet.kind]}
        lines.append(
            f"Blad {sheet.name} ({KIND_WORDS[sheet.kind]}, {count(sheet.rows, 'rij', 'rijen')}):"
        )
        chosen = [
            f"{headers[key]} ← '{header}'" if header != headers[key] else headers[key]
            for key, header in sheet.layout.chosen.items()
        ]
        lines.extend(_listed("kolommen: ", chosen))
        if sheet.layout.ignored:
            lines.extend(_listed("niet gelezen: ", [f"'{h}'" for h in sheet.layout.ignored]))
    lines.append("")
    lines.append(
        f"Cliënten: {plan.new} nieuw, {plan.updated} bijgewerkt, {plan.unchanged} al zo in het"
        " register."
    )
    lines.append(f"Netwerkleden: {plan.members} nieuw of bijgewerkt.")
    lines.append(f"Afspraken: {plan.agreements} nieuw of met een later laatste contact.")
    if plan.assessments or any(s.kind is Kind.OUTCOMES for s in plan.reading.sheets):
        lines.append(f"Metingen (ZRM, Positieve Gezondheid): {plan.assessments} nieuw.")
    if plan.problems:
        lines.append("")
        lines.append(f"{count(len(plan.problems), 'probleem', 'problemen')}:")
        for problem in plan.problems:
            lines.extend(_wrapped(str(problem), "  "))
    if plan.remarks:
        lines.append("")
        lines.append("Opmerkingen:")
        for remark in plan.remarks:
            lines.extend(_wrapped(remark, "  "))
    return lines


def refused_rows(plan: Plan) -> dict[str, dict[int, str]]:
    """Every refused row with its reasons joined, by sheet in the file's order and by row:
    sheet -> {row number: reasons}. Every row with a problem is refused (a whole sheet's
    problem, row 0, refuses the sheet and puts no row on the error sheet)."""
    reasons: dict[tuple[str, int], list[str]] = {}
    for problem in plan.problems:
        if problem.row:
            column = f"{problem.column}: " if problem.column else ""
            reasons.setdefault((problem.sheet, problem.row), []).append(f"{column}{problem.reason}")
    result: dict[str, dict[int, str]] = {}
    for report in plan.reading.sheets:
        rows = sorted(number for name, number in reasons if name == report.name)
        if rows and report.name not in result:
            result[report.name] = {n: " ".join(reasons[(report.name, n)]) for n in rows}
    return result


def rejected_sheets(
    plan: Plan,
) -> dict[str, tuple[tuple[str, ...], list[tuple[int, tuple[Cell, ...], str]]]]:
    """Every refused row as it was, with its reasons: sheet -> (header, [(row number, cells,
    reasons)]). The rows are read from the file again (UsageError when it changed since the
    dry run), so that a large file is never held in memory whole."""
    refused = refused_rows(plan)
    found = rows_again(plan.reading.sources, {name: set(rows) for name, rows in refused.items()})
    result: dict[str, tuple[tuple[str, ...], list[tuple[int, tuple[Cell, ...], str]]]] = {}
    for name, rows in refused.items():
        header, cells = found.get(name, ((), {}))
        result[name] = (
            header,
            [(number, cells[number], reason) for number, reason in rows.items() if number in cells],
        )
    return result
