"""What the screens log (NEN 7513): a search (its hit count and the fields searched, never the
words), opening a client file once, locking and unlocking."""

from __future__ import annotations

from pathlib import Path

from tests.views.conftest import make_app, settle
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.clients import ClientsScreen
from wijkteam_tui.views.result_list import ResultList
from wijkteam_tui.views.today import TodayScreen
from wijkteam_tui.views.unlock import UnlockScreen


async def test_search_open_lock_and_unlock_are_logged(demo_path: Path):
    register = open_register(demo_path, "demo", "demo")
    app = make_app(demo_path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        results = app.screen.query_one("#results", ResultList)
        name = results.text_at(0).split(maxsplit=2)[1]
        await pilot.press(*name.lower())
        await settle(pilot)
        hits = results.row_count
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        opened = app.screen.client_id
        await pilot.press("r")  # a reload is not another opening
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press("d", "e", "m", "o", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        shown = log.events(app.register)
    kinds = [(e.action, e.object_id) for e in shown]
    search, read = kinds.index(("search", "")), kinds.index(("read", str(opened)))
    assert read == search + 1, "the search it was found by, then the opening"
    assert kinds.count(("read", str(opened))) == 1
    assert shown[search].detail == f"{hits} treffers; gezocht op zoekwoorden"
    assert name not in repr(shown) and name.lower() not in repr(shown)
    assert [a for a, _ in kinds[read + 1 :]] == ["lock", "unlock"]
    assert shown[read].code == "R" and shown[read].client_number
