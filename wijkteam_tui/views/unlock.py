"""First run (set-up), the recovery key shown once, and unlocking."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static

from wijkteam_tui.domain.accounts import (
    passphrase_strength,
    validate_passphrase,
    validate_user_name,
)
from wijkteam_tui.errors import AuthenticationError, UsageError, WijkteamError
from wijkteam_tui.views.messages import ActionFailed, RegisterOpened, TodayLoaded
from wijkteam_tui.views.preload import preload
from wijkteam_tui.views.text import literal

if TYPE_CHECKING:
    from wijkteam_tui.app import WijkteamApp
    from wijkteam_tui.store.engine import Register

#: After this many wrong passphrases in a row, each further try waits longer (2, 4, 8 … 60 s).
FREE_ATTEMPTS = 3


def failure_delay(failures: int) -> float:
    """Seconds to wait before the next try after `failures` wrong passphrases in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(60, 2 ** (failures - FREE_ATTEMPTS + 1)))


def first_day(register: Register, app: WijkteamApp) -> TodayLoaded | None:
    """Vandaag of the user who just unlocked, read in the unlocking worker."""
    from wijkteam_tui.store.queries import team_info, today_list

    if register.user is None:
        return None
    today = today_list(register, register.user.id, app.clock())
    return TodayLoaded(today, team_info(register))


