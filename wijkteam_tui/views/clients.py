"""Cliënten: every client, with live search and filters."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.store.queries import list_users, search_clients
from wijkteam_tui.store.records import SearchHit
from wijkteam_tui.views.messages import SearchDone, UsersLoaded
from wijkteam_tui.views.text import columns_line, header
from wijkteam_tui.views.topbar import TopBar

if TYPE_CHECKING:
    from wijkteam_tui.app import WijkteamApp

# A screen shows ~30 rows; more only costs time per keystroke. Refining finds the rest.
RESULT_LIMIT = 60
COLUMNS = (("Nr", 7), ("Naam", 28), ("Adres", 26), ("Fase", 18), ("Casemanager", 20), ("!", 1))


WIDTHS = tuple(width for _, width in COLUMNS)


def result_line(hit: SearchHit) -> Text:
    """One result as one line of fixed-width columns (cheap to draw on every keystroke)."""
    alert = Text("!", style="bold red") if hit.has_open_alert else ""
    cells = (
        hit.number,
        hit.name,
        f"{hit.street} {hit.house_number}".strip(),
        hit.phase.label,
        hit.casemanager,
        alert,
    )
    return columns_line(cells, WIDTHS)


class ClientsScreen(Screen[None]):
    """Search by name, number, street or network member; filter on phase, casemanager, alerts."""

    BINDINGS = [
        Binding("escape", "back", "Terug", id="clients.back", tooltip="Terug naar Vandaag"),
        Binding("ctrl+f", "focus_search", "Zoek", id="clients.search", tooltip="Naar zoekveld"),
        Binding("down", "focus_results", "Resultaten", show=False, id="clients.results"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._changed_at = time.perf_counter()
        self.last_update_seconds: float | None = None
        # One search at a time: a thread worker cannot be stopped, so a search that a newer
        # keystroke has overtaken waits here and then gives up without touching the database.
        self._search_lock = threading.Lock()
        self._search_number = 0

    @property
    def wijkteam(self) -> WijkteamApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Input(
            placeholder="Zoek op naam, nummer, straat of netwerklid", id="search", compact=True
        )
        with Horizontal(id="filters"):
            yield Select(
                [(phase.label, phase.value) for phase in Phase],
                prompt="Alle fasen",
                id="phase",
                compact=True,
            )
            yield Select([], prompt="Alle casemanagers", id="casemanager", compact=True)
            yield Checkbox("Open aandachtspunt", id="with-alert", compact=True)
        yield Static(header(COLUMNS), id="results-header")
        yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        team = self.wijkteam.team
        if team is not None:
            self.query_one(TopBar).show(team, self.wijkteam.register, self.wijkteam.clock())
        self.query_one("#search", Input).focus()
        self._load_users()
        self._search()

    @work(thread=True, exclusive=True, group="users", exit_on_error=False)
    def _load_users(self) -> None:
        register = self.wijkteam.register
        if register is not None:
            self.post_message(UsersLoaded(list_users(register)))

    @on(UsersLoaded)
    def _users(self, event: UsersLoaded) -> None:
        self.query_one("#casemanager", Select).set_options(
            [(user.display_name, user.id) for user in event.users]
        )

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self._search()

    def _search(self) -> None:
        self._changed_at = time.perf_counter()
        self._search_number += 1
        phase = self.query_one("#phase", Select).value
        casemanager = self.query_one("#casemanager", Select).value
        self._run_search(
            self._search_number,
            self.query_one("#search", Input).value,
            Phase(phase) if isinstance(phase, str) else None,
            casemanager if isinstance(casemanager, int) else None,
            self.query_one("#with-alert", Checkbox).value,
        )

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _run_search(
        self,
        number: int,
        text: str,
        phase: Phase | None,
        casemanager: int | None,
        with_alert: bool,
    ) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        with self._search_lock:
            if number != self._search_number:
                return
            hits = search_clients(
                register,
                text,
                limit=RESULT_LIMIT + 1,
                phase=phase,
                casemanager_id=casemanager,
                with_open_alert=with_alert,
            )
        if not get_current_worker().is_cancelled and number == self._search_number:
            self.post_message(SearchDone(text, hits))

    @on(SearchDone)
    def _show(self, event: SearchDone) -> None:
        results = self.query_one("#results", OptionList)
        results.clear_options()
        results.add_options(
            Option(result_line(hit), id=str(hit.id)) for hit in event.hits[:RESULT_LIMIT]
        )
        if results.option_count:
            results.highlighted = 0
        shown = min(len(event.hits), RESULT_LIMIT)
        more = " (verfijn de zoekopdracht voor meer)" if len(event.hits) > RESULT_LIMIT else ""
        # In the border: a new count then repaints one line instead of redoing the layout.
        results.border_title = f"{shown} cliënten{more}"
        self.call_after_refresh(self._drawn, self._changed_at)

    def _drawn(self, changed_at: float) -> None:
        # How long the last change took to reach the screen (read by benchmarks/tui.py).
        self.last_update_seconds = time.perf_counter() - changed_at

    @on(Input.Submitted, "#search")
    def action_focus_results(self) -> None:
        self.query_one("#results", OptionList).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        from wijkteam_tui.views.client_file import ClientFileScreen

        if event.option.id:
            self.app.push_screen(ClientFileScreen(int(event.option.id)))
