"""`wijkteam overdue`: the overdue contact moments as a table (80 columns), CSV or JSON.

CSV follows RFC 4180 (CRLF line ends, fields with a comma, quote or line break in double
quotes), is UTF-8 with a byte-order mark so spreadsheet programs show accents, and every cell
that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a carriage
return) gets a leading apostrophe, so that a name such as `=cmd|' /C calc'!A0` stays text.

JSON follows `overdue.schema.json` (next to this module), version 1: a new version number
means a field was removed or changed meaning; fields may be added within a version."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from wijkteam_tui.domain.terms import Channel
from wijkteam_tui.store.records import DueItem

SCHEMA_NAME = "wijkteam-overdue"
SCHEMA_VERSION = 1
SCHEMA_FILE = Path(__file__).with_name("overdue.schema.json")

COLUMNS = (
    "dagen te laat",
    "gepland",
    "cliëntnummer",
    "cliënt",
    "wie maakt contact",
    "hoe",
    "casemanager",
)

#: What a spreadsheet program reads as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: Each channel's Dutch word, looked up once (a list may hold a quarter of a million items).
_LABELS = {channel: channel.label for channel in Channel}


def neutralised(cell: str) -> str:
    """A cell no spreadsheet evaluates: a leading apostrophe before a formula character."""
    return f"'{cell}" if cell.startswith(FORMULA_START) else cell


def _cells(item: DueItem) -> list[str]:
    return [
        str(item.days_overdue),
        item.next_due.isoformat(),
        item.client_number,
        item.client_name,
        item.who,
        _LABELS[item.channel],
        item.casemanager,
    ]


#: Items per piece of streamed output (`csv_chunks`, `json_chunks`, `table_chunks`): the
#: command writes each piece as it is made, so a list of 27,000 never sits in memory as text.
CHUNK = 1_000


def _batches(items: Sequence[DueItem]) -> Iterator[Sequence[DueItem]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def csv_chunks(items: Sequence[DueItem]) -> Iterator[bytes]:
    """RFC 4180 CSV in UTF-8 with a byte-order mark, every cell neutralised, in pieces."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    yield out.getvalue().encode("utf-8-sig")
    for batch in _batches(items):
        out.seek(0)
        out.truncate()
        writer.writerows([neutralised(cell) for cell in _cells(item)] for item in batch)
        yield out.getvalue().encode("utf-8")


def to_csv(items: Sequence[DueItem]) -> bytes:
    """The whole CSV (`csv_chunks`) at once."""
    return b"".join(csv_chunks(items))


#: One line: for scripts (`jq` shows it indented); indenting thousands of items costs more than
#: reading them.
_COMPACT = {"ensure_ascii": False, "separators": (",", ":")}


def json_chunks(
    items: Sequence[DueItem], today: date, *, team: str, medewerker: str | None
) -> Iterator[str]:
    """The JSON document (`overdue.schema.json`) in pieces, joined exactly as one dump of it."""
    head = {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "date": today.isoformat(),
        "team": team,
        "medewerker": medewerker,
        "count": len(items),
    }
    yield json.dumps(head, **_COMPACT)[:-1] + ',"items":['  # type: ignore[arg-type]
    for number, batch in enumerate(_batches(items)):
        part = [
            {
                "client_number": item.client_number,
                "client": item.client_name,
                "who": item.who,
                "channel": item.channel.value,
                "channel_label": _LABELS[item.channel],
                "due": item.next_due.isoformat(),
                "days_overdue": item.days_overdue,
                "casemanager": item.casemanager,
            }
            for item in batch
        ]
        yield ("," if number else "") + json.dumps(part, **_COMPACT)[1:-1]  # type: ignore[arg-type]
    yield "]}\n"


def to_json(items: Sequence[DueItem], today: date, *, team: str, medewerker: str | None) -> str:
    """The whole JSON document (`json_chunks`) at once."""
    return "".join(json_chunks(items, today, team=team, medewerker=medewerker))


def _fit(text: str, width: int) -> str:
    """`text` in exactly `width` columns: cut with an ellipsis when it is longer."""
    text = " ".join(text.split())
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


#: (header, width) of the table's columns; with the spaces between them 80 columns.
TABLE = (("Dagen", 5), ("Nr", 6), ("Cliënt", 20), ("Wie", 21), ("Hoe", 11), ("Casemanager", 11))


def table_chunks(
    items: Sequence[DueItem], today: date, *, printable: object = str
) -> Iterator[str]:
    """A plain-text table that fits 80 columns, in pieces; `printable` makes text safe for a
    terminal."""
    show = printable if callable(printable) else str
    word = "contactmoment" if len(items) == 1 else "contactmomenten"
    header = " ".join(_fit(header, width) for header, width in TABLE).rstrip()
    yield f"Te laat op {today.isoformat()}: {len(items)} {word}\n{header}\n"
    for batch in _batches(items):
        lines = []
        for item in batch:
            days = str(item.days_overdue).rjust(TABLE[0][1])
            cells = [
                item.client_number,
                item.client_name,
                item.who,
                _LABELS[item.channel],
                item.casemanager or "(geen)",
            ]
            row = " ".join(
                _fit(str(show(cell)), width)
                for cell, (_, width) in zip(cells, TABLE[1:], strict=True)
            )
            lines.append(f"{days} {row}".rstrip() + "\n")
        yield "".join(lines)


def to_table(items: Sequence[DueItem], today: date, *, printable: object = str) -> str:
    """The whole table (`table_chunks`) at once."""
    return "".join(table_chunks(items, today, printable=printable))
