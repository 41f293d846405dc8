"""Sociale kaart: the team's resources (buurthuis, kerk, moskee, vereniging, inloop), searchable
as you type, added with Ctrl+N and changed with `e` or Enter. A network member is linked to one
of them in the member form."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from wijkteam_tui.domain.search import fold, search_words
from wijkteam_tui.store.read.edit import resource_for_edit, resources
from wijkteam_tui.store.records import ResourceInput, ResourceRow
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.clients import SearchInput
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.forms.resource import ResourceForm
from wijkteam_tui.views.tables import place_kept
from wijkteam_tui.views.text import fit
from wijkteam_tui.views.topbar import TopBar

COLUMNS = (
    ("Naam", 26),
    ("Soort", 14),
    ("Adres", 26),
    ("Open", 18),
    ("Contactpersoon", 18),
    ("Telefoon", 14),
)


def matches(row: ResourceRow, words: list[str]) -> bool:
    """Every typed word is in the entry's name, kind, address, contact person or note."""
    haystack = fold(" ".join((row.name, row.category, row.address, row.contact_person, row.notes)))
    return all(word in haystack for word in words)


class SocialMapScreen(WijkteamScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Terug", id="social.back", tooltip="Vorig scherm"),
        Binding("ctrl+n", "new", "Nieuwe voorziening", id="social.new", tooltip="Toevoegen"),
        Binding("e", "edit", "Wijzigen", id="social.edit", tooltip="Gekozen voorziening wijzigen"),
        Binding("ctrl+f", "focus_search", "Zoek", id="social.search", tooltip="Naar zoekveld"),
        Binding("down", "focus_table", "Lijst", show=False, id="social.table"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ResourceRow] = []
        self._shown_once = False

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield SearchInput(
            placeholder="Zoek op naam, soort, adres of contactpersoon",
            id="social-search",
            compact=True,
        )
        yield Static("", id="social-count")
        table: DataTable[object] = DataTable(id="social", cursor_type="row", zebra_stripes=True)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        yield table
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_top_bar()
        self.query_one("#social-search").focus()
        self.action_reload()

    def action_reload(self) -> None:
        register = self.wijkteam.register
        if register is not None:
            # Keys typed before the first list is there wait for it.
            self.run_store(
                lambda: resources(register),
                self._loaded,
                group="social",
                hold_keys=not self._shown_once,
            )

    def _loaded(self, rows: list[ResourceRow]) -> None:
        self._shown_once = True
        self.rows = rows
        self._show()

    @on(Input.Changed, "#social-search")
    def _show(self) -> None:
        words = search_words(self.query_one("#social-search", Input).value)
        shown = [row for row in self.rows if matches(row, words)]
        table = self.query_one("#social", DataTable)
        with place_kept(table):
            table.clear()
            for row in shown:
                cells = (
                    row.name,
                    row.category,
                    row.address,
                    row.opening_hours,
                    row.contact_person,
                    row.phone,
                )
                table.add_row(
                    *(
                        fit(value or "—", width)
                        for value, (_, width) in zip(cells, COLUMNS, strict=True)
                    ),
                    key=str(row.id),
                )
        count = f"{len(shown)} van {len(self.rows)}" if words else f"{len(self.rows)}"
        empty = not self.rows
        self.query_one("#social-count", Static).update(
            Text(
                "Nog niets op de sociale kaart: voeg een voorziening toe met Ctrl+N."
                if empty
                else f"{count} {'voorziening' if len(self.rows) == 1 else 'voorzieningen'}"
                " · Enter of e wijzigt, Ctrl+N voegt toe",
                style="dim",
            )
        )

    def _chosen(self) -> int | None:
        table = self.query_one("#social", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key and key.isdigit() else None

    @on(Input.Submitted, "#social-search")
    def action_focus_table(self) -> None:
        self.query_one("#social", DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#social-search").focus()

    @on(DataTable.RowSelected, "#social")
    def action_edit(self) -> None:
        register = self.wijkteam.register
        resource_id = self._chosen()
        if register is None or resource_id is None:
            self.notify("Kies eerst een voorziening (↑ ↓).")
            return

        def load() -> tuple[int, ResourceInput, int]:
            details, version = resource_for_edit(register, resource_id)
            return resource_id, details, version

        self.run_store(load, self._edit_loaded, group="form", hold_keys=True)

    def _edit_loaded(self, current: tuple[int, ResourceInput, int]) -> None:
        self.app.push_screen(ResourceForm(current), self._saved)

    def action_new(self) -> None:
        self.app.push_screen(ResourceForm(), self._saved)

    def _saved(self, saved: object) -> None:
        if saved is not None:
            self.app.notify("Opgeslagen.")
            self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()
