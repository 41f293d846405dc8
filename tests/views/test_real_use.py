"""The screens in real use, not only on the demo: a register made by hand, keys at machine speed,
failing workers, the lock, and text that does not fit."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from textual import events
from textual.widgets import DataTable, Input, OptionList, Static

from tests.views.conftest import TODAY, burst, drain, make_app, settle, static_text, until
from tests.views.test_forms import _client_file
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome, SignalPhase
from wijkteam_tui.errors import RegisterError
from wijkteam_tui.store.models import ContactMoment
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    ContactInput,
    MemberInput,
    SignalInput,
)
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.agreements import add_agreement
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.contacts import log_contact
from wijkteam_tui.store.write.network import add_member
from wijkteam_tui.store.write.plan import add_signal
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.clients import ClientsScreen
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.contact import LogContactScreen
from wijkteam_tui.views.detail import DetailScreen
from wijkteam_tui.views.result_list import ResultList
from wijkteam_tui.views.today import TodayScreen
from wijkteam_tui.views.unlock import RecoveryKeyScreen, SetupScreen, UnlockScreen

PASSPHRASE = "lange zin van vier woorden"
LONG_NOTE = (
    "Mevrouw vertelde uitgebreid over haar week: maandag naar de huisarts, dinsdag met de buurvrouw"
    " naar de markt, en donderdag belde haar zoon uit Groningen. Zij slaapt slecht sinds de"
    " verhuizing van de overburen; EINDE VAN DE NOTITIE"
)
WHOM_TO_CALL = "Zoon Karim El Amrani 06-12345678, daarna de huisarts 0900-1111111 (BELNUMMER)"


def _screen_text(app) -> str:  # type: ignore[no-untyped-def]
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


def _newest_contact(register: Register) -> ContactMoment:
    with register.read() as session:
        return session.scalars(
            select(ContactMoment).order_by(ContactMoment.id.desc()).limit(1)
        ).one()


@dataclass
class Street:
    """A register made by hand, not the demo: one medewerker's clients in a quiet street."""

    path: Path
    silent_id: int
    silent_name: str
    agreement_id: int
    recent_id: int


def _client(register: Register, name: str, opened: date, **extra: object) -> int:
    assert register.user is not None
    data = ClientInput(name=name, opened_on=opened, casemanager_id=register.user.id, **extra)  # type: ignore[arg-type]
    return create_client(register, data, opened).id


@pytest.fixture
def street(tmp_path: Path) -> Street:
    path = tmp_path / "wijk" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Oost")
    start = TODAY - timedelta(days=120)
    # Last real contact 43 days ago: uit beeld since yesterday, and nobody ran `demo`.
    silent = _client(register, "Grietje Wolters", start, street="Lindelaan", house_number="4")
    daughter = add_member(
        register,
        silent,
        MemberInput(name="Fenna Wolters", kind=MemberKind.INFORMAL, relation="dochter"),
        start,
    )
    agreement = add_agreement(
        register,
        silent,
        AgreementInput(Channel.PHONE, start, member_id=daughter.id, interval_days=7),
        start,
    )
    spoken = TODAY - timedelta(days=43)
    log_contact(
        register,
        ContactInput(silent, spoken, Channel.PHONE, Outcome.GOOD, agreement.id, note=LONG_NOTE),
        spoken,
    )
    add_signal(
        register,
        silent,
        SignalInput(
            SignalPhase.RED,
            "Eet niet meer, laat de deur dicht, neemt de telefoon niet op",
            own_actions="Ik bel mijn zoon",
            network_actions="Fenna komt langs en belt de huisarts",
            professional_actions="Casemanager komt binnen 24 uur op huisbezoek",
            whom_to_call=WHOM_TO_CALL,
        ),
    )
    # A second client found through her network: the neighbour is called Wolters too.
    recent = _client(register, "Anton Bakker", TODAY - timedelta(days=10), street="Wolterslaan")
    other = _client(register, "Zeynep Arslan", TODAY - timedelta(days=10))
    add_member(
        register,
        other,
        MemberInput(name="Henk Wolters", kind=MemberKind.INFORMAL, relation="buurman"),
        TODAY - timedelta(days=10),
    )
    register.close()
    return Street(path, silent, "Grietje Wolters", agreement.id, recent)


@pytest.fixture
def opened(street: Street) -> Iterator[Register]:
    register = open_register(street.path, "anna", PASSPHRASE)
    yield register
    register.close()


# --- the daily sweep -----------------------------------------------------------------------------


