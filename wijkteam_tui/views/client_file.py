"""Cliëntdossier: Overzicht, Netwerk, Afspraken, Signaleringsplan, Tijdlijn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from wijkteam_tui.domain.schedules import DueState
from wijkteam_tui.store.queries import client_file, client_timeline
from wijkteam_tui.store.records import ClientFile
from wijkteam_tui.views.contact import ContactRequest, LogContactScreen
from wijkteam_tui.views.messages import ClientFileLoaded
from wijkteam_tui.views.text import day, literal
from wijkteam_tui.views.topbar import TopBar

if TYPE_CHECKING:
    from wijkteam_tui.app import WijkteamApp

TABS = (
    ("overzicht", "Overzicht"),
    ("netwerk", "Netwerk"),
    ("afspraken", "Afspraken"),
    ("plan", "Signaleringsplan"),
    ("tijdlijn", "Tijdlijn"),
)
STATE_STYLE = {
    DueState.OVERDUE: "bold red",
    DueState.SOON: "yellow",
    DueState.LATER: "",
    DueState.SNOOZED: "dim",
    DueState.ENDED: "dim",
}
# Fixed column widths (label, cells): the table need not measure every cell.
NETWORK_COLUMNS = (
    ("Naam", 24),
    ("Relatie", 14),
    ("Soort", 11),
    ("Steun", 7),
    ("Telefoon", 12),
    ("Bereikbaar", 12),
    ("Toestemming", 11),
    ("Laatste contact", 16),
)
AGREEMENT_COLUMNS = (
    ("Wie", 28),
    ("Stand", 18),
    ("Volgende", 16),
    ("Hoe", 11),
    ("Hoe vaak", 18),
    ("Laatste", 16),
)
SIGNAL_COLUMNS = (
    ("Fase", 6),
    ("Signalen", 30),
    ("Wat doe ik", 24),
    ("Netwerk", 24),
    ("Professional", 24),
    ("Wie bellen", 24),
)
TIMELINE_COLUMNS = (("Datum", 16), ("Soort", 13), ("Wat", 60), ("Wie", 20))
PHASE_STYLE = {"groen": "bold green", "oranje": "bold dark_orange", "rood": "bold red"}


class ClientFileScreen(Screen[None]):
    """One client's file; `c` logs a contact (on the selected agreement in Afspraken)."""

    BINDINGS = [
        Binding("escape", "back", "Terug", id="file.back", tooltip="Vorig scherm"),
        Binding("c", "log_contact", "Contact", id="file.contact", tooltip="Contact vastleggen"),
        Binding("r", "reload", "Vernieuw", id="file.reload", tooltip="Opnieuw laden"),
        *(
            Binding(str(i), f"tab('{tab_id}')", title, id=f"file.tab.{tab_id}", show=False)
            for i, (tab_id, title) in enumerate(TABS, start=1)
        ),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.file: ClientFile | None = None

    @property
    def wijkteam(self) -> WijkteamApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static("", id="file-title")
        with TabbedContent(id="tabs"):
            with TabPane("1 Overzicht", id="overzicht"), VerticalScroll(id="overview"):
                yield Static("", id="overview-text")
            with TabPane("2 Netwerk", id="netwerk"):
                yield self._table("network", NETWORK_COLUMNS)
            with TabPane("3 Afspraken", id="afspraken"):
                yield self._table("agreements", AGREEMENT_COLUMNS)
            with TabPane("4 Signaleringsplan", id="plan"):
                yield self._table("signals", SIGNAL_COLUMNS)
            with TabPane("5 Tijdlijn", id="tijdlijn"):
                yield self._table("timeline", TIMELINE_COLUMNS)
        yield Footer()

    @staticmethod
    def _table(table_id: str, columns: tuple[tuple[str, int], ...]) -> DataTable[object]:
        table: DataTable[object] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
        for label, width in columns:
            table.add_column(label, width=width)
        return table

    def on_mount(self) -> None:
        team = self.wijkteam.team
        if team is not None:
            self.query_one(TopBar).show(team, self.wijkteam.register, self.wijkteam.clock())
        self.query_one("#tabs").loading = True
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="file", exit_on_error=False)
    def _load(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        today = self.wijkteam.clock()
        file = client_file(register, self.client_id, today)
        self.post_message(ClientFileLoaded(file, client_timeline(register, self.client_id)))

    @on(ClientFileLoaded)
    def _show(self, event: ClientFileLoaded) -> None:
        file = self.file = event.file
        self.query_one("#tabs").loading = False
        self.query_one("#file-title", Static).update(
            Text.assemble(
                literal(file.name, "bold"),
                f"  ·  {file.number}  ·  fase ",
                (file.phase.label, "bold"),
                "  ·  casemanager ",
                literal(file.casemanager or "—"),
            )
        )
        self.query_one("#overview-text", Static).update(self._overview(file))
        network = self._cleared("network")
        for member in file.members:
            network.add_row(
                literal(member.name),
                literal(member.relation),
                literal(member.kind.label),
                literal(" ".join(member.supports) or "—"),
                literal(member.phone),
                literal(member.availability),
                literal("ja" if member.consent_to_share else "nee"),
                literal(day(member.last_contact_on)),
                key=str(member.id),
            )
        agreements = self._cleared("agreements")
        for agreement in file.agreements:
            state = agreement.state.value.replace("_", " ")
            if agreement.state is DueState.OVERDUE:
                state = f"{agreement.days_overdue} dagen te laat"
            elif agreement.state is DueState.SNOOZED:
                state = f"uitgesteld tot {day(agreement.snoozed_until)}"
            agreements.add_row(
                literal(agreement.who),
                Text(state, style=STATE_STYLE[agreement.state]),
                literal(day(agreement.next_due)),
                literal(agreement.channel.label),
                literal(agreement.how_often),
                literal(day(agreement.last_contact_on)),
                key=f"{agreement.id}|{agreement.channel.value}",
            )
        signals = self._cleared("signals")
        for signal in file.signals:
            signals.add_row(
                Text(signal.phase.label, style=PHASE_STYLE[signal.phase.value]),
                literal(signal.signs),
                literal(signal.own_actions),
                literal(signal.network_actions),
                literal(signal.professional_actions),
                literal(signal.whom_to_call),
                key=str(signal.id),
            )
        timeline = self._cleared("timeline")
        for index, entry in enumerate(event.timeline):
            timeline.add_row(
                literal(day(entry.on)),
                literal(entry.kind),
                literal(entry.text),
                literal(entry.who),
                key=str(index),
            )

    def _cleared(self, table_id: str) -> DataTable[object]:
        table: DataTable[object] = self.query_one(f"#{table_id}", DataTable)
        table.clear()
        return table

    @staticmethod
    def _overview(file: ClientFile) -> Text:
        def line(label: str, value: object) -> Text:
            return Text.assemble((f"{label:<22}", "bold"), literal(value or "—"), "\n")

        text = Text()
        text.append_text(line("Fase", file.phase.label))
        text.append_text(line("Casemanager", file.casemanager))
        text.append_text(line("Adres", file.address))
        text.append_text(line("Telefoon", file.phone))
        text.append_text(line("In beeld sinds", day(file.opened_on)))
        text.append_text(line("Laatste contact", day(file.last_contact_on)))
        text.append_text(line("Volgende contact", day(file.next_due)))
        text.append("\n")
        text.append_text(line("In eigen woorden", file.own_words))
        text.append_text(line("Sterke kanten", file.strengths))
        text.append_text(line("Van betekenis", file.meaningful))
        text.append_text(line("Netwerk", file.network_summary))
        text.append("\nOpen aandachtspunten\n", style="bold")
        if not file.alerts:
            text.append("  geen\n")
        for alert in file.alerts:
            text.append_text(Text.assemble("  • ", literal(alert.reason), "\n"))
        return text

    def action_tab(self, tab_id: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab_id

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_log_contact(self) -> None:
        file = self.file
        if file is None:
            return
        tabs = self.query_one("#tabs", TabbedContent)
        agreements = self.query_one("#agreements", DataTable)
        request = ContactRequest(file.id, file.name)
        if tabs.active == "afspraken" and agreements.row_count:
            key = agreements.coordinate_to_cell_key(agreements.cursor_coordinate).row_key.value
            if key:
                agreement_id, channel = key.split("|")
                chosen = next(a for a in file.agreements if a.id == int(agreement_id))
                request = ContactRequest(file.id, file.name, chosen.id, chosen.who, channel)
        self.app.push_screen(LogContactScreen(request), self._contact_done)

    def _contact_done(self, logged: bool | None) -> None:
        if logged:
            self.action_reload()
