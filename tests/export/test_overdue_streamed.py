"""`wijkteam overdue` writes its list in pieces as it makes them (export/overdue.py): joined,
the pieces are exactly the one document, CSV file or table the list is, also across the
boundary between two pieces and for an empty list."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest

from wijkteam_tui.domain.terms import Channel
from wijkteam_tui.export.overdue import (
    CHUNK,
    COLUMNS,
    csv_chunks,
    json_chunks,
    table_chunks,
)
from wijkteam_tui.store.records import DueItem

TODAY = date(2026, 12, 4)


def _items(count: int) -> list[DueItem]:
    return [
        DueItem(
            n,
            n,
            f"{100000 + n}",
            f'Cliënt "{n}", =SOM(A1)' if n % 7 == 0 else f"Cliënt {n}",
            f"Buur {n}",
            list(Channel)[n % len(Channel)],
            TODAY - timedelta(days=n % 90),
            n % 90,
            "",
            "Bram de Wit" if n % 2 else "",
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [0, 1, CHUNK, 2 * CHUNK + 3])
def test_the_pieces_are_the_whole(count):
    items = _items(count)
    pieces = list(json_chunks(items, TODAY, team="Wijkteam Noord", medewerker=None))
    assert len(pieces) == 2 + -(-count // CHUNK)
    document = json.loads("".join(pieces))
    assert "".join(pieces) == json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert document["count"] == count == len(document["items"])
    assert [i["client_number"] for i in document["items"]] == [i.client_number for i in items]

    data = b"".join(csv_chunks(items))
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(COLUMNS) and len(rows) == count + 1
    assert [r[3] for r in rows[1:]] == [
        f"'{i.client_name}" if i.client_name.startswith("=") else i.client_name for i in items
    ]

    table = "".join(table_chunks(items, TODAY)).splitlines()
    assert len(table) == count + 2 and all(len(line) <= 80 for line in table)