async def test_uit_beeld_shows_on_vandaag_of_a_register_nobody_opened_with_demo(street: Street):
    app = make_app(street.path, user_hint="anna")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, PASSPHRASE, "enter")
        await drain(pilot)
        assert isinstance(app.screen, TodayScreen)
        alerts = app.screen.query_one("#alerts", OptionList)
        reasons = [str(alerts.get_option_at_index(i).prompt) for i in range(alerts.option_count)]
        assert any("Uit beeld: 43 dagen geen contact sinds" in reason for reason in reasons), (
            reasons
        )


async def test_vandaag_shows_at_once_and_the_sweep_follows_behind_it(street: Street, monkeypatch):
    """The first unlock of a day shows Vandaag as stored while the sweep still runs (held
    here until the test lets it go): the top bar says so quietly, and when it is done the
    uit-beeld alert it raised is on Vandaag without a key pressed."""
    import threading

    from wijkteam_tui.store import sweep
    from wijkteam_tui.views.topbar import SWEEPING

    held, entered = threading.Event(), threading.Event()
    real = sweep.evaluate_stale_clients

    def waiting(register, today, batch=500, stop=None):  # type: ignore[no-untyped-def]
        entered.set()
        held.wait(timeout=60)
        return real(register, today, batch, stop)

    monkeypatch.setattr(sweep, "evaluate_stale_clients", waiting)
    app = make_app(street.path, user_hint="anna")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, PASSPHRASE, "enter")
        for _ in range(400):  # not settle(): that waits for the sweep as well
            if isinstance(app.screen, TodayScreen) and app.screen._rows and entered.is_set():
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, TodayScreen) and app.sweeping
        await pilot.pause()
        text = _screen_text(app)
        assert SWEEPING in text and "Grietje Wolters" in text, text
        alerts = app.screen.query_one("#alerts", OptionList)

        def out_of_view() -> list[str]:
            lines = (str(alerts.get_option_at_index(i).prompt) for i in range(alerts.option_count))
            return [line for line in lines if "Uit beeld" in line]

        assert out_of_view() == [], "as stored: nobody evaluated her since"
        held.set()
        await until(pilot, lambda: len(out_of_view()) == 1, "the sweep's uit-beeld alert")
        assert not app.sweeping and SWEEPING not in _screen_text(app)


async def test_passing_midnight_with_the_screen_open_runs_the_sweep_again(street: Street):
    day = [TODAY - timedelta(days=1)]  # 42 days without contact: not yet uit beeld
    register = open_register(street.path, "anna", PASSPHRASE)
    app = make_app(street.path, register=register, clock=lambda: day[0], idle_check_seconds=0.05)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        alerts = app.screen.query_one("#alerts", OptionList)

        def out_of_view() -> list[str]:
            lines = (str(alerts.get_option_at_index(i).prompt) for i in range(alerts.option_count))
            return [line for line in lines if "Uit beeld" in line]

        assert out_of_view() == []
        assert "za 21 nov 2026" in _screen_text(app)
        day[0] = TODAY
        await until(pilot, lambda: len(out_of_view()) == 1, "the new day's uit-beeld alert")
        assert len(out_of_view()) == 1
        assert "zo 22 nov 2026" in _screen_text(app)
    register.close()


# --- keys at machine speed ----------------------------------------------------------------------


