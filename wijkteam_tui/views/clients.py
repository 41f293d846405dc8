"""Cliënten: every client, with live search and filters."""

from __future__ import annotations

import threading

from rich.console import Console
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Checkbox, Input, Select, Static

from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.store.audit.chain import Event
from wijkteam_tui.store.cover.grants import Opened
from wijkteam_tui.store.read.edit import list_users
from wijkteam_tui.store.read.search import SearchHit, search_clients
from wijkteam_tui.store.records import ClientSummary, UserItem
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.forms.client import ClientForm
from wijkteam_tui.views.forms.emergency import EmergencyForm
from wijkteam_tui.views.result_list import ResultList, Row, rows
from wijkteam_tui.views.text import columns_line, counted, header
from wijkteam_tui.views.ticks import TickBox
from wijkteam_tui.views.topbar import TopBar

# A screen shows ~30 rows; more only costs time per keystroke. Refining finds the rest.
RESULT_LIMIT = 60
COLUMNS = (("Nr", 7), ("Naam", 28), ("Adres", 26), ("Fase", 18), ("Casemanager", 20), ("!", 1))
WIDTHS = tuple(width for _, width in COLUMNS)
#: A search's rows to draw, whether there are more, and the hits shown by name and number
#: only: id → (name, number).
Found = tuple[list[Row], bool, dict[int, tuple[str, str]]]


def result_line(hit: SearchHit) -> Text:
    """One result as one line of fixed-width columns (cheap to draw on every keystroke).

    A client found through someone in their network says so where the address would be."""
    alert = Text("!", style="bold red") if hit.has_open_alert else ""
    where: Text | str = f"{hit.street} {hit.house_number}".strip()
    if hit.via_member:
        where = Text.assemble(("via netwerk: ", "italic"), hit.via_member)
    phase = hit.phase.label if hit.phase else ""
    if hit.closed:
        # Not theirs to open: name and number only, and what opening it takes.
        where, phase = Text("alleen met noodtoegang", style="italic"), ""
    cells = (hit.number, hit.name, where, phase, hit.casemanager, alert)
    return columns_line(cells, WIDTHS)


