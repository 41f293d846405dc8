"""What a dry run says (the command line and the Team screen alike): per sheet what it was
read as and which header became which column, what the import would do, every problem, and
the remarks; and the refused rows as they were, with their reasons, for the error sheet."""

from __future__ import annotations

import textwrap

from wijkteam_tui.caseload.columns import COLUMNS, Kind
from wijkteam_tui.caseload.plan import Plan
from wijkteam_tui.caseload.sheets import Cell

KIND_WORDS = {
    Kind.CLIENTS: "cliënten",
    Kind.MEMBERS: "netwerk",
    Kind.AGREEMENTS: "afspraken",
    Kind.FLAT: "plat: een rij per afspraak",
}
#: The header of the reasons' column on the error sheet (not a column the import reads, so
#: the fixed sheet imports as it is).
REASON = "Fout"


def count(number: int, one: str, more: str) -> str:
    """`1 cliënt`, `2 cliënten`."""
    return f"{number} {one if number == 1 else more}"


#: The report's lines are wrapped to fit a terminal of 80 columns and more.
WIDTH = 78


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


def rejected_sheets(
    plan: Plan,
) -> dict[str, tuple[tuple[str, ...], list[tuple[int, tuple[Cell, ...], str]]]]:
    """Every refused row, by sheet (in the file's order) and row, as it was, with its reasons
    joined: sheet -> (header, [(row number, cells, reasons)])."""
    reasons: dict[tuple[str, int], list[str]] = {}
    for problem in plan.problems:
        if problem.row:
            column = f"{problem.column}: " if problem.column else ""
            reasons.setdefault((problem.sheet, problem.row), []).append(f"{column}{problem.reason}")
    cells: dict[tuple[str, int], tuple[Cell, ...]] = {}
    for name, (_header, numbered) in plan.reading.rejected.items():
        for number, row in numbered:
            cells[(name, number)] = row
    for where in plan.refused:
        cells.setdefault((where.sheet, where.row), where.cells)
    result: dict[str, tuple[tuple[str, ...], list[tuple[int, tuple[Cell, ...], str]]]] = {}
    for report in plan.reading.sheets:
        rows = sorted(
            (
                (number, row, " ".join(reasons.get((report.name, number), [])))
                for (name, number), row in cells.items()
                if name == report.name
            ),
            key=lambda refused: refused[0],
        )
        if rows:
            result[report.name] = (report.header, rows)
    return result
