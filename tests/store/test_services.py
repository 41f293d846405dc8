"""Store services and read models, as a medewerker and a teamleider use them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from wijkteam_tui.domain.terms import (
    AlertStatus,
    Channel,
    MemberKind,
    Outcome,
    Phase,
    Regime,
    SignalPhase,
    ThresholdRule,
)
from wijkteam_tui.errors import ConflictError, RoleError, ValidationError
from wijkteam_tui.store import services, sweep
from wijkteam_tui.store.models import (
    Alert,
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    PhaseChange,
)
from wijkteam_tui.store.read.client_file import (
    client_file,
    client_timeline,
    contact_choices,
    contact_date_caution,
)
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.read.today import (
    pending_sign_offs,
    team_overdue,
    team_overview,
    today_list,
)
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    ContactInput,
    MemberInput,
    ObservationInput,
    SignalInput,
)

TODAY = date(2026, 11, 22)
OPENED = date(2026, 9, 1)


def _row_counts(register) -> dict[str, int]:
    with register.read() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (
                Client,
                NetworkMember,
                ContactAgreement,
                ContactMoment,
                Alert,
                PhaseChange,
            )
        }


def test_a_new_client_gets_the_next_number_and_starts_intensief(register):
    first = services.create_client(
        register, ClientInput(name="A. de Vries", opened_on=OPENED), TODAY
    )
    second = services.create_client(
        register, ClientInput(name="B. Bakker", opened_on=OPENED), TODAY
    )
    assert (first.number, second.number) == ("100001", "100002")
    assert second.phase is Phase.INTENSIVE
    timeline = client_timeline(register, second.id)
    assert timeline[-1].kind == "fase" and "Aangemeld" in timeline[-1].text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ClientInput(name="   ", opened_on=OPENED), "De naam mag niet leeg zijn"),
        (
            ClientInput(name="X", opened_on=TODAY + timedelta(days=1)),
            "startdatum ligt in de toekomst",
        ),
        (ClientInput(name="X", opened_on=OPENED, casemanager_id=999), "casemanager bestaat niet"),
    ],
)
def test_bad_client_input_is_refused_in_dutch_and_nothing_is_written(register, data, message):
    before = _row_counts(register)
    with pytest.raises(ValidationError, match=message):
        services.create_client(register, data, TODAY)
    assert _row_counts(register) == before


def test_bad_agreement_input_is_refused_and_nothing_is_written(register, fatima):
    client, neighbour, _ = fatima
    before = _row_counts(register)
    bad = [
        (
            AgreementInput(Channel.PHONE, OPENED, interval_days=14, end_on=OPENED - timedelta(1)),
            "einddatum ligt voor",
        ),
        (AgreementInput(Channel.PHONE, OPENED), "vaste tussenpoos"),
        (
            AgreementInput(Channel.PHONE, OPENED, interval_days=7, rrule="FREQ=WEEKLY"),
            "niet allebei",
        ),
        (
            AgreementInput(Channel.PHONE, OPENED, rrule="elke dinsdag"),
            "rooster wordt niet begrepen",
        ),
        (AgreementInput(Channel.PHONE, OPENED, interval_days=0), "1 tot 366"),
        (
            AgreementInput(Channel.PHONE, OPENED, interval_days=7, member_id=neighbour.id + 99),
            "hoort niet bij",
        ),
    ]
    for data, message in bad:
        with pytest.raises(ValidationError, match=message):
            services.add_agreement(register, client.id, data, TODAY)
    with pytest.raises(ValidationError, match="Cliënt 4242 bestaat niet"):
        services.add_agreement(
            register, 4242, AgreementInput(Channel.PHONE, OPENED, interval_days=7), TODAY
        )
    assert _row_counts(register) == before


def test_logging_a_visit_moves_next_due_two_weeks_on(register, fatima):
    client, _, visit = fatima
    result = services.log_contact(
        register,
        ContactInput(client.id, TODAY, Channel.VISIT, Outcome.GOOD, agreement_id=visit.id),
        TODAY,
    )
    assert result.agreement_next_due == TODAY + timedelta(days=14)
    assert result.client_next_due == TODAY + timedelta(days=14)
    day = today_list(register, register.user.id, TODAY)
    assert day.overdue == [] and day.out_of_view == []


def test_not_reached_does_not_count_as_contact_and_twice_raises_an_alert(register, fatima):
    client, _, visit = fatima
    services.log_contact(
        register,
        ContactInput(client.id, TODAY - timedelta(3), Channel.VISIT, Outcome.GOOD, visit.id),
        TODAY,
    )
    first = services.log_contact(
        register,
        ContactInput(client.id, TODAY - timedelta(1), Channel.PHONE, Outcome.NOT_REACHED, visit.id),
        TODAY,
    )
    assert first.agreement_next_due == TODAY - timedelta(3) + timedelta(14)
    second = services.log_contact(
        register,
        ContactInput(client.id, TODAY, Channel.PHONE, Outcome.NOT_REACHED, visit.id),
        TODAY,
    )
    assert any("2x op rij niet bereikt" in reason for reason in second.raised)
    reached = services.log_contact(
        register, ContactInput(client.id, TODAY, Channel.PHONE, Outcome.CONCERNS, visit.id), TODAY
    )
    assert any("weer bereikt" in note for note in reached.resolved)


def test_an_overdue_agreement_shows_on_vandaag_with_days_and_who(register, fatima):
    _client, _, visit = fatima
    day = today_list(register, register.user.id, TODAY)
    (item,) = day.overdue
    assert item.agreement_id == visit.id
    assert item.days_overdue == (TODAY - (OPENED + timedelta(14))).days
    assert item.who == "Ayşe Yılmaz (buurvrouw)"
    reasons = [a.reason for a in day.alerts]
    assert any("Uit beeld" in r for r in reasons)
    assert any("op rij gemist" in r for r in reasons)
    assert [c.client_name for c in day.out_of_view] == ["Fatima El Amrani"]


def test_logging_a_contact_in_the_future_or_for_an_unknown_client_is_refused(register, fatima):
    client, _, visit = fatima
    before = _row_counts(register)
    with pytest.raises(ValidationError, match="toekomst"):
        services.log_contact(
            register,
            ContactInput(client.id, TODAY + timedelta(1), Channel.VISIT, Outcome.GOOD, visit.id),
            TODAY,
        )
    with pytest.raises(ValidationError, match="bestaat niet"):
        services.log_contact(register, ContactInput(999, TODAY, Channel.VISIT, Outcome.GOOD), TODAY)
    assert _row_counts(register) == before


def test_time_passing_raises_uit_beeld_in_the_daily_sweep(register, fatima):
    client, _, visit = fatima
    services.log_contact(
        register, ContactInput(client.id, TODAY, Channel.VISIT, Outcome.GOOD, visit.id), TODAY
    )
    # The next day nothing can have changed by time alone: the client is not even read.
    assert services.evaluate_stale_clients(register, TODAY + timedelta(days=1)) == 0
    later = TODAY + timedelta(days=50)
    assert services.evaluate_stale_clients(register, later) == 1
    assert services.evaluate_stale_clients(register, later) == 0
    day = today_list(register, register.user.id, later)
    assert any(a.rule is ThresholdRule.OUT_OF_VIEW for a in day.alerts)
    assert day.out_of_view[0].days_without_contact == 50


def test_a_client_threshold_override_is_used(register, fatima):
    client, _, _ = fatima
    with pytest.raises(ValidationError, match="reden"):
        services.set_threshold(
            register, client.id, ThresholdRule.OUT_OF_VIEW, days=200, today=TODAY
        )
    services.set_threshold(
        register,
        client.id,
        ThresholdRule.OUT_OF_VIEW,
        days=200,
        reason="Woont half jaar in Marokko",
        today=TODAY,
    )
    day = today_list(register, register.user.id, TODAY)
    assert day.out_of_view == []
    assert not any(
        a.rule is ThresholdRule.OUT_OF_VIEW and a.client_id == client.id for a in day.alerts
    )
    services.clear_threshold(register, client.id, ThresholdRule.OUT_OF_VIEW, TODAY)
    day = today_list(register, register.user.id, TODAY)
    assert [item.client_id for item in day.out_of_view] == [client.id]


def test_a_snooze_needs_a_reason_and_hides_the_agreement_until_it_ends(register, fatima):
    _client, _, visit = fatima
    with pytest.raises(ValidationError, match="reden mag niet leeg"):
        services.snooze_agreement(register, visit.id, TODAY + timedelta(7), " ", TODAY)
    with pytest.raises(ValidationError, match="verleden"):
        services.snooze_agreement(register, visit.id, TODAY - timedelta(1), "ziek", TODAY)
    services.snooze_agreement(
        register, visit.id, TODAY + timedelta(7), "Buurvrouw op vakantie", TODAY
    )
    assert today_list(register, register.user.id, TODAY).overdue == []
    assert today_list(register, register.user.id, TODAY + timedelta(8)).overdue


def test_observations_raise_and_green_resolves(register, fatima):
    client, _, _ = fatima
    signal = services.add_signal(
        register, client.id, SignalInput(SignalPhase.ORANGE, "Blijft binnen, neemt niet op")
    )
    raised = services.record_observation(
        register, ObservationInput(client.id, SignalPhase.ORANGE, TODAY, signal_id=signal.id), TODAY
    )
    assert any("Signalering oranje" in r for r in raised.raised)
    cleared = services.record_observation(
        register, ObservationInput(client.id, SignalPhase.GREEN, TODAY), TODAY
    )
    assert any("groen" in note for note in cleared.resolved)


def test_phase_changes_are_checked_and_recorded(register, fatima, new_register):
    client, neighbour, visit = fatima
    with pytest.raises(ValidationError, match="reden"):
        services.change_phase(register, client.id, Phase.SCALING_BACK, "", TODAY)
    moved = services.change_phase(register, client.id, Phase.SCALING_BACK, "Stabiel", TODAY)
    assert moved.phase is Phase.SCALING_BACK

    services.end_agreement(register, visit.id, TODAY, TODAY)
    before = _row_counts(register)
    with pytest.raises(ValidationError, match="informeel netwerklid"):
        services.change_phase(register, client.id, Phase.IN_VIEW, "Netwerk draagt", TODAY)
    assert _row_counts(register) == before

    services.add_agreement(
        register,
        client.id,
        AgreementInput(Channel.PHONE, TODAY, member_id=neighbour.id, interval_days=7),
        TODAY,
    )
    in_view = services.change_phase(register, client.id, Phase.IN_VIEW, "Netwerk draagt", TODAY)
    assert in_view.phase is Phase.IN_VIEW
    closed = services.change_phase(register, client.id, Phase.CLOSED, "Doelen bereikt", TODAY)
    assert closed.next_due is None
    with register.read() as session:
        row = session.get(Client, client.id)
        assert row.retention_until == date(2041, 11, 22)
        assert row.regime is Regime.WMO
        open_alerts = session.scalar(
            select(func.count()).select_from(Alert).where(Alert.status != AlertStatus.RESOLVED)
        )
        assert open_alerts == 0
    kinds = [e.text for e in client_timeline(register, client.id) if e.kind == "fase"]
    assert kinds[0].startswith("Fase duurzaam in beeld → afgesloten")


def test_duurzaam_in_beeld_is_requested_refused_requested_again_and_approved(
    register, bram, fatima
):
    """Bram (medewerker) asks, Anna (teamleider) refuses with a reason; Bram asks again and
    Anna approves: the phase change is Bram's, signed off by Anna."""
    client, _neighbour, _visit = fatima
    with pytest.raises(ValidationError, match="akkoord van een teamleider"):
        services.change_phase(bram, client.id, Phase.IN_VIEW, "Gaat goed", TODAY)
    with pytest.raises(RoleError, match="Alleen een teamleider"):
        services.decide_sign_off(bram, 1, True, "", TODAY)

    first = services.request_sign_off(bram, client.id, "Netwerk draagt, buurvrouw komt", TODAY)
    with pytest.raises(ValidationError, match="wacht al een aanvraag"):
        services.request_sign_off(bram, client.id, "Nog eens", TODAY)
    assert [s.client_id for s in pending_sign_offs(register)] == [client.id]
    assert client_file(bram, client.id, TODAY).sign_off.request_id == first.id
    with pytest.raises(ValidationError, match="reden"):
        services.decide_sign_off(register, first.id, False, "  ", TODAY)
    services.decide_sign_off(register, first.id, False, "Eerst een tweede informeel lid", TODAY)
    assert pending_sign_offs(register) == []
    assert client_file(register, client.id, TODAY).phase is Phase.INTENSIVE
    with pytest.raises(ConflictError, match="al beslist: afgewezen"):
        services.decide_sign_off(register, first.id, True, "", TODAY)

    second = services.request_sign_off(bram, client.id, "Broer doet nu ook mee", TODAY)
    moved = services.decide_sign_off(register, second.id, True, "Goed onderbouwd", TODAY)
    assert moved.phase is Phase.IN_VIEW
    with register.read() as session:
        change = session.scalars(select(PhaseChange).order_by(PhaseChange.id.desc())).first()
        assert (change.changed_by_id, change.signed_off_by_id) == (bram.user.id, register.user.id)
    texts = [e.text for e in client_timeline(register, client.id)]
    assert "Aanvraag afgewezen: Eerst een tweede informeel lid" in texts
    assert "Aanvraag goedgekeurd: Goed onderbouwd" in texts


