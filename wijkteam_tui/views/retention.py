"""Bewaartermijn (teamleider, `b` on Team): closed files past their retention date, which the
law says must be destroyed. `w` destroys the chosen one (the erasure form: a reason and the
client number typed), `v` keeps it longer with a date and a reason."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.errors import WijkteamError
from wijkteam_tui.store.erasure import (
    Erased,
    ErasureFacts,
    PastRetention,
    erasure_facts,
    past_retention,
)
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.forms.erase import EraseForm
from wijkteam_tui.views.forms.retention import ExtendRetentionForm
from wijkteam_tui.views.tables import place_kept, row_table
from wijkteam_tui.views.text import counted, fit
from wijkteam_tui.views.topbar import TopBar

#: All in view at 80 columns.
COLUMNS = (
    ("Nummer", 8),
    ("Cliënt", 22),
    ("Regeling", 16),
    ("Gesloten", 10),
    ("Bewaren tot", 11),
)


class RetentionScreen(WijkteamScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Terug", id="retention.back", tooltip="Vorig scherm"),
        Binding(
            "w",
            "destroy",
            "Vernietigen",
            id="retention.destroy",
            tooltip="Het gekozen dossier voorgoed wissen",
        ),
        Binding(
            "v",
            "extend",
            "Langer bewaren",
            id="retention.extend",
            tooltip="Met een reden langer bewaren",
        ),
        Binding("r", "reload", "Vernieuw", id="retention.reload", tooltip="Opnieuw laden"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PastRetention] = []

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static("Laden…", id="retention-summary")
        yield row_table("retention-table", COLUMNS)
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_top_bar()
        self.query_one("#retention-table", DataTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        today = self.wijkteam.clock()
        # Keys typed before the list is there (down, w) wait for it instead of getting lost.
        self.run_store(lambda: past_retention(register, today), self._show, group="retention",
                       failed=self._refused, hold_keys=True)  # fmt: skip

    def _refused(self, message: str, _error: WijkteamError | None) -> None:
        self.tell_refusal("retention-summary", message)

    def _show(self, rows: list[PastRetention]) -> None:
        self.rows = rows
        table = self.query_one("#retention-table", DataTable)
        with place_kept(table):
            table.clear()
            for row in rows:
                cells = (
                    row.number,
                    row.name,
                    row.regime,
                    f"{row.closed_on:%d-%m-%Y}" if row.closed_on else "—",
                    f"{row.retention_until:%d-%m-%Y}",
                )
                table.add_row(
                    *(fit(cell, width) for cell, (_, width) in zip(cells, COLUMNS, strict=True)),
                    key=str(row.client_id),
                )
        summary = (
            f"{counted(len(rows), 'dossier', 'dossiers')} voorbij de bewaartermijn: de wet zegt"
            " vernietigen (w). Langer bewaren kan met een reden (v)."
            if rows
            else "Geen dossiers voorbij de bewaartermijn: er hoeft niets vernietigd te worden."
        )
        self.query_one("#retention-summary", Static).update(summary)

    def _chosen(self) -> PastRetention | None:
        table = self.query_one("#retention-table", DataTable)
        if not self.rows:
            self.notify("Er is geen dossier om te kiezen.")
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def action_destroy(self) -> None:
        register, row = self.wijkteam.register, self._chosen()
        if register is None or row is None:
            return
        today = self.wijkteam.clock()
        self.run_store(
            lambda: erasure_facts(register, row.client_id, today),
            self._destroy_loaded,
            group="retention-form",
            hold_keys=True,
        )

    def _destroy_loaded(self, facts: ErasureFacts) -> None:
        self.app.push_screen(EraseForm(facts), self._changed)

    def action_extend(self) -> None:
        row = self._chosen()
        if row is not None:
            self.app.push_screen(ExtendRetentionForm(row), self._changed)

    def _changed(self, done: date | Erased | None) -> None:
        if done is None:
            return
        if isinstance(done, date):
            self.notify(f"Wordt bewaard tot en met {format_date(done)}.")
        else:
            self.notify(f"Dossier {done.number} is vernietigd.")
        self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()
