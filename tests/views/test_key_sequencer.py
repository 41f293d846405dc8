"""The key sequencer on a machine too slow for its half-second look: a key that is still being
handled holds the next one back, however long it takes, and a screen that never answers costs
the keys typed after it, with a message, never a key applied elsewhere."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from wijkteam_tui.views import key_sequencer as keys
from wijkteam_tui.views.key_sequencer import STUCK_SECONDS, KeySequencer


class _Slow(Static, can_focus=True):
    """Takes three of the sequencer's looks to handle `a`."""

    def __init__(self, done: list[str]) -> None:
        super().__init__("traag")
        self.done = done

    async def on_key(self, event: events.Key) -> None:
        if event.key == "a":
            await asyncio.sleep(STUCK_SECONDS * 3)
        self.done.append(event.key)


class _Front(Screen[None]):
    def __init__(self, done: list[str]) -> None:
        super().__init__()
        self.done = done

    def compose(self) -> ComposeResult:
        yield _Slow(self.done)

    def on_mount(self) -> None:
        self.query_one(_Slow).focus()


class _Probe(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.done: list[str] = []
        #: Each key as it is routed, with what had been handled by then.
        self.routed: list[tuple[str, list[str]]] = []
        self.told: list[str] = []
        self.sequencer = KeySequencer(self, self._route)

    async def _route(self, event: events.Event) -> None:
        assert isinstance(event, events.Key)
        self.routed.append((event.key, list(self.done)))
        await App.on_event(self, event)

    def on_mount(self) -> None:
        self.push_screen(_Front(self.done))  # keys go to screens of the register, never the default

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.sequencer.feed(event)
            return
        await super().on_event(event)

    def notify(self, message: str, **_: Any) -> None:  # type: ignore[override]
        self.told.append(message)


async def _until_idle(pilot, app: _Probe) -> None:  # type: ignore[no-untyped-def]
    for _ in range(400):
        await pilot.pause(0.05)
        if app.sequencer.idle:
            return
    raise AssertionError("the keys were never all handled")


async def test_a_key_still_being_handled_holds_the_next_one_back():
    app = _Probe()
    async with app.run_test() as pilot:
        await pilot.pause()
        for key in ("a", "b"):
            app.post_message(events.Key(key, key))
        await _until_idle(pilot, app)
    assert app.routed == [("a", []), ("b", ["a"])]
    assert app.done == ["a", "b"] and app.told == []


async def test_a_screen_that_never_answers_costs_the_keys_after_it_with_a_message(monkeypatch):
    monkeypatch.setattr(keys, "GIVE_UP_SECONDS", STUCK_SECONDS * 2)
    app = _Probe()
    async with app.run_test() as pilot:
        await pilot.pause()
        for key in ("a", "b", "c"):
            app.post_message(events.Key(key, key))
        await _until_idle(pilot, app)
        await pilot.pause(STUCK_SECONDS * 3)
    assert [key for key, _ in app.routed] == ["a"]
    assert len(app.told) == 1 and "2 getypte toets(en) zijn niet gebruikt" in app.told[0]