async def test_user_enter_passphrase_enter_in_one_burst_unlocks(street: Street):
    app = make_app(street.path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        burst(app, "anna", "enter", PASSPHRASE, "enter")
        await drain(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.register is not None and app.register.user.name == "anna"


@pytest.mark.parametrize(("size", "layout"), [((120, 35), "-wide"), ((80, 24), "-narrow")])
async def test_vandaag_is_drawn_in_its_final_layout_the_first_time(
    street: Street, size: tuple[int, int], layout: str
):
    """The first frame of Vandaag after unlocking: lists laid out for the width and filled,
    not a frame of empty lists under "laden…" that then jumps into place."""
    app = make_app(street.path, user_hint="anna")
    frames: list[tuple[set[str], list[str], int]] = []
    display = app._display

    def record(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if isinstance(screen, TodayScreen) and renderable is not None:
            titles = [str(title.render()) for title in screen.query(".section-title")]
            overdue = screen.query_one("#overdue", OptionList).option_count
            frames.append((set(screen.classes), titles, overdue))
        display(screen, renderable)

    app._display = record  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        burst(app, PASSPHRASE, "enter")
        await drain(pilot)
        await settle(pilot)
    classes, titles, overdue = frames[0]
    assert layout in classes
    assert not any("laden" in title for title in titles), titles
    assert overdue == 1


async def test_keys_typed_after_the_passphrase_wait_for_vandaag_and_are_not_lost(street: Street):
    """Passphrase, Enter, and straight on: a new client with a wrong date, saved. The keys
    after Enter wait while the register opens instead of going into the passphrase field (a
    second Enter there used to start a second unlock with the wrong passphrase)."""
    from wijkteam_tui.views.forms.client import ClientForm

    app = make_app(street.path, user_hint="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(
            app,
            PASSPHRASE, "enter", "/", "ctrl+n", "Joke Smit", "enter", "31-02-1950", "ctrl+s",
        )  # fmt: skip
        await drain(pilot)
        form = app.screen
        assert isinstance(form, ClientForm), "the form is open and keeps what was typed"
        assert form.query_one("#name", Input).value == "Joke Smit"
        assert "bestaat niet" in form.message("birth_date")


async def test_set_up_typed_in_one_burst_keeps_every_field_apart(tmp_path: Path):
    app = make_app(tmp_path / "nieuw" / "register.db")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        burst(app, "Wijkteam Noord", "enter", "anna", "enter", PASSPHRASE, "enter", PASSPHRASE)
        burst(app, "enter")
        await drain(pilot)
        assert isinstance(app.screen, RecoveryKeyScreen)
        assert app.register is not None
        assert app.register.user.name == "anna"
        app.screen.query_one("#written").value = True
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Wijkteam Noord" in _screen_text(app)


async def test_a_date_typed_fast_after_d_is_the_date_saved(street: Street, opened: Register):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        overdue = app.screen.query_one("#overdue", OptionList)
        assert overdue.option_count == 1
        burst(app, "c", "d", "20-11-2026", "enter")
        await drain(pilot)
        assert isinstance(app.screen, TodayScreen)
    newest = _newest_contact(opened)
    assert newest.occurred_on == date(2026, 11, 20)
    assert newest.agreement_id == street.agreement_id


async def test_a_contact_dated_before_the_file_opened_asks_once_then_saves(
    street: Street, opened: Register
):
    """Anton's file opened ten days ago: a contact typed as a year earlier is asked about once
    (a typing error, mostly); Enter again saves it as typed, another date is checked anew."""
    app = make_app(street.path, register=opened)
    before = TODAY - timedelta(days=12)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, street.recent_id)
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LogContactScreen)
        await pilot.press("0", "d", *before.strftime("%d-%m-%Y"), "enter")
        await settle(pilot)
        message = str(dialog.query_one("#contact-message", Static).render())
        assert "ligt voor de opening van het dossier (do 12 nov 2026)" in message
        assert "nog eens Enter" in message
        assert app.screen is dialog, "nothing saved yet"
        await pilot.press(*(TODAY - timedelta(days=11)).strftime("%d-%m-%Y"), "enter")
        await settle(pilot)
        assert app.screen is dialog, "a new date is asked about anew"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not dialog
    newest = _newest_contact(opened)
    assert (newest.client_id, newest.occurred_on) == (street.recent_id, TODAY - timedelta(days=11))


async def test_a_note_pasted_after_o_is_saved(street: Street, opened: Register):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        burst(app, "c", "z", "o")
        app.post_message(events.Paste("klinkt somber, bel morgen terug"))
        burst(app, "enter")
        await drain(pilot)
        assert isinstance(app.screen, TodayScreen)
    newest = _newest_contact(opened)
    assert newest.note == "klinkt somber, bel morgen terug"
    assert newest.outcome is Outcome.CONCERNS


# --- worker failures reach the person -----------------------------------------------------------


async def test_a_read_replaced_before_it_ran_leaves_no_spinner_and_holds_no_keys(
    street: Street, opened: Register
):
    """Two reads of one list asked in the same moment (the sweep ended as a colleague's
    commit came in): the first is cancelled before its task ran, which Textual never reports.
    The screen forgets it, so neither the loading indicator nor the held keys wait for it."""
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        sections = screen.query_one("#sections")
        done: list[int] = []
        workers = [
            screen.run_store(
                lambda n=n: n, done.append, group="proef", busy=sections, hold_keys=True
            )
            for n in (1, 2)
        ]
        await until(pilot, lambda: workers[1].is_finished, "the second read")
        assert done == [2]
        assert not sections.loading and not screen.holding_keys


async def test_a_failing_load_ends_the_spinner_and_says_so(
    street: Street, opened: Register, monkeypatch: pytest.MonkeyPatch
):
    import wijkteam_tui.views.client_file.screen as client_file_view

    def broken(*args: object) -> None:
        raise RuntimeError("schijf weg")

    monkeypatch.setattr(client_file_view, "client_file", broken)
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(street.silent_id))
        await settle(pilot)
        assert not app.screen.query_one("#tabs").loading
        await until(
            pilot,
            lambda: any("Er ging iets mis (RuntimeError)" in n.message for n in app._notifications),
            "the notification of the failure",
        )


