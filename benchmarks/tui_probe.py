"""One run of the TUI, headless, in its own process, timed from inside:
`python -m benchmarks.tui_probe DB PASSPHRASE START_EPOCH`.

Prints one JSON line: seconds from process start to the unlock screen drawn, Vandaag drawn after
the passphrase (minus the key derivation), per-keystroke search times (key delivered to new
list drawn, seen through Textual's message hook), and the peak memory of the process. Only the
register's own code runs; nothing in the app is changed for this."""

from __future__ import annotations

import asyncio
import json
import resource
import statistics
import sys
import time
from pathlib import Path


async def _drawn(screen: object) -> float:
    """The wall-clock time at which `screen` has next been drawn."""
    done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    screen.call_after_refresh(lambda: done.set_result(time.time()))  # type: ignore[attr-defined]
    return await done


async def _until(app: object, ready: object) -> float:
    """Wait (as the terminal would: nothing else sent) until `ready()` holds, then until that
    screen has been drawn; the wall-clock time of the drawing."""
    while not ready():  # type: ignore[operator]
        await asyncio.sleep(0.001)
    return await _drawn(app.screen)  # type: ignore[attr-defined]


async def _forms(app: object, pilot: object) -> tuple[float, float]:
    """From the client list: open the first client's file, then time `e` until the client form
    is drawn, and Ctrl+S (one field changed) until the reloaded client file is drawn."""
    from textual import events
    from textual.widgets import Input

    from wijkteam_tui.views.client_file import ClientFileScreen
    from wijkteam_tui.views.forms.client import ClientForm

    app.post_message(events.Key("down", None))  # type: ignore[attr-defined]
    app.post_message(events.Key("enter", "\r"))  # type: ignore[attr-defined]
    await _until(app, lambda: isinstance(app.screen, ClientFileScreen) and app.screen.file)  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()  # type: ignore[attr-defined]
    file_screen = app.screen  # type: ignore[attr-defined]
    pressed = time.time()
    app.post_message(events.Key("e", "e"))  # type: ignore[attr-defined]
    opened = await _until(
        app,
        lambda: isinstance(app.screen, ClientForm) and app.screen.query("#name"),  # type: ignore[attr-defined]
    )
    app.screen.query_one("#city", Input).value = "Middelwijk-Noord"  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    shown = file_screen.file
    pressed_save = time.time()
    app.post_message(events.Key("ctrl+s", None))  # type: ignore[attr-defined]
    # Saved, the form closed, and the client file read again (a new ClientFile) and drawn.
    saved = await _until(
        app,
        lambda: app.screen is file_screen and file_screen.file is not shown,  # type: ignore[attr-defined]
    )
    return opened - pressed, saved - pressed_save


async def _other_forms(app: object) -> dict[str, float]:
    """On the open client file: `2` `n` (the member form, the most fields) and `f` (the phase
    form), each from the key until the form is drawn, then closed untouched with Esc."""
    from textual import events

    from wijkteam_tui.views.forms.base import FormScreen

    screen = app.screen  # type: ignore[attr-defined]
    app.post_message(events.Key("2", "2"))  # type: ignore[attr-defined]
    await _until(app, lambda: screen.query_one("#tabs").active == "netwerk")
    timings = {}
    for name, key in (("member_form_open_ms", "n"), ("phase_form_open_ms", "f")):
        await asyncio.sleep(0.2)
        pressed = time.time()
        app.post_message(events.Key(key, key))  # type: ignore[attr-defined]
        opened = await _until(app, lambda: isinstance(app.screen, FormScreen))  # type: ignore[attr-defined]
        timings[name] = round((opened - pressed) * 1000, 1)
        await app.workers.wait_for_complete()  # type: ignore[attr-defined]
        await asyncio.sleep(0.1)
        app.post_message(events.Key("escape", None))  # type: ignore[attr-defined]
        await _until(app, lambda: app.screen is screen)  # type: ignore[attr-defined]
    return timings


