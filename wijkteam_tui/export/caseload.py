"""The error sheet of `wijkteam import --valid-only`: the rows that were not imported, as they
were, with a column Fout saying why, in the form the file came in (XLSX with its sheets, or
CSV as Dutch Excel reads it: UTF-8 with a byte-order mark, semicolons). The team fixes them
there and imports the file again; the Fout column is not one the import reads."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time

from wijkteam_tui.caseload.report import REASON
from wijkteam_tui.caseload.sheets import Cell, UncalculatedFormula
from wijkteam_tui.export.overdue import neutralised

Rejected = dict[str, tuple[tuple[str, ...], list[tuple[int, tuple[Cell, ...], str]]]]


def _plain(cell: Cell) -> str | int | float | bool | date | datetime | time | None:
    # A formula without a saved result stays its text: the error sheet never carries a
    # formula someone else wrote.
    return str(cell) if isinstance(cell, UncalculatedFormula) else cell


def rejects_xlsx(rejected: Rejected) -> bytes:
    """A workbook with a sheet per sheet that had refused rows."""
    # Lazy: openpyxl loads only when an error sheet is written.
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, (header, rows) in rejected.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([*header, REASON])
        for _number, cells, reason in rows:
            values = [_plain(cell) for cell in cells]
            values += [None] * (len(header) - len(values))
            sheet.append([*values, reason])
            for cell in sheet[sheet.max_row]:
                # Text stays text (openpyxl would write "=…" as a formula).
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rejects_csv(rejected: Rejected) -> bytes:
    """The one sheet of a CSV file, as Dutch Excel reads it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for header, rows in rejected.values():
        writer.writerow([*header, REASON])
        for _number, cells, reason in rows:
            values = ["" if cell is None else str(_plain(cell)) for cell in cells]
            values += [""] * (len(header) - len(values))
            # A cell a spreadsheet would run as a formula gets an apostrophe in front, which
            # the import takes off again (caseload.values.text).
            writer.writerow([*map(neutralised, values), neutralised(reason)])
    return out.getvalue().encode("utf-8-sig")
