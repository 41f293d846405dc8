"""Buurt: how much the neighbourhood carries (`b` on Vandaag). Three tabs: the steunpersonen
who carry more than one client (or more moments a month than the team's limit), the sociale
kaart's entries, and the postcode areas. A signal is marked `!`, readable without colour.

Enter on a steunpersoon shows whom they support and how they were found (phone number, e-mail
address, a teamleider's decision); there a teamleider parts a member who is someone else (`p`)
or forgets the decisions on them (`v`), and anyone opens the client (Enter). Enter on an area
shows only that area; Esc the whole team again. A medewerker sees the clients they may open,
and decides nothing."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.export.neighbourhood import month_text, reviewed_text, share_text
from wijkteam_tui.store.neighbourhood.links import forget_member, part_member
from wijkteam_tui.store.read.neighbourhood import Neighbourhood, Supporter, neighbourhood
from wijkteam_tui.views.base import WijkteamDialog, WijkteamScreen
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.tables import place_kept
from wijkteam_tui.views.text import counted, fit, literal
from wijkteam_tui.views.topbar import TopBar

PEOPLE = (("Steunpersoon", 22), ("Cl.", 3), ("Afspr.", 6), ("/mnd", 5), ("Nagekomen", 10))
RESOURCES = (("Voorziening", 24), ("Gebied", 6), ("Cl.", 4), ("Afspr.", 6), ("Nagekeken", 16))
AREAS = (
    ("Gebied", 8),
    ("Cliënten", 9),
    ("Steunpersonen", 14),
    ("Zonder netwerk", 15),
    ("Voorzieningen", 14),
)
#: The tabs: id, title, and the table that gets the focus.
TABS = (
    ("steunpersonen", "1 Steunpersonen", "buurt-people"),
    ("voorzieningen", "2 Voorzieningen", "buurt-resources"),
    ("gebieden", "3 Gebieden", "buurt-areas"),
)


def kept_text(share: int | None, before: int | None) -> str:
    """ "67% (97)": the kept share of the last 12 weeks and of the 12 before."""
    return share_text(share) + ("" if before is None else f" ({before})")


def signal_cell(signals: tuple[str, ...]) -> Text:
    if not signals:
        return Text("")
    return Text("! " + "; ".join(signals), style="bold")


class NeighbourhoodScreen(WijkteamScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Terug", id="buurt.back", tooltip="Hele team, of vorig scherm"),
        Binding(
            "enter",
            "open",
            "Bekijken",
            id="buurt.open",
            tooltip="Steunpersoon: wie en hoe gevonden; gebied: alleen dat gebied",
        ),
        Binding("r", "reload", "Vernieuw", id="buurt.reload", tooltip="Opnieuw laden"),
        *(
            Binding(str(i), f"tab('{tab_id}')", title, id=f"buurt.tab.{tab_id}", show=False)
            for i, (tab_id, title, _) in enumerate(TABS, start=1)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: Neighbourhood | None = None
        self.area = ""

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static("", id="buurt-head")
        with TabbedContent(id="buurt-tabs"):
            with TabPane(TABS[0][1], id=TABS[0][0]):
                yield self._table("buurt-people", PEOPLE, "Signaal")
                yield Static("", id="buurt-person")
            with TabPane(TABS[1][1], id=TABS[1][0]):
                yield self._table("buurt-resources", RESOURCES, "Signaal")
            with TabPane(TABS[2][1], id=TABS[2][0]):
                yield self._table("buurt-areas", AREAS, None)
        yield KeyBar()

    @staticmethod
    def _table(
        table_id: str, columns: tuple[tuple[str, int], ...], last: str | None
    ) -> DataTable[object]:
        table: DataTable[object] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
        for label, width in columns:
            table.add_column(label, width=width)
        if last is not None:
            table.add_column(last)
        return table

    def on_mount(self) -> None:
        self.show_top_bar()
        self.action_reload()

    def action_reload(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        app, area = self.wijkteam, self.area
        self.run_store(
            lambda: neighbourhood(register, app.clock(), area),
            self._loaded,
            group="buurt",
            busy=self.query_one("#buurt-tabs"),
            hold_keys=self.view is None,
            load=True,
        )

    def _loaded(self, view: Neighbourhood) -> None:
        self.view = view
        where = f" · gebied {view.area} (Esc: hele team)" if view.area else ""
        head = Text.assemble(
            (f"Buurt{where}", "bold"),
            f"  {counted(len(view.supporters), 'steunpersoon', 'steunpersonen')} met meer dan"
            f" één cliënt, {view.stretched} met een signaal",
            (
                f"\nVeel: meer dan {view.load_clients} cliënten of {view.load_moments} contacten"
                " per maand. Nagekomen: van de afgesproken contacten in 12 weken (ervoor).",
                "dim",
            ),
        )
        self.query_one("#buurt-head", Static).update(head)
        people = self.query_one("#buurt-people", DataTable)
        with place_kept(people):
            people.clear()
            for person in view.supporters:
                people.add_row(
                    *self._cells(
                        PEOPLE,
                        person.name,
                        str(person.clients),
                        str(person.load.agreements),
                        month_text(person.load.moments_a_month),
                        kept_text(person.load.kept_share, person.load.kept_share_before),
                    ),
                    signal_cell(person.signals),
                    key=str(person.key),
                )
        resources = self.query_one("#buurt-resources", DataTable)
        with place_kept(resources):
            resources.clear()
            for resource in view.resources:
                resources.add_row(
                    *self._cells(
                        RESOURCES,
                        resource.name,
                        resource.area or "?",
                        str(resource.clients),
                        str(resource.load.agreements),
                        reviewed_text(resource),
                    ),
                    signal_cell(resource.signals),
                    key=str(resource.id),
                )
        areas = self.query_one("#buurt-areas", DataTable)
        with place_kept(areas):
            areas.clear()
            for area in view.areas:
                areas.add_row(
                    *self._cells(
                        AREAS,
                        area.code or "onbekend",
                        str(area.clients),
                        str(area.supporters),
                        str(area.without_support),
                        str(area.resources),
                    ),
                    key=area.code or "-",
                )
        self._show_person()
        if self.focused is None:
            self.action_tab(self.query_one("#buurt-tabs", TabbedContent).active or TABS[0][0])

    @staticmethod
    def _cells(columns: tuple[tuple[str, int], ...], *values: str) -> list[Text]:
        return [fit(value, width) for value, (_, width) in zip(values, columns, strict=True)]

    def _person(self) -> Supporter | None:
        table = self.query_one("#buurt-people", DataTable)
        if self.view is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((p for p in self.view.supporters if str(p.key) == key), None)

    @on(DataTable.RowHighlighted, "#buurt-people")
    def _show_person(self) -> None:
        person = self._person()
        detail = self.query_one("#buurt-person", Static)
        if person is None:
            detail.update(
                Text(
                    "Niemand draagt meer dan één cliënt"
                    + (" in dit gebied." if self.area else ".")
                    + " Iemand wordt herkend aan hetzelfde telefoonnummer of e-mailadres in"
                    " meerdere netwerken.",
                    style="dim",
                )
            )
            return
        said = [literal(f"{person.name}: ", "bold")]
        if person.also_named:
            said.append(literal(f"ook als {', '.join(person.also_named)}; "))
        said.append(
            literal(
                ", ".join(
                    f"{lean.client_name} ({', '.join(lean.how) or '—'})" for lean in person.leaning
                )
            )
        )
        lines = [Text.assemble(*said), *(literal(f"! {s}", "bold") for s in person.signals)]
        detail.update(Text("\n").join(lines))

    def action_tab(self, tab_id: str) -> None:
        self.query_one("#buurt-tabs", TabbedContent).active = tab_id
        table = next(table for tab, _, table in TABS if tab == tab_id)
        self.query_one(f"#{table}", DataTable).focus()

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        table = next((table for tab, _, table in TABS if tab == event.pane.id), None)
        if table is not None and not isinstance(self.focused, DataTable):
            self.query_one(f"#{table}", DataTable).focus()

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        tab = self.query_one("#buurt-tabs", TabbedContent).active
        if tab == "gebieden":
            table = self.query_one("#buurt-areas", DataTable)
            if table.row_count:
                key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
                self.area = "" if key in (None, "-") else key
                self.action_reload()
                self.action_tab(TABS[0][0])
            return
        person = self._person() if tab == "steunpersonen" else None
        if person is not None:
            self.app.push_screen(PersonScreen(person), self._decided)

    def _decided(self, changed: bool | None) -> None:
        if changed:
            self.action_reload()

    def action_back(self) -> None:
        if self.area:
            self.area = ""
            self.action_reload()
            return
        self.app.pop_screen()


class PersonScreen(WijkteamDialog[bool]):
    """One steunpersoon: each client they support, through which member, found how."""

    BINDINGS = [
        Binding("escape", "close", "Terug", id="person.back", tooltip="Terug naar de buurt"),
        Binding("enter", "open_client", "Open cliënt", id="person.open", tooltip="Dossier"),
        Binding(
            "p",
            "part",
            "Niet dezelfde",
            id="person.part",
            tooltip="Het gekozen netwerklid is iemand anders (teamleider)",
        ),
        Binding(
            "v",
            "forget",
            "Vergeten",
            id="person.forget",
            tooltip="Beslissingen over het gekozen netwerklid vergeten (teamleider)",
        ),
    ]

    def __init__(self, person: Supporter) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        with Vertical(id="person-box", classes="dialog"):
            yield Static(literal(self.person.name, "bold"), id="person-title")
            table: DataTable[object] = DataTable(id="person-members", cursor_type="row")
            for label, width in (("Cliënt", 20), ("Gebied", 6), ("Als", 18), ("Gevonden via", 18)):
                table.add_column(label, width=width)
            for lean in self.person.leaning:
                table.add_row(
                    fit(f"{lean.client_name} ({lean.number})", 20),
                    fit(lean.area or "?", 6),
                    fit(f"{lean.member_name}, {lean.relation or '—'}", 18),
                    fit(", ".join(lean.how) or "—", 18),
                    key=str(lean.member_id),
                )
            yield table
            yield Static(
                Text(
                    "\n".join(f"! {signal}" for signal in self.person.signals) or "Geen signaal.",
                    style="bold" if self.person.signals else "dim",
                ),
                id="person-signals",
            )
            yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#person-members", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("part", "forget"):
            register = self.wijkteam.register
            return (
                register is not None
                and register.user is not None
                and (register.user.role is Role.TEAMLEIDER)
            )
        return True

    def _member(self) -> tuple[int, str] | None:
        table = self.query_one("#person-members", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        lean = next((lean for lean in self.person.leaning if str(lean.member_id) == key), None)
        return (
            None if lean is None else (lean.member_id, f"{lean.member_name} bij {lean.client_name}")
        )

    @on(DataTable.RowSelected)
    def action_open_client(self) -> None:
        table = self.query_one("#person-members", DataTable)
        if table.row_count:
            self.app.push_screen(ClientFileScreen(self.person.leaning[table.cursor_row].client_id))

    def action_part(self) -> None:
        chosen = self._member()
        if chosen is not None:
            member_id, who = chosen
            question = (
                f"Is {who} iemand anders dan {self.person.name}?\n"
                "Dan telt dit netwerklid niet meer mee bij deze steunpersoon."
            )
            self.app.push_screen(
                ConfirmDialog(question, yes="Iemand anders"),
                lambda yes: self._part(member_id) if yes else None,
            )

    def _part(self, member_id: int) -> None:
        register = self.wijkteam.register
        if register is not None:
            self.run_store(lambda: part_member(register, member_id), self._done, group="decide")

    def action_forget(self) -> None:
        register, chosen = self.wijkteam.register, self._member()
        if register is not None and chosen is not None:
            member_id = chosen[0]
            self.run_store(lambda: forget_member(register, member_id), self._done, group="decide")

    def _done(self, count: int) -> None:
        self.app.notify(
            "Vastgelegd." if count else "Er viel niets te veranderen aan dit netwerklid."
        )
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
