"""Logging a contact moment: outcome, channel, date and an optional note.

Keyboard first: the outcome is preset to goed and the channel to the agreement's, so "gebeld,
ging goed" on a phone agreement is `c` then Enter; letters change outcome (g, z, n) and channel
(t, b, v, a, i) when no field is being typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from wijkteam_tui.domain.dates import DateInputError, format_date, parse_date
from wijkteam_tui.domain.terms import Channel, Outcome
from wijkteam_tui.store.records import ContactInput
from wijkteam_tui.store.services import log_contact
from wijkteam_tui.views.messages import ActionFailed, ContactLogged
from wijkteam_tui.views.text import literal

if TYPE_CHECKING:
    from wijkteam_tui.app import WijkteamApp

OUTCOME_KEYS = {"g": Outcome.GOOD, "z": Outcome.CONCERNS, "n": Outcome.NOT_REACHED}
CHANNEL_KEYS = {
    "t": Channel.PHONE,
    "b": Channel.VISIT,
    "v": Channel.VIDEO,
    "a": Channel.APP,
    "i": Channel.WALK_IN,
}


@dataclass(frozen=True)
class ContactRequest:
    client_id: int
    client_name: str
    agreement_id: int | None = None
    who: str = ""
    channel: str = ""


class LogContactScreen(ModalScreen[bool]):
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
    ]

    def __init__(self, request: ContactRequest) -> None:
        super().__init__()
        self.request = request
        self.outcome = Outcome.GOOD
        try:
            self.channel = Channel(request.channel)
        except ValueError:
            self.channel = Channel.PHONE

    @property
    def wijkteam(self) -> WijkteamApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="contact-box", classes="dialog"):
            title = Text.assemble("Contact met ", literal(self.request.client_name, "bold"))
            if self.request.who:
                title.append_text(Text.assemble(" — ", literal(self.request.who)))
            yield Label(title, classes="dialog-title")
            yield Static("", id="outcome")
            yield Static("", id="channel")
            yield Label("Datum (d)")
            yield Input(value="vandaag", id="when", compact=True)
            yield Label("Opmerking (o), niet verplicht")
            yield Input(
                placeholder="bijvoorbeeld: ging goed, samen koffie gedronken",
                id="note",
                compact=True,
            )
            yield Static("", id="contact-message", classes="field-message")
        yield Footer()

    def on_mount(self) -> None:
        self._render_choices()
        self.set_focus(None)

    def _render_choices(self) -> None:
        def choices(options: dict[str, object], chosen: object) -> Text:
            text = Text()
            for key, value in options.items():
                label = f" {key} {value.label} " if hasattr(value, "label") else f" {key} "
                text.append(label, style="reverse bold" if value is chosen else "")
                text.append(" ")
            return text

        self.query_one("#outcome", Static).update(
            Text.assemble(("Uitkomst  ", "bold"), choices(OUTCOME_KEYS, self.outcome))  # type: ignore[arg-type]
        )
        self.query_one("#channel", Static).update(
            Text.assemble(("Kanaal    ", "bold"), choices(CHANNEL_KEYS, self.channel))  # type: ignore[arg-type]
        )

    def action_outcome(self, key: str) -> None:
        self.outcome = OUTCOME_KEYS[key]
        self._render_choices()

    def action_channel(self, key: str) -> None:
        self.channel = CHANNEL_KEYS[key]
        self._render_choices()

    def action_note(self) -> None:
        self.query_one("#note", Input).focus()

    def action_date(self) -> None:
        self.query_one("#when", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        today = self.wijkteam.clock()
        try:
            when = parse_date(self.query_one("#when", Input).value, today)
        except DateInputError as error:
            self.query_one("#contact-message", Static).update(str(error))
            self.query_one("#when", Input).focus()
            return
        note = self.query_one("#note", Input).value
        self.query_one("#contact-message", Static).update("Opslaan…")
        self._save(
            ContactInput(
                client_id=self.request.client_id,
                occurred_on=when,
                channel=self.channel,
                outcome=self.outcome,
                agreement_id=self.request.agreement_id,
                note=note,
            )
        )

    @work(thread=True, exclusive=True, group="contact", exit_on_error=False)
    def _save(self, data: ContactInput) -> None:
        from wijkteam_tui.errors import WijkteamError

        register = self.wijkteam.register
        if register is None:
            return
        try:
            result = log_contact(register, data, self.wijkteam.clock())
        except WijkteamError as error:
            self.post_message(ActionFailed(error.message))
            return
        self.post_message(ContactLogged(result))

    @on(ActionFailed)
    def _failed(self, event: ActionFailed) -> None:
        self.query_one("#contact-message", Static).update(literal(event.message))

    @on(ContactLogged)
    def _logged(self, event: ContactLogged) -> None:
        result = event.result
        text = "Contact vastgelegd."
        if result.agreement_next_due:
            text += f" Volgende keer: {format_date(result.agreement_next_due)}."
        for reason in result.raised:
            self.app.notify(reason, title="Nieuw aandachtspunt", severity="warning")
        self.app.notify(text)
        self.dismiss(True)
