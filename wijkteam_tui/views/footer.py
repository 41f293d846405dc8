"""The key bar at the bottom, rebuilt only when what it shows changes.

Textual's Footer rebuilds all its keys (a dozen widgets, each styled anew) whenever the screen's
bindings are refreshed: when a dialog opens over the screen, when the focus moves, when a
check_action answer may have changed. Most of those refreshes change nothing it shows, and the
rebuild was a third of the time a form took to open. This one compares what it would show with
what it shows, and rebuilds only on a difference; a screen under a dialog waits until it is on
top again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen

#: Keys Textual's own widgets show in the bar, in Dutch (an open Select's list).
DUTCH = {"Dismiss menu": "Menu sluiten"}
#: Keys shown only when there is room: lock and quit work on every screen, and Help and the
#: palette name them (so does Esc, back to the screen before, which is also left off then);
#: Vandaag's Mail (the reminders to the network) would push Help off an 80-column bar, and the
#: Netwerk tab's Geen mail (last of the file's keys, so that wider it pushes none of them off)
#: would push Delen off; both are in Help and the palette too (and the member's line in full
#: names `m`).
WIDE_ONLY = frozenset({"lock", "quit", "today.reminders", "file.stop_reminding"})


#: Narrower than this, the keys stand closer together (at 80 columns they then all fit).
COMPACT_BELOW = 110


class KeyBar(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[object, ...] | None = None

    def on_mount(self) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: events.Resize) -> None:
        compact = event.size.width < COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact
            self._shown = None
            self.call_after_refresh(self.recompose)

    def _wanted(self) -> tuple[object, ...]:
        """What the bar would show now: each shown binding, enabled or not, with its text."""
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def compose(self) -> ComposeResult:
        """One key per action, the screen's own first; when narrow, without the keys that work
        everywhere and are named in Help and the palette (lock, quit, back), so that the keys
        of this screen fit."""
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        keys: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in keys:
                continue
            if self.compact and (binding.id in WIDE_ONLY or binding.action == "back"):
                continue
            keys[binding.action] = (binding, enabled, tooltip)
        self.styles.grid_size_columns = len(keys)
        for binding, enabled, tooltip in keys.values():
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                DUTCH.get(binding.description, binding.description),
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette:
            _, binding, enabled, _ = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
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
