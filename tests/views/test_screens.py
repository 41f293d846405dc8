"""The screens driven like a medewerker drives them: keyboard, Pilot, a fixed clock."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent

from tests.views.conftest import TODAY, make_app, settle, static_text, until
from wijkteam_tui.domain.accounts import failure_delay
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.models import ContactAgreement
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.read.today import today_list
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.write.agreements import add_agreement
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.network import add_member
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.clients import ClientsScreen
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.contact import LogContactScreen
from wijkteam_tui.views.help import HelpScreen
from wijkteam_tui.views.result_list import ResultList
from wijkteam_tui.views.today import TodayScreen
from wijkteam_tui.views.unlock import RecoveryKeyScreen, SetupScreen, UnlockScreen

RECOVERY_KEY = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$")


def _screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows, as plain text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


async def _type(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def test_setup_on_an_empty_location_shows_the_recovery_key_once(tmp_path: Path):
    path = tmp_path / "nieuw" / "register.db"
    app = make_app(path)
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, SetupScreen)
        await _type(pilot, "Wijkteam Noord")
        await pilot.press("enter")
        await _type(pilot, "anna")
        await pilot.press("enter")
        await _type(pilot, "paard batterij nietje")
        await pilot.press("enter")
        await _type(pilot, "paard batterij nietjx")
        await pilot.press("enter")
        assert "niet gelijk" in str(app.screen.query_one("#setup-message", Static).render())
        repeat = app.screen.query_one("#repeat", Input)
        repeat.value = "paard batterij nietje"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecoveryKeyScreen)
        key = app.screen.recovery_key
        assert RECOVERY_KEY.match(key)
        assert app.screen.query_one("#continue").disabled, "first tick 'opgeschreven'"
        await pilot.press("space")  # tick "opgeschreven"
        await pilot.press("enter")  # Verder
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert "Wijkteam Noord" in _screen_text(app)
    assert crypto.unlock_with_recovery_key(path, key).db_key


async def test_unlock_with_empty_wrong_and_right_passphrase(tmp_path: Path):
    path = tmp_path / "register.db"
    register, _ = create_register(path, "anna", "het goede wachtwoord")
    register.close()
    app = make_app(path, user_hint="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, UnlockScreen)
        message = app.screen.query_one("#unlock-message", Static)
        await pilot.press("enter")
        assert "Vul uw wachtwoord in" in str(message.render())
        await _type(pilot, "fout")
        await pilot.press("enter")
        await settle(pilot)
        assert "Wachtwoord onjuist" in str(message.render())
        assert app.register is None
        assert app.screen.query_one("#passphrase", Input).value == ""
        await _type(pilot, "het goede wachtwoord")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.register is not None and app.register.user.name == "anna"


def test_repeated_failures_make_the_next_try_wait_longer():
    assert [failure_delay(n) for n in range(1, 8)] == [0, 0, 2, 4, 8, 16, 32]
    assert failure_delay(30) == 60


async def test_ctrl_l_and_idle_lock_hide_everything_and_close_the_register(demo_path: Path):
    register = open_register(demo_path, "demo", "demo")
    first_name = today_list(register, register.user.id, TODAY).overdue[0].client_name
    app = make_app(demo_path, register=register, idle_check_seconds=0.05)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert first_name in _screen_text(app)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.screen.locked
        assert app.register is None
        assert first_name not in _screen_text(app)
        assert len(app.screen_stack) == 2, "nothing of the data stays underneath"
        await _type(pilot, "demo")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)

        app.idle_limit_seconds = 0.2
        await until(pilot, lambda: isinstance(app.screen, UnlockScreen), "the idle lock")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert app.register is None
        assert first_name not in _screen_text(app)


async def test_vandaag_shows_the_medewerkers_day(demo_register):
    expected = today_list(demo_register, demo_register.user.id, TODAY)
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        counts = {
            "overdue": len(expected.overdue),
            "soon": len(expected.due_soon),
            "alerts": len(expected.alerts),
            "out-of-view": len(expected.out_of_view),
        }
        for list_id, count in counts.items():
            assert screen.query_one(f"#{list_id}", OptionList).option_count == count, list_id
        first = str(screen.query_one("#overdue", OptionList).get_option_at_index(0).prompt)
        most_overdue = max(expected.overdue, key=lambda item: item.days_overdue)
        assert first.split(maxsplit=1)[0] == str(most_overdue.days_overdue)
        assert most_overdue.client_name[:22] in first
        assert "DEMO — fictieve gegevens" in _screen_text(app)
        assert "Buiten kantoortijd" in _screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert app.screen.client_id == most_overdue.client_id


async def test_logging_gebeld_ging_goed_takes_four_keystrokes(demo_register):
    expected = today_list(demo_register, demo_register.user.id, TODAY)
    item = expected.overdue[0]
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        overdue = app.screen.query_one("#overdue", OptionList)
        before = overdue.option_count
        await pilot.press("c", "t", "g", "enter")  # contact, telefoon, goed, opslaan
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert overdue.option_count == before - 1
        keys = [overdue.get_option_at_index(i).id for i in range(overdue.option_count)]
        assert not any(key.endswith(f":{item.agreement_id}") for key in keys)
    with demo_register.read() as session:
        agreement = session.get(ContactAgreement, item.agreement_id)
        assert agreement.last_contact_on == TODAY
        assert agreement.next_due > TODAY


async def test_the_contact_dialog_refuses_a_wrong_date_and_saves_nothing(demo_register):
    item = today_list(demo_register, demo_register.user.id, TODAY).overdue[0]
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, LogContactScreen)
        await pilot.press("d")
        app.screen.query_one("#when", Input).value = "31-2-2026"
        await pilot.press("enter")
        assert "bestaat niet als datum" in str(
            app.screen.query_one("#contact-message", Static).render()
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    with demo_register.read() as session:
        assert session.get(ContactAgreement, item.agreement_id).last_contact_on != TODAY


async def test_a_wrong_date_is_selected_so_the_next_one_replaces_it(demo_register):
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, LogContactScreen)
        await pilot.press("d", *"1-1-2090", "enter")
        await settle(pilot)
        message = app.screen.query_one("#contact-message", Static)
        assert "toekomst" in str(message.render()) or "geen datum" in str(message.render())
        await pilot.press(*"gisteren")
        assert app.screen.query_one("#when", Input).value == "gisteren"


async def test_escape_with_a_typed_opmerking_asks_before_it_is_thrown_away(demo_register):
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, LogContactScreen)
        await pilot.press("o", *"Buurvrouw was er ook")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#note", Input).value == "Buurvrouw was er ook"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        # Without an opmerking Esc closes at once.
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_search_narrows_and_clearing_brings_everyone_back(demo_register):
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
        results = app.screen.query_one("#results", ResultList)
        everyone = results.row_count
        assert everyone == 40
        assert results.border_title == "40 cliënten"
        first_name = results.text_at(0).split(maxsplit=2)[1]
        await _type(pilot, first_name.lower())
        await settle(pilot)
        narrowed = results.row_count
        assert 1 <= narrowed < everyone
        expected = [hit.id for hit in search_clients(demo_register, first_name)]
        assert results.keys == expected
        assert first_name in results.text_at(0)
        search = app.screen.query_one("#search", Input)
        search.value = ""
        await settle(pilot)
        assert results.row_count == everyone
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert app.screen.client_id == results.keys[2]


async def test_the_result_list_scrolls_with_the_cursor_and_opens_a_clicked_row(demo_register):
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        results = app.screen.query_one("#results", ResultList)
        visible = results.size.height
        assert results.row_count > visible
        await pilot.press("down", "end")
        assert results.cursor == results.row_count - 1
        assert results.top == results.row_count - visible
        assert results.border_subtitle == f"{results.row_count}/{results.row_count}"
        await pilot.press("home")
        assert (results.cursor, results.top) == (0, 0)
        await pilot.click(results, offset=(5, 3), times=2)
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert app.screen.client_id == results.keys[2]


async def test_every_tab_of_the_client_file(demo_register):
    client_id = today_list(demo_register, demo_register.user.id, TODAY).overdue[0].client_id
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client_id))
        await settle(pilot)
        screen = app.screen
        tabs = screen.query_one(TabbedContent)
        overview = static_text(screen.query_one("#overview-text", Static))
        assert "In eigen woorden" in overview and "Netwerk" in overview
        for key, tab_id, list_id in (
            ("2", "netwerk", "network"),
            ("3", "afspraken", "agreements"),
            ("4", "plan", "signals"),
            ("5", "tijdlijn", "timeline"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == tab_id
            shown = screen.query_one(f"#{list_id}")
            assert screen.focused is shown, "the tab's list takes the focus"
            rows = shown.option_count if isinstance(shown, OptionList) else shown.row_count
            assert rows > 0, tab_id
        await pilot.press("1")
        assert tabs.active == "overzicht"
        await pilot.press("3")
        agreements = screen.query_one("#agreements", DataTable)
        chosen = screen.file.agreements[agreements.cursor_row]
        await pilot.press("c", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        after = next(a for a in screen.file.agreements if a.id == chosen.id)
        assert after.last_contact_on == TODAY, "the contact was logged on the chosen agreement"
        assert after.next_due > TODAY


async def test_at_80_columns_afspraken_and_netwerk_keep_how_often_consent_and_last(
    demo_register,
):
    client_id = today_list(demo_register, demo_register.user.id, TODAY).overdue[0].client_id
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client_id))
        await settle(pilot)
        screen = app.screen
        await pilot.press("3")
        await settle(pilot)

        def headers(table_id: str) -> list[str]:
            table = screen.query_one(f"#{table_id}", DataTable)
            return [str(column.label) for column in table.ordered_columns]

        agreements = screen.query_one("#agreements", DataTable)
        assert headers("agreements") == ["Wie", "Stand", "Volgende", "Hoe vaak", "Laatste"]
        assert sum(c.width + 2 for c in agreements.ordered_columns) <= 78, "nothing cut"
        first = screen.file.agreements[0]
        assert first.how_often in _screen_text(app)
        await pilot.press("down")
        chosen = agreements.cursor_row
        await pilot.resize_terminal(120, 35)
        await settle(pilot)
        assert headers("agreements") == ["Wie", "Stand", "Volgende", "Hoe", "Hoe vaak", "Laatste"]
        assert agreements.cursor_row == chosen, "the chosen row stays chosen"
        await pilot.press("2")
        await settle(pilot)
        assert "Soort" in headers("network")
        wide = screen.query_one("#network", DataTable)
        assert sum(c.width + 2 for c in wide.ordered_columns) <= 118, "whole at 120 columns"
        assert "Laatste contact" in _screen_text(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        network = screen.query_one("#network", DataTable)
        assert headers("network") == [
            "Naam", "Relatie", "Steun", "Telefoon", "Toestemming", "Laatste"
        ]  # fmt: skip
        assert sum(c.width + 2 for c in network.ordered_columns) <= 78
        assert "Toestemming" in _screen_text(app)
        assert "Steun: P praktisch, G gezelschap, A advies, E emotioneel" in _screen_text(app)


async def test_help_lists_every_binding_of_the_screen(demo_register):
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = static_text(app.screen.query_one("#help-text", Static))
        for description in ("Open cliënt", "Contact", "Cliënten", "Vernieuw", "Vergrendel"):
            assert description in text
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)


# Markup that would run an action, an escape sequence and right-to-left Arabic.
HOSTILE_NAME = "[@click=app.quit]Klik[/] [bold red]Piet[/] \x1b[31mrood \u200fمحمد العلي"


async def test_markup_escape_codes_and_rtl_text_are_shown_literally(tmp_path: Path):
    path = tmp_path / "register.db"
    register, _ = create_register(path, "anna", "een goed wachtwoord")
    client = create_client(
        register,
        ClientInput(
            name=HOSTILE_NAME,
            opened_on=TODAY - timedelta(days=60),
            casemanager_id=register.user.id,
            own_words="[link=https://voorbeeld.invalid]klik hier[/link]",
        ),
        TODAY,
    )
    member = add_member(
        register,
        client.id,
        MemberInput(name="[reverse]Buur[/]", kind=MemberKind.INFORMAL, relation="buur"),
        TODAY,
    )
    add_agreement(
        register,
        client.id,
        AgreementInput(
            Channel.PHONE, TODAY - timedelta(days=60), member_id=member.id, interval_days=14
        ),
        TODAY,
    )
    app = make_app(path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        line = app.screen.query_one("#overdue", OptionList).get_option_at_index(0).prompt
        assert isinstance(line, Text)
        shown = HOSTILE_NAME.replace("\x1b", "␛")[:19]
        assert shown in line.plain
        name_at = line.plain.index(shown)
        assert not [
            span for span in line.spans if span.start >= name_at and span.end <= name_at + 20
        ], "no style from the name itself"
        screen_text = _screen_text(app)
        assert "[@click=app.quit]Kl" in screen_text
        assert "[reverse]Buur" in screen_text
        assert "\x1b" not in screen_text
        await pilot.click("#overdue", offset=(12, 0))
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, ClientFileScreen)
        overview = static_text(app.screen.query_one("#overview-text", Static))
        assert "[link=https://voorbeeld.invalid]klik hier[/link]" in overview
        file_text = _screen_text(app)
        assert "[bold red]Piet[/] ␛[31mrood" in file_text
        assert "محمد العلي" in file_text
    register.close()


async def test_the_command_palette_offers_the_screens_actions(demo_register):
    app = make_app(demo_register.path, register=demo_register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Contact", "Cliënten", "Vergrendel", "Help", "Afsluiten"):
            assert title in titles
        # Textual's own list and copy bindings are English: they stay out of the palette.
        english = {"Copy selected text", "Focus Previous", "Down", "First", "Select"}
        for keys in ("", "t", "/"):
            if keys:
                await pilot.press(keys)
                await settle(pilot)
            titles = [command.title for command in app.get_system_commands(app.screen)]
            assert titles and not english & set(titles), (keys, titles)


def test_outcome_keys_cover_every_outcome():
    from wijkteam_tui.views.contact import CHANNEL_KEYS, OUTCOME_KEYS

    assert set(OUTCOME_KEYS.values()) == set(Outcome)
    assert set(CHANNEL_KEYS.values()) == set(Channel)
