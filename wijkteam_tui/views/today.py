"""Vandaag: what needs this medewerker today."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from wijkteam_tui.store.queries import team_info, today_list
from wijkteam_tui.views.contact import ContactRequest, LogContactScreen
from wijkteam_tui.views.messages import TodayLoaded
from wijkteam_tui.views.text import day, literal
from wijkteam_tui.views.topbar import TopBar

if TYPE_CHECKING:
    from wijkteam_tui.app import WijkteamApp

SECTIONS = (
    ("overdue", "Te laat", ("Dagen", "Cliënt", "Nr", "Wie", "Hoe")),
    ("soon", "Deze week", ("Datum", "Cliënt", "Nr", "Wie", "Hoe")),
    ("alerts", "Aandachtspunten", ("Sinds", "Cliënt", "Reden")),
    ("out-of-view", "Uit beeld", ("Dagen", "Cliënt", "Laatste contact")),
)


def row_key(kind: str, client_id: int, item_id: int = 0) -> str:
    return f"{kind}:{client_id}:{item_id}"


def parse_row_key(key: str) -> tuple[str, int, int]:
    kind, client_id, item_id = key.split(":")
    return kind, int(client_id), int(item_id)


class TodayScreen(Screen[None]):
    """Overdue contacts, due this week, open alerts, out of view, and the out-of-hours number."""

    BINDINGS = [
        Binding("enter", "open_client", "Open cliënt", id="today.open", tooltip="Dossier openen"),
        Binding("c", "log_contact", "Contact", id="today.contact", tooltip="Contact vastleggen"),
        Binding("slash,ctrl+f", "clients", "Cliënten", id="today.clients", tooltip="Zoeken"),
        Binding("r", "reload", "Vernieuw", id="today.reload", tooltip="Opnieuw laden"),
        Binding("tab", "app.focus_next", "Volgende lijst", show=False, id="today.next"),
    ]

    @property
    def wijkteam(self) -> WijkteamApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Container(id="sections"):
            for section_id, title, columns in SECTIONS:
                with Vertical(classes="section", id=f"section-{section_id}"):
                    yield Label(title, classes="section-title", id=f"title-{section_id}")
                    table: DataTable[object] = DataTable(
                        id=section_id, cursor_type="row", zebra_stripes=True
                    )
                    table.add_columns(*columns)
                    table.loading = True
                    yield table
        yield Static("", id="out-of-hours")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="today", exit_on_error=False)
    def _load(self) -> None:
        register = self.wijkteam.register
        if register is None or register.user is None:
            return
        today = self.wijkteam.clock()
        self.post_message(
            TodayLoaded(today_list(register, register.user.id, today), team_info(register))
        )

    @on(TodayLoaded)
    def _show(self, event: TodayLoaded) -> None:
        data = event.today
        self.query_one(TopBar).show(event.team, self.wijkteam.register, self.wijkteam.clock())
        counts = {
            "overdue": len(data.overdue),
            "soon": len(data.due_soon),
            "alerts": len(data.alerts),
            "out-of-view": len(data.out_of_view),
        }
        for section_id, title, _ in SECTIONS:
            self.query_one(f"#title-{section_id}", Label).update(f"{title} ({counts[section_id]})")
        overdue = self._table("overdue")
        for item in data.overdue:
            overdue.add_row(
                Text(f"{item.days_overdue:>4}", style="bold red"),
                literal(item.client_name),
                item.client_number,
                literal(item.who),
                item.channel.label,
                key=row_key("a", item.client_id, item.agreement_id),
            )
        soon = self._table("soon")
        for item in data.due_soon:
            soon.add_row(
                day(item.next_due)[:-5],
                literal(item.client_name),
                item.client_number,
                literal(item.who),
                item.channel.label,
                key=row_key("a", item.client_id, item.agreement_id),
            )
        alerts = self._table("alerts")
        for alert in data.alerts:
            alerts.add_row(
                day(alert.raised_on),
                literal(alert.client_name),
                literal(alert.reason),
                key=row_key("x", alert.client_id, alert.alert_id),
            )
        silent = self._table("out-of-view")
        for client in data.out_of_view:
            silent.add_row(
                Text(f"{client.days_without_contact:>4}", style="bold yellow"),
                literal(client.client_name),
                day(client.last_contact_on),
                key=row_key("c", client.client_id),
            )
        if not isinstance(self.focused, DataTable):
            self.query_one("#overdue", DataTable).focus()
        contact = data.out_of_hours_contact or "(nog niet ingesteld door de teamleider)"
        self.query_one("#out-of-hours", Static).update(
            Text.assemble(("Buiten kantoortijd: ", "bold"), literal(contact))
        )

    def _table(self, table_id: str) -> DataTable[object]:
        table: DataTable[object] = self.query_one(f"#{table_id}", DataTable)
        cursor = table.cursor_row
        table.clear()
        table.loading = False
        table.call_after_refresh(self._restore_cursor, table, cursor)
        return table

    @staticmethod
    def _restore_cursor(table: DataTable[object], row: int) -> None:
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _selected(self) -> tuple[str, int, int] | None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return None
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        return parse_row_key(key) if key else None

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_client()

    def action_open_client(self) -> None:
        from wijkteam_tui.views.client_file import ClientFileScreen

        selected = self._selected()
        if selected:
            self.app.push_screen(ClientFileScreen(selected[1]))

    def action_log_contact(self) -> None:
        selected = self._selected()
        if not selected:
            self.notify("Kies eerst een regel in een van de lijsten.")
            return
        kind, client_id, item_id = selected
        table = self.focused
        assert isinstance(table, DataTable)
        row = table.get_row_at(table.cursor_row)
        name = row[1].plain if isinstance(row[1], Text) else str(row[1])
        if kind == "a":
            who = row[3].plain if isinstance(row[3], Text) else str(row[3])
            request = ContactRequest(client_id, name, item_id, who, str(row[4]))
        else:
            request = ContactRequest(client_id, name)
        self.app.push_screen(LogContactScreen(request), self._contact_done)

    def _contact_done(self, logged: bool | None) -> None:
        if logged:
            self.action_reload()

    def action_clients(self) -> None:
        from wijkteam_tui.views.clients import ClientsScreen

        self.app.push_screen(ClientsScreen())
