"""A colleague's change shows by itself: at the watcher's next look (every half second, a screen
read anew at most once a second), without pressing `r`, and without moving the person's cursor
or scroll. The colleague is a second process-like opening of the same register (its own
connections), as a teammate's program on the same host is. The tests wait for the watcher's
looks (`watcher_caught_up`), not for the clock."""

from __future__ import annotations

import asyncio

from textual.widgets import OptionList

from tests.views.conftest import TODAY, make_app, settle, until, watcher_caught_up
from wijkteam_tui.domain.terms import Outcome
from wijkteam_tui.store import services
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.records import ContactInput
from wijkteam_tui.views.today import TodayScreen


async def test_a_contact_a_colleague_logs_leaves_vandaag_by_itself_and_the_cursor_stays(
    demo_path, demo_register
):
    app = make_app(demo_path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        overdue = screen.query_one("#overdue", OptionList)
        assert overdue.option_count >= 6, "the demo has enough overdue contacts"
        overdue.focus()
        overdue.highlighted = 4
        await settle(pilot)
        chosen = overdue.get_option_at_index(4).id
        above = screen._rows[str(overdue.get_option_at_index(1).id)].due
        assert above is not None
        count = overdue.option_count

        def colleague_logs_the_contact() -> None:
            colleague = open_register(demo_path, "demo", "demo")
            try:
                services.log_contact(
                    colleague,
                    ContactInput(
                        above.client_id,
                        TODAY,
                        above.channel,
                        Outcome.GOOD,
                        above.agreement_id,
                    ),
                    TODAY,
                )
            finally:
                colleague.close()

        await asyncio.to_thread(colleague_logs_the_contact)
        await watcher_caught_up(pilot)
        assert overdue.option_count == count - 1, "shown by itself, no key pressed"
        assert overdue.highlighted is not None
        assert overdue.get_option_at_index(overdue.highlighted).id == chosen
        assert app.focused is overdue


async def test_a_screen_behind_another_catches_up_when_it_is_in_front_again(
    demo_path, demo_register
):
    """The client list (behind a client file) shows a client a colleague registered once the
    person goes back to it; the cursor stays on the same client and the list where it was."""
    from wijkteam_tui.store.records import ClientInput
    from wijkteam_tui.views.client_file import ClientFileScreen
    from wijkteam_tui.views.clients import ClientsScreen
    from wijkteam_tui.views.result_list import ResultList

    app = make_app(demo_path, register=demo_register)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClientsScreen)
        results = screen.query_one("#results", ResultList)
        results.focus()
        await pilot.press(*["down"] * 25)
        await settle(pilot)
        chosen, line, count = results.chosen_key, results.cursor - results.top, results.row_count
        top = results.top
        assert top > 0, "a list long enough to scroll"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)

        def colleague_registers_a_client() -> None:
            colleague = open_register(demo_path, "demo", "demo")
            try:
                assert colleague.user is not None
                services.create_client(
                    colleague,
                    ClientInput(name="Aafke Aalders", opened_on=TODAY,
                                casemanager_id=colleague.user.id),
                    TODAY,
                )  # fmt: skip
            finally:
                colleague.close()

        await asyncio.to_thread(colleague_registers_a_client)
        await watcher_caught_up(pilot)
        assert results.row_count == count, "not read while another screen is in front"
        await pilot.press("escape")
        await until(pilot, lambda: results.row_count == count + 1, "the new client in the list")
        await settle(pilot)
        assert app.screen is screen
        # The same client, on the same line: the new one came above, the view moved with it.
        assert (results.chosen_key, results.cursor - results.top) == (chosen, line)
