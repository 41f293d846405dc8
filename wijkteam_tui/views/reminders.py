"""Herinneringen (Mail, `m` on Vandaag): the reminders to the network of the medewerker's clients (a
teamleider: the team's): what goes out today, what went out in the last two weeks and what
failed, with why. `v` sends today's now (as `wijkteam remind` does for them), Enter opens the
client's file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.reminders import RETRY
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import WijkteamError
from wijkteam_tui.mail.remind import RunReport, run
from wijkteam_tui.store.mail.reminders import Due, SentRow, due_reminders, reminders_sent
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.tables import place_kept, row_table
from wijkteam_tui.views.text import brief_day, counted, fit, literal
from wijkteam_tui.views.topbar import TopBar

#: How far back "what went out" looks.
SHOWN_DAYS = 14
#: All in view at 80 columns.
COLUMNS = (
    ("Nummer", 8),
    ("Cliënt", 15),
    ("Aan", 16),
    ("Moment", 10),
    ("Status", 17),
)


@dataclass(frozen=True)
class Overview:
    due: list[Due]
    sent: list[SentRow]
    mail_set: bool


def overview(register: Register, today: date, casemanager: int | None) -> Overview:
    # Lazy: the mail settings only for this screen.
    from wijkteam_tui.store.mail.config import mail_config

    return Overview(
        due_reminders(register, today, casemanager=casemanager),
        reminders_sent(register, since=today - timedelta(days=SHOWN_DAYS), casemanager=casemanager),
        mail_config(register) is not None,
    )


class RemindersScreen(WijkteamScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Terug", id="reminders.back", tooltip="Vorig scherm"),
        Binding(
            "enter", "open_client", "Open cliënt", id="reminders.open", tooltip="Dossier openen"
        ),
        Binding(
            "v",
            "send",
            "Nu versturen",
            id="reminders.send",
            tooltip="De herinneringen van vandaag nu versturen",
        ),
        Binding("r", "reload", "Vernieuw", id="reminders.reload", tooltip="Opnieuw laden"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.client_ids: list[int] = []
        #: The chosen row in full, under the table (the reason of a failure, the address).
        self.details: list[str] = []
        self.shown: Overview | None = None

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static("Laden…", id="reminders-summary")
        yield row_table("reminders-table", COLUMNS)
        yield Static("", id="reminders-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_top_bar()
        self.query_one("#reminders-table", DataTable).focus()
        self.action_reload()

    def _whose(self, register: Register) -> int | None:
        """A medewerker sees their own clients' reminders, a teamleider the team's."""
        user = register.user
        if user is None or user.role is Role.TEAMLEIDER:
            return None
        return user.id

    def action_reload(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        today = self.wijkteam.clock()
        whose = self._whose(register)
        self.run_store(lambda: overview(register, today, whose), self._show, group="reminders",
                       failed=self._refused, hold_keys=True)  # fmt: skip

    def _refused(self, message: str, _error: WijkteamError | None) -> None:
        self.tell_refusal("reminders-summary", message)

    def _show(self, shown: Overview) -> None:
        self.shown = shown
        today = self.wijkteam.clock()
        table = self.query_one("#reminders-table", DataTable)
        self.client_ids, self.details = [], []
        with place_kept(table):
            table.clear()
            for due in shown.due:
                if due.earlier is not None:
                    continue  # failed before: listed below with why, and tried again
                what = "na niet bereikt" if due.kind == RETRY else "gaat vandaag"
                self._add(table, f"d{due.client_id}-{due.agreement_id}-{due.kind}", due.client_id,
                          (due.client_number, due.filling.client_name, due.filling.member_name,
                           brief_day(due.due_on, today), what),
                          f"Aan {due.address}, voor {format_date(due.due_on)}.")  # fmt: skip
            for row in shown.sent:
                status = row.status if not row.error else f"{row.status}: {row.error}"
                detail = f"Aan {row.address}, voor {format_date(row.due_on)}: {row.status}"
                detail += f" ({row.error})." if row.error else "."
                self._add(table, f"s{row.reminder_id}", row.client_id,
                          (row.client_number, row.client_name, row.member_name or row.address,
                           brief_day(row.due_on, today), status), detail)  # fmt: skip
        failed = sum(1 for row in shown.sent if row.status == "mislukt")
        sent = sum(1 for row in shown.sent if row.status == "verzonden")
        parts = [
            "Herinneringen per mail aan het netwerk.",
            f"Vandaag: {counted(len(shown.due), 'herinnering', 'herinneringen')} te versturen"
            + (" (v: nu versturen)." if shown.due and shown.mail_set else "."),
            f"De afgelopen {SHOWN_DAYS} dagen {sent} verzonden, {failed} mislukt"
            + (" (gaan de volgende keer opnieuw)." if failed else "."),
        ]
        if not shown.mail_set:
            parts.append("Er is nog geen mailserver ingesteld (teamleider: wijkteam mail set).")
        self.query_one("#reminders-summary", Static).update(" ".join(parts))

    def _add(
        self,
        table: DataTable[object],
        key: str,
        client_id: int,
        cells: tuple[str, str, str, str, str],
        detail: str,
    ) -> None:
        table.add_row(
            *(fit(cell, width) for cell, (_, width) in zip(cells, COLUMNS, strict=True)), key=key
        )
        self.client_ids.append(client_id)
        self.details.append(detail)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        index = event.cursor_row
        text = self.details[index] if 0 <= index < len(self.details) else ""
        self.query_one("#reminders-detail", Static).update(literal(text))

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open_client()

    def action_open_client(self) -> None:
        table = self.query_one("#reminders-table", DataTable)
        if not self.client_ids:
            self.notify("Er is geen herinnering om te kiezen.")
            return
        self.app.push_screen(ClientFileScreen(self.client_ids[table.cursor_row]))

    def action_send(self) -> None:
        register = self.wijkteam.register
        shown = self.shown
        if register is None or shown is None:
            return
        if not shown.due:
            self.notify("Er is vandaag niets te versturen.")
            return
        today = self.wijkteam.clock()
        whose = self._whose(register)
        self.query_one("#reminders-summary", Static).update("Versturen…")
        self.run_store(lambda: run(register, today, casemanager=whose), self._sent,
                       group="reminders", failed=self._refused, hold_keys=True)  # fmt: skip

    def _sent(self, report: RunReport) -> None:
        message = f"{counted(len(report.sent), 'herinnering', 'herinneringen')} verzonden"
        if report.failed:
            message += f", {len(report.failed)} mislukt: {report.failed[0][1]}"
        self.notify(message + ".", severity="warning" if report.failed else "information")
        self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()
