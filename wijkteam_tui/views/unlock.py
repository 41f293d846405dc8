"""First run (set-up), the recovery key shown once, and unlocking."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Label, Static

from wijkteam_tui.domain.accounts import (
    passphrase_strength,
    seconds_text,
    validate_passphrase,
    validate_user_name,
)
from wijkteam_tui.errors import (
    OlderRegisterError,
    OneTimePassphraseError,
    TooManyAttemptsError,
    UsageError,
    WijkteamError,
)
from wijkteam_tui.store.address import Location
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.day import Day, read_day
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.preload import preload
from wijkteam_tui.views.text import literal
from wijkteam_tui.views.ticks import TickBox

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register


class UnlockScreen(WijkteamScreen[None]):
    """User and passphrase; a wrong passphrase is told at the field.

    After a few wrong passphrases each next try waits longer; the wait is kept beside the
    register, so it holds after a restart and on the command line too."""

    BINDINGS = [
        # A priority binding moves the focus at once, so that fast typing lands in the next field.
        Binding("enter", "next", "Verder", id="unlock.next", priority=True, show=False),
    ]

    def __init__(self, user: str = "", *, locked: bool = False, reason: str = "") -> None:
        super().__init__()
        self.user = user
        self.locked = locked
        #: Why the register was closed, when not by the idle lock or the person.
        self.reason = reason
        self.wait_until = 0.0
        self._lead = ""
        self._countdown: Timer | None = None
        #: The user and passphrase of the last try (asked again after a question).
        self._tried = ("", "")

    def compose(self) -> ComposeResult:
        title = "Vergrendeld" if self.locked else "Wijkteam-register openen"
        with Center(), Vertical(id="unlock-box", classes="dialog"):
            yield Label(title, id="unlock-title", classes="dialog-title")
            # Which register this is: its team once known (after a lock), always its place.
            team = self.wijkteam.team
            yield Static(
                literal(
                    f"{team.name} · {self.wijkteam.db_path}"
                    if team is not None and team.name
                    else f"Register: {self.wijkteam.db_path}"
                ),
                id="unlock-where",
                classes="hint",
            )
            if self.locked:
                yield Static(
                    self.reason
                    or "Het scherm is vergrendeld en het register gesloten. Log opnieuw in.",
                    id="unlock-reason",
                    classes="hint",
                    markup=False,
                )
            yield Label("Gebruiker")
            yield Input(value=self.user, placeholder="gebruikersnaam", id="user", compact=True)
            yield Label("Wachtwoord")
            yield Input(password=True, placeholder="wachtwoord", id="passphrase", compact=True)
            yield Static("", id="unlock-message", classes="field-message")
            yield Button("Openen", id="open", variant="primary")
        yield KeyBar()

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
        if self.holding_keys:
            return  # opening already
        if self.wait_until > time.monotonic():
            # Not tried: what was typed goes, so that the next try is not this one and the
            # next typed together. The countdown under the fields says how long.
            self.query_one("#passphrase", Input).value = ""
            self._lead = "Nog niet geprobeerd: typ het wachtwoord opnieuw als het kan."
            self._show_wait()
            return
        if not user:
            message.update("Vul uw gebruikersnaam in.")
            self.query_one("#user", Input).focus()
            return
        if not passphrase:
            message.update("Vul uw wachtwoord in.")
            return
        message.update("Bezig met openen…")
        self._start_opening(user, passphrase)

    def _start_opening(self, user: str, passphrase: str, *, accept_older: bool = False) -> None:
        self.query_one("#open", Button).disabled = True
        # Keys typed after Enter are for the screen that comes next, not the passphrase field.
        self.holding_keys = True
        self._tried = (user, passphrase)
        path = self.wijkteam.db_path
        self.run_store(
            lambda: self._open(path, user, passphrase, accept_older),
            self._opened,
            group="unlock",
            failed=self._failed,
        )

    def _open(
        self, path: Location, user: str, passphrase: str, accept_older: bool = False
    ) -> tuple[Register, Day | None]:
        preload()
        # Lazy: the store loads in the background while the passphrase is typed (views.preload).
        from wijkteam_tui.store.opening import unlock_and_open

        how = "unlock" if self.locked else "login"
        register = unlock_and_open(path, user, passphrase, how=how, accept_older=accept_older)
        try:
            return register, read_day(register, self.wijkteam)
        except BaseException:
            register.close()
            raise

    def _failed(self, text: str, error: WijkteamError | None) -> None:
        self.holding_keys = False
        self.query_one("#open", Button).disabled = False
        passphrase = self.query_one("#passphrase", Input)
        if isinstance(error, OlderRegisterError):
            # Older than this person saw it, and no restore explains it: they decide.
            question = f"{text}\n\nWeet u waarom (een teamleider zette een back-up terug)?"
            dialog = ConfirmDialog(question, yes="Toch openen", no="Niet openen")
            self.app.push_screen(dialog, self._older_answered)
            return
        if isinstance(error, OneTimePassphraseError):
            # Right, but for once: the person chooses their own now (the field keeps the
            # one-time passphrase until it has been replaced).
            user = self.query_one("#user", Input).value.strip()
            self.app.push_screen(ChoosePassphraseScreen(user, passphrase.value), self._chosen)
            return
        passphrase.value = ""
        passphrase.focus()
        # A wrong passphrase says how long the next try must wait (nothing after the first few).
        wait = float(getattr(error, "wait_seconds", 0.0))
        if wait > 0:
            self._lead = (
                "Te vaak een verkeerd wachtwoord."
                if isinstance(error, TooManyAttemptsError)
                else text
            )
            self.wait_until = time.monotonic() + wait
            self._show_wait()
            if self._countdown is None:
                self._countdown = self.set_interval(1.0, self._show_wait)
            return
        self.query_one("#unlock-message", Static).update(literal(text))

    def _older_answered(self, accepted: bool | None) -> None:
        user, passphrase = self._tried
        if accepted:
            self.query_one("#unlock-message", Static).update("Bezig met openen…")
            self._start_opening(user, passphrase, accept_older=True)
            return
        self.query_one("#passphrase", Input).value = ""
        self.query_one("#unlock-message", Static).update(
            "Niet geopend. Vraag de teamleider of er een back-up is teruggezet."
        )

    def _chosen(self, chosen: str | None) -> None:
        one_time = self.query_one("#passphrase", Input)
        if chosen is None:
            one_time.value = ""
            one_time.focus()
            self.query_one("#unlock-message", Static).update(
                "Kies eerst een eigen wachtwoord; het eenmalige blijft tot dan geldig."
            )
            return
        user = self.query_one("#user", Input).value.strip()
        given = one_time.value
        self.query_one("#unlock-message", Static).update("Wachtwoord instellen en openen…")
        self.query_one("#open", Button).disabled = True
        self.holding_keys = True
        self._tried = (user, chosen)
        path = self.wijkteam.db_path
        self.run_store(
            lambda: self._replace(path, user, given, chosen),
            self._opened,
            group="unlock",
            failed=self._failed,
        )

    def _replace(
        self, path: Location, user: str, one_time: str, chosen: str
    ) -> tuple[Register, Day | None]:
        """Put the person's own passphrase in place of the one-time one, then open."""
        preload()
        # Lazy: the store loads in the background while the passphrase is typed (views.preload).
        from wijkteam_tui.store.audit.chain import Event
        from wijkteam_tui.store.audit.log import record
        from wijkteam_tui.store.opening import replace_one_time, unlock_and_open

        replace_one_time(path, user, one_time, chosen)
        # Opened with the new passphrase, as every next time: the register records the key
        # file's new generation as it opens.
        register = unlock_and_open(path, user, chosen, how="login")
        try:
            detail = "wachtwoord gewijzigd (eenmalig wachtwoord vervangen)"
            record(register, Event("user", "users", user, detail=detail))
            return register, read_day(register, self.wijkteam)
        except BaseException:
            register.close()
            raise

    def _show_wait(self) -> None:
        """The wait, counted down each second, in the message under the fields."""
        left = math.ceil(self.wait_until - time.monotonic())
        message = self.query_one("#unlock-message", Static)
        if left <= 0:
            if self._countdown is not None:
                self._countdown.stop()
                self._countdown = None
            message.update("U kunt het opnieuw proberen.")
            return
        message.update(literal(f"{self._lead} Wacht nog {seconds_text(left)}."))

    def _opened(self, opened: tuple[Register, Day | None]) -> None:
        register, day = opened
        self.query_one("#passphrase", Input).value = ""  # not kept once it has done its work
        self.holding_keys = False
        self.wijkteam.register_opened(register, day)


