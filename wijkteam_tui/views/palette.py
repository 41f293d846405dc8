"""The command palette in Dutch: keys, prompt and 'nothing found' (Textual's own are English)."""

from __future__ import annotations

from typing import Final

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, ProviderSource
from textual.theme import ThemeProvider
from textual.widgets.option_list import Option

NOTHING_FOUND: Final = "Geen opdracht gevonden"


class DutchCommandPalette(CommandPalette):
    BINDINGS = [
        Binding("ctrl+end, shift+end", "command_list('last')", "Naar het eind", show=False),
        Binding("ctrl+home, shift+home", "command_list('first')", "Naar het begin", show=False),
        Binding("down", "cursor_down", "Volgende opdracht", show=False),
        Binding("escape", "escape", "Palet sluiten"),
        Binding("pagedown", "command_list('page_down')", "Volgende pagina", show=False),
        Binding("pageup", "command_list('page_up')", "Vorige pagina", show=False),
        Binding("up", "command_list('cursor_up')", "Vorige opdracht", show=False),
    ]

    def __init__(
        self,
        providers: ProviderSource | None = None,
        *,
        placeholder: str = "Zoek een opdracht…",
        id: str | None = None,
    ) -> None:
        super().__init__(providers, placeholder=placeholder, id=id)

    @classmethod
    def for_themes(cls) -> DutchCommandPalette:
        return cls(providers=[ThemeProvider], placeholder="Zoek een kleurenschema…")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own adds an English line; ours says it in Dutch, at the same moment.
        self._stop_no_matches_countdown()

        def show_nothing_found() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(NOTHING_FOUND, style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_nothing_found)
