"""A small, fixed demo register (built once per session, copied per test), a fixed clock, and
keys at machine speed."""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest
from rich.console import Console
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Static
from textual.worker import WorkerCancelled, WorkerFailed

from wijkteam_tui.app import WijkteamApp
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.freshness import Pace
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.register import Register

S = TypeVar("S")

TODAY = date(2026, 11, 22)
CLIENTS = 40


def build_demo(path: Path) -> None:
    register, _ = create_register(path, "demo", "demo", team_name="Wijkteam Middelwijk", demo=True)
    generate(register, CLIENTS, TODAY, seed=11)
    register.close()


def copy_register(source: Path, dest: Path) -> Path:
    """The database and both key files of a closed register, copied to `dest`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    for src, dst in (
        (source, dest),
        (crypto.key_file_path(source), crypto.key_file_path(dest)),
        (crypto.backup_key_file_path(source), crypto.backup_key_file_path(dest)),
    ):
        shutil.copy2(src, dst)
    return dest


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path) -> Path:
    return copy_register(demo_template, tmp_path / "demo.db")


@pytest.fixture
def demo_register(demo_path: Path) -> Iterator[Register]:
    register = open_register(demo_path, "demo", "demo")
    yield register
    register.close()


#: The watcher looks often and lets screens read anew at once, so that a test waits for its
#: looks (`watcher_caught_up`) rather than for a production pace.
TEST_PACE = Pace(poll_seconds=0.05, retry_seconds=0.2, min_reload_seconds=0.0)


def make_app(path: Path, register: Register | None = None, **kwargs: object) -> WijkteamApp:
    kwargs.setdefault("clock", lambda: TODAY)
    kwargs.setdefault("pace", TEST_PACE)
    return WijkteamApp(path, register=register, **kwargs)  # type: ignore[arg-type]


def _busy(app: WijkteamApp) -> bool:
    """A worker not finished yet, the daily sweep running behind the screens (what it changes
    is read anew when it ends), a part of the screen still loading, or a change not drawn yet.

    The last one matters for a screenshot: a text that grew (an Overzicht filled in after its
    load) is only as tall as before until the screen has laid itself out again, so its lower
    lines would be missing from what the test reads. Textual keeps those requests in private
    flags; they are read here, never changed."""
    screen = app.screen
    widgets = list(screen.query("*"))
    return (
        any(not worker.is_finished for worker in app.workers)
        or app.sweeping
        or any(widget.loading for widget in widgets)
        or screen._layout_required
        or screen._repaint_required
        or bool(screen._dirty_widgets)
        or any(widget._layout_required or widget._repaint_required for widget in widgets)
    )


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the app is quiet: every worker finished, nothing loading and every message
    handled, seen on two looks in a row (a worker's result may push a screen, whose first
    load starts only when it is mounted).

    A worker may be cancelled (or fail, which its screen shows) while it is waited for: a
    newer one of its exclusive group took its place (a screen reading anew after the watcher
    saw a commit, the test's own among them). The next look waits for that one. A load that
    waits for a team server that is away stays loading with no worker running: after a
    generous bound the test goes on and asserts what the screen shows meanwhile."""
    quiet = looks = 0
    while quiet < 2:
        looks += 1
        if looks > 400:
            return
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            # A failed worker's error is the screen's to show (the unlock screen asks about
            # an older register, a form tells a refusal): what the test then asserts.
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not _busy(pilot.app):
            quiet += 1
            continue
        quiet = 0
        if all(worker.is_finished for worker in pilot.app.workers):
            await pilot.pause(0.025)  # loading, and nothing to wait for but its retry timer


async def from_team(pilot, key: str, screen_type: type[S]) -> S:  # type: ignore[no-untyped-def]
    """Open Team (`t`) and from there the screen `key` opens, once both have settled."""
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, screen_type)
    return screen


def static_text(static: Static) -> str:
    """What a Static holds as plain text, however it is built (a Text, a table, a group),
    laid out at a width where nothing wraps."""
    console = Console(width=400, file=io.StringIO(), color_system=None, legacy_windows=False)
    with console.capture() as captured:
        console.print(static.content, markup=False, highlight=False)
    return captured.get()


def burst(app: WijkteamApp, *keys: str) -> None:
    """Keys as a terminal delivers a paste or auto-type: all at once, nothing waits in between.

    Each argument is a key name ("enter", "ctrl+l") or a text typed character by character."""
    for item in keys:
        if item in ("enter", "escape", "tab", "backspace", "down", "up") or "+" in item[1:]:
            character = {"enter": "\r", "tab": "\t", "escape": "\x1b"}.get(item)
            app.post_message(events.Key(item, character))
            continue
        for character in item:
            app.post_message(events.Key(_character_to_key(character), character))


async def drain(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until a burst has been handled completely (keys, workers, screens)."""
    for _ in range(200):
        await settle(pilot)
        if pilot.app.keys_settled:
            await settle(pilot)
            return
    raise AssertionError("the keys were never all handled")


async def until(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until `condition()` holds, however long the machine takes: what a screen does
    after a dialog closed (its result callback, a notification) runs as a message of its own,
    after the screen has switched; what a timer does (the idle lock, a new day, a notice
    after a wait) happens when it fires. Gives up after 400 rounds (at least 20 s)."""
    for _ in range(400):
        if condition():
            return
        await settle(pilot)
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


async def watcher_caught_up(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the watcher has looked twice from now with no change left to show, and the
    screens have read what it saw: a screen reads anew when the watcher sees a commit
    (store/freshness.py), the test's own among them (opening a client file logs that it was
    read). Without a watcher (no register open) only the screens are waited for."""
    await settle(pilot)
    app = pilot.app
    looks = app.watcher_looks
    for _ in range(2000):
        if not app.watching or (app.watcher_looks >= looks + 2 and not app.watcher_pending):
            break
        await pilot.pause(0.01)
    else:
        raise AssertionError("the watcher did not look")
    await settle(pilot)


@pytest.fixture
def snap_compare(snap_compare):  # type: ignore[no-untyped-def]
    """The plugin's `snap_compare`, with one more wait before the picture: until the watcher
    caught up with every commit and the screen read anew (`watcher_caught_up`)."""
    from inspect import isawaitable

    def compare(app, *args, run_before=None, **kwargs):  # type: ignore[no-untyped-def]
        async def before(pilot) -> None:  # type: ignore[no-untyped-def]
            if run_before is not None:
                result = run_before(pilot)
                if isawaitable(result):
                    await result
            await watcher_caught_up(pilot)

        return snap_compare(app, *args, run_before=before, **kwargs)

    return compare