class UnlockScreen(Screen[None]):
    """User and passphrase; a wrong passphrase is told at the field."""

    BINDINGS = [
        Binding("escape", "app.quit", "Afsluiten", id="unlock.quit", show=False),
        # A priority binding moves the focus at once, so that fast typing lands in the next field.
        Binding("enter", "next", "Verder", id="unlock.next", priority=True, show=False),
    ]

    def __init__(self, user: str = "", *, locked: bool = False) -> None:
        super().__init__()
        self.user = user
        self.locked = locked
        self.failures = 0
        self.wait_until = 0.0

    @property
    def wijkteam(self) -> WijkteamApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        title = "Vergrendeld" if self.locked else "Wijkteam-register openen"
        with Center(), Vertical(id="unlock-box", classes="dialog"):
            yield Label(title, id="unlock-title", classes="dialog-title")
            if self.locked:
                yield Static(
                    "Het scherm is vergrendeld en het register gesloten. Log opnieuw in.",
                    classes="hint",
                )
            yield Label("Gebruiker")
            yield Input(value=self.user, placeholder="gebruikersnaam", id="user", compact=True)
            yield Label("Wachtwoord")
            yield Input(password=True, placeholder="wachtwoord", id="passphrase", compact=True)
            yield Static("", id="unlock-message", classes="field-message")
            yield Button("Openen", id="open", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#passphrase" if self.user else "#user", Input).focus()

    def action_next(self) -> None:
        if self.focused is self.query_one("#user", Input):
            self.set_focus(self.query_one("#passphrase", Input))  # at once, not scheduled
        else:
            self._try()

    @on(Button.Pressed, "#open")
    def _try(self) -> None:
        user = self.query_one("#user", Input).value.strip()
        passphrase = self.query_one("#passphrase", Input).value
        message = self.query_one("#unlock-message", Static)
        wait = self.wait_until - time.monotonic()
        if wait > 0:
            message.update(f"Te vaak een verkeerd wachtwoord. Wacht nog {wait:.0f} seconden.")
            return
        if not user:
            message.update("Vul uw gebruikersnaam in.")
            self.query_one("#user", Input).focus()
            return
        if not passphrase:
            message.update("Vul uw wachtwoord in.")
            return
        message.update("Bezig met openen…")
        self.query_one("#open", Button).disabled = True
        self._open(user, passphrase)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def _open(self, user: str, passphrase: str) -> None:
        preload()
        from wijkteam_tui.store import crypto
        from wijkteam_tui.store.engine import open_unlocked

        path = self.wijkteam.db_path
        try:
            unlocked = crypto.unlock(path, user, passphrase)
            register = open_unlocked(path, unlocked)
        except AuthenticationError as error:
            self.post_message(ActionFailed(error.message, "passphrase", wrong_passphrase=True))
            return
        except WijkteamError as error:
            self.post_message(ActionFailed(error.message))
            return
        self.post_message(RegisterOpened(register, first_day=first_day(register, self.wijkteam)))

    @on(ActionFailed)
    def _failed(self, event: ActionFailed) -> None:
        self.query_one("#open", Button).disabled = False
        passphrase = self.query_one("#passphrase", Input)
        passphrase.value = ""
        passphrase.focus()
        text = event.message
        if event.wrong_passphrase:
            self.failures += 1
            delay = failure_delay(self.failures)
            if delay:
                self.wait_until = time.monotonic() + delay
                text += f" Volgende poging over {delay:.0f} seconden."
        self.query_one("#unlock-message", Static).update(literal(text))

    @on(RegisterOpened)
    def _opened(self, event: RegisterOpened) -> None:
        self.failures = 0
        self.wijkteam.register_opened(event.register, event.first_day)


class SetupScreen(Screen[None]):
    """A new register: team name, first user (teamleider), passphrase twice."""

    BINDINGS = [
        Binding("escape", "app.quit", "Afsluiten", id="setup.quit", show=False),
        Binding("enter", "next", "Verder", id="setup.next", priority=True, show=False),
    ]
    FIELDS = ("team", "user", "passphrase", "repeat")

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="setup-box", classes="dialog"):
            yield Label("Nieuw wijkteam-register", classes="dialog-title")
            yield Static(literal(f"Er is nog geen register op {self.db_path}."), classes="hint")
            yield Label("Naam van het team")
            yield Input(placeholder="bijvoorbeeld Wijkteam Noord", id="team", compact=True)
            yield Label("Uw gebruikersnaam (u wordt teamleider)")
            yield Input(placeholder="bijvoorbeeld anna", id="user", compact=True)
            yield Label("Wachtwoord")
            yield Input(password=True, id="passphrase", compact=True)
            yield Static("", id="strength", classes="hint")
            yield Label("Wachtwoord nogmaals")
            yield Input(password=True, id="repeat", compact=True)
            yield Static("", id="setup-message", classes="field-message")
            yield Button("Register aanmaken", id="create", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#team", Input).focus()

    @on(Input.Changed, "#passphrase")
    def _strength(self, event: Input.Changed) -> None:
        hint = passphrase_strength(event.value) if event.value else ""
        self.query_one("#strength", Static).update(f"Sterkte: {hint}" if hint else "")

    def action_next(self) -> None:
        current = self.focused.id if self.focused else ""
        if current in self.FIELDS[:-1]:
            following = self.FIELDS[self.FIELDS.index(current) + 1]
            self.set_focus(self.query_one(f"#{following}", Input))  # at once, not scheduled
        else:
            self._create()

    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        team = self.query_one("#team", Input).value.strip()
        user = self.query_one("#user", Input).value.strip()
        passphrase = self.query_one("#passphrase", Input).value
        repeat = self.query_one("#repeat", Input).value
        message = self.query_one("#setup-message", Static)
        try:
            validate_user_name(user)
            validate_passphrase(passphrase)
        except UsageError as error:
            message.update(error.message)
            return
        if passphrase != repeat:
            message.update("De wachtwoorden zijn niet gelijk.")
            self.query_one("#repeat", Input).focus()
            return
        message.update("Register wordt aangemaakt…")
        self.query_one("#create", Button).disabled = True
        self._make(team, user, passphrase)

    @work(thread=True, exclusive=True, group="setup", exit_on_error=False)
    def _make(self, team: str, user: str, passphrase: str) -> None:
        preload()
        from wijkteam_tui.store.engine import create_register

        try:
            register, recovery_key = create_register(self.db_path, user, passphrase, team_name=team)
        except WijkteamError as error:
            self.post_message(ActionFailed(error.message))
            return
        self.post_message(RegisterOpened(register, recovery_key))

    @on(ActionFailed)
    def _failed(self, event: ActionFailed) -> None:
        self.query_one("#create", Button).disabled = False
        self.query_one("#setup-message", Static).update(literal(event.message))

    @on(RegisterOpened)
    def _created(self, event: RegisterOpened) -> None:
        assert event.recovery_key is not None
        self.app.switch_screen(RecoveryKeyScreen(event.register, event.recovery_key))


class RecoveryKeyScreen(Screen[None]):
    """The recovery key, shown once; going on needs 'ik heb hem opgeschreven'."""

    def __init__(self, register: Register, recovery_key: str) -> None:
        super().__init__()
        self.register = register
        self.recovery_key = recovery_key

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="recovery-box", classes="dialog"):
            yield Label("Herstelsleutel", classes="dialog-title")
            yield Static(
                "Schrijf deze sleutel op en bewaar hem veilig (niet op deze computer). Hij wordt"
                " maar één keer getoond. Wie een wachtwoord vergeet, zet met deze sleutel een"
                " nieuw wachtwoord ('wijkteam recover').",
                classes="hint",
            )
            yield Static(self.recovery_key, id="recovery-key")
            yield Checkbox("Ik heb de herstelsleutel opgeschreven", id="written")
            yield Button("Verder", id="continue", variant="primary", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#written", Checkbox).focus()

    @on(Checkbox.Changed, "#written")
    def _written(self, event: Checkbox.Changed) -> None:
        button = self.query_one("#continue", Button)
        button.disabled = not event.value
        if event.value:
            button.focus()

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.app.register_opened(self.register)  # type: ignore[attr-defined]
