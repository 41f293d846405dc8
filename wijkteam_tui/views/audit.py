"""Auditlog (teamleider, `a` on the Team screen): who did what with whose data, newest first.

The same filters as `wijkteam audit show`: a client number, a user and a first day. `v`
checks the whole chain and says "in orde" or where it broke. The store refuses all of it to a
medewerker; the screen then says why and shows nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from wijkteam_tui.domain.dates import DateInputError, parse_date
from wijkteam_tui.errors import WijkteamError
from wijkteam_tui.store.audit.log import ShownEvent, Verdict, events, verify
from wijkteam_tui.store.read.edit import list_users
from wijkteam_tui.store.records import UserItem
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.tables import place_kept, row_table
from wijkteam_tui.views.text import counted, fit, literal
from wijkteam_tui.views.topbar import TopBar

#: At most this many events are shown (the newest); the filters narrow them down.
SHOWN = 500
#: Most telling first: at 80 columns time, who, what and whose file are in view.
COLUMNS = (
    ("Tijd (UTC)", 16),
    ("Gebruiker", 20),
    ("Wat", 24),
    ("Cliënt", 7),
    ("Details", 44),
    ("Nr", 8),
)


@dataclass(frozen=True)
class Loaded:
    events: list[ShownEvent]
    users: list[UserItem]


class AuditScreen(WijkteamScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Terug", id="audit.back", tooltip="Vorig scherm"),
        Binding("f", "filters", "Filter", id="audit.filter", tooltip="Naar de filters"),
        Binding(
            "v", "verify", "Controleer", id="audit.verify", tooltip="De hele keten controleren"
        ),
        Binding("r", "reload", "Vernieuw", id="audit.reload", tooltip="Opnieuw laden"),
        Binding("tab", "app.focus_next", "Volgende", show=False, id="audit.next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._users_filled = False

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Horizontal(id="audit-filters"):
            yield Input(placeholder="Cliëntnummer", id="audit-client", compact=True)
            yield Select([], prompt="Alle gebruikers", id="audit-user", compact=True)
            yield Input(placeholder="Vanaf (dd-mm-jjjj)", id="audit-from", compact=True)
        yield Static("Laden…", id="audit-summary")
        yield row_table("audit-table", COLUMNS)
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_top_bar()
        self.query_one("#audit-table", DataTable).focus()
        self.action_reload()

    def _since(self) -> date | str | None:
        """The first day typed, None when empty, or why it is no date."""
        text = self.query_one("#audit-from", Input).value
        if not text.strip():
            return None
        try:
            return parse_date(text, self.wijkteam.clock(), future=False)
        except DateInputError as error:
            return str(error)

    def colleague_changed(self, *, in_front: bool) -> None:
        """Not by itself here: the log grows with everything anyone does (every file read),
        and a reload would replace the outcome of `v` and the filters' message. `r` reads the
        newest events."""

    def action_reload(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        since = self._since()
        if isinstance(since, str):
            self.query_one("#audit-summary", Static).update(literal(since, "bold"))
            return
        number = self.query_one("#audit-client", Input).value.strip() or None
        user = self.query_one("#audit-user", Select).value
        user_name = user if isinstance(user, str) else None

        def load() -> Loaded:
            shown = events(
                register, client_number=number, user_name=user_name, since=since, limit=SHOWN
            )
            return Loaded(shown, list_users(register))

        self.run_store(load, self._show, group="audit", failed=self._refused, hold_keys=True)

    def _refused(self, message: str, _error: WijkteamError | None) -> None:
        self.tell_refusal("audit-summary", message)

    @on(Input.Submitted)
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        if self.is_mounted:
            self.action_reload()

    def action_filters(self) -> None:
        self.query_one("#audit-client", Input).focus()

    def _show(self, loaded: Loaded) -> None:
        if not self._users_filled:
            self._users_filled = True
            select = self.query_one("#audit-user", Select)
            with select.prevent(Select.Changed):
                select.set_options(
                    [(literal(u.display_name or u.name), u.name) for u in loaded.users]
                )
        table = self.query_one("#audit-table", DataTable)
        with place_kept(table):
            table.clear()
            for event in reversed(loaded.events):
                who = f"{event.user_name} ({event.role})" if event.role else event.user_name
                detail = (
                    event.detail_text
                    if event.outcome == "ok"
                    else f"[{event.outcome}] {event.detail_text}"
                )
                cells = (
                    f"{event.at:%Y-%m-%d %H:%M}",
                    who,
                    event.what,
                    event.client_number,
                    detail,
                    str(event.seq),
                )
                table.add_row(
                    *(fit(cell, width) for cell, (_, width) in zip(cells, COLUMNS, strict=True)),
                    key=str(event.seq),
                )
        more = " (de nieuwste; verfijn met de filters)" if len(loaded.events) >= SHOWN else ""
        self.query_one("#audit-summary", Static).update(
            Text.assemble(
                ("Auditlog: ", "bold"),
                counted(len(loaded.events), "gebeurtenis", "gebeurtenissen"),
                more,
                (" · nieuwste boven · v controleert de keten", "dim"),
            )
        )

    def action_verify(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        self.query_one("#audit-summary", Static).update(Text("De keten wordt gecontroleerd…"))
        self.run_store(
            lambda: verify(register), self._verified, group="audit-verify", failed=self._refused
        )

    def _verified(self, verdict: Verdict) -> None:
        if verdict.ok:
            text = Text.assemble(
                ("Auditlog in orde: ", "bold"),
                f"{counted(verdict.events, 'gebeurtenis', 'gebeurtenissen')};"
                " keten en sleutelbestand kloppen.",
            )
            self.notify("De keten van het auditlog is in orde.")
        else:
            text = Text.assemble(
                (f"BREUK bij volgnummer {verdict.broken_at}: ", "bold red"),
                f"{verdict.reason}. De {verdict.events} gebeurtenissen daarvoor kloppen.",
            )
            self.notify(f"Het auditlog is gebroken bij volgnummer {verdict.broken_at}.",
                        severity="error", timeout=15)  # fmt: skip
        self.query_one("#audit-summary", Static).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()
