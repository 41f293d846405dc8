"""The recording forms, driven as a person would: typed keys, Ctrl+S, Escape, a colleague's
change in between. Checked in the store afterwards."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from textual.widgets import Input, OptionList, Select, Static, TextArea

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle, until
from wijkteam_tui.domain.terms import Channel, MemberKind, Regime, SignalPhase
from wijkteam_tui.store.models import (
    Client,
    ContactAgreement,
    NetworkMember,
    Observation,
    Signal,
)
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.edit import client_for_edit
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput, SignalInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.agreements import add_agreement, end_agreement
from wijkteam_tui.store.write.clients import create_client, update_client
from wijkteam_tui.store.write.network import add_member
from wijkteam_tui.store.write.plan import add_signal
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.clients import ClientsScreen
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.forms.agreement import AgreementForm
from wijkteam_tui.views.forms.client import ClientForm
from wijkteam_tui.views.forms.member import MemberForm
from wijkteam_tui.views.forms.observation import ObservationForm
from wijkteam_tui.views.forms.signal import SignalForm
from wijkteam_tui.views.forms.snooze import EndAgreementForm, SnoozeForm
from wijkteam_tui.views.unlock import UnlockScreen


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    made, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    yield made
    made.close()


def _clients(register: Register) -> int:
    with register.read() as session:
        return session.scalar(select(func.count()).select_from(Client)) or 0


def _message(app, name: str) -> str:  # type: ignore[no-untyped-def]
    return app.screen.message(name)


def _screen_text(app) -> str:  # type: ignore[no-untyped-def]
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


async def _open_new_client_form(pilot) -> ClientForm:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.push_screen(ClientsScreen())
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ClientForm)
    return pilot.app.screen


async def test_a_new_client_typed_in_and_saved_is_in_the_store_and_its_file_opens(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_new_client_form(pilot)
        await pilot.press(*"Sevgi Yılmaz", "enter")  # Enter goes on to the next field
        await pilot.press(*"3-4-1951", "enter")
        await pilot.press(*"Lindelaan", "enter", *"4a", "enter", *"1234ab", "enter")
        await pilot.press(*"Middelwijk", "enter", *"06 1234 5678")
        app.screen.query_one("#own_words", TextArea).text = "Zelf blijven koken."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert "Sevgi Yılmaz" in _screen_text(app)
        details, version = client_for_edit(register, app.screen.client_id)
    assert details == ClientInput(
        name="Sevgi Yılmaz",
        opened_on=TODAY,
        casemanager_id=register.user.id,
        birth_date=TODAY.replace(year=1951, month=4, day=3),
        street="Lindelaan",
        house_number="4a",
        postcode="1234 AB",
        city="Middelwijk",
        phone="06 1234 5678",
        regime=Regime.WMO,
        own_words="Zelf blijven koken.",
    )
    assert version == 1


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "", "Naam is verplicht."),
        ("birth_date", "31-02-1950", "bestaat niet"),
        ("birth_date", "morgen", "in de toekomst"),
        ("postcode", "12AB", "vier cijfers en twee letters"),
        ("phone", "06-123", "10 tot 15 cijfers"),
        ("phone", "bel me", "cijfers"),
        ("street", "x" * 121, "Hoogstens 120 tekens"),
    ],
)
async def test_each_wrong_field_gets_its_message_and_nothing_is_written(
    register, field: str, typed: str, message: str
):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        form = await _open_new_client_form(pilot)
        form.query_one("#name", Input).value = "Kees Bakker"
        form.query_one(f"#{field}", Input).value = typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "the form stays open"
        assert message in _message(app, field)
        assert form.query_one(f"#{field}", Input).has_focus
        assert form.query_one(f"#{field}", Input).value == typed, "what was typed stays"
    assert _clients(register) == 0


async def test_escape_on_a_changed_form_asks_before_throwing_it_away(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        form = await _open_new_client_form(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen), "an untouched form just closes"
        form = await _open_new_client_form(pilot)
        await pilot.press(*"Kees")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#name", Input).value == "Kees"
        await pilot.press("escape", "j")
        await settle(pilot)
        assert isinstance(app.screen, ClientsScreen)
    assert _clients(register) == 0


async def test_a_colleagues_change_in_between_is_refused_and_the_typed_values_stay(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client.id))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ClientForm)
        form.query_one("#phone", Input).value = "06-11112222"

        colleague = open_register(register.path, "anna", PASSPHRASE)
        details, version = client_for_edit(colleague, client.id)
        update_client(
            colleague,
            client.id,
            version,
            ClientInput(details.name, details.opened_on, phone="020-1234567"),
            TODAY,
        )
        colleague.close()

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        shown = str(form.query_one("#form-message", Static).render())
        assert "Iemand anders heeft dit intussen gewijzigd" in shown
        assert "Wat u typte staat er nog" in shown
        assert form.query_one("#phone", Input).value == "06-11112222"
    details, _ = client_for_edit(register, client.id)
    assert details.phone == "020-1234567", "the colleague's change is not overwritten"


async def test_a_saved_edit_shows_in_the_reloaded_client_file(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client.id))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#phone", Input).value = "06-99998888"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert "06-99998888" in _screen_text(app)


async def test_the_idle_lock_keeps_a_half_filled_form(register):
    app = make_app(register.path, register=register, user_hint="anna")
    async with app.run_test(size=(120, 35)) as pilot:
        await _open_new_client_form(pilot)
        await pilot.press(*"Half ingevuld")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*PASSPHRASE, "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientForm)
        assert app.screen.query_one("#name", Input).value == "Half ingevuld"


FREE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"),
    max_size=2000,
).map(lambda text: text.strip())
TRICKY = ["[bold]vet[/bold] en [link=x]y[/link]", "\x1b[31mrood", "عبد الله", "Zoë 👩‍👩‍👧 ❤️"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(own_words=FREE_TEXT, strengths=st.sampled_from(TRICKY), name=st.sampled_from(TRICKY))
def test_any_free_text_survives_save_and_reload_unchanged(register, own_words, strengths, name):
    name = name.replace("\x1b", "").strip() or "x"
    saved = create_client(
        register,
        ClientInput(name, TODAY - timedelta(days=1), own_words=own_words, strengths=strengths),
        TODAY,
    )
    details, _ = client_for_edit(register, saved.id)
    assert (details.name, details.own_words, details.strengths) == (name, own_words, strengths)


async def test_markup_and_escapes_in_a_form_are_saved_and_shown_literally(register):
    text = "[bold]niet vet[/bold] \x1b[31m عبد الله 👩‍👩‍👧"
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        form = await _open_new_client_form(pilot)
        form.query_one("#name", Input).value = "Zoë [red]Jansen[/red]"
        form.query_one("#own_words", TextArea).text = text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        shown = _screen_text(app)
        assert "Zoë [red]Jansen[/red]" in shown
        assert "[bold]niet vet[/bold]" in shown
        details, _ = client_for_edit(register, app.screen.client_id)
    assert details.own_words == text.strip()


# --- the network member form --------------------------------------------------------------------


async def _client_file(pilot, client_id: int) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.push_screen(ClientFileScreen(client_id))
    await settle(pilot)


async def test_a_new_network_member_is_saved_with_consent_and_its_review_date(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MemberForm)
        await pilot.press(*"Fenna Bakker", "enter", *"dochter")
        form.query_one("#supports", Input).value = "pg"
        form.query_one("#phone", Input).value = "06-12345678"
        form.query_one("#consent_to_share", Select).value = True
        form.query_one("#ring", Select).value = 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await pilot.press("2")
        await settle(pilot)
        assert "Fenna Bakker" in _screen_text(app)
    with register.read() as session:
        member = session.scalars(select(NetworkMember)).one()
        assert (member.name, member.relation, member.kind) == (
            "Fenna Bakker",
            "dochter",
            MemberKind.INFORMAL,
        )
        assert (member.supports, member.ring, member.phone) == ("PG", 1, "06-12345678")
        assert member.consent_recorded_on == TODAY
        assert member.consent_review_on == TODAY + timedelta(days=365)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("supports", "XYZ", "P (praktisch)"),
        ("email", "fenna@", "geen e-mailadres"),
        ("phone", "12", "10 tot 15 cijfers"),
        ("consent_on", "morgen", "in de toekomst"),
    ],
)
async def test_each_wrong_member_field_gets_its_message(register, field, typed, message):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        form.query_one("#name", Input).value = "Fenna Bakker"
        form.query_one(f"#{field}", Input).value = typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert message in _message(app, field)
    with register.read() as session:
        assert session.scalars(select(NetworkMember)).all() == []


async def test_e_on_the_netwerk_tab_changes_the_chosen_member_and_old_consent_is_to_be_renewed(
    register,
):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    for name in ("Anton Bakker", "Fenna Bakker"):
        add_member(
            register,
            client.id,
            MemberInput(
                name,
                MemberKind.INFORMAL,
                consent_to_share=True,
                consent_on=TODAY - timedelta(days=400),
                consent_review_on=TODAY - timedelta(days=35),
            ),
            TODAY,
        )
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("2")
        await settle(pilot)
        assert "vernieuwen" in _screen_text(app)
        await pilot.press("down", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MemberForm)
        assert form.query_one("#name", Input).value == "Fenna Bakker"
        form.query_one("#consent_review_on", Input).value = "+1j"
        form.query_one("#availability", Input).value = "na 17:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    with register.read() as session:
        fenna = session.scalars(
            select(NetworkMember).where(NetworkMember.name == "Fenna Bakker")
        ).one()
        assert fenna.availability == "na 17:00"
        assert fenna.version == 2


async def test_consent_to_be_reminded_needs_an_address_and_m_withdraws_it(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    add_member(register, client.id, MemberInput("Fenna Bakker", MemberKind.INFORMAL), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(80, 24)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("2", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MemberForm)
        form.query_one("#remind_by_mail", Select).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "alleen met een e-mailadres" in _message(app, "email")
        form.query_one("#email", Input).value = "fenna@example.nl"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await until(pilot, lambda: "mail" in _screen_text(app), "the consent in the list")
        with register.read() as session:
            fenna = session.scalars(select(NetworkMember)).one()
            assert (fenna.remind_by_mail, fenna.remind_consent_on) == (True, TODAY)
        await pilot.press("m")
        await settle(pilot)
        await until(pilot, lambda: "Fenna Bakker      —      nee" in _screen_text(app), "withdrawn")
    with register.read() as session:
        fenna = session.scalars(select(NetworkMember)).one()
        assert (fenna.remind_by_mail, fenna.remind_consent_on) == (False, None)
        assert fenna.email == "fenna@example.nl"


# --- the agreement form -------------------------------------------------------------------------


async def test_a_new_agreement_shows_its_next_dates_before_saving_and_saves_them(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    fenna = add_member(register, client.id, MemberInput("Fenna Bakker", MemberKind.INFORMAL), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("3", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AgreementForm)
        form.query_one("#performer", Select).value = ("lid", fenna.id)
        form.query_one("#how_often", Input).focus()
        await pilot.press(*"elke dinsdag")
        await settle(pilot)
        hint = str(form.query_one("#how_often-hint", Static).render())
        assert hint.startswith("Volgende keren: di 24 nov 2026, di 1 dec 2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    with register.read() as session:
        agreement = session.scalars(select(ContactAgreement)).one()
        assert (agreement.member_id, agreement.rrule, agreement.shared) == (
            fenna.id,
            "FREQ=WEEKLY;BYDAY=TU",
            True,
        )
        assert agreement.next_due == date(2026, 11, 24)


async def test_e_on_the_afspraken_tab_changes_the_chosen_agreement_unless_a_colleague_did(
    register,
):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    fenna = add_member(register, client.id, MemberInput("Fenna Bakker", MemberKind.INFORMAL), TODAY)
    made = add_agreement(
        register,
        client.id,
        AgreementInput(
            Channel.PHONE, TODAY, member_id=fenna.id, rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"
        ),
        TODAY,
    )
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("3", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AgreementForm)
        assert form.query_one("#how_often", Input).value == "elke 2 weken op maandag en donderdag"
        assert form.query_one("#performer", Select).value == ("lid", fenna.id)
        form.query_one("#how_often", Input).value = "elke vrijdag"
        # A colleague changes the same agreement in between.
        other = open_register(register.path, "anna", PASSPHRASE)
        try:
            end_agreement(other, made.id, TODAY + timedelta(days=30), TODAY)
        finally:
            other.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Iemand anders heeft dit intussen gewijzigd" in _screen_text(app)
        assert form.query_one("#how_often", Input).value == "elke vrijdag"
        await pilot.press("escape", "j")  # throw away what was typed, and open it anew
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#end_on", Input).value == "22-12-2026"
        form.query_one("#how_often", Input).value = "elke vrijdag"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    with register.read() as session:
        agreement = session.get(ContactAgreement, made.id)
        assert (agreement.rrule, agreement.end_on, agreement.next_due) == (
            "FREQ=WEEKLY;BYDAY=FR",
            date(2026, 12, 22),
            date(2026, 11, 27),
        )


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("how_often", "soms", "begrijp ik niet"),
        ("end_on", "1-1-2020", "voor de begindatum"),
    ],
)
async def test_a_wrong_agreement_field_gets_its_message(register, field, typed, message):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("3", "n")
        await settle(pilot)
        form = app.screen
        form.query_one("#how_often", Input).value = "elke 14 dagen"
        form.query_one(f"#{field}", Input).value = typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert message in _message(app, field)
    with register.read() as session:
        assert session.scalars(select(ContactAgreement)).all() == []


# --- the signaleringsplan ------------------------------------------------------------------------


def _plan(register, client_id: int) -> list[tuple[SignalPhase, str]]:
    with register.read() as session:
        rows = session.scalars(
            select(Signal)
            .where(Signal.client_id == client_id)
            .order_by(Signal.phase, Signal.position)
        )
        return [(row.phase, row.signs) for row in rows]


async def test_a_plan_row_is_added_changed_and_moved_within_its_phase(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    ids = [
        add_signal(register, client.id, SignalInput(SignalPhase.ORANGE, signs)).id
        for signs in ("Slaapt slecht", "Eet niet")
    ]
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("4", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SignalForm)
        form.query_one("#phase", Select).value = SignalPhase.RED
        form.query_one("#signs", TextArea).text = "Laat de deur dicht"
        form.query_one("#whom_to_call", TextArea).text = "Zoon Karim 06-12345678"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert _plan(register, client.id)[-1] == (SignalPhase.RED, "Laat de deur dicht")

        plan = app.screen.query_one("#signals", OptionList)
        plan.focus()
        plan.highlighted = 2  # ORANJE header, "Slaapt slecht", "Eet niet"
        await pilot.press("ctrl+up")
        await settle(pilot)
        assert _plan(register, client.id)[:2] == [
            (SignalPhase.ORANGE, "Eet niet"),
            (SignalPhase.ORANGE, "Slaapt slecht"),
        ]
        assert plan.highlighted_option is not None
        assert plan.highlighted_option.id == str(ids[1]), "the moved row stays chosen"

        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SignalForm)
        assert form.query_one("#signs", TextArea).text == "Eet niet"
        form.query_one("#signs", TextArea).text = "Eet niet meer"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _plan(register, client.id)[0] == (SignalPhase.ORANGE, "Eet niet meer")


async def test_a_plan_row_without_signals_is_refused_at_the_field(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("4", "n")
        await settle(pilot)
        form = app.screen
        form.query_one("#own_actions", TextArea).text = "Ik bel mijn zoon"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "is verplicht" in _message(app, "signs")
    assert _plan(register, client.id) == []


# --- putting aside, ending, signalering ----------------------------------------------------------


def _client_with_agreement(register) -> tuple[int, int]:
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    fenna = add_member(register, client.id, MemberInput("Fenna Bakker", MemberKind.INFORMAL), TODAY)
    agreement = add_agreement(
        register,
        client.id,
        AgreementInput(Channel.PHONE, TODAY, member_id=fenna.id, interval_days=7),
        TODAY,
    )
    return client.id, agreement.id


async def test_an_agreement_put_aside_needs_a_reason_and_shows_uitgesteld_tot(register):
    client_id, agreement_id = _client_with_agreement(register)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client_id)
        await pilot.press("3", "u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SnoozeForm)
        form.query_one("#until", Input).value = "+2w"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Reden is verplicht." in _message(app, "reason")
        form.query_one("#reason", Input).value = "Opname in het ziekenhuis"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert "uitgesteld tot 6 dec" in _screen_text(app)
    with register.read() as session:
        agreement = session.get(ContactAgreement, agreement_id)
        assert (agreement.snoozed_until, agreement.snooze_reason) == (
            TODAY + timedelta(days=14),
            "Opname in het ziekenhuis",
        )


async def test_an_agreement_is_ended_from_the_afspraken_tab(register):
    client_id, agreement_id = _client_with_agreement(register)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client_id)
        await pilot.press("3", "x")
        await settle(pilot)
        assert isinstance(app.screen, EndAgreementForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    with register.read() as session:
        agreement = session.get(ContactAgreement, agreement_id)
        assert (agreement.end_on, agreement.active) == (TODAY, False)


async def test_a_red_signalering_is_recorded_and_raises_an_alert(register):
    client_id, _ = _client_with_agreement(register)
    red = add_signal(register, client_id, SignalInput(SignalPhase.RED, "Deur blijft dicht")).id
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client_id)
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ObservationForm)
        assert form.query_one("#phase", Select).value is SignalPhase.ORANGE
        form.query_one("#signal_id", Select).value = red
        await settle(pilot)
        # The red signal brings its phase along.
        assert form.query_one("#phase", Select).value is SignalPhase.RED
        form.query_one("#phase", Select).value = SignalPhase.ORANGE
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Dit signaal staat in het plan bij rood." in _message(app, "signal_id")
        form.query_one("#phase", Select).value = SignalPhase.RED
        form.query_one("#observed_by", Input).value = "buurvrouw Els"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await until(
            pilot,
            lambda: any("rood" in n.message.lower() for n in app._notifications),
            "a notification of the new aandachtspunt",
        )
    with register.read() as session:
        seen = session.scalars(select(Observation)).one()
        assert (seen.phase, seen.signal_id, seen.observed_by) == (
            SignalPhase.RED,
            red,
            "buurvrouw Els",
        )


async def test_names_in_a_choice_field_are_shown_literally(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    add_member(register, client.id, MemberInput("[bold]Fenna[/bold]", MemberKind.INFORMAL), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("3", "n")
        await settle(pilot)
        form = app.screen
        form.query_one("#performer", Select).focus()
        await pilot.press("enter")  # open the list of performers
        await settle(pilot)
        assert "[bold]Fenna[/bold]" in _screen_text(app)


async def test_a_burst_of_keys_into_a_just_opened_form_lands_in_the_right_fields(register):
    """The fields below the first screenful are added just after the form is drawn; keys sent
    in the same burst as the one that opened it wait for them and land where they were meant."""
    from tests.views.conftest import burst, drain

    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientsScreen())
        await settle(pilot)
        burst(
            app,
            "ctrl+n",
            "Kees Bakker", "enter", "3-4-1951", "enter", "Lindelaan", "enter", "4a", "enter",
            "1234ab", "enter", "Middelwijk", "enter", "06 1234 5678",
            "ctrl+s",
        )  # fmt: skip
        await drain(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        details, _ = client_for_edit(register, app.screen.client_id)
    assert (details.name, details.postcode, details.city, details.phone) == (
        "Kees Bakker",
        "1234 AB",
        "Middelwijk",
        "06 1234 5678",
    )
