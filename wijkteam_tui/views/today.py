"""Vandaag: what needs this medewerker today."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.store.cover.absences import summary_seen
from wijkteam_tui.store.read.edit import list_users
from wijkteam_tui.store.records import DueItem, TodayList, UserItem
from wijkteam_tui.views.base import WIDE_FROM, WijkteamScreen
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.clients import ClientsScreen
from wijkteam_tui.views.contact import ContactRequest, LogContactScreen
from wijkteam_tui.views.day import Day, read_day
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.forms.absence import AbsenceForm
from wijkteam_tui.views.neighbourhood import NeighbourhoodScreen
from wijkteam_tui.views.reminders import RemindersScreen
from wijkteam_tui.views.resources import SocialMapScreen
from wijkteam_tui.views.tables import place_kept
from wijkteam_tui.views.team import TeamScreen
from wijkteam_tui.views.text import columns_line, day, header, literal, short_day, soon_text
from wijkteam_tui.views.topbar import TopBar

# Each list is drawn as lines of fixed-width columns: on a caseload of hundreds of rows a
# cell-by-cell table costs more than the whole database read.
SECTIONS = (
    ("overdue", "Te laat", (("Dagen", 5), ("Cliënt", 22), ("Hoe", 11), ("Wie", 30))),
    ("soon", "Deze week", (("Datum", 13), ("Cliënt", 22), ("Hoe", 11), ("Wie", 26))),
    ("alerts", "Aandachtspunten", (("Sinds", 10), ("Cliënt", 20), ("Reden", 70))),
    ("out-of-view", "Uit beeld", (("Dagen", 5), ("Cliënt", 24), ("Laatste contact", 16))),
)
#: Requests for 'duurzaam in beeld' waiting for a decision: shown to a teamleider only.
SIGN_OFF_COLUMNS = (("Sinds", 10), ("Cliënt", 22), ("Aangevraagd door", 20), ("Reden", 60))
#: (option id, cells) of one line in a list.
Row = tuple[str, tuple[Text | str, ...]]
#: Before a client of a colleague this person covers while they are away.
COVERED = "↪ "
WIDTHS = {section_id: tuple(w for _, w in columns) for section_id, _, columns in SECTIONS}
WIDTHS["sign-offs"] = tuple(w for _, w in SIGN_OFF_COLUMNS)


def row_key(kind: str, client_id: int, item_id: int = 0) -> str:
    return f"{kind}:{client_id}:{item_id}"


@dataclass(frozen=True)
class RowTarget:
    """What a line in one of the lists is about: the client, and the agreement if it is one."""

    client_id: int
    client_name: str
    due: DueItem | None = None


class TodayScreen(WijkteamScreen[None]):
    """Overdue contacts, due this week, open alerts, out of view, and the out-of-hours number."""

    # Side by side in a wide terminal, one under the other in a narrow one (app.tcss).
    HORIZONTAL_BREAKPOINTS = None

    BINDINGS = [
        Binding("enter", "open_client", "Open cliënt", id="today.open", tooltip="Dossier openen"),
        Binding("c", "log_contact", "Contact", id="today.contact", tooltip="Contact vastleggen"),
        Binding("slash,ctrl+f", "clients", "Cliënten", id="today.clients", tooltip="Zoeken"),
        Binding("r", "reload", "Vernieuw", id="today.reload", tooltip="Opnieuw laden"),
        Binding(
            "k",
            "social_map",
            "Sociale kaart",
            id="today.social",
            tooltip="Voorzieningen in de wijk zoeken, toevoegen, wijzigen",
        ),
        Binding(
            "b",
            "neighbourhood",
            "Buurt",
            id="today.neighbourhood",
            tooltip="Wie in de netwerken meerdere cliënten draagt, per voorziening en gebied",
        ),
        Binding(
            "t",
            "team",
            "Team",
            id="today.team",
            tooltip="Teamoverzicht: te laat en aandacht per medewerker (teamleider)",
        ),
        Binding(
            "m",
            "reminders",
            "Mail",
            id="today.reminders",
            tooltip="Herinneringen per mail aan het netwerk: wat vandaag gaat, wat ging, wat"
            " mislukte",
        ),
        Binding(
            "w",
            "absence",
            "Afwezig melden",
            id="today.absence",
            tooltip="Uw eigen afwezigheid vastleggen, met wie waarneemt",
            show=False,
        ),
        Binding("tab", "app.focus_next", "Volgende lijst", show=False, id="today.next"),
    ]

    def __init__(self, first_day: Day | None = None) -> None:
        super().__init__()
        self._first_day = first_day
        self._rows: dict[str, RowTarget] = {}
        self._placed = False

    def compose(self) -> ComposeResult:
        # The width's class now, not at the first resize: the first frame is already laid out
        # as the lists will stay (side by side, or one under the other).
        wide = self.app.size.width >= WIDE_FROM
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-narrow")
        yield TopBar()
        # Whom this person covers while they are away (hidden when nobody).
        yield Static("", id="cover-note")
        with Container(id="sections"):
            for section_id, title, columns in SECTIONS:
                with Vertical(classes="section", id=f"section-{section_id}"):
                    yield Label(
                        f"{title} (laden…)", classes="section-title", id=f"title-{section_id}"
                    )
                    yield Static(header(columns), classes="list-header")
                    yield OptionList(id=section_id, classes="day-list")
        with Vertical(classes="section", id="section-sign-offs"):
            yield Label("", classes="section-title", id="title-sign-offs")
            yield Static(header(SIGN_OFF_COLUMNS), classes="list-header")
            yield OptionList(id="sign-offs", classes="day-list")
        yield Static("", id="start-hint", classes="hint")
        yield Static("", id="out-of-hours")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        # Also when first shown; then the unlocking worker may have read the day already.
        # Vandaag reads anew whenever it comes back, so a colleague's change is in it anyway.
        self._stale = False
        first_day, self._first_day = self._first_day, None
        if first_day is not None:
            self._show(first_day)
        else:
            self.action_reload()

    def action_reload(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        app = self.wijkteam
        self.run_store(
            lambda: read_day(register, app),
            self._show,
            group="today",
            # The indicator only while nothing is shown yet: a reload keeps the lists in view.
            # Keys typed before the first lists are there wait for them (c acts on its row).
            busy=None if self._rows else self.query_one("#sections"),
            hold_keys=not self._placed,
        )

    def new_day(self) -> None:
        """Midnight passed with the register open: the lists are read anew (the app runs the
        sweep behind them, and they are read once more when it is done)."""
        self.action_reload()

    def _show_cover(self, data: TodayList) -> None:
        """Above the lists: back from an absence, what happened meanwhile (once: marked seen);
        whom this person covers; and for a teamleider who is away while nobody covers their
        waiting work."""
        note = self.query_one("#cover-note", Static)
        lines = []
        if data.covering:
            covering = "; ".join(data.covering)
            lines.append(
                literal(f"{COVERED}U neemt waar {covering}; die cliënten staan met {COVERED}")
                + "in de lijsten."
            )
        lines += [
            Text.assemble(("Niemand neemt waar: ", "bold"), literal(who), ".")
            for who in data.uncovered
        ]
        if data.welcome is not None:
            absence_id, welcome = data.welcome
            lines.insert(0, literal(welcome))
            register = self.wijkteam.register
            if register is not None:
                today = self.wijkteam.clock()
                self.run_store(
                    lambda: summary_seen(register, absence_id, today),
                    lambda _: None,
                    group="welcome",
                )
        note.display = bool(lines)
        note.update(Text("\n").join(lines))

    def _show(self, loaded: Day | None) -> None:
        if loaded is None:
            return
        data = loaded.today
        self.wijkteam.team_known(loaded.team)
        today = self.wijkteam.clock()
        self.query_one(TopBar).show(loaded.team, self.wijkteam.register, today)
        self._rows = {}

        def target(key: str, client_id: int, name: str, due: DueItem | None = None) -> str:
            self._rows[key] = RowTarget(client_id, name, due)
            return key

        def client(client_id: int, name: str) -> str | Text:
            """The client's name; of a colleague this person covers, COVERED before it (a sign
            that a narrow column does not cut off, said in words in the note above)."""
            if client_id not in data.covered:
                return name
            return Text.assemble((COVERED, "bold"), literal(name))

        overdue: list[Row] = []
        for item in data.overdue:
            key = target(
                row_key("a", item.client_id, item.agreement_id),
                item.client_id,
                item.client_name,
                item,
            )
            late = Text(f"{item.days_overdue:>4}", style="bold red")
            overdue.append(
                (
                    key,
                    (late, client(item.client_id, item.client_name), item.channel.label, item.who),
                )
            )
        soon: list[Row] = []
        for item in data.due_soon:
            key = target(
                row_key("a", item.client_id, item.agreement_id),
                item.client_id,
                item.client_name,
                item,
            )
            when = soon_text(item.next_due, today)
            soon.append(
                (
                    key,
                    (when, client(item.client_id, item.client_name), item.channel.label, item.who),
                )
            )
        # A refused request of this person stands first among the alerts until they open the
        # client; it is also told once as a message.
        self.wijkteam.tell_refusals(data.refusals)
        alerts: list[Row] = [
            (
                target(
                    row_key("r", refused.client_id, refused.request_id),
                    refused.client_id,
                    refused.client_name,
                ),
                (
                    short_day(refused.decided_on),
                    refused.client_name,
                    Text.assemble(
                        ("Aanvraag afgewezen", "bold"),
                        f" door {refused.decided_by}: ",
                        literal(refused.reason),
                    ),
                ),
            )
            for refused in data.refusals
        ]
        alerts += [
            (
                target(
                    row_key("x", alert.client_id, alert.alert_id),
                    alert.client_id,
                    alert.client_name,
                ),
                (
                    short_day(alert.raised_on),
                    client(alert.client_id, alert.client_name),
                    alert.reason,
                ),
            )
            for alert in data.alerts
        ]
        silent: list[Row] = [
            (
                target(row_key("c", item.client_id), item.client_id, item.client_name),
                (
                    Text(f"{item.days_without_contact:>4}", style="bold yellow"),
                    client(item.client_id, item.client_name),
                    day(item.last_contact_on),
                ),
            )
            for item in data.out_of_view
        ]
        requests: list[Row] = [
            (
                target(
                    row_key("s", item.client_id, item.request_id), item.client_id, item.client_name
                ),
                (short_day(item.requested_on), item.client_name, item.requested_by, item.reason),
            )
            for item in data.sign_offs
        ]
        rows = {"overdue": overdue, "soon": soon, "alerts": alerts, "out-of-view": silent}
        self._show_cover(data)
        for section_id, title, _ in SECTIONS:
            self.query_one(f"#title-{section_id}", Label).update(
                f"{title} ({len(rows[section_id])})"
            )
            self._fill(section_id, rows[section_id])
        # A teamleider sees the requests waiting for them; Enter opens the client, `k` there
        # decides.
        self.query_one("#section-sign-offs").display = bool(requests)
        self.query_one("#title-sign-offs", Label).update(
            f"Aanvragen duurzaam in beeld ({len(requests)}):"
            " Enter opent de cliënt, daar beslist u met k"
        )
        self._fill("sign-offs", requests)
        focused = self.focused
        if not self._placed or not isinstance(focused, OptionList) or not focused.option_count:
            # The first list with something in it, so that `c` and Enter work at once (for a
            # teamleider the requests waiting for them); later reloads keep the person's place.
            self._placed = True
            lists = [self.query_one(f"#{section_id}", OptionList) for section_id, _, _ in SECTIONS]
            if requests:
                lists.insert(0, self.query_one("#sign-offs", OptionList))
            next((lst for lst in lists if lst.option_count), lists[0]).focus()
        # A new register: how to start, instead of four empty lists and nothing else.
        empty = not any(rows.values()) and not requests
        hint = self.query_one("#start-hint", Static)
        hint.display = empty
        if empty:
            teamleider = self.wijkteam.register is not None and (
                self.wijkteam.register.user is not None
                and self.wijkteam.register.user.role is Role.TEAMLEIDER
            )
            hint.update(
                "Nog niets te doen. Een nieuwe cliënt legt u vast op Cliënten: / en dan Ctrl+N;"
                " daarna in het dossier het netwerk (2, n) en de afspraken (3, n)."
                + (" Collega's voegt u toe op Team → Gebruikers: t, u, n." if teamleider else "")
            )
        contact = data.out_of_hours_contact or "(nog niet ingesteld door de teamleider)"
        self.query_one("#out-of-hours", Static).update(
            Text.assemble(("Buiten kantoortijd: ", "bold"), literal(contact))
        )

    def _fill(self, section_id: str, rows: list[Row]) -> None:
        listing = self.query_one(f"#{section_id}", OptionList)
        widths = WIDTHS[section_id]
        with place_kept(listing):
            listing.clear_options()
            listing.add_options(Option(columns_line(cells, widths), id=key) for key, cells in rows)
        if listing.highlighted is None and listing.option_count:
            listing.highlighted = 0  # the first filling: `c` and Enter work at once

    def _selected(self) -> RowTarget | None:
        focused = self.focused
        if not isinstance(focused, OptionList) or focused.highlighted is None:
            return None
        key = focused.get_option_at_index(focused.highlighted).id
        return self._rows.get(key) if key else None

    @on(OptionList.OptionSelected)
    def _row_selected(self) -> None:
        self.action_open_client()

    def action_open_client(self) -> None:
        selected = self._selected()
        if selected:
            self.app.push_screen(ClientFileScreen(selected.client_id))

    def action_log_contact(self) -> None:
        selected = self._selected()
        if not selected:
            self.notify("Kies eerst een regel in een van de lijsten.")
            return
        item = selected.due
        if item is not None:
            request = ContactRequest(
                item.client_id, item.client_name, item.agreement_id, item.who, item.channel.value
            )
        else:
            # An aandachtspunt or uit beeld: the dialog offers the client's agreements.
            request = ContactRequest(selected.client_id, selected.client_name)
        self.app.push_screen(LogContactScreen(request), self._contact_done)

    def _contact_done(self, logged: bool | None) -> None:
        if logged:
            self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "team":
            # Shown to a teamleider only; the store refuses the team's figures to anyone else.
            register = self.wijkteam.register
            return (
                register is not None
                and register.user is not None
                and (register.user.role is Role.TEAMLEIDER)
            )
        return True

    def action_team(self) -> None:
        self.app.push_screen(TeamScreen())

    def action_absence(self) -> None:
        register = self.wijkteam.register
        if register is None or register.user is None:
            return
        me = register.user.name
        self.run_store(
            lambda: list_users(register),
            lambda users: self._absence_loaded(me, users),
            group="form",
            hold_keys=True,
        )

    def _absence_loaded(self, me: str, users: list[UserItem]) -> None:
        away = next((u for u in users if u.name == me), None)
        if away is not None:
            self.app.push_screen(AbsenceForm(away, users), self._absence_saved)

    def _absence_saved(self, saved: object) -> None:
        if saved is not None:
            self.notify("Afwezigheid vastgelegd.")

    def action_reminders(self) -> None:
        self.app.push_screen(RemindersScreen())

    def action_social_map(self) -> None:
        self.app.push_screen(SocialMapScreen())

    def action_neighbourhood(self) -> None:
        self.app.push_screen(NeighbourhoodScreen())

    def action_clients(self) -> None:
        self.app.push_screen(ClientsScreen())
