"""Help: every binding of the screen below, with its key and what it does."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from wijkteam_tui.views.text import labelled


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,f1,q", "dismiss", "Sluiten", id="help.close"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Label("Toetsen van dit scherm", classes="dialog-title")
            yield Static(self._binding_text(), id="help-text")
            yield Static(
                "Ctrl+P opent het opdrachtenpalet: alle acties, doorzoekbaar.", classes="hint"
            )
            yield Static("Esc of ? sluit deze hulp.", classes="hint")

    def _binding_text(self) -> Table:
        """The screen's own bindings, then the app's, one line per action (a long one wraps
        under its own text, not under the keys)."""
        rows: list[tuple[Text | str, Text | str]] = []
        lines: dict[str, list[str]] = {}
        descriptions: dict[str, Binding] = {}
        for owner in (type(self.for_screen), type(self.app)):
            for binding in Binding.make_bindings(owner.BINDINGS):
                if not binding.description:
                    continue
                lines.setdefault(binding.action, []).append(self.app.get_key_display(binding))
                descriptions.setdefault(binding.action, binding)
        for action, keys in lines.items():
            binding = descriptions[action]
            what = Text(binding.description)
            if binding.tooltip and binding.tooltip != binding.description:
                what.append(f" — {binding.tooltip}", style="dim")
            rows.append((Text(", ".join(dict.fromkeys(keys)), style="bold"), what))
        return labelled(rows, 14, right=True, gap=1)
