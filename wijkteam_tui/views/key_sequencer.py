"""Every keystroke lands where the person meant it, however fast the keys arrive.

Textual decides where a key goes (the focused widget, or a priority binding) when the app takes
it from its queue, but the widget handles it later, in its own queue, and a key that a widget
does not use travels back up to the app before a screen's binding runs. Keys that arrive in one
burst (a password manager's auto-type, a paste, a slow SSH link) are therefore all routed before
the first has moved the focus or opened a dialog: `d` + a date + Enter saved today's date, and
the passphrase typed after Enter went into the user field.

`KeySequencer` gives the app one key at a time: the next key is routed only when the previous one
has been through every widget on its way up (and whatever that posted on the same way), and any
screen it opened is mounted. A slow typist notices nothing; a burst behaves like slow typing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

#: How often a key whose way through the widgets has not ended is looked at again: when the
#: widget it waits for was removed halfway (it drops the marker we sent after the key), the key
#: is let go; while that widget is still there the app is only slow, and the next key waits.
STUCK_SECONDS = 0.5
#: However slow the machine, a key never waits longer than this: the keys typed after it are
#: dropped with a message rather than applied to whatever is in front by then.
GIVE_UP_SECONDS = 20.0
#: Rounds through the key's widgets: the second carries what the first posted (Input.Submitted).
ROUNDS = 2


class KeySequencer:
    """Feeds key and paste events to `route` one at a time, each after the last has settled."""

    def __init__(self, app: App[Any], route: Callable[[events.Event], Awaitable[None]]) -> None:
        self._app = app
        self._route = route
        self._pending: deque[events.Event] = deque()
        self._busy = False
        self._turn = 0
        #: The widget whose marker the current key waits for, and how long it has waited.
        self._waiting_on: DOMNode | None = None
        self._waited = 0.0

    @property
    def idle(self) -> bool:
        """Every key received has been routed and has settled."""
        return not self._busy and not self._pending

    async def feed(self, event: events.Event) -> None:
        """Take a key or paste event from the terminal."""
        self._pending.append(event)
        if not self._busy:
            await self._next()

    async def _next(self) -> None:
        if self._busy or not self._pending:
            return
        if not self._app.screen_stack:
            # The app is closing (its screens are gone): nothing is left to type into.
            self._pending.clear()
            return
        if not self._screen_ready():
            # A screen is still being built (just opened by the previous key, or the first one).
            self._app.set_timer(0.005, self._next)
            return
        event = self._pending.popleft()
        self._busy = True
        self._turn += 1
        turn = self._turn
        target: DOMNode = self._app.focused or self._app.screen
        await self._route(event)
        path = [node for _ in range(ROUNDS) for node in target.ancestors_with_self]
        self._waited = 0.0
        self._walk(path, turn)
        self._app.set_timer(STUCK_SECONDS, lambda: self._stuck(turn))

    def _stuck(self, turn: int) -> None:
        """The key has not settled after STUCK_SECONDS more: let it go when the widget it waits
        for is gone; keep waiting while it is there (a slow machine, a busy screen); give up,
        dropping the keys typed after it with a message, after GIVE_UP_SECONDS."""
        if turn != self._turn or not self._busy:
            return
        self._waited += STUCK_SECONDS
        node = self._waiting_on
        if node is not None and node.is_attached and self._waited < GIVE_UP_SECONDS:
            self._app.set_timer(STUCK_SECONDS, lambda: self._stuck(turn))
            return
        if self._waited >= GIVE_UP_SECONDS and self._pending:
            dropped = len(self._pending)
            self._pending.clear()
            self._app.notify(
                f"Het scherm reageerde te traag; {dropped} getypte toets(en) zijn niet gebruikt."
                " Kijk wat er staat en typ ze opnieuw.",
                severity="warning",
                timeout=10,
            )
        self._settled(turn)

    def _screen_ready(self) -> bool:
        screen = self._app.screen
        # A screen that is busy with what the last key started holds the next ones.
        return (
            screen.is_mounted
            and screen.id != "_default"
            and not getattr(screen, "holding_keys", False)
        )

    def _walk(self, path: list[DOMNode], turn: int) -> None:
        """Post a marker to each node in turn; it runs after everything queued there before it."""
        if turn != self._turn:
            return
        while path:
            node, rest = path[0], path[1:]
            if node.call_later(self._walk, rest, turn):
                self._waiting_on = node
                return
            path = rest  # that node is closed: nothing more can happen there
        # Last: the screen that is current now (a new one handles its own opening first).
        screen = self._app.screen
        if screen.call_later(self._settled, turn):
            self._waiting_on = screen
        else:
            self._settled(turn)

    def _settled(self, turn: int) -> None:
        if turn != self._turn or not self._busy:
            return
        self._busy = False
        self._waiting_on = None
        if self._pending:
            self._app.call_later(self._next)