async def _reloaded(app: object, screen: object) -> None:
    """The client file read again and on the screen, as the person sees it before the key."""
    shown = screen.file  # type: ignore[attr-defined]
    screen.action_reload()  # type: ignore[attr-defined]
    await _until(app, lambda: screen.file is not shown)  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()  # type: ignore[attr-defined]
    await _drawn(screen)
    await asyncio.sleep(0.2)


async def _netwerkkaart(app: object) -> tuple[float, float, int]:
    """On the open client file: give the client 15 network members (as a medewerker would
    have recorded them), then time `6` until the netwerkkaart is painted, and until the
    screen has settled after it."""
    from textual import events

    from wijkteam_tui.domain.terms import MemberKind
    from wijkteam_tui.store.records import MemberInput
    from wijkteam_tui.store.write.network import add_member
    from wijkteam_tui.views.client_file.network_map import NetworkMap

    screen = app.screen  # type: ignore[attr-defined]
    register, today = app.register, app.clock()  # type: ignore[attr-defined]
    kinds = [MemberKind.INFORMAL] * 8 + [MemberKind.FORMAL] * 4 + [MemberKind.RESOURCE] * 3
    for i in range(max(0, 15 - len(screen.file.members))):
        data = MemberInput(f"Netwerklid {i + 1}", kinds[i], supports="PG", ring=i % 3 + 1)
        await asyncio.to_thread(add_member, register, screen.client_id, data, today)
    await _reloaded(app, screen)
    ecogram = screen.query_one(NetworkMap)
    pressed = time.time()
    app.post_message(events.Key("6", "6"))  # type: ignore[attr-defined]
    # The map's lines are made while the frame that shows them is painted (its render_line),
    # so the moment they exist the map is on the screen. Textual then lays the tab out once
    # more (the panes that were hidden got their size); that refresh is timed separately.
    while not (ecogram.has_focus and ecogram._lines):
        await asyncio.sleep(0.0005)
    painted = time.time()
    settled = await _drawn(screen)
    return painted - pressed, settled - pressed, len(ecogram.members)


async def _ontwikkeling(app: object) -> tuple[float, int]:
    """On the open client file: give the client 20 ZRM assessments a month apart (as a
    medewerker would have recorded them over the years), then time `7` until the Ontwikkeling
    tab is drawn with its chart."""
    from datetime import timedelta

    from textual import events
    from textual.widgets import DataTable

    from wijkteam_tui.domain.outcomes import ZRM_DOMAINS
    from wijkteam_tui.domain.terms import AssessmentKind
    from wijkteam_tui.store.outcomes.assessments import record_assessment
    from wijkteam_tui.store.read.outcomes import client_assessments
    from wijkteam_tui.store.records import AssessmentInput

    screen = app.screen  # type: ignore[attr-defined]
    register, today = app.register, app.clock()  # type: ignore[attr-defined]
    had = len(await asyncio.to_thread(client_assessments, register, screen.client_id, today))
    opened_on = screen.file.opened_on
    for n in range(max(0, 20 - had)):
        on = max(opened_on, today - timedelta(days=30 * (20 - n)))
        scores = {d.code: 1 + (i + n) % 5 for i, d in enumerate(ZRM_DOMAINS)}
        data = AssessmentInput(AssessmentKind.ZRM, on, scores)
        await asyncio.to_thread(record_assessment, register, screen.client_id, data, today)
    await _reloaded(app, screen)
    table = screen.query_one("#zrm", DataTable)
    pressed = time.time()
    app.post_message(events.Key("7", "7"))  # type: ignore[attr-defined]
    drawn = await _until(app, lambda: table.has_focus and table.row_count)
    return drawn - pressed, len(screen.query_one("OutcomesPane").rows)


