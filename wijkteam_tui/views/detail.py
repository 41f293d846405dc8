"""A whole row, every field in full: for text that a list or table had to cut short."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from wijkteam_tui.views.text import literal

#: (label, value) pairs, shown in this order.
Fields = tuple[tuple[str, object], ...]


def field_table(fields: Fields, label_width: int = 16) -> Table:
    """Labels in one column, values wrapping in the other."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(width=label_width, style="bold", no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    for label, value in fields:
        table.add_row(label, literal(value if value not in (None, "") else "—"))
    return table


class DetailScreen(ModalScreen[None]):
    """Shows `fields` in full; Esc, Enter or q closes."""

    BINDINGS = [
        Binding("escape,enter,q", "dismiss", "Sluiten", id="detail.close", tooltip="Terug"),
    ]

    def __init__(self, title: Text | str, fields: Fields) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-box", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(field_table(self.fields), id="detail-fields")
