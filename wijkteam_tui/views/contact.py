"""Logging a contact moment: outcome, channel, date, an optional note, and on which agreement.

Keyboard first: the outcome is preset to goed and the channel to the agreement's, so "gebeld,
ging goed" on a phone agreement is `c` then Enter; letters change outcome (g, z, n) and channel
(t, b, v, a, i) when no field is being typed in. Opened from a line that is not an agreement (an
aandachtspunt, uit beeld), the dialog offers the client's agreements: digits choose one, `0`
logs a contact outside any agreement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from wijkteam_tui.domain.dates import DateInputError, next_time_text, parse_date
from wijkteam_tui.domain.terms import Channel, LabelledEnum, Outcome
from wijkteam_tui.errors import ServerUnreachableError, ValidationError, WijkteamError
from wijkteam_tui.store.read.client_file import contact_choices, contact_date_caution
from wijkteam_tui.store.records import AgreementChoice, ContactInput, ContactResult
from wijkteam_tui.store.write.contacts import log_contact
from wijkteam_tui.views.base import WijkteamDialog
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.text import day, late_text, literal

if TYPE_CHECKING:
    from textual.screen import Screen

OUTCOME_KEYS = {"g": Outcome.GOOD, "z": Outcome.CONCERNS, "n": Outcome.NOT_REACHED}
CHANNEL_KEYS = {
    "t": Channel.PHONE,
    "b": Channel.VISIT,
    "v": Channel.VIDEO,
    "a": Channel.APP,
    "i": Channel.WALK_IN,
}
#: Agreements offered to choose from by digit (1–9); more are reached from the client file.
MAX_CHOICES = 9


@dataclass(frozen=True)
class ContactRequest:
    """Whom the contact is with, and on which agreement when that is known already."""

    client_id: int
    client_name: str
    agreement_id: int | None = None
    who: str = ""
    channel: str = ""


@dataclass(frozen=True)
class ContactDraft:
    """What the person has chosen and typed so far (kept in memory over an idle lock)."""

    outcome: Outcome = Outcome.GOOD
    channel: Channel | None = None
    when: str = "vandaag"
    note: str = ""
    agreement_id: int | None = None


class LogContactScreen(WijkteamDialog[bool]):
    """Dismisses with True when a contact was saved."""

    # No field has focus at first, so that the letter keys choose outcome and channel.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("enter", "save", "Opslaan", id="contact.save", tooltip="Contact opslaan"),
        Binding("escape", "cancel", "Annuleren", id="contact.cancel", tooltip="Niets opslaan"),
        Binding("g", "outcome('g')", "Goed", id="contact.good", show=False),
        Binding("z", "outcome('z')", "Zorgen", id="contact.concerns", show=False),
        Binding("n", "outcome('n')", "Niet bereikt", id="contact.not_reached", show=False),
        Binding("t", "channel('t')", "Telefoon", id="contact.phone", show=False),
        Binding("b", "channel('b')", "Bezoek", id="contact.visit", show=False),
        Binding("v", "channel('v')", "Beeldbellen", id="contact.video", show=False),
        Binding("a", "channel('a')", "App", id="contact.app", show=False),
        Binding("i", "channel('i')", "Inloop", id="contact.walk_in", show=False),
        Binding("o", "note", "Opmerking", id="contact.note", tooltip="Opmerking typen"),
        Binding("d", "date", "Datum", id="contact.date", tooltip="Andere datum"),
        # One line in help and palette for the ten digits.
        *(
            Binding(
                str(n),
                f"agreement({n})",
                "Afspraak kiezen (0–9)" if n == 1 else "",
                id=f"contact.agreement.{n}",
                show=False,
            )
            for n in range(MAX_CHOICES + 1)
        ),
    ]

    def __init__(self, request: ContactRequest, draft: ContactDraft | None = None) -> None:
        super().__init__()
        self.request = request
        draft = draft or ContactDraft(agreement_id=request.agreement_id)
        self.outcome = draft.outcome
        self.channel = draft.channel or _channel(request.channel)
        self.agreement_id = draft.agreement_id
        self._typed = (draft.when, draft.note)
        #: Why the agreements to choose from could not be read ("" while they load or once
        #: they are there).
        self._not_loaded = ""
        # None until loaded: the agreements to choose from, when the request named none.
        self.choices: list[AgreementChoice] | None = None
        #: The date and agreement whose caution (a date before the file or the agreement
        #: began) was said: saving them again saves.
        self._asked: tuple[date, int | None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="contact-box", classes="dialog"):
            title = Text.assemble("Contact met ", literal(self.request.client_name, "bold"))
            if self.request.who:
                title.append_text(Text.assemble(" — ", literal(self.request.who)))
            yield Label(title, classes="dialog-title")
            if self.request.agreement_id is None:
                yield Static("Afspraken laden…", id="contact-agreements")
            yield Static("", id="outcome")
            yield Static("", id="channel")
            yield Label("Datum (d)")
            yield Input(value=self._typed[0], id="when", compact=True)
            yield Label("Opmerking (o), niet verplicht")
            yield Input(
                value=self._typed[1],
                placeholder="bijvoorbeeld: ging goed, samen koffie gedronken",
                id="note",
                compact=True,
            )
            yield Static("", id="contact-message", classes="field-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self._render_choices()
        self.set_focus(None)
        if self.request.agreement_id is None:
            register = self.wijkteam.register
            if register is not None:
                client_id, today = self.request.client_id, self.wijkteam.clock()
                self.run_store(
                    lambda: contact_choices(register, client_id, today),
                    self._choices_loaded,
                    group="choices",
                    failed=self._choices_failed,
                    load=True,
                )

    def _choices_loaded(self, choices: list[AgreementChoice]) -> None:
        if self._not_loaded:  # what a save said meanwhile no longer holds
            self._not_loaded = ""
            self.query_one("#contact-message", Static).update("")
        self.choices = choices[:MAX_CHOICES]
        if self.agreement_id is None and self.choices:
            self._choose(self.choices[0])
        self._render_choices()

    def _choices_failed(self, text: str, error: WijkteamError | None) -> None:
        """The agreements could not be read: say why where they would be. Typing goes on; a
        server that was not reachable gives them by itself once it is back."""
        if isinstance(error, ServerUnreachableError):  # its address is in the notification
            text = "De server is niet bereikbaar; de afspraken verschijnen zodra hij terug is."
        self._not_loaded = text
        self.query_one("#contact-agreements", Static).update(literal(text))

    def _choose(self, choice: AgreementChoice | None) -> None:
        self.agreement_id = choice.agreement_id if choice else None
        if choice is not None:
            self.channel = choice.channel

    def _render_choices(self) -> None:
        def options(keys: dict[str, LabelledEnum], chosen: object) -> Text:
            text = Text()
            for key, value in keys.items():
                text.append(
                    f" {key} {value.label} ", style="reverse bold" if value is chosen else ""
                )
                text.append(" ")
            return text

        self.query_one("#outcome", Static).update(
            Text.assemble(("Uitkomst  ", "bold"), options(dict(OUTCOME_KEYS), self.outcome))
        )
        self.query_one("#channel", Static).update(
            Text.assemble(("Kanaal    ", "bold"), options(dict(CHANNEL_KEYS), self.channel))
        )
        if self.choices is not None:
            self.query_one("#contact-agreements", Static).update(
                self._agreement_lines(self.choices)
            )

    def _agreement_lines(self, choices: list[AgreementChoice]) -> Text:
        text = Text.assemble(("Op afspraak (cijfer kiest)\n", "bold"))
        for number, choice in enumerate(choices, start=1):
            due = day(choice.next_due)
            if choice.days_overdue:
                due += f", {late_text(choice.days_overdue)}"
            line = Text.assemble(
                f" {number} ", literal(choice.who), f" · {choice.channel.label} · {due} "
            )
            if choice.agreement_id == self.agreement_id:
                line.stylize("reverse bold")
            text.append_text(line)
            text.append("\n")
        loose = Text(" 0 geen afspraak: los contact ")
        if self.agreement_id is None:
            loose.stylize("reverse bold")
        text.append_text(loose)
        return text

    def action_outcome(self, key: str) -> None:
        self.outcome = OUTCOME_KEYS[key]
        self._render_choices()

    def action_channel(self, key: str) -> None:
        self.channel = CHANNEL_KEYS[key]
        self._render_choices()

    def action_agreement(self, number: int) -> None:
        if self.choices is None:
            return
        if number == 0:
            self._choose(None)
        elif number <= len(self.choices):
            self._choose(self.choices[number - 1])
        self._render_choices()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Digits choose an agreement only where there is a list to choose from.
        if action == "agreement":
            return self.choices is not None
        return True

    def action_note(self) -> None:
        self.query_one("#note", Input).focus()

    def action_date(self) -> None:
        self.query_one("#when", Input).focus()

    def action_cancel(self) -> None:
        """Esc: gone at once, unless an opmerking was typed; then it asks, as the forms do."""
        if not self.leave_warning():
            self.dismiss(False)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmDialog(
                "Opmerking weggooien? Het contact wordt niet vastgelegd.",
                yes="Weggooien",
                no="Verder typen",
            ),
            answered,
        )

    def leave_warning(self) -> str:
        """Asked before Esc, quitting or locking: a typed opmerking would be lost."""
        typed = self.query_one("#note", Input).value.strip()
        return "Er is een opmerking getypt die nog niet is opgeslagen." if typed else ""

    def draft(self) -> Callable[[], Screen[bool]]:
        """Rebuild this dialog as it is now (after an idle lock, for the same user)."""
        state = ContactDraft(
            outcome=self.outcome,
            channel=self.channel,
            when=self.query_one("#when", Input).value,
            note=self.query_one("#note", Input).value,
            agreement_id=self.agreement_id,
        )
        request = self.request
        return lambda: LogContactScreen(request, state)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        message = self.query_one("#contact-message", Static)
        if self.request.agreement_id is None and self.choices is None:
            message.update(
                literal(self._not_loaded) if self._not_loaded else
                "Een moment: de afspraken worden nog geladen."
            )  # fmt: skip
            return
        today = self.wijkteam.clock()
        try:
            when = parse_date(self.query_one("#when", Input).value, today, future=False)
        except DateInputError as error:
            self._wrong_date(str(error))
            return
        if when > today:
            self._wrong_date("Een contactmoment kan niet in de toekomst liggen.")
            return
        register = self.wijkteam.register
        if register is None:
            return
        data = ContactInput(
            client_id=self.request.client_id,
            occurred_on=when,
            channel=self.channel,
            outcome=self.outcome,
            agreement_id=self.agreement_id,
            note=self.query_one("#note", Input).value,
        )
        message.update("Opslaan…")
        asked = self._asked == (when, self.agreement_id)

        def save() -> ContactResult | _Caution:
            if not asked:
                caution = contact_date_caution(register, data.client_id, data.agreement_id, when)
                if caution:
                    return _Caution(caution, (when, data.agreement_id))
            return log_contact(register, data, today)

        self.run_store(save, self._logged, group="save", failed=self._failed)

    def _failed(self, text: str, error: WijkteamError | None) -> None:
        if isinstance(error, ValidationError) and error.field == "occurred_on":
            self._wrong_date(text)
            return
        self.query_one("#contact-message", Static).update(literal(text))

    def _wrong_date(self, text: str) -> None:
        """Say what is wrong with the date, with the date selected: typing replaces it."""
        self.query_one("#contact-message", Static).update(literal(text))
        field = self.query_one("#when", Input)
        field.focus()
        field.select_all()

    def _logged(self, result: ContactResult | _Caution) -> None:
        if isinstance(result, _Caution):
            # Asked once: Enter again with the same date and agreement saves.
            self._asked = result.asked
            self._wrong_date(
                f"{result.text} Klopt dat, druk dan nog eens Enter; anders typt u de juiste datum."
            )
            return
        text = "Contact vastgelegd."
        if result.agreement_next_due:
            when = next_time_text(result.agreement_next_due, self.wijkteam.clock())
            text += f" Volgende keer: {when}."
        for reason in result.raised:
            self.app.notify(reason, title="Nieuw aandachtspunt", severity="warning")
        self.app.notify(text)
        self.dismiss(True)


@dataclass(frozen=True)
class _Caution:
    """Not saved yet: the date lies before the file or the agreement began."""

    text: str
    asked: tuple[date, int | None]


def _channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        return Channel.PHONE
