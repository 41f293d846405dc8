"""Reading a team's spreadsheet as it is: CSV as Dutch Excel and LibreOffice write it, or XLSX.

A CSV file is UTF-8 (with or without the byte-order mark Excel puts in front) or, when it is
not valid UTF-8, Windows-1252 (what Excel on Windows writes as "CSV (gescheiden door
lijstscheidingsteken)"); its separator is whichever of `;`, `,` and tab splits the header into
the most columns. An XLSX file is read with openpyxl in read-only mode, one row at a time, with
the values the spreadsheet program saved: a formula is never evaluated, its cached result is
its value, and a formula that was never calculated (no result saved) is said as such.

Rows come as they are numbered in the spreadsheet program (the header row is row 1 unless
empty rows come first), so that an error names the row the person sees. Empty rows are
skipped. Nothing here knows what the columns mean (columns.py)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import repeat
from pathlib import Path
from typing import IO, Any

from wijkteam_tui.errors import UsageError

#: What a cell holds: text (CSV, or text in a spreadsheet), a number, a date or nothing.
Cell = str | int | float | bool | date | datetime | time | None
#: The separators a CSV file may use, as Excel writes it in a Dutch (`;`) or English (`,`)
#: setting, or as a tab-separated export.
SEPARATORS = (";", ",", "\t")
#: Cells longer than this are refused as a damaged or planted file (a register field is at
#: most a few thousand characters).
MAX_CELL = 20_000
#: A formula whose result was not saved (written by a program that does not calculate).
UNCALCULATED = "formule zonder opgeslagen uitkomst"


class UncalculatedFormula(str):
    """The text of a formula whose result the file does not hold; never evaluated."""


@dataclass
class Sheet:
    """One sheet (a CSV file is one): its name, its header cells and where it stands, and its
    rows as (row number, cells), read as they are iterated."""

    name: str
    header: tuple[str, ...]
    header_row: int
    rows: Iterator[tuple[int, tuple[Cell, ...]]]


def csv_encoding(path: Path) -> str:
    """`utf-8-sig` for UTF-8 (with or without BOM), else `cp1252`: decided by decoding the
    whole file incrementally, so a large file is not held in memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as raw:
        try:
            while chunk := raw.read(1 << 16):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _separator(header_line: str) -> str:
    counts = {sep: len(next(csv.reader([header_line], delimiter=sep), [])) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: (counts[sep], -SEPARATORS.index(sep)))


def _is_empty(cells: tuple[Cell, ...] | list[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def read_csv(path: Path) -> Iterator[Sheet]:
    """The one sheet of a CSV file, named after the file."""
    encoding = csv_encoding(path)
    handle: IO[str] = path.open(encoding=encoding, newline="")
    try:
        lines = _numbered_lines(handle)
        first = next(((n, line) for n, line in lines if line.strip()), None)
        if first is None:
            raise UsageError(f"{path.name} is leeg: er staat geen kopregel in.")
        header_row, header_line = first
        separator = _separator(header_line)
        header = tuple(
            cell.strip() for cell in next(csv.reader([header_line], delimiter=separator))
        )
        reader = csv.reader(_rest(handle), delimiter=separator)

        def rows() -> Iterator[tuple[int, tuple[Cell, ...]]]:
            # Numbered by record, as a spreadsheet program shows them (a cell with a line
            # break in it stays one row).
            number = header_row
            try:
                for row in reader:
                    number += 1
                    if any(len(cell) > MAX_CELL for cell in row):
                        raise UsageError(
                            f"{path.name}, rij {number}: een cel is langer dan {MAX_CELL}"
                            " tekens; is dit wel het bestand van het team?"
                        )
                    if not _is_empty(row):
                        yield number, tuple(row)
            except csv.Error as error:
                raise UsageError(
                    f"{path.name}, rij {number + 1}: dit is geen leesbare CSV ({error})."
                ) from None
            finally:
                handle.close()

        yield Sheet(path.stem, header, header_row, rows())
    except BaseException:
        handle.close()
        raise


def _numbered_lines(handle: IO[str]) -> Iterator[tuple[int, str]]:
    """The physical lines up to and including the header (read one at a time)."""
    number = 0
    while True:
        line = handle.readline()
        if not line:
            return
        number += 1
        yield number, line


def _rest(handle: IO[str]) -> Iterator[str]:
    while line := handle.readline():
        yield line


def read_xlsx(path: Path) -> Iterator[Sheet]:
    """Every sheet of an XLSX workbook that has a header row, in the workbook's order."""
    # Lazy: openpyxl loads only when a spreadsheet is imported.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Read-only: rows stream from the file. data_only: the saved result of a formula;
        # the formulas themselves are read beside it only when there are any (reading the
        # file twice doubles the time a large caseload takes).
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False) if _formulas(path) else None
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        OSError,
        KeyError,
        ValueError,
        io.UnsupportedOperation,
    ):
        raise UsageError(
            f"{path.name} is geen leesbaar Excel-bestand (.xlsx): beschadigd, of iets anders"
            " met die naam. Bewaar het opnieuw als Excel-werkmap of als CSV."
        ) from None
    try:
        for name in values.sheetnames:
            sheet = _xlsx_sheet(
                name,
                values[name].iter_rows(),
                repeat(()) if formulas is None else formulas[name].iter_rows(),
            )
            if sheet is not None:
                yield sheet
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


