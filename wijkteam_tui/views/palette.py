"""The command palette in Dutch: keys, prompt and 'nothing found' (Textual's own are English),
and commands found by what they do, not only by their name ("pdf" and "afdrukken" find Delen).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import (
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
    ProviderSource,
)
from textual.theme import ThemeProvider
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

NOTHING_FOUND: Final = "Geen opdracht gevonden"

#: What a person may type looking for an action, by the action's name (its arguments left
#: off): the words of the task, not of the screen.
PURPOSES: Final = {
    "share": "afdrukken printen print pdf crisiskaart portemonneekaart kaartje export"
    " exporteren agenda kalender ics tekst document netwerk uitdelen mailen",
    "log_contact": "bellen gebeld gesprek bezoek contactmoment vastleggen notitie verslag",
    "phase": "afsluiten heropenen duurzaam in beeld afschalen opschalen intensief aftekenen",
    "observe": "signaal oranje rood groen zorgen waarneming",
    "threshold": "grens drempel dagen stil uit beeld",
    "thresholds": "grens drempel dagen stil uit beeld teamgrenzen",
    "snooze": "uitstellen later vakantie pauze",
    "end": "beëindigen stoppen ophouden einde verhuisd overleden",
    "new": "toevoegen nieuw netwerklid afspraak planregel",
    "edit": "wijzigen aanpassen bewerken corrigeren",
    "edit_client": "wijzigen aanpassen adres telefoon geboortedatum",
    "clients": "zoeken vinden dossier cliënt nieuwe",
    "team": "teamleider overzicht te laat achterstand weekoverleg",
    "audit": "log wie ingezien controle nen 7513",
    "users": "medewerker account collega inloggen wachtwoord",
    "settings": "instellingen teamnaam telefoon bereikbaarheid",
    "social_map": "voorziening buurthuis sociale kaart wijk",
    "neighbourhood": "buurt draagkracht vrijwilliger mantelzorger steunpersoon overbelast",
    "lock": "vergrendelen pauze weglopen",
    "quit": "stoppen sluiten afsluiten",
    "alert": "aandachtspunt bevestigen oplossen",
    "reassign": "overdragen casemanager collega overdracht",
    "retention": "bewaartermijn wissen avg",
    "absence": "afwezig verlof vakantie ziek waarneming waarnemen vervanging",
    "reminders": "herinnering mail e-mail netwerk versturen verzonden mislukt",
    "send": "versturen mail herinnering nu",
    "erase": "wissen verwijderen avg",
    "help": "toetsen uitleg hulp",
    "reload": "vernieuwen opnieuw laden",
}


class PaletteCommand(NamedTuple):
    title: str
    help: str
    callback: Callable[[], Any]
    #: Words it is also found by (what it does, in the words of the task).
    words: str = ""


def screen_commands(app: App[Any], screen: Screen[object]) -> list[PaletteCommand]:
    """Every binding of the current screen is in the command palette too: ours, each with
    an id and a Dutch description, not the English ones Textual's widgets bring along
    (moving in a list, copying text); then the person's own number and the colours."""
    # Lazy: the store loads in the background while the passphrase is typed (views.preload).
    from wijkteam_tui.views.base import StoreWorkers

    found: list[PaletteCommand] = []
    seen = {"command_palette"}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.id is None or binding.action in seen or not binding.description:
            continue
        if not active.enabled:
            continue
        seen.add(binding.action)
        run = partial(app.call_later, app.run_action, binding.action, active.node)
        found.append(
            PaletteCommand(
                binding.description,
                binding.tooltip or binding.description,
                run,
                purpose_words(binding.action),
            )
        )
    register = getattr(app, "register", None)
    if register is not None and isinstance(screen, StoreWorkers):
        found.append(
            PaletteCommand(
                "Mijn telefoonnummer",
                "Het nummer in de gedeelde afspraken van uw cliënten",
                partial(_own_phone, screen, register),
                "telefoonnummer nummer mobiel bereikbaar",
            )
        )
    found.append(
        PaletteCommand(
            "Thema kiezen",
            "Kleuren van het scherm",
            lambda: app.push_screen(DutchCommandPalette.for_themes()),
            "kleur kleuren donker licht thema contrast",
        )
    )
    return found


def _own_phone(screen: Any, register: Any) -> None:
    # Lazy: the forms load only when one is opened (the palette is there from the unlock on).
    from wijkteam_tui.views.forms.user import ask_own_phone

    ask_own_phone(screen, register)


def _plain(text: str) -> str:
    """Lower case without accents: "Cliënt" and "client" are the same word to the search."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )


def purpose_words(action: str) -> str:
    return PURPOSES.get(action.partition("(")[0].removeprefix("app.").removeprefix("screen."), "")


class PurposeProvider(Provider):
    """The app's commands (`screen_commands`), found by their name or by what they do.

    A name that matches comes first, as in Textual's own; then the commands whose help text
    or purpose words start with what was typed. A help text that only repeats the name is
    left off, so each entry reads once."""

    def _commands(self) -> list[PaletteCommand]:
        return sorted(screen_commands(self.app, self.screen), key=lambda command: command.title)

    async def discover(self) -> Hits:
        for title, help_text, callback, _words in self._commands():
            yield DiscoveryHit(title, callback, help=_shown_help(title, help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        wanted = _plain(query).split()
        for title, help_text, callback, words in self._commands():
            score = matcher.match(title)
            shown = matcher.highlight(title) if score > 0 else Text(title)
            if score <= 0 and wanted:
                known = _plain(f"{title} {help_text} {words}").replace(":", " ").split()
                if all(any(w.startswith(part) for w in known) for part in wanted):
                    score = 0.5
            if score > 0:
                yield Hit(score, shown, callback, help=_shown_help(title, help_text))


def _shown_help(title: str, help_text: str) -> str | None:
    return help_text if help_text and help_text != title else None


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