def test_a_request_without_an_informal_agreement_is_refused_naming_who_lacks_one(
    register, bram, fatima
):
    client, _neighbour, visit = fatima
    services.end_agreement(register, visit.id, TODAY, TODAY)
    services.add_agreement(
        register, client.id, AgreementInput(Channel.PHONE, TODAY, interval_days=7), TODAY
    )
    before = _row_counts(register)
    with pytest.raises(ValidationError) as refused:
        services.request_sign_off(bram, client.id, "Gaat goed", TODAY)
    assert "Het informele netwerklid Ayşe Yılmaz (buurvrouw) heeft geen actieve" in str(
        refused.value
    )
    assert _row_counts(register) == before
    assert "Ayşe Yılmaz" in client_file(register, client.id, TODAY).in_view_missing


def test_approval_is_refused_when_the_network_no_longer_carries_it(register, bram, fatima):
    client, _neighbour, visit = fatima
    request = services.request_sign_off(bram, client.id, "Gaat goed", TODAY)
    services.end_agreement(register, visit.id, TODAY - timedelta(days=1), TODAY)
    with pytest.raises(ValidationError, match="Ayşe Yılmaz"):
        services.decide_sign_off(register, request.id, True, "", TODAY)
    # The request waits on; another phase change lets it lapse.
    assert len(pending_sign_offs(register)) == 1
    services.change_phase(bram, client.id, Phase.SCALING_BACK, "Minder vaak nodig", TODAY)
    assert pending_sign_offs(register) == []
    texts = [e.text for e in client_timeline(register, client.id)]
    assert "Aanvraag vervallen: De fase is intussen gewijzigd naar afschalen." in texts


