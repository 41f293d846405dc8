"""Tables of rows on the teamleider's screens (Team, Auditlog, Gebruikers)."""

from __future__ import annotations

from textual.widgets import DataTable


def row_table(table_id: str, columns: tuple[tuple[str, int], ...]) -> DataTable[object]:
    """A zebra-striped table chosen by row, with fixed column widths."""
    table: DataTable[object] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    for label, width in columns:
        table.add_column(label, width=width)
    return table
