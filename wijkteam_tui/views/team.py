"""Team (teamleider): the weekly review in one screen.

Per medewerker what is late and what needs attention, the team's total, and for the chosen
medewerker the trend of 12 weeks and the list of their overdue contact moments and alerts
(Enter opens the client). Filters narrow which clients count; `s` sorts; `o` hands clients over
to a colleague; `i` opens the team settings; `m` imports a caseload. The store refuses all of
it to a medewerker."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from wijkteam_tui.domain.team import is_urgent, postcode_area, sparkline
from wijkteam_tui.domain.terms import Phase, ThresholdRule
from wijkteam_tui.errors import WijkteamError
from wijkteam_tui.store.read.edit import (
    clients_of,
    setting_history,
    team_settings_for_edit,
    team_thresholds,
)
from wijkteam_tui.store.read.team import team_detail
from wijkteam_tui.store.read.today import team_info
from wijkteam_tui.store.records import (
    AlertItem,
    Created,
    DueItem,
    Reevaluation,
    ThresholdRow,
    UserItem,
)
from wijkteam_tui.store.review import (
    ReassignResult,
    TeamFilter,
    TeamRow,
    TrendSeries,
)
from wijkteam_tui.views.audit import AuditScreen
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.caseload_import import ImportScreen
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.forms.absence import AbsenceForm
from wijkteam_tui.views.forms.reassign import ReassignForm
from wijkteam_tui.views.forms.settings import TeamSettingsForm
from wijkteam_tui.views.forms.team_threshold import TeamThresholdForm, reevaluated_text
from wijkteam_tui.views.retention import RetentionScreen
from wijkteam_tui.views.tables import place_kept, row_table
from wijkteam_tui.views.team_rows import (
    COLUMNS,
    DETAIL_WIDTHS,
    NOBODY_KEY,
    SORTS,
    TEAM_KEY,
    Loaded,
    alerts_cell,
    phases_cell,
    review_loaded,
    row_key,
    summary_text,
)
from wijkteam_tui.views.text import columns_line, counted, fit, literal, short_day
from wijkteam_tui.views.topbar import TopBar
from wijkteam_tui.views.users import UsersScreen


class TeamScreen(WijkteamScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Terug", id="team.back", tooltip="Vorig scherm"),
        Binding("s", "sort", "Sorteer", id="team.sort", tooltip="Andere volgorde"),
        Binding(
            "o",
            "reassign",
            "Overdragen",
            id="team.reassign",
            tooltip="Cliënten van de gekozen medewerker aan een collega overdragen",
        ),
        Binding("i", "settings", "Instellingen", id="team.settings", tooltip="Teaminstellingen"),
        Binding(
            "g",
            "thresholds",
            "Teamgrenzen",
            id="team.thresholds",
            tooltip="Signaalgrenzen van het team",
        ),
        Binding("a", "audit", "Auditlog", id="team.audit", tooltip="Wie deed wat, wanneer"),
        Binding("u", "users", "Gebruikers", id="team.users", tooltip="Wie het register opent"),
        Binding(
            "b",
            "retention",
            "Bewaartermijn",
            id="team.retention",
            tooltip="Dossiers voorbij de bewaartermijn",
        ),
        Binding(
            "m",
            "import_caseload",
            "Importeren",
            id="team.import",
            tooltip="Een caseload uit een spreadsheet overnemen",
        ),
        Binding(
            "w",
            "absence",
            "Afwezig",
            id="team.absence",
            tooltip="Afwezigheid van de gekozen medewerker vastleggen, met wie waarneemt",
        ),
        Binding("r", "reload", "Vernieuw", id="team.reload", tooltip="Opnieuw laden"),
        Binding("f", "filters", "Filter", id="team.filter", tooltip="Naar de filters"),
        Binding("tab", "app.focus_next", "Volgende", show=False, id="team.next"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.loaded: Loaded | None = None
        self.sort = SORTS[0]
        #: Why the store refused to show the team (a medewerker), "" when it did not.
        self.refusal = ""
        self._detail: dict[str, int] = {}
        self._detail_for: int | str | None = "nog niet"

    def compose(self) -> ComposeResult:
        yield TopBar()
        with Horizontal(id="team-filters"):
            yield Input(placeholder="Postcodegebied", id="area", compact=True)
            yield Select(
                [(p.label, p) for p in Phase], prompt="Alle fasen", id="phase", compact=True
            )
            yield Select(
                [(r.label, r) for r in ThresholdRule],
                prompt="Alle aandachtspunten",
                id="rule",
                compact=True,
            )
            yield Select([], prompt="Iedereen", id="casemanager", compact=True)
        yield Static("Laden…", id="team-summary")
        yield row_table("team-table", COLUMNS)
        with Vertical(id="team-detail"):
            yield Label("", id="team-detail-title")
            yield Static("", id="team-detail-trend")
            yield OptionList(id="team-detail-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_top_bar()
        self.query_one("#team-table", DataTable).focus()
        self.action_reload()

    # --- loading ---------------------------------------------------------------------------

    def filters(self) -> TeamFilter | None:
        """The filters as set now; None (and why, above the table) when the postcode area is
        no postcode area."""
        area_text = self.query_one("#area", Input).value
        try:
            area = postcode_area(area_text)
        except ValueError as error:
            self.query_one("#team-summary", Static).update(literal(str(error), "bold"))
            return None

        def chosen(select_id: str) -> Any:
            value = self.query_one(f"#{select_id}", Select).value
            return None if value is Select.NULL else value

        return TeamFilter(area, chosen("phase"), chosen("rule"), chosen("casemanager"))

    def action_reload(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        filters, today = self.filters(), self.wijkteam.clock()
        if filters is None:
            return

        # No loading indicator on the table: it would take the focus away from it. Keys typed
        # before the first list is there wait for it (↓ then o acts on the row meant).
        self.run_store(
            lambda: review_loaded(register, today, filters),
            self._show,
            group="team",
            failed=self._refused,
            hold_keys=self.loaded is None,
        )

    def _refused(self, message: str, _error: WijkteamError | None) -> None:
        """A medewerker (or a broken read): say why, show nothing."""
        self.refusal = message
        self.tell_refusal("team-summary", message)

    @on(Input.Submitted, "#area")
    @on(Select.Changed)
    def _filter_changed(self) -> None:
        if self.is_mounted:
            self.action_reload()

    def action_filters(self) -> None:
        self.query_one("#area", Input).focus()

    def action_users(self) -> None:
        self.app.push_screen(UsersScreen())

    def action_retention(self) -> None:
        self.app.push_screen(RetentionScreen())

    def action_audit(self) -> None:
        self.app.push_screen(AuditScreen())

    def action_import_caseload(self) -> None:
        self.app.push_screen(ImportScreen())

    # --- showing ----------------------------------------------------------------------------

    def _show(self, loaded: Loaded) -> None:
        first = self.loaded is None
        self.loaded = loaded
        self._fill_casemanagers(loaded.users, first)
        self._fill_table()
        summary = summary_text(loaded, self.sort.label)
        self.query_one("#team-summary", Static).update(summary)
        self._load_detail()

    def _fill_casemanagers(self, users: list[UserItem], first: bool) -> None:
        if not first:
            return
        select = self.query_one("#casemanager", Select)
        with select.prevent(Select.Changed):
            select.set_options([(literal(u.display_name or u.name), u.id) for u in users])

    def _series(self, user_id: int | None) -> TrendSeries | None:
        assert self.loaded is not None
        return next((s for s in self.loaded.trend.per_user if s.user_id == user_id), None)

    def _fill_table(self) -> None:
        assert self.loaded is not None
        table = self.query_one("#team-table", DataTable)
        with place_kept(table):
            table.clear()
            rows = sorted(self.loaded.review.rows, key=self.sort.key)
            for row in [*rows, self.loaded.review.total]:
                series = self.loaded.trend.team if row is self.loaded.review.total else None
                series = series or self._series(row.user_id)
                name = row.name if row.active else f"{row.name} (niet actief)"
                style = "bold" if row is self.loaded.review.total else ""
                cells = (
                    name,
                    str(row.overdue),
                    f"{row.longest_overdue_days} dg" if row.overdue else "—",
                    alerts_cell(row),
                    str(row.out_of_view),
                    str(row.sign_offs),
                    str(row.consents_to_renew),
                    str(row.clients),
                    phases_cell(row),
                    sparkline(series.overdue) if series else "",
                )
                table.add_row(
                    *(
                        fit(cell, width, style)
                        for cell, (_, width) in zip(cells, COLUMNS, strict=True)
                    ),
                    key=TEAM_KEY if row is self.loaded.review.total else row_key(row),
                )

    def _chosen_key(self) -> str | None:
        table = self.query_one("#team-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _chosen_user(self) -> tuple[bool, int | None]:
        """(a medewerker row is chosen, their id or None for the clients without one)."""
        key = self._chosen_key()
        if key is None or key == TEAM_KEY:
            return False, None
        return True, None if key == NOBODY_KEY else int(key)

    def _chosen_row(self) -> TeamRow | None:
        if self.loaded is None:
            return None
        key = self._chosen_key()
        if key == TEAM_KEY:
            return self.loaded.review.total
        return next((r for r in self.loaded.review.rows if row_key(r) == key), None)

    @on(DataTable.RowHighlighted, "#team-table")
    def _load_detail(self) -> None:
        register = self.wijkteam.register
        row = self._chosen_row()
        if register is None or row is None:
            return
        chosen, user_id = self._chosen_user()
        title = self.query_one("#team-detail-title", Label)
        series = (
            self._series(user_id) if chosen else (self.loaded.trend.team if self.loaded else None)
        )
        self._show_trend(series)
        if not chosen:
            title.update(Text("Kies een medewerker (↑ ↓) voor de lijst.", style="dim"))
            self.query_one("#team-detail-list", OptionList).clear_options()
            self._detail_for = TEAM_KEY
            return
        if self._detail_for == user_id:
            return
        title.update(literal(f"{row.name}: laden…", "bold"))
        today = self.wijkteam.clock()
        self.run_store(
            lambda: (user_id, team_detail(register, user_id, today)),
            self._detail_loaded,
            group="team-detail",
        )

    def _show_trend(self, series: TrendSeries | None) -> None:
        line = self.query_one("#team-detail-trend", Static)
        if series is None or self.loaded is None:
            line.update("")
            return
        weeks = self.loaded.trend.weeks
        line.update(
            Text.assemble(
                ("12 weken ", "dim"),
                (f"(vanaf {short_day(weeks[0])}): ", "dim"),
                "te laat ",
                (sparkline(series.overdue), "bold"),
                "   aandachtspunten ",
                (sparkline(series.open_alerts), "bold"),
            )
        )

    def _detail_loaded(
        self, loaded: tuple[int | None, tuple[list[DueItem], list[AlertItem]]]
    ) -> None:
        user_id, (overdue, alerts) = loaded
        chosen, now = self._chosen_user()
        if not chosen or now != user_id:
            return  # the person moved on; their new choice is loading
        self._detail_for = user_id
        row = self._chosen_row()
        name = row.name if row else ""
        self.query_one("#team-detail-title", Label).update(
            Text.assemble(
                literal(name, "bold"),
                f": {counted(len(overdue), 'contactmoment', 'contactmomenten')} te laat, "
                f"{counted(len(alerts), 'aandachtspunt', 'aandachtspunten')}",
                ("   Enter opent de cliënt", "dim"),
            )
        )
        options: list[Option] = []
        self._detail = {}
        for index, alert in enumerate(alerts):
            key = f"a{index}"
            self._detail[key] = alert.client_id
            mark = "! urgent" if is_urgent(alert.rule) else "sinds"
            cells = (mark, alert.client_name, short_day(alert.raised_on), alert.reason)
            options.append(Option(columns_line(cells, DETAIL_WIDTHS), id=key))
        for index, item in enumerate(overdue):
            key = f"d{index}"
            self._detail[key] = item.client_id
            cells = (f"{item.days_overdue} dg", item.client_name, item.channel.label, item.who)
            options.append(Option(columns_line(cells, DETAIL_WIDTHS), id=key))
        listing = self.query_one("#team-detail-list", OptionList)
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = 0

    # --- actions -----------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#team-table")
    def _to_detail(self) -> None:
        listing = self.query_one("#team-detail-list", OptionList)
        if listing.option_count:
            listing.focus()

    @on(OptionList.OptionSelected, "#team-detail-list")
    def _open_client(self, event: OptionList.OptionSelected) -> None:
        client_id = self._detail.get(event.option.id or "")
        if client_id is not None:
            self.app.push_screen(ClientFileScreen(client_id))

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        if self.loaded is not None:
            self._show(self.loaded)
        self.notify(f"Gesorteerd op {self.sort.label}.", timeout=2)

    def action_reassign(self) -> None:
        register = self.wijkteam.register
        chosen, user_id = self._chosen_user()
        row = self._chosen_row()
        if register is None or not chosen or row is None or self.loaded is None:
            self.notify("Kies eerst een medewerker in de lijst (↑ ↓).")
            return
        users = self.loaded.users
        self.run_store(
            lambda: clients_of(register, user_id),
            lambda clients: self._reassign_loaded(row, users, clients),
            group="form",
            hold_keys=True,
        )

    def _reassign_loaded(
        self, row: TeamRow, users: list[UserItem], clients: list[tuple[int, str]]
    ) -> None:
        if not clients:
            self.notify(f"{row.name} heeft geen open cliënten om over te dragen.")
            return
        targets = [u for u in users if u.id != row.user_id]
        self.app.push_screen(ReassignForm(row.user_id, row.name, clients, targets), self._saved)

    def action_absence(self) -> None:
        chosen, user_id = self._chosen_user()
        loaded = self.loaded
        away = next((u for u in loaded.users if u.id == user_id), None) if loaded else None
        if not chosen or away is None or loaded is None:
            self.notify("Kies eerst een medewerker in de lijst (↑ ↓).")
            return
        self.app.push_screen(AbsenceForm(away, loaded.users), self._saved)

    def action_settings(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return

        def load() -> tuple[Any, ...]:
            settings, version = team_settings_for_edit(register)
            return settings, version, setting_history(register, limit=5)

        self.run_store(load, self._settings_loaded, group="form", hold_keys=True)

    def _settings_loaded(self, loaded: tuple[Any, ...]) -> None:
        settings, version, history = loaded
        self.app.push_screen(TeamSettingsForm(settings, version, history), self._saved)

    def action_thresholds(self) -> None:
        register = self.wijkteam.register
        if register is not None:
            self.run_store(
                lambda: team_thresholds(register),
                self._thresholds_loaded,
                group="form",
                hold_keys=True,
            )

    def _thresholds_loaded(self, rows: list[ThresholdRow]) -> None:
        self.app.push_screen(TeamThresholdForm(rows), self._threshold_saved)

    def _threshold_saved(self, saved: Reevaluation | None) -> None:
        if saved is not None:
            self.notify(f"Teamgrens opgeslagen. {reevaluated_text(saved)}")
            # Every client's next change may come sooner now: the others follow behind.
            self.wijkteam.start_sweep()

    def _saved(self, saved: object) -> None:
        """After the reassign form (a ReassignResult), the absence form (Created) or the
        settings form (what changed)."""
        if saved is None:
            return
        if isinstance(saved, Created):
            self.notify("Afwezigheid vastgelegd.")
        elif isinstance(saved, ReassignResult):
            self.notify(
                f"{counted(saved.clients, 'cliënt', 'cliënten')} overgedragen,"
                f" {counted(saved.agreements, 'afspraak', 'afspraken')} mee over."
            )
        elif isinstance(saved, list):
            changed = ", ".join(str(label) for label in saved)
            self.notify(f"Gewijzigd: {changed}." if changed else "Niets gewijzigd.")
            register = self.wijkteam.register
            if register is not None:
                self.run_store(lambda: team_info(register), self._team_changed, group="team-info")
            if changed:
                self.wijkteam.start_sweep()  # other grace days: missed contacts count anew
        self._detail_for = "nog niet"
        self.action_reload()

    def _team_changed(self, team: Any) -> None:
        self.wijkteam.team_known(team)
        self.query_one(TopBar).show(team, self.wijkteam.register, self.wijkteam.clock())

    def action_back(self) -> None:
        self.app.pop_screen()

    def new_day(self) -> None:
        self.action_reload()