def test_closing_on_a_date_with_a_corrected_regime_sets_retention_and_reopening_clears_it(
    register, fatima
):
    client, _, _visit = fatima
    closed_on = date(2026, 11, 1)
    with pytest.raises(ValidationError, match="toekomst"):
        services.change_phase(
            register, client.id, Phase.CLOSED, "Klaar", TODAY, on=TODAY + timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="voor de opening"):
        services.change_phase(
            register, client.id, Phase.CLOSED, "Klaar", TODAY, on=OPENED - timedelta(days=1)
        )
    services.change_phase(
        register,
        client.id,
        Phase.CLOSED,
        "Doelen bereikt",
        TODAY,
        on=closed_on,
        regime=Regime.WMO_NO_PROVISION,
    )
    file = client_file(register, client.id, TODAY)
    assert (file.closed_on, file.retention_until) == (closed_on, date(2031, 11, 1))
    assert file.regime is Regime.WMO_NO_PROVISION
    assert all(a.end_on == closed_on for a in file.agreements)

    with pytest.raises(ValidationError, match="reden"):
        services.change_phase(register, client.id, Phase.INTENSIVE, " ", TODAY)
    reopened = services.change_phase(register, client.id, Phase.INTENSIVE, "Terugval", TODAY)
    assert reopened.phase is Phase.INTENSIVE
    file = client_file(register, client.id, TODAY)
    assert (file.closed_on, file.retention_until) == (None, None)


