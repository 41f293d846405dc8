"""Caseload files as the tests make them: a workbook of named sheets, and the formula results
Excel stores beside each formula on saving (openpyxl writes the formula only)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook


def workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """An XLSX file at `path` with one sheet per item of `sheets`, in their order."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def with_saved_results(path: Path, results: dict[str, tuple[str, str]]) -> None:
    """What Excel does on saving: the result of each formula of the first sheet beside it.
    `results`: cell -> (type, value), as in `{"B2": ("n", "18000")}`."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, (kind, value) in results.items():
        sheet, count = re.subn(
            rf'<c r="{cell}"( [^>]*)?><f>(.*?)</f><v\s*/>',
            rf'<c r="{cell}" t="{kind}"><f>\2</f><v>{value}</v>',
            sheet,
        )
        assert count == 1, cell
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
