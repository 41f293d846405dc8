"""Showing what people typed exactly as they typed it.

User text never goes to the screen as markup: names like `[bold]Jan[/]` or with escape
sequences are shown literally, and control characters become visible symbols so they cannot
drive the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.table import Table
from rich.text import Text

from wijkteam_tui.domain.dates import MONTHS, format_date, format_short

_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))}
_CONTROL[0x1B] = "␛"
_CONTROL[0x09] = " "


def clean(value: object) -> str:
    """The text with control characters made visible."""
    return str(value).translate(_CONTROL)


def literal(value: object, style: str = "") -> Text:
    """A Rich Text that shows `value` exactly, never parsed as markup."""
    return Text(clean(value), style=style, no_wrap=False)


def labelled(
    rows: Sequence[tuple[Text | str, Text | str]], width: int, *, right: bool = False, gap: int = 0
) -> Table:
    """Label and value side by side; a long value wraps under itself, never into the labels."""
    grid = Table.grid(padding=(0, gap))
    grid.add_column(width=width, no_wrap=True, justify="right" if right else "left")
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def day(value: date | None) -> str:
    return format_date(value) if value else "—"


def brief_day(value: date | None, today: date) -> str:
    """`24 nov` in this year, `3 jan 2027` in another: a date for a narrow column."""
    if value is None:
        return "—"
    brief = f"{value.day} {MONTHS[value.month - 1]}"
    return brief if value.year == today.year else f"{brief} {value.year}"


def short_day(value: date | None) -> str:
    return format_short(value) if value else "—"


def columns_line(cells: tuple[Text | str, ...], widths: tuple[int, ...]) -> Text:
    """One row of fixed-width columns as a single line (one renderable, cheap to draw). The
    last cell is not padded: in a narrow list, blanks cut off would end the line in "…"."""
    line = Text(no_wrap=True)
    pairs = list(zip(cells, widths, strict=False))
    for index, (cell, width) in enumerate(pairs):
        text = cell.copy() if isinstance(cell, Text) else literal(cell)
        last = index == len(pairs) - 1
        text.truncate(width, overflow="ellipsis", pad=not last)
        line.append_text(text)
        if not last:
            line.append(" ")
    return line


def header(columns: tuple[tuple[str, int], ...]) -> Text:
    """The column titles for `columns_line` rows."""
    return Text(" ".join(label.ljust(width) for label, width in columns), style="bold")


def counted(count: int, one: str, many: str) -> str:
    """`1 cliënt`, `2 cliënten`, `0 cliënten`."""
    return f"{count} {one if count == 1 else many}"


def fit(value: object, width: int, style: str = "") -> Text:
    """The text cut to `width` cells, ending in "…" when something was cut off."""
    text = value.copy() if isinstance(value, Text) else literal(value, style)
    text.no_wrap = True
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    return text


def soon_text(due: date, today: date) -> str:
    """The date column of "Deze week" on Vandaag: the weekday and date ahead, "vandaag", or how
    far past the date an agreement still within the grace days is ("3d over tijd")."""
    late = (today - due).days
    if late > 0:
        return f"{late}d over tijd"
    if late == 0:
        return "vandaag"
    return day(due)[:-5]


def late_text(days: int) -> str:
    """`1 dag te laat`, `12 dagen te laat`."""
    return f"{counted(days, 'dag', 'dagen')} te laat"


def over_time_text(days: int) -> str:
    """`3 dagen over tijd`: past the date, but within the team's grace days (coulance), so not
    yet te laat."""
    return f"{counted(days, 'dag', 'dagen')} over tijd"


def due_text(due: date | None, today: date, overdue: bool = True) -> str:
    """A due date as a person needs it: a date in the past always says how late it is; within
    the team's grace days (`overdue` False) it is "over tijd", after them "te laat"."""
    if due is None:
        return "—"
    late = (today - due).days
    if late > 0:
        return f"{format_date(due)} ({late_text(late) if overdue else over_time_text(late)})"
    if late == 0:
        return f"{format_date(due)} (vandaag)"
    return format_date(due)
