"""Gebruikers (teamleider, `u` on the Team screen): who can open the register, their role, their
open caseload and when they last logged in.

- `n` adds a user and `w` gives someone a new passphrase: either way a one-time passphrase,
  shown once here, which the person replaces by their own at their next unlock (the teamleider
  never knows the passphrase someone keeps);
- `x` takes a user's access away after a question; their history stays, and the register gets
  a new key;
- `t` changes the chosen user's phone number (the line under the table shows it).

The store refuses all of it to a medewerker."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from wijkteam_tui.errors import WijkteamError
from wijkteam_tui.store.keys.rekey import renew_key
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.users import UserRow, deactivate_user, reset_passphrase, user_overview
from wijkteam_tui.views.base import WIDE_FROM, WijkteamScreen
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.forms.user import AddUserForm, PhoneForm
from wijkteam_tui.views.tables import has_columns, place_kept, row_table, set_columns
from wijkteam_tui.views.text import counted, fit, literal
from wijkteam_tui.views.topbar import TopBar

#: All in view at 80 columns.
COLUMNS = (
    ("Gebruiker", 12),
    ("Naam", 14),
    ("Rol", 10),
    ("Toegang", 7),
    ("Cliënten", 8),
    ("Laatst in (UTC)", 16),
)
#: From WIDE_FROM columns: user names and names whole.
WIDE_COLUMNS = (
    ("Gebruiker", 20),
    ("Naam", 28),
    *COLUMNS[2:],
)


class OneTimePassphraseDialog(ModalScreen[None]):
    """A one-time passphrase, shown once; Enter or Esc closes (a lost one is simply given
    again with `w`)."""

    BINDINGS = [
        Binding("enter,escape", "dismiss", "Klaar", id="one-time.close", tooltip="Sluiten"),
    ]

    def __init__(self, name: str, passphrase: str, *, new: bool) -> None:
        super().__init__()
        self.user_name = name
        self.passphrase = passphrase
        self.new = new

    def compose(self) -> ComposeResult:
        with Vertical(id="one-time-box", classes="dialog"):
            yield Label(f"Eenmalig wachtwoord voor {self.user_name}", classes="dialog-title")
            before = (
                f"{self.user_name} is toegevoegd."
                if self.new
                else f"Het vorige wachtwoord van {self.user_name} werkt niet meer."
            )
            yield Static(
                f"{before} Geef dit wachtwoord persoonlijk door (niet per e-mail of app). Het"
                " wordt maar één keer getoond.",
                classes="hint",
            )
            yield Static(self.passphrase, id="one-time-passphrase")
            yield Static(
                f"Bij de volgende keer openen kiest {self.user_name} eerst een eigen wachtwoord;"
                " daarna werkt dit wachtwoord niet meer. Kwijtgeraakt? Geef dan met w een nieuw.",
                classes="hint",
            )
        yield KeyBar()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


class UsersScreen(WijkteamScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Terug", id="users.back", tooltip="Vorig scherm"),
        Binding("n", "add", "Toevoegen", id="users.add", tooltip="Een gebruiker toegang geven"),
        Binding(
            "w",
            "reset",
            "Wachtwoord",
            id="users.reset",
            tooltip="De gekozen gebruiker een eenmalig wachtwoord geven",
        ),
        Binding(
            "x",
            "deactivate",
            "Uitschakelen",
            id="users.deactivate",
            tooltip="De toegang van de gekozen gebruiker verwijderen",
        ),
        Binding(
            "t",
            "phone",
            "Telefoon",
            id="users.phone",
            tooltip="Het telefoonnummer van de gekozen gebruiker wijzigen",
        ),
        Binding("r", "reload", "Vernieuw", id="users.reload", tooltip="Opnieuw laden"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[UserRow] = []

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static("Laden…", id="users-summary")
        yield row_table("users-table", self.columns)
        yield Static("", id="users-chosen")
        yield KeyBar()

    @property
    def columns(self) -> tuple[tuple[str, int], ...]:
        return WIDE_COLUMNS if self.app.size.width >= WIDE_FROM else COLUMNS

    def on_resize(self) -> None:
        """Across WIDE_FROM: the columns for the new width, and the rows again."""
        table = self.query_one("#users-table", DataTable)
        if not has_columns(table, self.columns):
            set_columns(table, self.columns)
            self._show(self.rows)

    def on_mount(self) -> None:
        self.show_top_bar()
        self.query_one("#users-table", DataTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        register = self.wijkteam.register
        if register is None:
            return
        # Keys typed before the list is there (down, x) wait for it instead of getting lost.
        self.run_store(lambda: user_overview(register), self._show, group="users",
                       failed=self._refused, hold_keys=True)  # fmt: skip

    def _refused(self, message: str, _error: WijkteamError | None) -> None:
        self.tell_refusal("users-summary", message)

    def _show(self, rows: list[UserRow]) -> None:
        self.rows = rows
        table = self.query_one("#users-table", DataTable)
        with place_kept(table):
            table.clear()
            for row in rows:
                cells = (
                    row.name,
                    row.display_name,
                    row.role.label,
                    "ja" if row.can_log_in else "nee",
                    str(row.open_clients),
                    f"{row.last_login:%Y-%m-%d %H:%M}" if row.last_login else "—",
                )
                dim = "" if row.can_log_in else "dim"
                table.add_row(
                    *(
                        fit(cell, width, dim)
                        for cell, (_, width) in zip(cells, self.columns, strict=True)
                    ),
                    key=row.name,
                )
        can = sum(row.can_log_in for row in rows)
        self.query_one("#users-summary", Static).update(
            f"{counted(len(rows), 'gebruiker', 'gebruikers')}, van wie {can} "
            f"{'kan' if can == 1 else 'kunnen'} inloggen."
        )
        self._show_chosen()

    @on(DataTable.RowHighlighted, "#users-table")
    def _show_chosen(self) -> None:
        row = self._chosen()
        line = ""
        if row is not None:
            phone = row.phone or "geen (het kantoornummer van het team)"
            line = f"Telefoon van {row.name}: {phone}"
        self.query_one("#users-chosen", Static).update(literal(line))

    def _chosen(self) -> UserRow | None:
        table = self.query_one("#users-table", DataTable)
        if not table.row_count:
            return None
        return self.rows[table.cursor_row] if table.cursor_row < len(self.rows) else None

    def action_add(self) -> None:
        def added(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            name, passphrase = result
            self.app.push_screen(OneTimePassphraseDialog(name, passphrase, new=True))
            self.action_reload()

        self.app.push_screen(AddUserForm(), added)

    def action_phone(self) -> None:
        row = self._chosen()
        if row is None:
            return

        def changed(number: str | None) -> None:
            if number is not None:
                self.notify(
                    f"Telefoonnummer van {row.name}: {number}."
                    if number
                    else f"{row.name} heeft geen eigen telefoonnummer meer; het kantoornummer"
                    " staat in de gedeelde afspraken."
                )
                self.action_reload()

        self.app.push_screen(PhoneForm(row.name, row.phone), changed)

    def action_reset(self) -> None:
        row = self._chosen()
        if row is None:
            return
        if not row.can_log_in:
            self.notify(
                f"{row.name} heeft geen toegang meer. Geef opnieuw toegang met n (Toevoegen),"
                " onder dezelfde gebruikersnaam.",
                severity="warning",
            )
            return
        question = (
            f"{row.display_name} ({row.name}) een nieuw wachtwoord geven?\n"
            f"Het huidige wachtwoord van {row.name} werkt daarna niet meer. U krijgt een"
            f" eenmalig wachtwoord te zien; daarmee kiest {row.name} een eigen wachtwoord."
        )

        def answered(yes: bool | None) -> None:
            register = self.wijkteam.register
            if not yes or register is None:
                return

            def given(passphrase: str) -> None:
                self.app.push_screen(OneTimePassphraseDialog(row.name, passphrase, new=False))

            self.run_store(
                lambda: reset_passphrase(register, row.name),
                given,
                group="users-change",
                hold_keys=True,
            )

        self.app.push_screen(ConfirmDialog(question, yes="Nieuw wachtwoord"), answered)

    def action_deactivate(self) -> None:
        row = self._chosen()
        if row is None:
            return
        if not row.can_log_in:
            self.notify(f"{row.name} kan al niet meer inloggen.")
            return
        question = (
            f"{row.display_name} ({row.name}) uitschakelen?\n"
            "De toegang wordt verwijderd; de geschiedenis blijft en noemt deze gebruiker.\n"
            "Het register krijgt een nieuwe sleutel: wat deze gebruiker wist, opent niets meer.\n"
            + (
                f"Draag daarna {counted(row.open_clients, 'cliënt', 'cliënten')} over (Team, o)."
                if row.open_clients
                else "Er zijn geen open cliënten over te dragen."
            )
        )

        def answered(yes: bool | None) -> None:
            register = self.wijkteam.register
            if not yes or register is None:
                return

            def deactivate() -> tuple[Register | None, str | None]:
                deactivate_user(register, row.name)
                # The register is closed for the new key: no screen may use it meanwhile, and
                # nothing may keep the old database open.
                self.app.call_from_thread(setattr, self.wijkteam, "register", None)
                self.wijkteam.stop_watching()
                return renew_key(register, f"na het uitschakelen van {row.name}")

            self.run_store(
                deactivate,
                lambda result: self._deactivated(row.name, *result),
                group="users-change",
            )

        self.app.push_screen(ConfirmDialog(question, yes="Uitschakelen"), answered)

    def _deactivated(self, name: str, reopened: Register | None, pending: str | None) -> None:
        if reopened is not None:
            self.wijkteam.register_reopened(reopened)
        if pending:
            self.notify(f"{name} is uitgeschakeld. {pending}", severity="warning", timeout=15)
        else:
            self.notify(
                f"{name} is uitgeschakeld en de databasesleutel is vernieuwd: wat {name} wist,"
                " opent het register niet meer.",
                timeout=10,
            )
        self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()