#: A formula element in a worksheet's XML (`<f>`, `<f t="shared" …/>`, or with a prefix).
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _formulas(path: Path) -> bool:
    """Whether the workbook may hold a formula: each part read as it unpacks, a block at a
    time (a block overlaps the one before it, so no element is cut in two). Every part, not
    only where Excel keeps its sheets: a workbook may keep them anywhere, by any name."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            with archive.open(info) as member:
                tail = b""
                while block := member.read(1 << 16):
                    if _FORMULA.search(tail + block):
                        return True
                    tail = block[-64:]
    return False


def _xlsx_sheet(name: str, values: Iterator[Any], formulas: Iterator[Any]) -> Sheet | None:
    """The sheet's header and rows; `formulas` gives each row's formula cells, or an empty
    row for each when the workbook has none."""
    pairs = zip(values, formulas, strict=False)
    for value_row, formula_row in pairs:
        header_cells = [_xlsx_value(v, f) for v, f in _cells(value_row, formula_row)]
        if _is_empty(header_cells):
            continue
        number = _row_number(value_row)
        header = tuple("" if cell is None else str(cell).strip() for cell in header_cells)

        def rows(pairs: Iterator[Any] = pairs) -> Iterator[tuple[int, tuple[Cell, ...]]]:
            for value_row, formula_row in pairs:
                cells = tuple(_xlsx_value(v, f) for v, f in _cells(value_row, formula_row))
                if not _is_empty(cells):
                    yield _row_number(value_row), cells

        return Sheet(name, header, number, rows())
    return None


def _cells(value_row: Any, formula_row: Any) -> Iterator[tuple[Any, Any]]:
    """Each cell's saved value with its formula cell (None without formulas)."""
    if not formula_row:
        return ((value, None) for value in value_row)
    return zip(value_row, formula_row, strict=False)


def _row_number(row: Any) -> int:
    for cell in row:
        number = getattr(cell, "row", None)
        if number is not None:
            return int(number)
    return 0


def _xlsx_value(value_cell: Any, formula_cell: Any) -> Cell:
    value = getattr(value_cell, "value", None)
    formula = getattr(formula_cell, "value", None)
    if value is None and isinstance(formula, str) and formula.startswith("="):
        return UncalculatedFormula(formula)
    if isinstance(value, str) and len(value) > MAX_CELL:
        raise UsageError(f"Een cel is langer dan {MAX_CELL} tekens; is dit wel het bestand?")
    if isinstance(value, (str, int, float, bool, date, datetime, time)):
        return value
    return None if value is None else str(value)


def read_sheets(path: Path) -> Iterator[Sheet]:
    """The sheets of a CSV or XLSX file, by what the file is (its first bytes), not only its
    name: a renamed file is read as what it is."""
    try:
        with path.open("rb") as raw:
            start = raw.read(4)
    except FileNotFoundError:
        raise UsageError(f"Het bestand {path} bestaat niet.") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is een map, geen bestand.") from None
    except OSError as error:
        raise UsageError(
            f"Het bestand {path} kan niet worden gelezen ({error.strerror})."
        ) from None
    if start.startswith(b"PK\x03\x04"):
        return read_xlsx(path)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise UsageError(
            f"{path.name} is geen .xlsx-bestand zoals Excel het nu bewaart; bewaar het als"
            " Excel-werkmap (.xlsx) of als CSV."
        )
    return read_csv(path)


@dataclass(frozen=True)
class Source:
    """A file that was read, and the SHA-256 of its bytes then: read again for the error
    sheet only when it is still the same file."""

    path: Path
    digest: bytes

    @classmethod
    def of(cls, path: Path) -> Source:
        try:
            with path.open("rb") as handle:
                return cls(path, hashlib.file_digest(handle, "sha256").digest())
        except OSError as error:
            raise UsageError(
                f"Het bestand {path} kan niet worden gelezen ({error.strerror or error})."
            ) from None


def rows_again(
    sources: Iterable[Source], wanted: dict[str, set[int]]
) -> dict[str, tuple[tuple[str, ...], dict[int, tuple[Cell, ...]]]]:
    """The `wanted` rows (sheet name -> row numbers) read from the files again, as they are:
    sheet name -> (header, {row number: cells}). UsageError when a file changed since it
    was read (its rows would not be the ones the report named)."""
    found: dict[str, tuple[tuple[str, ...], dict[int, tuple[Cell, ...]]]] = {}
    for source in sources:
        if Source.of(source.path).digest != source.digest:
            raise UsageError(
                f"{source.path.name} is veranderd sinds het gelezen werd; lees het opnieuw in."
            )
        for sheet in read_sheets(source.path):
            numbers = wanted.get(sheet.name, set())
            _header, rows = found.setdefault(sheet.name, (sheet.header, {}))
            for number, cells in sheet.rows:
                if number in numbers:
                    rows[number] = cells
    return found