async def test_a_failing_save_ends_opslaan_and_keeps_the_dialog(
    street: Street, opened: Register, monkeypatch: pytest.MonkeyPatch
):
    import wijkteam_tui.views.contact as contact_view

    def busy(*args: object) -> None:
        raise RegisterError(
            "Het register is bezet door een andere gebruiker; er is niets opgeslagen."
        )

    monkeypatch.setattr(contact_view, "log_contact", busy)
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("c", "o")
        await pilot.press(*"belde terug")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LogContactScreen)
        message = str(app.screen.query_one("#contact-message", Static).render())
        assert "bezet" in message and "Opslaan" not in message
        assert app.screen.query_one("#note", Input).value == "belde terug"


# --- contact from every list --------------------------------------------------------------------


async def test_contact_from_aandachtspunten_names_the_client_and_offers_her_agreements(
    street: Street, opened: Register
):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.screen.query_one("#alerts", OptionList).focus()
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LogContactScreen)
        text = _screen_text(app)
        assert "Contact met Grietje Wolters" in text
        assert "Uit beeld" not in text.split("Contact met")[1].splitlines()[0]
        assert "Fenna Wolters (dochter)" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    newest = _newest_contact(opened)
    assert newest.agreement_id == street.agreement_id


async def test_c_on_the_afspraken_tab_logs_on_the_chosen_agreement_by_its_channel(
    street: Street, opened: Register
):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(street.silent_id))
        await settle(pilot)
        await pilot.press("3", "c")
        await settle(pilot)
        assert isinstance(app.screen, LogContactScreen)
        await pilot.press("g", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    newest = _newest_contact(opened)
    assert (newest.agreement_id, newest.channel) == (street.agreement_id, Channel.PHONE)


async def test_contact_from_uit_beeld_can_be_logged_outside_any_agreement(
    street: Street, opened: Register
):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.screen.query_one("#out-of-view", OptionList).focus()
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("0", "b", "enter")
        await settle(pilot)
    newest = _newest_contact(opened)
    assert newest.agreement_id is None
    assert newest.channel is Channel.VISIT
    assert newest.client_id == street.silent_id


# --- search -------------------------------------------------------------------------------------


async def test_search_lists_direct_matches_first_and_says_who_led_to_the_others(
    street: Street, opened: Register
):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientsScreen())
        await settle(pilot)
        await pilot.press(*"wolters")
        await settle(pilot)
        results = app.screen.query_one("#results", ResultList)
        lines = [results.text_at(i) for i in range(results.row_count)]
        direct = " ".join(lines[:2])
        assert "Anton Bakker" in direct and "Wolterslaan" in direct
        assert "Grietje Wolters" in direct and "Lindelaan" in direct
        assert "via netwerk" not in direct
        last = lines[-1]
        assert "Zeynep Arslan" in last and "via netwerk: Henk Wolters" in last
        assert results.border_title == "3 cliënten"
        await pilot.press(*" arslan")
        await settle(pilot)
        assert results.border_title == "1 cliënt"


# --- leaving and locking ------------------------------------------------------------------------


async def test_quitting_before_the_recovery_key_is_confirmed_asks_first(tmp_path: Path):
    app = make_app(tmp_path / "nieuw" / "register.db")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        burst(app, "Team", "enter", "anna", "enter", PASSPHRASE, "enter", PASSPHRASE, "enter")
        await drain(pilot)
        assert isinstance(app.screen, RecoveryKeyScreen)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "nooit meer getoond" in app.screen.question
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RecoveryKeyScreen) and app.is_running
        await pilot.press("ctrl+q", "j")
        await settle(pilot)
        assert not app.is_running


async def test_escape_on_the_lock_screen_does_not_quit(street: Street, opened: Register):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, UnlockScreen)