def test_reopening_lets_the_agreements_closing_ended_start_again_as_new_ones(register, fatima):
    client, _, visit = fatima
    closed_on = date(2026, 11, 1)
    daughter = services.add_member(
        register,
        client.id,
        MemberInput(name="Noor El Amrani", kind=MemberKind.INFORMAL, relation="dochter"),
        TODAY,
    )
    planned = services.add_agreement(
        register,
        client.id,
        AgreementInput(
            channel=Channel.PHONE,
            start_on=OPENED,
            member_id=daughter.id,
            rrule="FREQ=WEEKLY;BYDAY=TU",
            end_on=date(2027, 3, 1),
            description="even bellen",
            shared=True,
        ),
        TODAY,
    )
    by_hand = services.add_agreement(
        register,
        client.id,
        AgreementInput(channel=Channel.VISIT, start_on=OPENED, interval_days=28),
        TODAY,
    )
    services.end_agreement(register, by_hand.id, date(2026, 10, 1), TODAY)
    services.change_phase(register, client.id, Phase.CLOSED, "Klaar", TODAY, on=closed_on)
    file = client_file(register, client.id, TODAY)
    renewal = {a.id: a.renewal for a in file.agreements}
    assert renewal == {visit.id: "", planned.id: "", by_hand.id: None}, "ended by hand stays"

    with pytest.raises(ValidationError, match="Alleen afspraken die eindigden met het afsluiten"):
        services.change_phase(
            register, client.id, Phase.INTENSIVE, "Terug", TODAY, renew=[by_hand.id]
        )
    reopened_on = date(2026, 11, 20)
    services.change_phase(
        register,
        client.id,
        Phase.INTENSIVE,
        "Terugval",
        TODAY,
        on=reopened_on,
        renew=[visit.id, planned.id],
    )
    file = client_file(register, client.id, TODAY)
    old = {a.id for a in (visit, planned, by_hand)}
    ended = sorted((a.id, a.end_on) for a in file.agreements if a.id in old)
    assert ended == [
        (visit.id, closed_on),
        (planned.id, closed_on),
        (by_hand.id, date(2026, 10, 1)),
    ], "the ended agreements keep their history"
    new = [a for a in file.agreements if a.id not in old]
    assert sorted((a.who, a.start_on, a.end_on, a.how_often) for a in new) == [
        ("Ayşe Yılmaz (buurvrouw)", reopened_on, None, "elke 2 weken"),
        ("Noor El Amrani (dochter)", reopened_on, date(2027, 3, 1), "elke dinsdag"),
    ]
    assert {a.next_due for a in new} == {date(2026, 12, 4), date(2026, 11, 24)}
    assert all(a.renewal is None for a in file.agreements), "offered once"
    assert [a.description for a in new if a.who.startswith("Noor")] == ["even bellen"]


