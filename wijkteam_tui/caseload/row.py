"""One row of a caseload sheet being read: its cells by field, and the problems of its cells
named by sheet, row and column as the person sees them (reading.py and outcomes.py read
their entries from it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wijkteam_tui.caseload import values
from wijkteam_tui.caseload.columns import Layout
from wijkteam_tui.caseload.entries import Problem, Where
from wijkteam_tui.caseload.sheets import Cell, Sheet


class Row:
    """One row's cells by field, collecting the problems of its cells."""

    def __init__(
        self,
        sheet: Sheet,
        found: Layout,
        present: frozenset[str],
        number: int,
        cells: tuple[Cell, ...],
    ):
        self.sheet, self.layout, self.number, self.cells = sheet, found, number, cells
        #: The fields whose column the sheet has (one set per sheet, shared by its rows).
        self.present = present
        self.problems: list[Problem] = []

    def problem(self, key: str, reason: str) -> None:
        """A problem of the cell of field `key` (of the row, when the sheet has no column)."""
        self.problems.append(
            Problem(self.sheet.name, self.number, self.layout.chosen.get(key, ""), reason)
        )

    def cell(self, key: str) -> Cell:
        position = self.layout.positions.get(key)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def read(self, key: str, reader: Callable[[Cell], Any], default: Any = None) -> Any:
        try:
            found = reader(self.cell(key))
        except values.CellError as error:
            self.problem(key, str(error))
            return default
        return default if found is None else found

    def text(self, key: str, limit: int = 2000) -> str:
        written: str = self.read(key, values.text, "")
        if len(written) > limit:
            self.problem(key, f"hoogstens {limit} tekens (nu {len(written)}).")
        return written

    def require(self, key: str, what: str) -> str:
        written = self.text(key, 160)
        if not written and key in self.layout.positions:
            self.problem(key, f"{what} is leeg.")
        return written

    @property
    def where(self) -> Where:
        return Where(self.sheet.name, self.number)
