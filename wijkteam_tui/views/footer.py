"""The key bar at the bottom, rebuilt only when what it shows changes.

Textual's Footer rebuilds all its keys (a dozen widgets, each styled anew) whenever the screen's
bindings are refreshed: when a dialog opens over the screen, when the focus moves, when a
check_action answer may have changed. Most of those refreshes change nothing it shows, and the
rebuild was a third of the time a form took to open. This one compares what it would show with
what it shows, and rebuilds only on a difference; a screen under a dialog waits until it is on
top again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeyBar(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[object, ...] | None = None

    def _wanted(self) -> tuple[object, ...]:
        """What the bar would show now: each shown binding, enabled or not, with its text."""
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not (self.is_attached and screen is self.screen and screen.app.app_focus):
            super().bindings_changed(screen)
            return
        if screen is not self.app.screen:
            # Under a dialog: nothing to see; compare again when it is on top.
            self._bindings_ready = True
            return
        wanted = self._wanted()
        if wanted == self._shown:
            self._bindings_ready = True
            return
        self._shown = wanted
        super().bindings_changed(screen)