def test_reopening_does_not_bring_back_a_member_who_left_or_an_end_that_passed(register, fatima):
    client, neighbour, visit = fatima
    until = date(2026, 12, 1)
    short = services.add_agreement(
        register,
        client.id,
        AgreementInput(channel=Channel.PHONE, start_on=OPENED, interval_days=7, end_on=until),
        TODAY,
    )
    services.change_phase(register, client.id, Phase.CLOSED, "Klaar", TODAY)
    services.end_member(
        register, neighbour.id, neighbour.version, ended_on=TODAY, reason="verhuisd", today=TODAY
    )
    later = date(2026, 12, 2)
    file = client_file(register, client.id, later)
    renewal = {a.id: a.renewal for a in file.agreements}
    assert renewal == {
        visit.id: "Ayşe Yılmaz is niet meer betrokken",
        short.id: "de afspraak liep tot di 1 dec 2026",
    }
    for agreement_id in (visit.id, short.id):
        with pytest.raises(ValidationError, match="kan niet opnieuw ingaan"):
            services.change_phase(
                register, client.id, Phase.INTENSIVE, "Terug", later, renew=[agreement_id]
            )
    services.change_phase(register, client.id, Phase.INTENSIVE, "Terug", later)
    file = client_file(register, client.id, later)
    assert len(file.agreements) == 2 and not any(a.renewal is not None for a in file.agreements)


def test_a_contact_before_the_file_or_its_agreement_began_is_named_for_a_question(register, fatima):
    client, _, visit = fatima
    later = services.add_agreement(
        register,
        client.id,
        AgreementInput(channel=Channel.PHONE, start_on=date(2026, 11, 1), interval_days=7),
        TODAY,
    )
    assert contact_date_caution(register, client.id, visit.id, OPENED) == ""
    assert contact_date_caution(register, client.id, None, date(2026, 8, 31)) == (
        "ma 31 aug 2026 ligt voor de opening van het dossier (di 1 sep 2026)."
    )
    assert contact_date_caution(register, client.id, later.id, date(2026, 10, 31)) == (
        "za 31 okt 2026 ligt voor de start van deze afspraak (zo 1 nov 2026)."
    )
    long_before = date(2025, 8, 30)
    assert contact_date_caution(register, client.id, None, long_before) == "", "refused instead"
    with pytest.raises(ValidationError, match="ver voor de start van het dossier"):
        services.log_contact(
            register, ContactInput(client.id, long_before, Channel.PHONE, Outcome.GOOD), TODAY
        )


def test_a_file_past_its_retention_date_cannot_be_reopened(register, fatima):
    client, _, _ = fatima
    services.change_phase(
        register, client.id, Phase.CLOSED, "Klaar", TODAY, regime=Regime.WMO_NO_PROVISION
    )
    later = date(2031, 11, 23)
    with pytest.raises(ValidationError, match=r"bewaartermijn .* verstreken op za 22 nov 2031"):
        services.change_phase(register, client.id, Phase.INTENSIVE, "Terug", later)


def test_an_alert_is_confirmed_and_resolved_by_hand_with_notes_and_stays_resolved(register, fatima):
    client, _, _ = fatima
    services.record_observation(
        register, ObservationInput(client.id, SignalPhase.ORANGE, TODAY), TODAY
    )

    def signal_alerts():
        alerts = client_file(register, client.id, TODAY).alerts
        return [a for a in alerts if a.rule is ThresholdRule.ORANGE_OR_RED]

    (alert,) = signal_alerts()
    services.confirm_alert(register, alert.alert_id, "Ik bel vanmiddag de dochter")
    with pytest.raises(ValidationError, match="Wat er is gedaan mag niet leeg zijn"):
        services.resolve_alert(register, alert.alert_id, " ", TODAY)
    services.resolve_alert(register, alert.alert_id, "Dochter gaat dagelijks langs", TODAY)
    assert signal_alerts() == []
    # The signalering is still the latest and still oranje: the episode stays resolved.
    services.log_contact(
        register,
        ContactInput(client.id, TODAY, Channel.PHONE, Outcome.GOOD),
        TODAY,
    )
    assert signal_alerts() == []
    with pytest.raises(ConflictError, match="al opgelost"):
        services.resolve_alert(register, alert.alert_id, "Nog eens", TODAY)
    entries = {(e.kind, e.text) for e in client_timeline(register, client.id)}
    assert ("bevestigd", "Ik bel vanmiddag de dochter") in entries
    assert ("opgelost", "Dochter gaat dagelijks langs") in entries
    # A new oranje signalering is a new episode: a new alert.
    services.record_observation(
        register, ObservationInput(client.id, SignalPhase.RED, TODAY), TODAY
    )
    assert len(signal_alerts()) == 1


