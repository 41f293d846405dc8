"""Cliëntdossier: the screen that holds the file's tabs (a module each), reads the file, and
routes the keys that mean something else per tab (`e`, `n`, `x`, `u`, `c`) to the tab in front.

Tables cut long text to their columns with "…"; Enter on a row shows every field in full."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static, TabbedContent

from wijkteam_tui.errors import NotWorkingForError, WijkteamError
from wijkteam_tui.store.audit.chain import Event
from wijkteam_tui.store.audit.log import record
from wijkteam_tui.store.cover.access import emergency_until, local_time
from wijkteam_tui.store.read.client_file import client_file, client_timeline
from wijkteam_tui.store.read.outcomes import AssessmentRow, client_assessments
from wijkteam_tui.store.records import ClientFile, TimelineEntry
from wijkteam_tui.store.write.phases import refusals_seen
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.client_file.agreements import AgreementsPane
from wijkteam_tui.views.client_file.network import NetworkPane
from wijkteam_tui.views.client_file.network_map import NetworkMap, NetworkMapPane
from wijkteam_tui.views.client_file.outcomes import OutcomesPane
from wijkteam_tui.views.client_file.overview import OverviewPane
from wijkteam_tui.views.client_file.pane import is_teamleider
from wijkteam_tui.views.client_file.plan import PlanPane
from wijkteam_tui.views.client_file.timeline import TimelinePane
from wijkteam_tui.views.contact import ContactRequest, LogContactScreen
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.forms.erase import EraseForm
from wijkteam_tui.views.forms.export import ExportForm
from wijkteam_tui.views.tables import place_kept
from wijkteam_tui.views.text import literal
from wijkteam_tui.views.topbar import TopBar

if TYPE_CHECKING:
    from wijkteam_tui.export.to_disk import Exported
    from wijkteam_tui.store.erasure import Erased, ErasureFacts

#: (pane id, title, id of the widget that takes the focus) of each tab, in the order of 1–7.
TABS = (
    ("overzicht", "Overzicht", "overview"),
    ("netwerk", "Netwerk", "network"),
    ("afspraken", "Afspraken", "agreements"),
    ("plan", "Signaleringsplan", "signals"),
    ("tijdlijn", "Tijdlijn", "timeline"),
    ("kaart", "Kaart", "ecogram"),
    ("ontwikkeling", "Ontwikkeling", "zrm"),
)


#: Actions that belong to some tabs only (their keys are hidden on the others).
_ON_TABS = {
    "move_signal": ("plan",),
    "snooze": ("afspraken",),
    "end": ("afspraken", "netwerk"),
}


#: What a file's load reads: the file, its timeline, the day, until when the person's
#: noodtoegang to it lasts (None: they work for the client, or may open every one), and the
#: client's assessments (Ontwikkeling).
Loaded = tuple[ClientFile, list[TimelineEntry], date, datetime | None, list[AssessmentRow]]


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
        Binding(
            "m",
            "stop_reminding",
            "Geen mail",
            id="file.stop_reminding",
            tooltip="Het gekozen netwerklid krijgt geen herinneringen per mail meer",
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

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static("", id="file-title")
        with TabbedContent(id="tabs"):
            yield OverviewPane("1 Overzicht", id="overzicht")
            yield NetworkPane("2 Netwerk", id="netwerk")
            yield AgreementsPane("3 Afspraken", id="afspraken")
            yield PlanPane("4 Signaleringsplan", id="plan")
            yield TimelinePane("5 Tijdlijn", id="tijdlijn")
            yield NetworkMapPane("6 Kaart", id="kaart")
            yield OutcomesPane("7 Ontwikkeling", id="ontwikkeling")
        yield KeyBar()

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

        def load() -> Loaded:
            # Opened: a refusal of this person's request for it leaves their Vandaag.
            refusals_seen(register, client_id)
            today = app.clock()
            loaded = (
                client_file(register, client_id, today),
                client_timeline(register, client_id, today=today),
                today,
                emergency_until(register, client_id),
                client_assessments(register, client_id, today),
            )
            if unlogged:
                record(register, *unlogged)
            return loaded

        self.run_store(
            load,
            self._show,
            group="file",
            busy=None if self.file else self.query_one("#tabs"),
            # Keys typed before the file is there wait for it (3 ↓ x ends the agreement meant).
            hold_keys=self.file is None,
            failed=self._not_loaded,
        )

    def _not_loaded(self, message: str, error: WijkteamError | None) -> None:
        """A file this person may not (or no longer) open closes, saying why (noodtoegang that
        ran out, a cover that ended); anything else is said and the file stays as it was."""
        if isinstance(error, NotWorkingForError) and self.is_current:
            self.app.pop_screen()
            self.app.notify(message, title="Geen toegang", severity="warning", timeout=15)
            return
        self.notify(message, severity="error")

    def new_day(self) -> None:
        self.show_top_bar()
        self.action_reload()

    def _show(self, loaded: Loaded) -> None:
        # Every list keeps the row the person was on, and its scroll (also after a
        # colleague's change, shown by itself).
        with ExitStack() as kept:
            for widget in self.query(DataTable):
                kept.enter_context(place_kept(widget))
            kept.enter_context(place_kept(self.query_one("#signals", OptionList)))
            self._fill(loaded)

    def _fill(self, loaded: Loaded) -> None:
        file, timeline_entries, today, until, assessments = loaded
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
                (f"  ·  noodtoegang tot {local_time(until)}", "bold") if until else "",
            )
        )
        self.query_one(OverviewPane).show(file, today)
        self.query_one(NetworkPane).show(file, today)
        self.query_one(AgreementsPane).show(file, today)
        self.query_one(PlanPane).show(file.signals)
        self.query_one(NetworkMapPane).show(file, today)
        self.query_one(TimelinePane).show(timeline_entries)
        self.query_one(OutcomesPane).show(assessments)

    @on(NetworkMap.Chosen)
    def _map_member_chosen(self, event: NetworkMap.Chosen) -> None:
        self.query_one(NetworkPane).open_member_form(event.member_id)

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

    def action_edit(self) -> None:
        """The chosen member (Netwerk), agreement (Afspraken) or plan row (Signaleringsplan);
        elsewhere the client."""
        tab = self.query_one("#tabs", TabbedContent).active
        network = self.query_one(NetworkPane)
        if tab == "kaart":
            on_map = self.query_one(NetworkMapPane).chosen
            if on_map is not None:
                network.open_member_form(on_map)
                return
        if tab == "netwerk":
            member_id = network.chosen_id()
            if member_id is not None:
                network.open_member_form(member_id)
                return
        if tab == "ontwikkeling":
            self.query_one(OutcomesPane).open_form(new=False)
            return
        if tab == "afspraken":
            agreements = self.query_one(AgreementsPane)
            agreement = agreements.chosen_agreement()
            if agreement is not None:
                agreements.open_agreement_form(agreement[0])
            return
        if tab == "plan":
            plan = self.query_one(PlanPane)
            signal_id = plan.chosen_signal()
            if signal_id is not None:
                plan.open_signal_form(signal_id)
            else:
                self.notify("Kies eerst een regel van het plan (↑ ↓), of voeg er een toe (n).")
            return
        self.action_edit_client()

    def action_new(self) -> None:
        """A new agreement (Afspraken), plan row (Signaleringsplan), or network member."""
        tab = self.query_one("#tabs", TabbedContent).active
        if tab == "afspraken":
            self.query_one(AgreementsPane).open_agreement_form(None)
        elif tab == "plan":
            self.query_one(PlanPane).open_signal_form(None)
        elif tab == "ontwikkeling":
            self.query_one(OutcomesPane).open_form(new=True)
        else:
            self.query_one(NetworkPane).open_member_form(None)

    def action_move_signal(self, step: int) -> None:
        """Ctrl+↑ / Ctrl+↓ on the Signaleringsplan tab: the chosen row up or down its phase."""
        self.query_one(PlanPane).move_chosen(step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = self.query_one("#tabs", TabbedContent).active
        file = self.file
        if action == "decide":
            return (
                file is not None
                and file.sign_off is not None
                and is_teamleider(self.wijkteam.register)
            )
        if action == "alert":
            return file is not None and bool(file.alerts)
        if action in _ON_TABS:
            return tab in _ON_TABS[action]
        if action == "stop_reminding":
            return (
                tab == "netwerk"
                and file is not None
                and any(m.remind_by_mail for m in file.members)
            )
        return True

    def action_stop_reminding(self) -> None:
        self.query_one(NetworkPane).stop_reminding()

    def action_snooze(self) -> None:
        self.query_one(AgreementsPane).snooze()

    def action_end(self) -> None:
        """The chosen agreement (Afspraken) or the chosen member's involvement (Netwerk)."""
        if self.query_one("#tabs", TabbedContent).active == "netwerk":
            self.query_one(NetworkPane).end_member()
            return
        self.query_one(AgreementsPane).end_agreement()

    def action_observe(self) -> None:
        self.query_one(PlanPane).observe()

    def action_edit_client(self) -> None:
        """The client form with the client's details as they are now (read fresh)."""
        self.query_one(OverviewPane).edit_client()

    def action_phase(self) -> None:
        self.query_one(OverviewPane).change_phase()

    def action_decide(self) -> None:
        self.query_one(OverviewPane).decide()

    def action_threshold(self) -> None:
        self.query_one(OverviewPane).set_threshold()

    def action_alert(self) -> None:
        self.query_one(OverviewPane).handle_alert()

    def action_erase(self) -> None:
        """What erasing would destroy, then the form (the store refuses a medewerker)."""
        register = self.wijkteam.register
        if register is None or self.file is None:
            return
        # Lazy: the store loads in the background while the passphrase is typed (views.preload).
        from wijkteam_tui.store.erasure import erasure_facts

        client_id, today = self.client_id, self.wijkteam.clock()
        self.run_store(
            lambda: erasure_facts(register, client_id, today),
            self._erase_loaded,
            group="form",
            hold_keys=True,
        )

    def _erase_loaded(self, facts: ErasureFacts) -> None:
        self.app.push_screen(EraseForm(facts), self._erased)

    def _erased(self, done: Erased | None) -> None:
        if done is None:
            return
        number = done.number
        note = (
            ""
            if done.log_emptied
            else (
                " Een ander venster leest nog; de oude gegevens verdwijnen uit het logbestand zodra"
                " dat is gesloten."
            )
        )
        exports = done.exports
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
        # Lazy: the documents (fpdf2 and all) load only when something is shared.
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
        # Lazy: the documents (fpdf2 and all) load only when something is shared.
        from pathlib import Path

        assert self.file is not None
        form = ExportForm(self.client_id, self.file.name, self.file.number, Path.home(), left_out)
        self.app.push_screen(form, self._shared)

    def _shared(self, done: Exported | None) -> None:
        if done is None:
            return
        path, version = done.path, done.version
        notes = "".join(f"\n{note}" for note in done.shortened)
        self.app.notify(
            f"Versie {version} staat in {path}.{notes}", title="Gedeeld", timeout=12, markup=False
        )

    def form_closed(self, saved: object) -> None:
        """After a form: say it was saved and read the file again (nothing when cancelled)."""
        if saved is not None:
            self.app.notify("Opgeslagen.")
            self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_log_contact(self) -> None:
        file = self.file
        if file is None:
            return
        if self.query_one("#tabs", TabbedContent).active == "afspraken":
            request = self.query_one(AgreementsPane).contact_request(file)
        else:
            request = ContactRequest(file.id, file.name)
        self.app.push_screen(LogContactScreen(request), self._contact_done)

    def _contact_done(self, logged: bool | None) -> None:
        if logged:
            self.action_reload()
