"""A question before something that cannot be undone: `j` goes on, `n` or Esc goes back."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from wijkteam_tui.views.text import literal


class ConfirmDialog(ModalScreen[bool]):
    """Dismisses with True when the person confirms."""

    BINDINGS = [
        Binding("j", "answer(True)", "Ja", id="confirm.yes", tooltip="Doorgaan"),
        Binding("n,escape", "answer(False)", "Nee", id="confirm.no", tooltip="Terug"),
    ]

    def __init__(self, question: str, *, yes: str = "Ja", no: str = "Nee") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            # Line by line: a question may list what it concerns, one item a line.
            lines = [literal(line) for line in self.question.splitlines()]
            yield Static(Text("\n").join(lines), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"n  {self.no}", id="no", variant="primary")
                yield Button(f"j  {self.yes}", id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