def test_a_concurrent_edit_is_refused_not_overwritten(register, fatima):
    client, _, _ = fatima
    data = ClientInput(
        name="Fatima El Amrani-Bouzid", opened_on=OPENED, casemanager_id=register.user.id
    )
    updated = services.update_client(register, client.id, client.version, data, TODAY)
    with pytest.raises(ConflictError, match="intussen gewijzigd"):
        services.update_client(register, client.id, client.version, data, TODAY)
    assert updated.name == "Fatima El Amrani-Bouzid"


def test_search_finds_names_numbers_streets_and_network_members_without_accents(register, fatima):
    client, _, _ = fatima
    for fragment in ("fatima", "EL AMR", "100001", "vlierhof 12", "ayse", "yilmaz", "amrani fat"):
        assert [hit.id for hit in search_clients(register, fragment)] == [client.id], fragment
    assert search_clients(register, "bakker") == []
    assert search_clients(register, "100%") == []
    assert search_clients(register, "fat", with_open_alert=True)[0].has_open_alert
    assert search_clients(register, "fat", phase=Phase.CLOSED) == []


def test_team_overview_lists_every_overdue_follow_up(register, fatima):
    _client, _, _ = fatima
    other = services.create_client(
        register, ClientInput(name="Kees Bakker", opened_on=OPENED), TODAY
    )
    services.add_agreement(
        register, other.id, AgreementInput(Channel.PHONE, OPENED, interval_days=28), TODAY
    )
    overview = team_overview(register, TODAY)
    assert [item.client_name for item in overview.overdue] == ["Fatima El Amrani", "Kees Bakker"]
    assert overview.per_casemanager == {"anna": 1, "(geen casemanager)": 1}
    assert overview.total == 2
    assert team_overdue(register, TODAY) == overview.overdue
    second = team_overview(register, TODAY, offset=1, page=1)
    assert [item.client_name for item in second.overdue] == ["Kees Bakker"]
    assert (second.total, second.offset) == (2, 1)
    if register.server is not None:
        # Its planner setting (no parallel workers) ended with its transaction.
        with register.read_connection() as conn:
            setting = conn.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar_one()
        assert setting != "0"


def test_the_client_file_holds_overview_network_agreements_and_plan(register, fatima):
    client, neighbour, visit = fatima
    services.add_signal(
        register,
        client.id,
        SignalInput(SignalPhase.RED, "Eet niet meer", whom_to_call="Huisarts 010-1234567"),
    )
    services.add_signal(register, client.id, SignalInput(SignalPhase.GREEN, "Gaat naar de inloop"))
    services.log_contact(
        register,
        ContactInput(client.id, TODAY - timedelta(2), Channel.VISIT, Outcome.GOOD, visit.id),
        TODAY,
    )
    file = client_file(register, client.id, TODAY)
    assert file.name == "Fatima El Amrani" and file.address == "Vlierhof 12"
    assert file.casemanager == "anna"
    assert "1 informeel netwerklid" in file.network_summary
    assert "geen informeel netwerk voor advies en emotionele steun" in file.network_summary
    (member,) = file.members
    assert (member.id, member.last_contact_on) == (neighbour.id, TODAY - timedelta(2))
    (agreement,) = file.agreements
    assert agreement.how_often == "elke 2 weken"
    assert agreement.next_due == TODAY + timedelta(12)
    assert agreement.state.value == "later"
    assert [s.phase for s in file.signals] == [SignalPhase.GREEN, SignalPhase.RED]
    with pytest.raises(ValidationError, match="bestaat niet"):
        client_file(register, 999, TODAY)


