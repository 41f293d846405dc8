"""Tables and lists of rows: made alike, and refilled without losing the person's place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from textual.widgets import DataTable, OptionList
from textual.widgets.data_table import RowDoesNotExist
from textual.widgets.option_list import OptionDoesNotExist


def row_table(table_id: str, columns: tuple[tuple[str, int], ...]) -> DataTable[object]:
    """A zebra-striped table chosen by row, with fixed column widths."""
    table: DataTable[object] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    for label, width in columns:
        table.add_column(label, width=width)
    return table


def has_columns(table: DataTable[Any], columns: tuple[tuple[str, int], ...]) -> bool:
    """Whether `table` has exactly `columns` (labels and widths)."""
    return [(str(c.label), c.width) for c in table.ordered_columns] == list(columns)


def set_columns(table: DataTable[Any], columns: tuple[tuple[str, int], ...]) -> None:
    """Empty `table` and give it `columns` (a terminal crossed a width where they change)."""
    table.clear(columns=True)
    for label, width in columns:
        table.add_column(label, width=width)


@contextmanager
def place_kept(widget: DataTable[Any] | OptionList) -> Iterator[None]:
    """Refill `widget` inside this block, and the person keeps their place: the cursor goes
    back to the same row (by its key; by its position when that row is gone), on the same line
    of the screen (rows that came or went above it scroll the view along). A colleague's
    change shown by itself must not move anyone's cursor (see views.base:
    `colleague_changed`)."""
    key, index = _chosen(widget)
    scroll_x, scroll_y = widget.scroll_x, widget.scroll_y
    yield
    count = widget.row_count if isinstance(widget, DataTable) else widget.option_count
    if not count or key is None:
        return  # nothing was chosen (the first filling): the widget's own start stands
    target = min(index, count - 1)
    if key is not None:
        with suppress(KeyError, RowDoesNotExist, OptionDoesNotExist):
            target = (
                widget.get_row_index(key)
                if isinstance(widget, DataTable)
                else widget.get_option_index(key)
            )
    if isinstance(widget, DataTable):
        widget.move_cursor(row=target, scroll=False)
    else:
        widget.highlighted = target
    # One line per row (tables, and the lists this is used for): the view moves by the rows
    # that came or went above the chosen one.
    scroll_y += target - index

    def scroll_back() -> None:
        # Once the new rows are measured (before that the scroll is clamped to nothing), and
        # only when the person has not moved on meanwhile (keys typed while it loaded).
        if isinstance(widget, DataTable):
            if widget.cursor_row == target:
                widget.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)
                widget.move_cursor(row=target, scroll=True)  # scrolls only when out of view
        elif widget.highlighted == target:
            widget.scroll_to(scroll_x, scroll_y, animate=False, immediate=True)
            widget.scroll_to_highlight()

    widget.call_after_refresh(scroll_back)


def _chosen(widget: DataTable[Any] | OptionList) -> tuple[str | None, int]:
    """The key and position of the row the cursor is on (None, 0 when there is none)."""
    if isinstance(widget, DataTable):
        if not widget.row_count:
            return None, 0
        row = widget.cursor_row
        key = widget.coordinate_to_cell_key(widget.cursor_coordinate).row_key.value
        return key, row
    if widget.highlighted is None or not widget.option_count:
        return None, 0
    return widget.get_option_at_index(widget.highlighted).id, widget.highlighted
