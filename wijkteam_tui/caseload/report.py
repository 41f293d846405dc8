"""What a dry run says (the command line and the Team screen alike): per sheet what it was
read as and which header became which column, what the import would do, every problem, and
the remarks; and the refused rows as they were, with their reasons, for the error sheet."""

from __future__ import annotations

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


def _count(number: int, one: str, more: str) -> str:
    return f"{number} {one if number == 1 else more}"


def report_lines(plan: Plan) -> list[str]:
    """The dry run's report, line by line."""
    lines: list[str] = []
    for sheet in plan.reading.sheets:
        if sheet.kind is None or sheet.layout is None:
            lines.append(f"Blad {sheet.name}: niet gelezen (geen kolommen die de import kent).")
            continue
        headers = {c.key: c.header for c in COLUMNS[sheet.kind]}
        lines.append(
            f"Blad {sheet.name} ({KIND_WORDS[sheet.kind]}, {_count(sheet.rows, 'rij', 'rijen')}):"
        )
        chosen = [
            f"{headers[key]} ← '{header}'" if header != headers[key] else headers[key]
            for key, header in sheet.layout.chosen.items()
        ]
        lines.append(f"  kolommen: {', '.join(chosen)}")
        if sheet.layout.ignored:
            ignored = ", ".join(f"'{header}'" for header in sheet.layout.ignored)
            lines.append(f"  niet gelezen: {ignored}")
    lines.append("")
    lines.append(
        f"Cliënten: {plan.new} nieuw, {plan.updated} bijgewerkt, {plan.unchanged} al zo in het"
        f" register. Netwerkleden: {plan.members} nieuw of bijgewerkt. Afspraken:"
        f" {plan.agreements} nieuw of met een later laatste contact."
    )
    if plan.problems:
        lines.append("")
        lines.append(f"{_count(len(plan.problems), 'probleem', 'problemen')}:")
        lines.extend(f"  {problem}" for problem in plan.problems)
    if plan.remarks:
        lines.append("")
        lines.append("Opmerkingen:")
        lines.extend(f"  {remark}" for remark in plan.remarks)
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