def test_resources_members_and_confirming_an_alert(register, fatima):
    from wijkteam_tui.store.records import ResourceInput

    client, neighbour, _ = fatima
    with pytest.raises(ValidationError, match="De soort mag niet leeg zijn"):
        services.add_resource(register, ResourceInput(name="Buurthuis De Vlier", category=" "))
    resource = services.add_resource(
        register, ResourceInput(name="Buurthuis De Vlier", category="buurthuis")
    )
    changed = services.update_member(
        register,
        neighbour.id,
        1,
        MemberInput(
            name="Ayşe Yılmaz",
            kind=MemberKind.INFORMAL,
            relation="buurvrouw",
            supports="pge",
            consent_to_share=True,
            resource_id=resource.id,
        ),
        TODAY,
    )
    assert changed.version == 2
    with pytest.raises(ConflictError):
        services.update_member(
            register, neighbour.id, 1, MemberInput(name="X", kind=MemberKind.INFORMAL), TODAY
        )
    with pytest.raises(ValidationError, match="Steunvormen"):
        services.add_member(
            register,
            client.id,
            MemberInput(name="Y", kind=MemberKind.INFORMAL, supports="PX"),
            TODAY,
        )
    (member,) = client_file(register, client.id, TODAY).members
    assert (member.supports, member.consent_to_share) == ("PGE", True)

    alert = today_list(register, register.user.id, TODAY).alerts[0]
    services.confirm_alert(register, alert.alert_id)
    confirmed = today_list(register, register.user.id, TODAY).alerts[0]
    assert confirmed.status is AlertStatus.CONFIRMED
    with pytest.raises(ValidationError, match="bestaat niet"):
        services.confirm_alert(register, 9999)


# --- one home per rule -------------------------------------------------------------------------


def _silent_client(register, name: str, last_contact_on: date):
    """A client of the acting user whose only contact was on `last_contact_on`, entered that day."""
    client = services.create_client(
        register,
        ClientInput(name=name, opened_on=date(2025, 1, 6), casemanager_id=register.user.id),
        last_contact_on,
    )
    services.log_contact(
        register,
        ContactInput(client.id, last_contact_on, Channel.PHONE, Outcome.GOOD),
        last_contact_on,
    )
    return client


def _uit_beeld_alerts(register, today: date) -> list[str]:
    day = today_list(register, register.user.id, today)
    return [a.client_name for a in day.alerts if a.rule is ThresholdRule.OUT_OF_VIEW]


def test_the_uit_beeld_default_is_read_from_the_one_defaults_table(register, monkeypatch):
    from wijkteam_tui.domain.thresholds import DEFAULT_THRESHOLDS, ThresholdSetting

    monkeypatch.setitem(
        DEFAULT_THRESHOLDS,
        ThresholdRule.OUT_OF_VIEW,
        ThresholdSetting(ThresholdRule.OUT_OF_VIEW, days=30),
    )
    _silent_client(register, "Henk Bakker", TODAY - timedelta(days=35))
    services.evaluate_stale_clients(register, TODAY)
    assert _uit_beeld_alerts(register, TODAY) == ["Henk Bakker"]
    (item,) = today_list(register, register.user.id, TODAY).out_of_view
    assert (item.client_name, item.days_without_contact) == ("Henk Bakker", 35)


def test_a_client_kept_in_view_while_the_team_switched_uit_beeld_off_is_still_swept(register):
    logged = TODAY - timedelta(days=35)
    services.set_threshold(
        register, None, ThresholdRule.OUT_OF_VIEW, enabled=False, days=30, today=logged
    )
    client = _silent_client(register, "Henk Bakker", logged)
    # On for this client, with the team's 30 days.
    services.set_threshold(
        register, client.id, ThresholdRule.OUT_OF_VIEW, reason="Valt snel terug", today=logged
    )
    quiet = _silent_client(register, "Ria Smit", logged)
    services.evaluate_stale_clients(register, TODAY)
    assert _uit_beeld_alerts(register, TODAY) == ["Henk Bakker"]
    listed = today_list(register, register.user.id, TODAY).out_of_view
    assert [item.client_id for item in listed] == [client.id]
    assert quiet.id not in [item.client_id for item in listed]


# --- the daily sweep -----------------------------------------------------------------------------


def _client_last_seen_43_days_ago(register, today: date):
    logged = today - timedelta(days=43)
    client = services.create_client(
        register,
        ClientInput(
            name="Kees Bakker", opened_on=date(2025, 3, 3), casemanager_id=register.user.id
        ),
        logged,
    )
    daughter = services.add_member(
        register,
        client.id,
        MemberInput(name="Fenna Bakker", kind=MemberKind.INFORMAL, relation="dochter"),
        logged,
    )
    visit = services.add_agreement(
        register,
        client.id,
        AgreementInput(Channel.VISIT, date(2025, 3, 3), member_id=daughter.id, interval_days=28),
        logged,
    )
    services.log_contact(
        register, ContactInput(client.id, logged, Channel.VISIT, Outcome.GOOD, visit.id), logged
    )
    return client