class SearchInput(Input):
    """An input whose growing text repaints it without laying out the whole screen again.

    Input keeps its scroll width in `virtual_size`, which by default asks for a new layout of
    the screen on every keystroke; this field's own size never changes, so a repaint is enough."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class ClientsScreen(WijkteamScreen[None]):
    """Search by name, number, street or network member; filter on phase, casemanager, alerts."""

    BINDINGS = [
        Binding("escape", "back", "Terug", id="clients.back", tooltip="Terug naar Vandaag"),
        Binding("ctrl+f", "focus_search", "Zoek", id="clients.search", tooltip="Naar zoekveld"),
        Binding("down", "focus_results", "Resultaten", show=False, id="clients.results"),
        Binding("r", "reload", "Vernieuw", show=False, id="clients.reload"),
        Binding(
            "ctrl+n", "new_client", "Nieuwe cliënt", id="clients.new", tooltip="Cliënt aanmelden"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        # One search at a time: a thread worker cannot be stopped, so a search that a newer
        # keystroke has overtaken waits here and then gives up without touching the database.
        self._search_lock = threading.Lock()
        self._search_number = 0
        self.users: list[UserItem] | None = None
        # The audit log: what the last search looked in (field names, never the words),
        # and (hits, more than shown) once it is shown; logged when a result is opened or
        # the screen is left.
        self._looked_in = ""
        self._searched: tuple[int, bool] | None = None
        # The hits shown by name and number only (not theirs to open): id → (name, number).
        self._closed_hits: dict[int, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield SearchInput(
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
            yield TickBox("Open aandachtspunt", id="with-alert", compact=True)
        yield Static(header(COLUMNS), id="results-header")
        yield ResultList(empty_text="Geen cliënten gevonden.", id="results")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_top_bar()
        self.query_one("#search", Input).focus()
        register = self.wijkteam.register
        if register is not None:
            # Ctrl+N needs the casemanagers: keys wait for them.
            self.run_store(lambda: list_users(register), self._users, group="users", hold_keys=True)
        self._search()

    def _users(self, users: list[UserItem]) -> None:
        self.users = users
        self.query_one("#casemanager", Select).set_options(
            [(user.display_name, user.id) for user in users]
        )

    def action_reload(self) -> None:
        self._search(keep_place=True)

    def action_new_client(self) -> None:
        if self.users is None:
            self.notify("Een moment: de casemanagers worden nog geladen.")
            return
        self.app.push_screen(ClientForm(self.users), self._registered)

    def _registered(self, summary: ClientSummary | None) -> None:
        if summary is not None:
            self.notify(f"{summary.name} is aangemeld als cliënt {summary.number}.")
            self._search()
            self.app.push_screen(ClientFileScreen(summary.id))

    def new_day(self) -> None:
        self._search()

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self._search()

    def _search(self, *, keep_place: bool = False) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        self._search_number += 1
        number = self._search_number
        phase = self.query_one("#phase", Select).value
        casemanager = self.query_one("#casemanager", Select).value
        text = self.query_one("#search", Input).value
        with_alert = self.query_one("#with-alert", Checkbox).value
        used = [("zoekwoorden", bool(text.strip())), ("fase", isinstance(phase, str))]
        used += [("casemanager", isinstance(casemanager, int)), ("aandachtspunt", with_alert)]
        self._looked_in = ", ".join(name for name, on in used if on)

        console = self.app.console

        def search() -> Found | None:
            return self._run_search(
                console,
                register,
                number,
                text,
                phase=Phase(phase) if isinstance(phase, str) else None,
                casemanager=casemanager if isinstance(casemanager, int) else None,
                with_alert=with_alert,
            )

        self.run_store(
            search, lambda found: self._show(found, keep_place=keep_place), group="search"
        )

    def _run_search(
        self,
        console: Console,
        register: Register,
        number: int,
        text: str,
        *,
        phase: Phase | None,
        casemanager: int | None,
        with_alert: bool,
    ) -> Found | None:
        """The rows ready to draw, whether there are more and which are closed, or None when a
        newer keystroke has overtaken this search. Runs in the worker, so the main thread only
        repaints."""
        with self._search_lock:
            if number != self._search_number:
                return None
            hits = search_clients(
                register,
                text,
                limit=RESULT_LIMIT + 1,
                phase=phase,
                casemanager_id=casemanager,
                with_open_alert=with_alert,
                today=self.wijkteam.clock(),
            )
        found = rows(console, ((hit.id, result_line(hit)) for hit in hits[:RESULT_LIMIT]))
        closed = {hit.id: (hit.name, hit.number) for hit in hits if hit.closed}
        return found, len(hits) > RESULT_LIMIT, closed

    def _show(self, found: Found | None, *, keep_place: bool = False) -> None:
        if found is None:
            return
        shown, more, self._closed_hits = found
        self._searched = (len(shown), more) if self._looked_in else None
        results = self.query_one("#results", ResultList)
        results.show(shown, keep_place=keep_place)
        # In the border: a new count then repaints one line instead of redoing the layout.
        results.border_title = counted(len(shown), "cliënt", "cliënten") + (
            " (verfijn de zoekopdracht voor meer)" if more else ""
        )

    @on(Input.Submitted, "#search")
    def action_focus_results(self) -> None:
        self.query_one("#results", ResultList).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        found = self._search_event()
        if found is not None:
            self.wijkteam.log_access(found)
        self.app.pop_screen()

    def _search_event(self) -> Event | None:
        """The last search as an audit event (None when nothing was searched since)."""
        if self._searched is None:
            return None
        hits, more = self._searched
        self._searched = None
        count = f"meer dan {hits}" if more else str(hits)
        return Event("search", "clients", detail=f"{count} treffers; gezocht op {self._looked_in}")

    @on(ResultList.Chosen, "#results")
    def _open(self, event: ResultList.Chosen) -> None:
        client_id = event.key
        if client_id in self._closed_hits:
            name, number = self._closed_hits[client_id]
            self.app.push_screen(
                EmergencyForm(client_id, name, number),
                lambda opened: self._opened(client_id, opened),
            )
            return
        self.app.push_screen(ClientFileScreen(client_id, found_by=self._search_event()))
        self._searched = None

    def _opened(self, client_id: int, opened: Opened | None) -> None:
        """Noodtoegang given: the file opens (and the search shows it as open from now on)."""
        if opened is None:
            return
        self.notify(f"Noodtoegang {opened.until_text()}; de teamleider ziet het.")
        self._closed_hits.pop(client_id, None)
        self.app.push_screen(ClientFileScreen(client_id, found_by=self._search_event()))
        self._searched = None
        self._search(keep_place=True)
