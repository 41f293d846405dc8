"""Phase changes from the client file: a medewerker's request for 'duurzaam in beeld' that a
teamleider refuses and later approves (two sessions on one register), closing with the retention
date shown before saving, reopening, and an alert resolved with a note."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, Static, TextArea

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle, until, watcher_caught_up
from tests.views.test_forms import _client_file, _message, _screen_text
from wijkteam_tui.domain.terms import Channel, MemberKind, Phase, Regime, Role, SignalPhase
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.client_file import client_file, client_timeline
from wijkteam_tui.store.read.today import pending_sign_offs
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput, ObservationInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.agreements import add_agreement
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.network import add_member
from wijkteam_tui.store.write.phases import decide_sign_off
from wijkteam_tui.store.write.plan import record_observation
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.clients import ClientsScreen
from wijkteam_tui.views.forms.alert import AlertForm
from wijkteam_tui.views.forms.phase import PhaseForm, SignOffForm
from wijkteam_tui.views.ticks import TickList
from wijkteam_tui.views.today import TodayScreen


@pytest.fixture
def anna(tmp_path: Path) -> Iterator[Register]:
    made, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    yield made
    made.close()


@pytest.fixture
def bram(anna: Register) -> Iterator[Register]:
    crypto.add_user_slot(
        anna.path,
        crypto.unlock(anna.path, "anna", PASSPHRASE),
        "bram",
        Role.MEDEWERKER,
        "bram zijn wachtwoord",
    )
    opened = open_register(anna.path, "bram", "bram zijn wachtwoord")
    yield opened
    opened.close()


def _kees(register: Register, *, with_agreement: bool = True) -> int:
    client = create_client(register, ClientInput("Kees Bakker", TODAY - timedelta(days=30)), TODAY)
    fenna = add_member(
        register,
        client.id,
        MemberInput("Fenna Bakker", MemberKind.INFORMAL, relation="dochter"),
        TODAY,
    )
    if with_agreement:
        add_agreement(
            register,
            client.id,
            AgreementInput(Channel.PHONE, TODAY, member_id=fenna.id, interval_days=7),
            TODAY,
        )
    return client.id


async def _phase_form(pilot, client_id: int) -> PhaseForm:  # type: ignore[no-untyped-def]
    await _client_file(pilot, client_id)
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PhaseForm)
    return pilot.app.screen


def _hint(form, name: str) -> str:  # type: ignore[no-untyped-def]
    return str(form.query_one(f"#{name}-hint", Static).render())


async def _request(register: Register, client_id: int, reason: str) -> None:
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        form = await _phase_form(pilot, client_id)
        form.query_one("#target", Select).value = Phase.IN_VIEW
        await settle(pilot)
        assert "Dit wordt een aanvraag" in _hint(form, "target")
        form.query_one("#reason", TextArea).text = reason
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert "aanvraag duurzaam in beeld wacht" in _screen_text(app)


async def _decide(register: Register, approve: bool, reason: str) -> None:
    """The teamleider finds the request on Vandaag, opens the client and decides."""
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        requests = app.screen.query_one("#sign-offs", OptionList)
        assert requests.display and requests.option_count == 1
        assert "Aanvragen duurzaam in beeld (1)" in _screen_text(app)
        requests.focus()
        requests.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await pilot.press("k")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SignOffForm)
        form.query_one("#approve", Select).value = approve
        if not approve:
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "Zeg waarom" in _message(app, "reason")
        form.query_one("#reason", TextArea).text = reason
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)


async def test_request_refuse_request_approve_with_two_users(anna, bram):
    client_id = _kees(anna)
    await _request(bram, client_id, "Dochter belt elke week")
    await _decide(anna, False, "Eerst een tweede informeel lid")
    assert client_file(anna, client_id, TODAY).phase is Phase.INTENSIVE
    assert pending_sign_offs(anna) == []
    await _request(bram, client_id, "Buurman doet nu ook mee")
    await _decide(anna, True, "Goed onderbouwd")
    assert client_file(bram, client_id, TODAY).phase is Phase.IN_VIEW
    # Newest first, in the order it happened within the day: the decision above its
    # request, the phase change above the approval that brought it.
    today = [
        e.text.split(":")[0]
        for e in client_timeline(anna, client_id)
        if e.on == TODAY and e.kind in ("aanvraag", "fase")
    ]
    assert today == [
        "Fase intensief → duurzaam in beeld",
        "Aanvraag goedgekeurd",
        "Aanvraag duurzaam in beeld",
        "Aanvraag afgewezen",
        "Aanvraag duurzaam in beeld",
    ]
    texts = [e.text for e in client_timeline(anna, client_id)]
    assert "Aanvraag afgewezen: Eerst een tweede informeel lid" in texts
    assert "Aanvraag goedgekeurd: Goed onderbouwd" in texts


async def test_a_refusal_reaches_the_medewerker_until_they_open_the_client(anna, bram):
    client_id = _kees(anna)
    await _request(bram, client_id, "Dochter belt elke week")
    request_id = pending_sign_offs(anna)[0].request_id
    app = make_app(bram.path, register=bram)
    async with app.run_test(size=(120, 35)) as pilot:
        await watcher_caught_up(pilot)
        assert isinstance(app.screen, TodayScreen)
        # Refused by the teamleider while bram is elsewhere in the program.
        app.push_screen(ClientsScreen())
        await settle(pilot)
        decide_sign_off(anna, request_id, False, "Eerst een tweede informeel lid", TODAY)
        await until(
            pilot,
            lambda: any("Eerst een tweede" in str(n.message) for n in app._notifications),
            "a message to bram",
        )
        told = [n for n in app._notifications if "Eerst een tweede" in str(n.message)]
        assert told[0].title == "Aanvraag afgewezen"
        assert "anna wees uw aanvraag voor duurzaam in beeld van Kees Bakker af" in str(
            told[0].message
        )
        await pilot.press("escape")
        await watcher_caught_up(pilot)
        assert isinstance(app.screen, TodayScreen)
        alerts = app.screen.query_one("#alerts", OptionList)
        first = str(alerts.get_option_at_index(0).prompt)
        assert "Aanvraag afgewezen door anna: Eerst een tweede informeel lid" in first
        assert "Aanvraag afgewezen" in _screen_text(app)
        assert len(told) == 1, "told once, also after Vandaag read it again"
        alerts.focus()
        alerts.highlighted = 0
        await pilot.press("enter")
        await watcher_caught_up(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        await pilot.press("escape")
        await watcher_caught_up(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert "Aanvraag afgewezen" not in _screen_text(app)
    assert len([n for n in app._notifications if "Eerst een tweede" in str(n.message)]) <= 1


async def test_a_request_without_an_informal_agreement_names_who_lacks_one(anna, bram):
    client_id = _kees(anna, with_agreement=False)
    app = make_app(bram.path, register=bram)
    async with app.run_test(size=(120, 35)) as pilot:
        form = await _phase_form(pilot, client_id)
        form.query_one("#target", Select).value = Phase.IN_VIEW
        await settle(pilot)
        missing = "Het informele netwerklid Fenna Bakker (dochter) heeft geen actieve"
        assert missing in _hint(form, "target"), "said before saving"
        form.query_one("#reason", TextArea).text = "Gaat goed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert missing in _message(app, "target")
    assert pending_sign_offs(anna) == []


async def test_closing_shows_the_retention_date_first_and_reopening_clears_it(anna):
    client_id = _kees(anna)
    app = make_app(anna.path, register=anna)
    async with app.run_test(size=(120, 35)) as pilot:
        form = await _phase_form(pilot, client_id)
        form.query_one("#target", Select).value = Phase.CLOSED
        form.query_one("#on", Input).value = "1-11-2026"
        form.query_one("#regime", Select).value = Regime.YOUTH_ACT
        await settle(pilot)
        assert "bewaard tot do 1 nov 2046 (Jeugdwet, 20 jaar)" in _hint(form, "target")
        form.query_one("#reason", TextArea).text = "Doelen bereikt"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert "Bewaren tot" in _screen_text(app)
        file = client_file(anna, client_id, TODAY)
        assert (file.phase, file.retention_until) == (Phase.CLOSED, TODAY.replace(year=2046, day=1))

        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PhaseForm)
        assert "bewaard tot" in str(form.query_one("#form-intro", Static).render())
        form.query_one("#target", Select).value = Phase.INTENSIVE
        await settle(pilot)
        assert "heropend; de aangevinkte afspraken gaan weer in" in _hint(form, "target")
        renew = form.query_one("#renew", TickList)
        (ended,) = [a for a in file.agreements if a.renewal == ""]
        assert renew.selected == [ended.id], "offered ticked"
        assert "Fenna Bakker (dochter) · telefoon · elke week" in _screen_text(app)
        form.query_one("#reason", TextArea).text = "Terugval na verhuizing"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    file = client_file(anna, client_id, TODAY)
    assert (file.phase, file.closed_on, file.retention_until) == (Phase.INTENSIVE, None, None)
    (renewed,) = [a for a in file.agreements if a.end_on is None]
    assert (renewed.who, renewed.start_on, renewed.next_due) == (
        "Fenna Bakker (dochter)",
        TODAY,
        TODAY + timedelta(days=7),
    )


async def test_an_alert_is_resolved_with_a_note_from_the_client_file(anna):
    client_id = _kees(anna)
    record_observation(anna, ObservationInput(client_id, SignalPhase.ORANGE, TODAY), TODAY)
    app = make_app(anna.path, register=anna)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client_id)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AlertForm)
        form.query_one("#action", Select).value = "oplossen"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Zeg wat er is gedaan" in _message(app, "note")
        form.query_one("#note", TextArea).text = "Dochter komt dagelijks"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    assert client_file(anna, client_id, TODAY).alerts == []
    assert any(e.text == "Dochter komt dagelijks" for e in client_timeline(anna, client_id))


async def test_a_client_threshold_is_set_with_a_reason_and_set_back_to_the_team(anna):
    from wijkteam_tui.domain.terms import ThresholdRule
    from wijkteam_tui.views.forms.threshold import ThresholdForm

    client_id = _kees(anna)
    app = make_app(anna.path, register=anna)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client_id)
        await pilot.press("g")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ThresholdForm)
        form.query_one("#rule", Select).value = ThresholdRule.OUT_OF_VIEW
        await settle(pilot)
        assert "Team: na 42 dagen zonder contact" in _hint(form, "rule")
        form.query_one("#days", Input).value = "400"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Een getal van 1 tot 366." in _message(app, "days")
        form.query_one("#days", Input).value = "21"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Zeg waarom" in _message(app, "reason")
        form.query_one("#reason", Input).value = "Valt snel terug na een opname"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert "uit beeld: na 21 dagen zonder contact (team: na 42 dagen" in _screen_text(app)
        (row,) = [r for r in client_file(anna, client_id, TODAY).thresholds if r.own]
        assert (row.rule, row.own.days, row.reason) == (
            ThresholdRule.OUT_OF_VIEW,
            21,
            "Valt snel terug na een opname",
        )

        await pilot.press("g")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#days", Input).value == "21", "the form starts from the override"
        form.query_one("#state", Select).value = "team"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    assert not any(r.own for r in client_file(anna, client_id, TODAY).thresholds)


def test_free_text_of_requests_alerts_thresholds_and_the_sociale_kaart_survives_unchanged(
    anna, bram
):
    """Markup, escapes, right-to-left, emoji and 2,000 characters in every new free field
    come back exactly as typed."""
    from hypothesis import HealthCheck, given, settings

    from tests.views.test_forms import FREE_TEXT
    from wijkteam_tui.domain.terms import ThresholdRule
    from wijkteam_tui.store.read.edit import resource_for_edit
    from wijkteam_tui.store.records import ResourceInput
    from wijkteam_tui.store.write.alerts import confirm_alert, resolve_alert, set_threshold
    from wijkteam_tui.store.write.network import add_resource
    from wijkteam_tui.store.write.phases import change_phase, decide_sign_off, request_sign_off

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=FREE_TEXT.filter(bool))
    def round_trip(text: str) -> None:
        client_id = _kees(anna)
        request = request_sign_off(bram, client_id, text, TODAY)
        decide_sign_off(anna, request.id, False, text, TODAY)
        timeline = {e.text for e in client_timeline(anna, client_id)}
        assert f"Aanvraag duurzaam in beeld: {text}" in timeline
        assert f"Aanvraag afgewezen: {text}" in timeline
        record_observation(anna, ObservationInput(client_id, SignalPhase.RED, TODAY), TODAY)
        (alert,) = [a for a in client_file(anna, client_id, TODAY).alerts]
        confirm_alert(anna, alert.alert_id, text)
        resolve_alert(anna, alert.alert_id, text[:2000], TODAY)
        entries = [(e.kind, e.text) for e in client_timeline(anna, client_id)]
        assert ("bevestigd", text) in entries and ("opgelost", text) in entries
        set_threshold(
            anna, client_id, ThresholdRule.OUT_OF_VIEW, days=10, reason=text[:500], today=TODAY
        )
        (row,) = [r for r in client_file(anna, client_id, TODAY).thresholds if r.own]
        assert row.reason == text[:500]
        made = add_resource(anna, ResourceInput(text[:120].strip() or "x", "inloop", notes=text))
        details, _ = resource_for_edit(anna, made.id)
        assert (details.name, details.notes) == (text[:120].strip() or "x", text)
        change_phase(anna, client_id, Phase.CLOSED, text, TODAY)

    round_trip()