async def probe(db: Path, passphrase: str, started: float) -> dict[str, object]:
    # Only what `wijkteam` itself loads before the unlock screen; the rest after it is drawn.
    from wijkteam_tui.app import WijkteamApp
    from wijkteam_tui.views.unlock import UnlockScreen

    drawn: list[float] = []

    def watch(message: object) -> None:
        # A finished search is handled right after this hook; the mark is set once it is drawn.
        from textual.worker import Worker, WorkerState

        if (
            isinstance(message, Worker.StateChanged)
            and message.worker.group == "search"
            and message.state is WorkerState.SUCCESS
        ):
            app.screen.call_after_refresh(lambda: drawn.append(time.perf_counter()))

    app = WijkteamApp(db, user_hint="bench")
    async with app.run_test(size=(120, 35), message_hook=watch) as pilot:
        while not isinstance(app.screen, UnlockScreen):
            await asyncio.sleep(0.002)
        unlock_drawn = await _drawn(app.screen) - started

        from textual import events
        from textual.widgets import Input, OptionList

        from wijkteam_tui.views.preload import preload

        preload()  # what the app loads while a person types the passphrase
        from wijkteam_tui.store.keys.unlock import unlock
        from wijkteam_tui.views.clients import ClientsScreen
        from wijkteam_tui.views.today import TodayScreen

        kdf_runs = []
        for _ in range(3):
            kdf_started = time.perf_counter()
            unlock(db, "bench", passphrase)
            kdf_runs.append(time.perf_counter() - kdf_started)
        kdf = statistics.median(kdf_runs)

        app.screen.query_one("#passphrase", Input).value = passphrase
        # The Enter key as the terminal delivers it (Pilot's press would also wait for idle).
        entered_epoch = time.time()
        app.post_message(events.Key("enter", "\r"))
        while True:
            await asyncio.sleep(0.002)
            screen = app.screen
            if (
                isinstance(screen, TodayScreen)
                and screen.query("#overdue")
                and screen.query_one("#overdue", OptionList).option_count
            ):
                break
        vandaag = await _drawn(app.screen) - entered_epoch

        # The key a person presses, so that the screen is made inside the app (where Textual's
        # message hook, which the timing relies on, is in effect).
        app.post_message(events.Key("slash", "/"))
        while not isinstance(app.screen, ClientsScreen):
            await asyncio.sleep(0.002)
        await app.workers.wait_for_complete()
        await pilot.pause()
        keystrokes = []
        screen = app.screen
        assert isinstance(screen, ClientsScreen)
        for key in [*"jansen", *["backspace"] * 6, *"yilm", *["backspace"] * 4]:
            drawn.clear()
            character = None if key == "backspace" else key
            pressed = time.perf_counter()
            app.post_message(events.Key(key, character))
            # From the key as the terminal delivers it to the new list drawn on the screen.
            while not drawn:
                await asyncio.sleep(0.0005)
            keystrokes.append(drawn[0] - pressed)
            await app.workers.wait_for_complete()
        from wijkteam_tui.views.result_list import ResultList

        rows = app.screen.query_one("#results", ResultList).row_count
        form_open, form_saved = await _forms(app, pilot)
        other_forms = await _other_forms(app)
        kaart, kaart_settled, kaart_members = await _netwerkkaart(app)
        ontwikkeling, assessments = await _ontwikkeling(app)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "unlock_screen_seconds": round(unlock_drawn, 3),
        "kdf_seconds": round(kdf, 3),
        "vandaag_after_passphrase_seconds": round(vandaag - kdf, 3),
        "vandaag_including_kdf_seconds": round(vandaag, 3),
        "search_keystroke_ms_median": round(statistics.median(keystrokes) * 1000, 1),
        "search_keystroke_ms_max": round(max(keystrokes) * 1000, 1),
        "search_rows_after_clearing": rows,
        "form_open_ms": round(form_open * 1000, 1),
        "form_save_to_file_drawn_ms": round(form_saved * 1000, 1),
        **other_forms,
        "netwerkkaart_drawn_ms": round(kaart * 1000, 1),
        "netwerkkaart_settled_ms": round(kaart_settled * 1000, 1),
        "netwerkkaart_members": kaart_members,
        "ontwikkeling_drawn_ms": round(ontwikkeling * 1000, 1),
        "ontwikkeling_assessments": assessments,
        "peak_memory_mb": round(peak_kib / 1024, 1),
    }


def main() -> None:
    db, passphrase, started = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    print(json.dumps(asyncio.run(probe(db, passphrase, started))))


if __name__ == "__main__":
    main()