def test_the_daily_sweep_raises_uit_beeld_once_a_day_for_an_open_register(register):
    _client_last_seen_43_days_ago(register, TODAY)
    assert _uit_beeld_alerts(register, TODAY) == [], "nothing has looked at the client yet"

    assert services.daily_sweep(register, TODAY) == 1
    (alert,) = [
        a
        for a in today_list(register, register.user.id, TODAY).alerts
        if a.rule is ThresholdRule.OUT_OF_VIEW
    ]
    assert alert.reason.startswith("Uit beeld: 43 dagen geen contact sinds")
    assert services.daily_sweep(register, TODAY) == 0, "once a day"
    # Uit beeld stays what it is until there is contact: the next day has nothing to evaluate.
    assert services.daily_sweep(register, TODAY + timedelta(days=1)) == 0, "the next day"


def test_screens_asking_for_the_sweep_at_the_same_moment_share_one(register, monkeypatch):
    import threading

    client = _client_last_seen_43_days_ago(register, TODAY)
    evaluated = []
    real = sweep.refresh_clients

    def counted(session, clients, today, settings, notes=None):  # type: ignore[no-untyped-def]
        evaluated.extend(c.id for c in clients)
        return real(session, clients, today, settings, notes)

    monkeypatch.setattr(sweep, "refresh_clients", counted)
    start = threading.Barrier(4)
    results = []

    def screen() -> None:
        start.wait()
        results.append(services.daily_sweep(register, TODAY))

    threads = [threading.Thread(target=screen) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert evaluated == [client.id], "evaluated once, whoever came first"
    assert sorted(results) == [0, 0, 0, 1]


# --- the contact dialog --------------------------------------------------------------------------


def test_the_contact_dialog_offers_active_agreements_most_overdue_first(register, fatima):
    client, _, visit = fatima
    phone = services.add_agreement(
        register,
        client.id,
        AgreementInput(Channel.PHONE, TODAY - timedelta(days=10), interval_days=7),
        TODAY,
    )
    fenna = services.add_member(
        register, client.id, MemberInput(name="Fenna de Vries", kind=MemberKind.INFORMAL), TODAY
    )
    app = services.add_agreement(
        register,
        client.id,
        AgreementInput(Channel.APP, TODAY, member_id=fenna.id, interval_days=28),
        TODAY,
    )
    ended = services.add_agreement(
        register, client.id, AgreementInput(Channel.PHONE, OPENED, interval_days=7), TODAY
    )
    services.end_agreement(register, ended.id, TODAY, TODAY)

    choices = contact_choices(register, client.id, TODAY)
    assert [(c.agreement_id, c.who, c.channel, c.days_overdue, c.how_often) for c in choices] == [
        (visit.id, "Ayşe Yılmaz (buurvrouw)", Channel.VISIT, 68, "elke 2 weken"),
        (phone.id, "anna", Channel.PHONE, 3, "elke week"),
        (app.id, "Fenna de Vries", Channel.APP, 0, "elke 4 weken"),
    ]
    assert choices[2].next_due == TODAY + timedelta(days=28)
    # The same words as Vandaag uses for the same agreements.
    vandaag = today_list(register, register.user.id, TODAY)
    assert {i.agreement_id: i.who for i in vandaag.overdue} == {
        visit.id: "Ayşe Yılmaz (buurvrouw)",
        phone.id: "anna",
    }


# --- search --------------------------------------------------------------------------------------


def test_search_lists_direct_matches_first_and_says_through_whom_the_others_were_found(register):
    def client(name: str, *members: str) -> int:
        created = services.create_client(register, ClientInput(name=name, opened_on=OPENED), TODAY)
        for member in members:
            services.add_member(
                register, created.id, MemberInput(name=member, kind=MemberKind.INFORMAL), TODAY
            )
        return created.id

    client("Anna Bakker", "Kees de Vries")
    client("Fenna de Vries")
    client("Bram de Vries", "Ria de Vries")
    client("Cor Smit")

    hits = search_clients(register, "vries")
    assert [(h.name, h.via_member) for h in hits] == [
        ("Bram de Vries", ""),
        ("Fenna de Vries", ""),
        ("Anna Bakker", "Kees de Vries"),
    ]
    # Every word must match; here one in the client's own name and one in the network.
    assert [(h.name, h.via_member) for h in search_clients(register, "anna vries")] == [
        ("Anna Bakker", "Kees de Vries")
    ]
    assert search_clients(register, "cor vries") == []
    assert [h.name for h in search_clients(register, "vries", limit=2)] == [
        "Bram de Vries",
        "Fenna de Vries",
    ]


def test_renaming_a_network_member_updates_how_the_client_is_found(register, fatima):
    client, neighbour, _ = fatima
    services.update_member(
        register,
        neighbour.id,
        1,
        MemberInput(name="Ayşe Demir", kind=MemberKind.INFORMAL, relation="buurvrouw"),
        TODAY,
    )
    assert search_clients(register, "yilmaz") == []
    (hit,) = search_clients(register, "demir")
    assert (hit.id, hit.via_member) == (client.id, "Ayşe Demir")