class ChoosePassphraseScreen(WijkteamScreen[str | None]):
    """After a reset by the teamleider: the person chooses their own passphrase, twice.
    Returns it (not yet set: the unlock screen does that), or None on Escape."""

    BINDINGS = [
        Binding("enter", "next", "Verder", id="choose.next", priority=True, show=False),
        Binding("escape", "cancel", "Annuleren", id="choose.cancel"),
    ]

    def __init__(self, user: str, one_time: str) -> None:
        super().__init__()
        self.user = user
        self._one_time = one_time

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="choose-box", classes="dialog"):
            yield Label("Kies uw eigen wachtwoord", classes="dialog-title")
            yield Static(
                literal(
                    f"{self.user}, u opent met een eenmalig wachtwoord van de teamleider. Kies"
                    " nu een eigen wachtwoord; daarna werkt het eenmalige niet meer."
                ),
                classes="hint",
            )
            yield Label("Nieuw wachtwoord")
            yield Input(password=True, id="new", compact=True)
            yield Static("", id="choose-strength", classes="hint")
            yield Label("Nieuw wachtwoord nogmaals")
            yield Input(password=True, id="again", compact=True)
            yield Static("", id="choose-message", classes="field-message")
            yield Button("Instellen en openen", id="set", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#new", Input).focus()

    @on(Input.Changed, "#new")
    def _strength(self, event: Input.Changed) -> None:
        hint = passphrase_strength(event.value) if event.value else ""
        self.query_one("#choose-strength", Static).update(f"Sterkte: {hint}" if hint else "")

    def action_next(self) -> None:
        if self.focused is self.query_one("#new", Input):
            self.set_focus(self.query_one("#again", Input))  # at once, not scheduled
        else:
            self._set()

    @on(Button.Pressed, "#set")
    def _set(self) -> None:
        chosen = self.query_one("#new", Input).value
        again = self.query_one("#again", Input)
        message = self.query_one("#choose-message", Static)
        try:
            validate_passphrase(chosen)
        except UsageError as error:
            message.update(literal(error.message))
            self.query_one("#new", Input).focus()
            return
        if chosen == self._one_time:
            message.update("Kies een ander wachtwoord dan het eenmalige.")
            return
        if chosen != again.value:
            message.update("De wachtwoorden zijn niet gelijk.")
            again.value = ""
            again.focus()
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SetupScreen(WijkteamScreen[None]):
    """A new register: team name, first user (teamleider), passphrase twice."""

    BINDINGS = [
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
        yield KeyBar()

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
        if self.holding_keys:
            return  # being made already
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
        self.holding_keys = True
        path = self.db_path
        self.run_store(
            lambda: self._make(path, team, user, passphrase),
            self._created,
            group="setup",
            failed=self._failed,
        )

    @staticmethod
    def _make(path: Path, team: str, user: str, passphrase: str) -> tuple[Register, str]:
        preload()
        # Lazy: the store loads in the background while the passphrase is typed (views.preload).
        from wijkteam_tui.store.opening import create_register

        return create_register(path, user, passphrase, team_name=team)

    def _failed(self, text: str, error: WijkteamError | None) -> None:
        self.holding_keys = False
        self.query_one("#create", Button).disabled = False
        self.query_one("#setup-message", Static).update(literal(text))

    def _created(self, made: tuple[Register, str]) -> None:
        register, recovery_key = made
        self.holding_keys = False
        for field in ("#passphrase", "#repeat"):
            self.query_one(field, Input).value = ""  # not kept once it has done its work
        # The app holds the register from now on, so that quitting closes it; Vandaag comes
        # only after the recovery key has been written down.
        self.wijkteam.register = register
        self.app.switch_screen(RecoveryKeyScreen(register, recovery_key))


class RecoveryKeyScreen(WijkteamScreen[None]):
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
            yield TickBox("Ik heb de herstelsleutel opgeschreven", id="written")
            yield Button("Verder", id="continue", variant="primary", disabled=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#written", Checkbox).focus()

    def lock_warning(self) -> str:
        """Asked before locking: the same as before quitting."""
        return self.leave_warning()

    def leave_warning(self) -> str:
        """Asked before quitting or locking while the key has not been confirmed."""
        if self.query_one("#written", Checkbox).value:
            return ""
        return (
            "U heeft nog niet bevestigd dat u de herstelsleutel heeft opgeschreven. Na het"
            " afsluiten wordt hij nooit meer getoond: wie dan een wachtwoord vergeet, komt"
            " niet meer in het register. Het register zelf blijft bewaard."
        )

    @on(Checkbox.Changed, "#written")
    def _written(self, event: Checkbox.Changed) -> None:
        button = self.query_one("#continue", Button)
        button.disabled = not event.value
        if event.value:
            button.focus()

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.wijkteam.register_opened(self.register)
