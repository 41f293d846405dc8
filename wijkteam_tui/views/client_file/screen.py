"""Cliëntdossier: Overzicht, Netwerk, Afspraken, Signaleringsplan, Tijdlijn.

Tables cut long text to their columns with "…"; Enter on a row shows every field in full. The
signaleringsplan is shown as one block per row, grouped per phase, so that every field, whom to
call above all, can be read in an 80×24 terminal."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from wijkteam_tui.domain.dates import MONTHS
from wijkteam_tui.domain.network import consent_text, former_text
from wijkteam_tui.domain.schedules import DueState
from wijkteam_tui.domain.terms import AlertStatus, Phase, Role, SignalPhase, ThresholdRule
from wijkteam_tui.domain.thresholds import DEFAULT_THRESHOLDS, describe, limit_days
from wijkteam_tui.store.audit import Event, record
from wijkteam_tui.store.queries import (
    agreement_for_edit,
    client_file,
    client_for_edit,
    client_timeline,
    list_resources,
    list_users,
    member_for_edit,
    signal_for_edit,
)
from wijkteam_tui.store.records import (
    AgreementInput,
    AgreementRow,
    ClientFile,
    ClientInput,
    ContactResult,
    Created,
    MemberInput,
    SignalInput,
    SignalRow,
    TimelineEntry,
    UserItem,
)
from wijkteam_tui.store.services import move_signal
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.client_file.map_layout import LEGEND, map_members
from wijkteam_tui.views.client_file.network_map import NetworkMap
from wijkteam_tui.views.contact import ContactRequest, LogContactScreen
from wijkteam_tui.views.detail import DetailScreen, Fields, field_table
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.tables import place_kept
from wijkteam_tui.views.text import day, due_text, fit, late_text, literal, over_time_text
from wijkteam_tui.views.topbar import TopBar

TABS = (
    ("overzicht", "Overzicht", "overview"),
    ("netwerk", "Netwerk", "network"),
    ("afspraken", "Afspraken", "agreements"),
    ("plan", "Signaleringsplan", "signals"),
    ("tijdlijn", "Tijdlijn", "timeline"),
    ("kaart", "Kaart", "ecogram"),
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
    ("Wie", 26),
    ("Stand", 20),
    ("Volgende", 16),
    ("Hoe", 11),
    ("Hoe vaak", 18),
    ("Laatste", 16),
)
TIMELINE_COLUMNS = (("Datum", 16), ("Soort", 13), ("Wat", 60), ("Wie", 20))
PHASE_STYLE = {
    SignalPhase.GREEN: "bold green",
    SignalPhase.ORANGE: "bold dark_orange",
    SignalPhase.RED: "bold red",
}


def agreement_state(agreement: AgreementRow, today: date) -> str:
    """The state of an agreement in words: '12 dagen te laat', 'uitgesteld tot …'. A date
    already past says how late it is, also while the team's grace days keep it off the
    overdue lists (it then stands in yellow, not red)."""
    if agreement.state is DueState.OVERDUE:
        return late_text(agreement.days_overdue)
    due = agreement.next_due
    if agreement.state is DueState.SOON and due is not None and due < today:
        return over_time_text((today - due).days)
    if agreement.state is DueState.SNOOZED and agreement.snoozed_until is not None:
        # Short enough for its column; the full date is in the row's details (Enter).
        until = agreement.snoozed_until
        return f"uitgesteld tot {until.day} {MONTHS[until.month - 1]}"
    return agreement.state.label


def signal_block(signal: SignalRow) -> Group:
    """One row of the signaleringsplan, every field wrapped in full."""
    return Group(
        field_table(
            (
                ("Signalen", signal.signs),
                ("Wat doe ik", signal.own_actions),
                ("Mijn netwerk", signal.network_actions),
                ("Professional", signal.professional_actions),
                ("Wie bellen", signal.whom_to_call),
            ),
            label_width=13,
        ),
        Text(""),
    )


class ClientFileScreen(WijkteamScreen[None]):
    """One client's file; `c` logs a contact (on the selected agreement in Afspraken)."""

    BINDINGS = [
        Binding("escape", "back", "Terug", id="file.back", tooltip="Vorig scherm"),
        Binding("c", "log_contact", "Contact", id="file.contact", tooltip="Contact vastleggen"),
        Binding("r", "reload", "Vernieuw", id="file.reload", tooltip="Opnieuw laden", show=False),
        Binding(
            "e",
            "edit",
            "Wijzigen",
            id="file.edit",
            tooltip="Cliënt, of het gekozen netwerklid, de gekozen afspraak of planregel",
        ),
        Binding(
            "n",
            "new",
            "Nieuw",
            id="file.new",
            tooltip="Netwerklid, afspraak of planregel toevoegen (per tab)",
        ),
        Binding("s", "observe", "Signalering", id="file.observe", tooltip="Signalering vastleggen"),
        Binding(
            "u", "snooze", "Uitstellen", id="file.snooze", tooltip="Gekozen afspraak uitstellen"
        ),
        Binding(
            "x",
            "end",
            "Beëindigen",
            id="file.end",
            tooltip="Gekozen afspraak beëindigen, of de betrokkenheid van het gekozen netwerklid",
        ),
        Binding(
            "d",
            "share",
            "Delen",
            id="file.share",
            tooltip="Gedeelde afspraken naar een bestand: PDF, crisiskaart, tekst of agenda",
        ),
        Binding(
            "f", "phase", "Fase", id="file.phase", tooltip="Fase wijzigen, afsluiten, heropenen"
        ),
        Binding(
            "a",
            "alert",
            "Aandachtspunt",
            id="file.alert",
            tooltip="Aandachtspunt bevestigen of oplossen",
        ),
        Binding(
            "g",
            "threshold",
            "Signaalgrens",
            id="file.threshold",
            tooltip="Eigen signaalgrens voor deze cliënt (met reden)",
        ),
        Binding(
            "k",
            "decide",
            "Beslissen",
            id="file.decide",
            tooltip="Aanvraag duurzaam in beeld goedkeuren of afwijzen (teamleider)",
        ),
        Binding(
            "w",
            "erase",
            "Wissen",
            id="file.erase",
            tooltip="Cliënt voorgoed wissen op verzoek (AVG art. 17; teamleider)",
            show=False,
        ),
        Binding("ctrl+up", "move_signal(-1)", "Regel omhoog", id="file.plan.up", show=False),
        Binding("ctrl+down", "move_signal(1)", "Regel omlaag", id="file.plan.down", show=False),
        *(
            Binding(str(i), f"tab('{tab_id}')", title, id=f"file.tab.{tab_id}", show=False)
            for i, (tab_id, title, _) in enumerate(TABS, start=1)
        ),
    ]

    def __init__(self, client_id: int, found_by: Event | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.file: ClientFile | None = None
        # Logged with the first read of the file: the search it was found by, if any.
        self._unlogged: list[Event] = [e for e in (found_by,) if e is not None]
        self._unlogged.append(Event("read", "clients", str(client_id), client_id))
        # The plan row to keep chosen when the plan is filled again (after moving it).
        self._keep_signal: int | None = None
        # Every field of each table row, for Enter (the table shows them cut to width).
        self._details: dict[str, dict[str, tuple[Text, Fields]]] = {}

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
                yield OptionList(id="signals")
            with TabPane("5 Tijdlijn", id="tijdlijn"):
                yield self._table("timeline", TIMELINE_COLUMNS)
            with TabPane("6 Kaart", id="kaart"):
                yield NetworkMap(id="ecogram")
                yield Static("", id="ecogram-legend")
                yield Static("", id="ecogram-strength")
        yield KeyBar()

    @staticmethod
    def _table(table_id: str, columns: tuple[tuple[str, int], ...]) -> DataTable[object]:
        table: DataTable[object] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
        for label, width in columns:
            table.add_column(label, width=width)
        return table

    def on_mount(self) -> None:
        self.show_top_bar()
        self.action_reload()

    def action_reload(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        app, client_id = self.wijkteam, self.client_id
        # The audit log: the file counts as read once per time it is opened (the reloads
        # after one's own changes show nothing new to this person).
        unlogged, self._unlogged = self._unlogged, []

        def load() -> tuple[ClientFile, list[TimelineEntry], date]:
            app.sweep(register)
            today = app.clock()
            loaded = (
                client_file(register, client_id, today),
                client_timeline(register, client_id),
                today,
            )
            if unlogged:
                record(register, *unlogged)
            return loaded

        self.run_store(
            load,
            self._show,
            group="file",
            busy=None if self.file else self.query_one("#tabs"),
        )

    def new_day(self) -> None:
        self.show_top_bar()
        self.action_reload()

    def _show(self, loaded: tuple[ClientFile, list[TimelineEntry], date]) -> None:
        # Every list keeps the row the person was on, and its scroll (also after a
        # colleague's change, shown by itself).
        with ExitStack() as kept:
            for widget in self.query(DataTable):
                kept.enter_context(place_kept(widget))
            kept.enter_context(place_kept(self.query_one("#signals", OptionList)))
            self._fill(loaded)

    def _fill(self, loaded: tuple[ClientFile, list[TimelineEntry], date]) -> None:
        file, timeline_entries, today = loaded
        self.file = file
        # Which of `a` and `k` apply depends on what was read.
        self.refresh_bindings()
        self.query_one("#file-title", Static).update(
            Text.assemble(
                literal(file.name, "bold"),
                f"  ·  {file.number}  ·  fase ",
                (file.phase.label, "bold"),
                "  ·  casemanager ",
                literal(file.casemanager or "—"),
                ("  ·  aanvraag duurzaam in beeld wacht", "bold yellow") if file.sign_off else "",
            )
        )
        self.query_one("#overview-text", Static).update(self._overview(file, today))
        network = self._cleared("network")
        for member in file.members:
            former = member.ended_on is not None
            fields: Fields = (
                # Said in words, not only dimmed: it must read so at 80 columns and without colour.
                ("Naam", literal(f"{member.name} (voormalig)", "dim") if former else member.name),
                ("Relatie", member.relation),
                ("Soort", member.kind.label),
                ("Steun", " ".join(member.supports) or "—"),
                ("Telefoon", member.phone),
                ("Bereikbaar", member.availability),
                (
                    "Toestemming",
                    Text("voormalig", style="dim")
                    if former
                    else consent_text(member.consent_to_share, member.consent_review_on, today),
                ),
                ("Laatste contact", day(member.last_contact_on)),
            )
            detail = (
                (*fields, ("Betrokken", former_text(day(member.ended_on), member.ended_reason)))
                if former
                else None
            )
            self._add_row(
                network,
                str(member.id),
                literal(member.name),
                fields,
                columns=NETWORK_COLUMNS,
                detail=detail,
            )
        agreements = self._cleared("agreements")
        for agreement in file.agreements:
            state = agreement_state(agreement, today)
            fields = (
                ("Wie", agreement.who),
                ("Stand", Text(state, style=STATE_STYLE[agreement.state])),
                ("Volgende", day(agreement.next_due)),
                ("Hoe", agreement.channel.label),
                ("Hoe vaak", agreement.how_often),
                ("Laatste", day(agreement.last_contact_on)),
            )
            detail = (
                *fields[:2],
                (
                    "Volgende",
                    due_text(agreement.next_due, today, agreement.state is DueState.OVERDUE),
                ),
                *fields[3:],
                ("Afspraak", agreement.description),
                ("Van – tot", f"{day(agreement.start_on)} – {day(agreement.end_on)}"),
                ("Uitgesteld", agreement.snooze_reason if agreement.snoozed_until else ""),
            )
            key = f"{agreement.id}|{agreement.channel.value}"
            self._add_row(
                agreements,
                key,
                literal(agreement.who),
                fields,
                columns=AGREEMENT_COLUMNS,
                detail=detail,
            )
        self._fill_plan(file.signals)
        self._draw_map(file, today)
        timeline = self._cleared("timeline")
        for index, entry in enumerate(timeline_entries):
            fields = (
                ("Datum", day(entry.on)),
                ("Soort", entry.kind),
                ("Wat", entry.text),
                ("Wie", entry.who),
            )
            title = Text.assemble(entry.kind, " op ", day(entry.on))
            self._add_row(timeline, str(index), title, fields, columns=TIMELINE_COLUMNS)

    def _draw_map(self, file: ClientFile, today: date) -> None:
        rule = next((r for r in file.thresholds if r.rule is ThresholdRule.OUT_OF_VIEW), None)
        setting = (
            (rule.own or rule.team)
            if rule is not None
            else DEFAULT_THRESHOLDS[ThresholdRule.OUT_OF_VIEW]
        )
        limit = limit_days(setting)
        with_agreement = {
            a.member_id for a in file.agreements if a.member_id and a.state is not DueState.ENDED
        }
        members = map_members(
            [
                (
                    m.id,
                    m.name,
                    m.kind,
                    m.ring,
                    m.supports,
                    m.id in with_agreement,
                    m.last_contact_on,
                )
                for m in file.members
                if m.ended_on is None
            ],
            today,
            limit,
            file.opened_on,
        )
        self.query_one("#ecogram", NetworkMap).show(file.name, members)
        self.query_one("#ecogram-legend", Static).update(
            Text(f"{LEGEND} │ ! langer dan {limit} dagen geen contact", style="dim")
        )
        strength = Text.assemble(("Netwerk: ", "bold"), file.network_summary)
        for warning in file.network_warnings:
            strength.append_text(Text.assemble("\n", ("Let op: ", "bold"), (warning, "bold")))
        if not file.members:
            strength.append("\nNog geen netwerkleden: voeg ze toe met n.")
        else:
            strength.append("\n← → ↑ ↓ kiest een netwerklid, Enter wijzigt het.", style="dim")
        self.query_one("#ecogram-strength", Static).update(strength)

    @on(NetworkMap.Chosen)
    def _map_member_chosen(self, event: NetworkMap.Chosen) -> None:
        self._open_member_form(event.member_id)

    def _add_row(
        self,
        table: DataTable[object],
        key: str,
        title: Text,
        fields: Fields,
        *,
        columns: tuple[tuple[str, int], ...],
        detail: Fields | None = None,
    ) -> None:
        cells = [fit(value, width) for (_, value), (_, width) in zip(fields, columns, strict=True)]
        table.add_row(*cells, key=key)
        assert table.id is not None
        self._details.setdefault(table.id, {})[key] = (title, detail or fields)

    def _fill_plan(self, signals: list[SignalRow]) -> None:
        plan = self.query_one("#signals", OptionList)
        plan.clear_options()
        options: list[Option] = []
        for phase in SignalPhase:
            rows = [s for s in signals if s.phase is phase]
            if not rows:
                continue
            options.append(
                Option(Text(phase.label.upper(), style=PHASE_STYLE[phase]), disabled=True)
            )
            options.extend(Option(signal_block(row), id=str(row.id)) for row in rows)
        if not options:
            options.append(Option("Nog geen signaleringsplan.", disabled=True))
        plan.add_options(options)
        # After a move or an edit the same row stays chosen.
        keep = str(self._keep_signal) if self._keep_signal is not None else None
        index = next((i for i, option in enumerate(options) if keep and option.id == keep), None)
        if index is not None:
            plan.highlighted = index

    def _cleared(self, table_id: str) -> DataTable[object]:
        table: DataTable[object] = self.query_one(f"#{table_id}", DataTable)
        table.clear()
        self._details[table_id] = {}
        return table

    @staticmethod
    def _overview(file: ClientFile, today: date) -> Text:
        def line(label: str, value: object, style: str = "") -> Text:
            return Text.assemble((f"{label:<22}", "bold"), literal(value or "—", style), "\n")

        late = file.next_due is not None and file.next_due < today
        overdue = any(a.state is DueState.OVERDUE for a in file.agreements)
        text = Text()
        text.append_text(line("Fase", file.phase.label))
        text.append_text(line("Casemanager", file.casemanager))
        text.append_text(line("Adres", file.address))
        text.append_text(line("Telefoon", file.phone))
        text.append_text(line("In beeld sinds", day(file.opened_on)))
        text.append_text(line("Laatste contact", day(file.last_contact_on)))
        text.append_text(
            line(
                "Volgende contact",
                due_text(file.next_due, today, overdue),
                ("bold red" if overdue else "yellow") if late else "",
            )
        )
        text.append("\n")
        text.append_text(line("In eigen woorden", file.own_words))
        text.append_text(line("Sterke kanten", file.strengths))
        text.append_text(line("Van betekenis", file.meaningful))
        text.append_text(line("Netwerk", file.network_summary))
        if file.closed_on is not None:
            text.append_text(line("Afgesloten op", day(file.closed_on)))
            text.append_text(
                line("Bewaren tot", f"{day(file.retention_until)} ({file.regime.label})")
            )
        if file.sign_off is not None:
            request = file.sign_off
            text.append("\nAanvraag duurzaam in beeld\n", style="bold")
            text.append_text(
                Text.assemble(
                    "  ",
                    literal(request.requested_by),
                    f" op {day(request.requested_on)}: ",
                    literal(request.reason),
                    "\n  Wacht op een teamleider.\n",
                )
            )
        if file.in_view_missing and file.phase is Phase.SCALING_BACK:
            text.append("\nNog nodig voor duurzaam in beeld\n", style="bold")
            text.append_text(Text.assemble("  ", literal(file.in_view_missing), "\n"))
        own = [row for row in file.thresholds if row.own is not None]
        if own:
            text.append("\nEigen signaalgrenzen\n", style="bold")
        for row in own:
            assert row.own is not None
            text.append_text(
                Text.assemble(
                    f"  • {row.rule.label}: {describe(row.own)} (team: {describe(row.team)}) — ",
                    literal(row.reason),
                    "\n",
                )
            )
        text.append("\nOpen aandachtspunten\n", style="bold")
        if not file.alerts:
            text.append("  geen\n")
        for alert in file.alerts:
            seen = " (bevestigd)" if alert.status is AlertStatus.CONFIRMED else ""
            text.append_text(Text.assemble("  • ", literal(alert.reason), seen, "\n"))
        return text

    def action_tab(self, tab_id: str) -> None:
        """Show the tab and give its list the focus, so that the arrow keys work at once."""
        self.query_one("#tabs", TabbedContent).active = tab_id
        widget_id = next(widget for tab, _, widget in TABS if tab == tab_id)
        widget = self.query_one(f"#{widget_id}", Widget)
        widget.focus()
        if isinstance(widget, OptionList) and widget.highlighted is None:
            # The plan starts with a phase header, which cannot be chosen: the first row is.
            first = next(
                (
                    i
                    for i in range(widget.option_count)
                    if not widget.get_option_at_index(i).disabled
                ),
                None,
            )
            widget.highlighted = first

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # Also when the tab is chosen with the mouse.
        pane_id = event.pane.id
        widget_id = next((widget for tab, _, widget in TABS if tab == pane_id), None)
        if widget_id is not None and not isinstance(self.focused, DataTable | OptionList):
            self.query_one(f"#{widget_id}", Widget).focus()

    @on(DataTable.RowSelected)
    def _row_details(self, event: DataTable.RowSelected) -> None:
        table_id = event.data_table.id or ""
        key = event.row_key.value or ""
        found = self._details.get(table_id, {}).get(key)
        if found is not None:
            self.app.push_screen(DetailScreen(*found))

    def action_edit(self) -> None:
        """The chosen member (Netwerk), agreement (Afspraken) or plan row (Signaleringsplan);
        elsewhere the client."""
        tab = self.query_one("#tabs", TabbedContent).active
        if tab == "kaart":
            on_map = self.query_one("#ecogram", NetworkMap).chosen
            if on_map is not None:
                self._open_member_form(on_map)
                return
        if tab == "netwerk":
            member_id = self._chosen_row("network")
            if member_id is not None:
                self._open_member_form(member_id)
                return
        if tab == "afspraken":
            agreement = self._chosen_agreement()
            if agreement is not None:
                self._open_agreement_form(agreement[0])
            return
        if tab == "plan":
            signal_id = self._chosen_signal()
            if signal_id is not None:
                self._open_signal_form(signal_id)
            else:
                self.notify("Kies eerst een regel van het plan (↑ ↓), of voeg er een toe (n).")
            return
        self.action_edit_client()

    def _chosen_signal(self) -> int | None:
        plan = self.query_one("#signals", OptionList)
        option = plan.highlighted_option
        return int(option.id) if option is not None and option.id else None

    def _open_signal_form(self, signal_id: int | None) -> None:
        register = self.wijkteam.register
        if register is None or self.file is None:
            return
        if signal_id is None:
            self._signal_loaded(None)
            return

        def load() -> tuple[int, SignalInput, int]:
            row, version = signal_for_edit(register, signal_id)
            return signal_id, row, version

        self.run_store(load, self._signal_loaded, group="form", hold_keys=True)

    def _signal_loaded(self, current: tuple[int, SignalInput, int] | None) -> None:
        from wijkteam_tui.views.forms.signal import SignalForm

        assert self.file is not None
        self.app.push_screen(SignalForm(self.client_id, self.file.name, current), self._form_closed)

    def action_move_signal(self, step: int) -> None:
        """Ctrl+↑ / Ctrl+↓ on the Signaleringsplan tab: the chosen row up or down its phase."""
        register = self.wijkteam.register
        signal_id = self._chosen_signal()
        if register is None or signal_id is None:
            return
        self._keep_signal = signal_id
        self.run_store(
            lambda: move_signal(register, signal_id, step),
            lambda _none: self.action_reload(),
            group="move",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = self.query_one("#tabs", TabbedContent).active
        file = self.file
        if action == "decide":
            return file is not None and file.sign_off is not None and self._teamleider()
        if action == "alert":
            return file is not None and bool(file.alerts)
        if action == "move_signal":
            return tab == "plan"
        if action == "snooze":
            return tab == "afspraken"
        if action == "end":
            return tab in ("afspraken", "netwerk")
        return True

    def _chosen_agreement(self) -> tuple[int, str] | None:
        agreement_id = self._chosen_row("agreements")
        if agreement_id is None or self.file is None:
            self.notify("Kies eerst een afspraak (↑ ↓).")
            return None
        row = next((a for a in self.file.agreements if a.id == agreement_id), None)
        return (agreement_id, row.who) if row is not None else None

    def action_snooze(self) -> None:
        from wijkteam_tui.views.forms.snooze import SnoozeForm

        chosen = self._chosen_agreement()
        if chosen is not None:
            self.app.push_screen(SnoozeForm(*chosen), self._form_closed)

    def action_end(self) -> None:
        """The chosen agreement (Afspraken) or the chosen member's involvement (Netwerk)."""
        from wijkteam_tui.views.forms.snooze import EndAgreementForm

        if self.query_one("#tabs", TabbedContent).active == "netwerk":
            self._end_member()
            return
        chosen = self._chosen_agreement()
        if chosen is not None:
            self.app.push_screen(EndAgreementForm(*chosen), self._form_closed)

    def _end_member(self) -> None:
        register = self.wijkteam.register
        member_id = self._chosen_row("network")
        row = next((m for m in self.file.members if m.id == member_id), None) if self.file else None
        if register is None or member_id is None or row is None:
            self.notify("Kies eerst een netwerklid (↑ ↓).")
            return
        if row.ended_on is not None:
            self.notify(f"{row.name} is al niet meer betrokken sinds {day(row.ended_on)}.")
            return

        def opened(loaded: tuple[int, MemberInput, int]) -> None:
            from wijkteam_tui.views.forms.end_member import EndMemberForm

            form = EndMemberForm(row.id, row.name, loaded[2])
            self.app.push_screen(form, self._form_closed)

        self.run_store(
            lambda: member_for_edit(register, member_id), opened, group="form", hold_keys=True
        )

    def action_observe(self) -> None:
        from wijkteam_tui.views.forms.observation import ObservationForm

        if self.file is None:
            return
        form = ObservationForm(self.client_id, self.file.name, self.file.signals)
        self.app.push_screen(form, self._observed)

    def _observed(self, result: ContactResult | None) -> None:
        if result is None:
            return
        for reason in result.raised:
            self.app.notify(reason, title="Nieuw aandachtspunt", severity="warning")
        self._form_closed(result)

    def _chosen_row(self, table_id: str) -> int | None:
        table = self.query_one(f"#{table_id}", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        # Row keys are the record's id, with "|…" after it where more is needed (agreements).
        head = (key or "").split("|", 1)[0]
        return int(head) if head.isdigit() else None

    def action_new(self) -> None:
        """A new agreement (Afspraken), plan row (Signaleringsplan), or network member."""
        tab = self.query_one("#tabs", TabbedContent).active
        if tab == "afspraken":
            self._open_agreement_form(None)
        elif tab == "plan":
            self._open_signal_form(None)
        else:
            self._open_member_form(None)

    def _open_agreement_form(self, agreement_id: int | None) -> None:
        register = self.wijkteam.register
        if register is None or self.file is None:
            return

        def load() -> tuple[list[UserItem], tuple[int, AgreementInput, int] | None]:
            if agreement_id is None:
                return list_users(register), None
            details, version = agreement_for_edit(register, agreement_id)
            return list_users(register), (agreement_id, details, version)

        self.run_store(load, self._agreement_loaded, group="form", hold_keys=True)

    def _agreement_loaded(
        self, loaded: tuple[list[UserItem], tuple[int, AgreementInput, int] | None]
    ) -> None:
        from wijkteam_tui.views.forms.agreement import AgreementForm, Performer

        users, current = loaded
        assert self.file is not None
        performers: list[tuple[str, Performer]] = [("de casemanager", None)]
        performers += [
            (f"{m.name} ({m.relation})" if m.relation else m.name, ("lid", m.id))
            for m in self.file.members
            if m.ended_on is None
        ]
        performers += [(f"{u.display_name} ({u.role.label})", ("medewerker", u.id)) for u in users]
        form = AgreementForm(self.client_id, self.file.name, performers, current)
        self.app.push_screen(form, self._form_closed)

    def _open_member_form(self, member_id: int | None) -> None:
        register = self.wijkteam.register
        if register is None or self.file is None:
            return

        def load() -> tuple[list[tuple[int, str]], tuple[int, MemberInput, int] | None]:
            current = None
            if member_id is not None:
                _, details, version = member_for_edit(register, member_id)
                current = (member_id, details, version)
            return list_resources(register), current

        self.run_store(load, self._member_loaded, group="form", hold_keys=True)

    def _member_loaded(
        self, loaded: tuple[list[tuple[int, str]], tuple[int, MemberInput, int] | None]
    ) -> None:
        from wijkteam_tui.views.forms.member import MemberForm

        resources, current = loaded
        assert self.file is not None
        form = MemberForm(self.client_id, self.file.name, resources, current)
        self.app.push_screen(form, self._form_closed)

    def action_edit_client(self) -> None:
        """The client form with the client's details as they are now (read fresh)."""
        register = self.wijkteam.register
        if register is None:
            return
        client_id = self.client_id

        def load() -> tuple[list[UserItem], ClientInput, int]:
            details, version = client_for_edit(register, client_id)
            return list_users(register), details, version

        self.run_store(load, self._edit_loaded, group="form", hold_keys=True)

    def _edit_loaded(self, loaded: tuple[list[UserItem], ClientInput, int]) -> None:
        from wijkteam_tui.views.forms.client import ClientForm

        users, details, version = loaded
        self.app.push_screen(
            ClientForm(users, (self.client_id, details, version)), self._form_closed
        )

    def _teamleider(self) -> bool:
        register = self.wijkteam.register
        return (
            register is not None
            and register.user is not None
            and register.user.role is Role.TEAMLEIDER
        )

    def action_phase(self) -> None:
        from wijkteam_tui.views.forms.phase import PhaseContext, PhaseForm

        file, team = self.file, self.wijkteam.team
        if file is None:
            return
        terms = team.retention_terms if team is not None else {}
        form = PhaseForm(PhaseContext.of(file, self._teamleider(), terms))
        self.app.push_screen(form, self._phase_changed)

    def _phase_changed(self, saved: object) -> None:
        if isinstance(saved, Created):
            self.app.notify("Aanvraag verstuurd; een teamleider beslist erover.")
            self.action_reload()
        else:
            self._form_closed(saved)

    def action_decide(self) -> None:
        from wijkteam_tui.views.forms.phase import SignOffForm

        file = self.file
        if file is None or file.sign_off is None:
            return
        form = SignOffForm(file.sign_off, file.in_view_missing)
        self.app.push_screen(form, self._form_closed)

    def action_threshold(self) -> None:
        from wijkteam_tui.views.forms.threshold import ThresholdForm

        file = self.file
        if file is not None:
            form = ThresholdForm(file.id, file.name, file.thresholds)
            self.app.push_screen(form, self._form_closed)

    def action_alert(self) -> None:
        from wijkteam_tui.views.forms.alert import AlertForm

        file = self.file
        if file is None or not file.alerts:
            return
        self.app.push_screen(AlertForm(file.name, file.alerts), self._form_closed)

    def action_erase(self) -> None:
        """What erasing would destroy, then the form (the store refuses a medewerker)."""
        register = self.wijkteam.register
        if register is None or self.file is None:
            return
        from wijkteam_tui.store.erasure import erasure_facts

        client_id, today = self.client_id, self.wijkteam.clock()
        self.run_store(
            lambda: erasure_facts(register, client_id, today),
            self._erase_loaded,
            group="form",
            hold_keys=True,
        )

    def _erase_loaded(self, facts: object) -> None:
        from wijkteam_tui.store.erasure import ErasureFacts
        from wijkteam_tui.views.forms.erase import EraseForm

        assert isinstance(facts, ErasureFacts)
        self.app.push_screen(EraseForm(facts), self._erased)

    def _erased(self, done: object) -> None:
        if done is None:
            return
        number = getattr(done, "number", "")
        note = (
            ""
            if getattr(done, "log_emptied", True)
            else (
                " Een ander venster leest nog; de oude gegevens verdwijnen uit het logbestand zodra"
                " dat is gesloten."
            )
        )
        exports = getattr(done, "exports", ())
        if exports:
            shown = "; ".join(exports[:5]) + (
                f" en {len(exports) - 5} meer" if len(exports) > 5 else ""
            )
            note += (
                f" Eerder gemaakt en buiten het register: {shown}. Zoek en vernietig die"
                " bestanden zelf ('wijkteam erase' noemt ze allemaal)."
            )
        self.app.pop_screen()
        self.app.notify(f"Cliënt {number} is gewist.{note}", title="Gewist", timeout=20)

    def action_share(self) -> None:
        """The export form, with who will be left out said before anything is written."""
        register, file = self.wijkteam.register, self.file
        if register is None or file is None:
            return
        from wijkteam_tui.export.document import build
        from wijkteam_tui.store.sharing import sharing_facts

        client_id, today = self.client_id, self.wijkteam.clock()
        self.run_store(
            lambda: build(sharing_facts(register, client_id), today, 0).left_out,
            self._share_loaded,
            group="form",
            hold_keys=True,
        )

    def _share_loaded(self, left_out: list[str]) -> None:
        from pathlib import Path

        from wijkteam_tui.export.files import file_name
        from wijkteam_tui.views.forms.export import ExportForm

        assert self.file is not None
        default = Path.home() / file_name(self.file.number, "pdf")
        form = ExportForm(self.client_id, self.file.name, default, left_out)
        self.app.push_screen(form, self._shared)

    def _shared(self, done: object) -> None:
        if done is None:
            return
        path, version = getattr(done, "path", ""), getattr(done, "version", 0)
        notes = "".join(f"\n{note}" for note in getattr(done, "shortened", []))
        self.app.notify(
            f"Versie {version} staat in {path}.{notes}", title="Gedeeld", timeout=12, markup=False
        )

    def _form_closed(self, saved: object) -> None:
        if saved is not None:
            self.app.notify("Opgeslagen.")
            self.action_reload()

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