async def test_the_wait_after_wrong_passphrases_survives_a_restart_and_counts_down(
    street: Street,
):
    async def wrong(times: int) -> str:
        app = make_app(street.path, user_hint="anna")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            for _ in range(times):
                burst(app, "fout", "enter")
                await drain(pilot)
            return str(app.screen.query_one("#unlock-message", Static).render())

    assert "Wachtwoord onjuist" in await wrong(3)
    # A new start of the program: the fourth wrong try in a row has to wait.
    message = await wrong(1)
    assert re.search(r"Wacht nog \d+ second", message), message
    assert "seconden" in message or "1 seconde." in message


async def test_a_passphrase_typed_during_the_wait_is_not_joined_to_the_next_try(
    street: Street, monkeypatch: pytest.MonkeyPatch
):
    # The fourth wrong try waits 4 seconds; a busy machine can take longer than that to
    # type the next passphrase, which would then be tried. Here the wait outlasts the test.
    from wijkteam_tui.store.keys import attempts

    usual = attempts.failure_delay
    monkeypatch.setattr(attempts, "failure_delay", lambda n: usual(n) if n < 4 else 600.0)
    app = make_app(street.path, user_hint="anna")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(4):
            burst(app, "fout", "enter")
            await drain(pilot)
        screen = app.screen
        assert isinstance(screen, UnlockScreen)
        assert screen.wait_until > time.monotonic(), "the fourth wrong try has to wait"
        burst(app, PASSPHRASE, "enter")  # during the wait: not tried
        await drain(pilot)
        passphrase = screen.query_one("#passphrase", Input)
        assert passphrase.value == ""
        message = str(screen.query_one("#unlock-message", Static).render())
        assert "Nog niet geprobeerd" in message and "Wacht nog" in message
        assert app.register is None
        burst(app, PASSPHRASE)
        await drain(pilot)
        assert passphrase.value == PASSPHRASE, "the next try is this passphrase alone"


async def test_the_idle_lock_brings_a_dialog_with_typed_text_back_after_unlocking(
    street: Street, opened: Register
):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("c", "z", "o")
        await pilot.press(*"half getypt")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "half getypt" not in _screen_text(app)
        burst(app, PASSPHRASE, "enter")
        await drain(pilot)
        dialog = app.screen
        assert isinstance(dialog, LogContactScreen)
        assert dialog.query_one("#note", Input).value == "half getypt"
        assert dialog.outcome is Outcome.CONCERNS


# --- what the client file shows -----------------------------------------------------------------


async def test_a_long_note_ends_in_an_ellipsis_and_enter_shows_all_of_it(
    street: Street, opened: Register
):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(street.silent_id))
        await settle(pilot)
        await pilot.press("5")
        timeline = app.screen.query_one("#timeline", DataTable)
        assert app.screen.focused is timeline
        texts = [str(timeline.get_row_at(i)[2]) for i in range(timeline.row_count)]
        cut = next(text for text in texts if text.startswith("telefoon: goed — Mevrouw"))
        assert cut.endswith("…") and "EINDE" not in cut
        row = texts.index(cut)
        await pilot.press(*["down"] * row, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert "EINDE VAN DE NOTITIE" in _screen_text(app)


async def test_whom_to_call_is_readable_in_80_by_24(street: Street, opened: Register):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(street.silent_id))
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        text = _screen_text(app)
        assert "Wie bellen" in text
        assert "BELNUMMER" in text
        assert "zo 22 nov 2026" in text, "the date in the top bar is not cut off"


async def test_an_overdue_next_contact_says_how_late_it_is(street: Street, opened: Register):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(street.silent_id))
        await settle(pilot)
        overview = static_text(app.screen.query_one("#overview-text", Static))
        assert "dagen te laat" in overview


async def test_after_a_tab_key_the_arrow_keys_move_in_its_list(street: Street, opened: Register):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(street.silent_id))
        await settle(pilot)
        await pilot.press("5")
        timeline = app.screen.query_one("#timeline", DataTable)
        assert timeline.cursor_row == 0
        await pilot.press("down")
        assert timeline.cursor_row == 1


# --- Dutch --------------------------------------------------------------------------------------


async def test_the_command_palette_speaks_dutch(street: Street, opened: Register):
    app = make_app(street.path, register=opened)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert "Zoek een opdracht" in _screen_text(app)
        await pilot.press(*"qqqxx")
        await until(pilot, lambda: "Geen opdracht" in _screen_text(app), "'nothing found'")
        text = _screen_text(app)
        assert "Geen opdracht gevonden" in text and "No matches" not in text
