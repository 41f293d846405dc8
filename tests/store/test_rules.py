"""The rules over time: ended agreements, changed thresholds, snoozes and members who leave the
network, as the lists, the alerts and the documents show them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from wijkteam_tui.domain.dates import format_date, format_short
from wijkteam_tui.domain.terms import (
    AlertStatus,
    Channel,
    MemberKind,
    Outcome,
    SignalPhase,
    ThresholdRule,
)
from wijkteam_tui.errors import ConflictError, ValidationError
from wijkteam_tui.export import document
from wijkteam_tui.store import services, sharing
from wijkteam_tui.store.models import Alert, ContactAgreement, NetworkMember
from wijkteam_tui.store.read.client_file import client_file, client_timeline
from wijkteam_tui.store.read.edit import agreement_for_edit, member_for_edit, team_settings_for_edit
from wijkteam_tui.store.read.team import overdue_items, team_review
from wijkteam_tui.store.read.today import today_list
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    ContactInput,
    MemberInput,
    SignalInput,
)
from wijkteam_tui.store.write.settings import update_team_settings

TODAY = date(2026, 11, 22)
OPENED = date(2026, 9, 1)


def _overdue_everywhere(register, client_id: int, today: date) -> dict[str, int]:
    """How many overdue contact moments of the client Vandaag, `wijkteam overdue` and the Team
    screen count on `today`."""
    review = team_review(register, today)
    return {
        "vandaag": sum(
            1
            for item in today_list(register, register.user.id, today).overdue
            if item.client_id == client_id
        ),
        "overdue": sum(1 for item in overdue_items(register, today) if item.client_id == client_id),
        "team": review.total.overdue,
    }


def _alerts(register, client_id: int, rule: ThresholdRule) -> list[Alert]:
    with register.read() as session:
        return list(
            session.scalars(
                select(Alert)
                .where(Alert.client_id == client_id, Alert.rule == rule)
                .order_by(Alert.id)
            ).all()
        )


def test_an_agreement_whose_end_date_passes_is_no_longer_late_anywhere(register, fatima):
    client, _, visit = fatima
    # The neighbour never visited: the visit is late since 15 September. It ends on 1 December.
    services.end_agreement(register, visit.id, TODAY + timedelta(days=9), TODAY)
    assert _overdue_everywhere(register, client.id, TODAY) == {
        "vandaag": 1,
        "overdue": 1,
        "team": 1,
    }
    later = TODAY + timedelta(days=56)
    services.daily_sweep(register, later)
    assert _overdue_everywhere(register, client.id, later) == {
        "vandaag": 0,
        "overdue": 0,
        "team": 0,
    }
    with register.read() as session:
        stored = session.get(ContactAgreement, visit.id)
        assert stored is not None
        assert (stored.active, stored.next_due) == (False, None)
    assert all(
        a.status is AlertStatus.RESOLVED
        for a in _alerts(register, client.id, ThresholdRule.MISSED_IN_ROW)
    )
    doc = document.build(sharing.sharing_facts(register, client.id), later, 1)
    assert visit.id not in [a.id for a in doc.agreements]
    file = client_file(register, client.id, later)
    assert [a.state.label for a in file.agreements if a.id == visit.id] == ["beëindigd"]


def test_an_agreement_saved_with_an_end_in_the_past_is_ended_at_once(register, fatima):
    client, neighbour, visit = fatima
    services.end_agreement(register, visit.id, TODAY, TODAY)
    ended = services.add_agreement(
        register,
        client.id,
        AgreementInput(
            channel=Channel.PHONE,
            start_on=OPENED,
            end_on=TODAY - timedelta(days=10),
            member_id=neighbour.id,
            interval_days=7,
            shared=True,
        ),
        TODAY,
    )
    assert _overdue_everywhere(register, client.id, TODAY) == {
        "vandaag": 0,
        "overdue": 0,
        "team": 0,
    }
    doc = document.build(sharing.sharing_facts(register, client.id), TODAY, 1)
    assert [a.id for a in doc.ended] == [ended.id]


def test_the_sweep_ends_an_agreement_within_the_grace_days_on_its_end_date(register, fatima):
    client, _, visit = fatima
    settings, version = team_settings_for_edit(register)
    update_team_settings(register, version, replace(settings, grace_days=5))
    services.log_contact(
        register, ContactInput(client.id, TODAY, Channel.VISIT, Outcome.GOOD, visit.id), TODAY
    )
    services.end_agreement(register, visit.id, TODAY + timedelta(days=16), TODAY)
    # Due on 6 December, late only after 11 December: on the end date (8 December) nothing is
    # late yet, and the sweep still has to see that the agreement ended.
    services.daily_sweep(register, TODAY + timedelta(days=16))
    with register.read() as session:
        stored = session.get(ContactAgreement, visit.id)
        assert stored is not None
        assert (stored.active, stored.next_due) == (False, None)


# --- snoozing ------------------------------------------------------------------------------------


def test_putting_an_agreement_aside_resolves_its_alert_saying_until_when_and_why(register, fatima):
    client, _, visit = fatima
    (missed,) = _alerts(register, client.id, ThresholdRule.MISSED_IN_ROW)
    assert missed.status is AlertStatus.OPEN
    until = TODAY + timedelta(days=7)
    services.snooze_agreement(register, visit.id, until, "Buurvrouw op vakantie", TODAY)
    (missed,) = _alerts(register, client.id, ThresholdRule.MISSED_IN_ROW)
    assert missed.status is AlertStatus.RESOLVED
    assert missed.resolution_note == (
        f"Afspraak uitgesteld tot en met {format_date(until)}: Buurvrouw op vakantie"
    )
    assert "contact" not in missed.resolution_note
    # When the snooze is over and still nobody visited, the same episode opens again.
    services.daily_sweep(register, until + timedelta(days=1))
    (missed,) = _alerts(register, client.id, ThresholdRule.MISSED_IN_ROW)
    assert missed.status is AlertStatus.OPEN


# --- changed thresholds --------------------------------------------------------------------------


def _silent_client(register, name: str, days: int):
    """A client of the acting user whose only contact was `days` days before TODAY (entered
    that day: the file was opened long before, so it was uit beeld until then)."""
    logged = TODAY - timedelta(days=days)
    client = services.create_client(
        register,
        ClientInput(name=name, opened_on=date(2025, 1, 6), casemanager_id=register.user.id),
        logged,
    )
    services.log_contact(
        register, ContactInput(client.id, logged, Channel.PHONE, Outcome.GOOD), logged
    )
    return client


def test_a_raised_team_limit_resolves_uit_beeld_at_once_and_renews_the_reasons(register):
    fifty = _silent_client(register, "Henk Bakker", 50)
    seventy = _silent_client(register, "Ria Smit", 70)
    services.daily_sweep(register, TODAY)
    for client in (fifty, seventy):
        alert = _alerts(register, client.id, ThresholdRule.OUT_OF_VIEW)[-1]
        assert alert.status is AlertStatus.OPEN and "grens 42 dagen" in alert.reason
    done = services.set_threshold(register, None, ThresholdRule.OUT_OF_VIEW, days=60, today=TODAY)
    assert (done.clients, done.resolved, done.raised) == (2, 1, 0)
    resolved = _alerts(register, fifty.id, ThresholdRule.OUT_OF_VIEW)[-1]
    assert resolved.status is AlertStatus.RESOLVED
    assert resolved.resolution_note == "Automatisch opgelost: grens verhoogd naar 60 dagen."
    still = _alerts(register, seventy.id, ThresholdRule.OUT_OF_VIEW)[-1]
    assert still.status is AlertStatus.OPEN
    assert still.reason.endswith("(grens 60 dagen).")


def test_a_lowered_team_limit_raises_uit_beeld_the_same_day(register):
    quiet = _silent_client(register, "Henk Bakker", 35)
    services.daily_sweep(register, TODAY)
    before = _alerts(register, quiet.id, ThresholdRule.OUT_OF_VIEW)
    assert [a.status for a in before] == [AlertStatus.RESOLVED], "only the one before contact"
    done = services.set_threshold(register, None, ThresholdRule.OUT_OF_VIEW, days=30, today=TODAY)
    assert (done.clients, done.resolved, done.raised) == (1, 0, 1)
    raised = _alerts(register, quiet.id, ThresholdRule.OUT_OF_VIEW)[-1]
    assert raised.status is AlertStatus.OPEN
    since = format_short(TODAY - timedelta(days=35))
    assert raised.reason == f"Uit beeld: geen contact sinds {since} (grens 30 dagen)."


def test_switching_a_rule_off_for_a_client_resolves_its_alert_saying_so(register, fatima):
    client, _, _ = fatima
    done = services.set_threshold(
        register,
        client.id,
        ThresholdRule.MISSED_IN_ROW,
        enabled=False,
        reason="Buurvrouw komt wanneer het uitkomt",
        today=TODAY,
    )
    assert (done.clients, done.resolved) == (1, 1)
    (missed,) = _alerts(register, client.id, ThresholdRule.MISSED_IN_ROW)
    assert missed.resolution_note == "Automatisch opgelost: signaalgrens uitgezet."
    done = services.clear_threshold(register, client.id, ThresholdRule.MISSED_IN_ROW, TODAY)
    assert (done.clients, done.raised) == (1, 1)


# --- a member's involvement ends -----------------------------------------------------------------


def test_a_member_who_moved_away_leaves_the_network_and_the_documents_with_history_kept(
    register, fatima
):
    client, neighbour, visit = fatima
    services.log_contact(
        register,
        ContactInput(client.id, TODAY - timedelta(days=30), Channel.VISIT, Outcome.GOOD, visit.id),
        TODAY,
    )
    data = MemberInput(
        "Ayşe Yılmaz",
        MemberKind.INFORMAL,
        relation="buurvrouw",
        phone="06-12345678",
        consent_to_share=True,
        consent_on=OPENED,
    )
    services.update_member(register, neighbour.id, neighbour.version, data, TODAY)
    services.update_agreement(
        register,
        visit.id,
        agreement_for_edit(register, visit.id)[1],
        AgreementInput(Channel.VISIT, OPENED, member_id=neighbour.id, interval_days=7, shared=True),
        TODAY,
    )
    services.add_signal(
        register,
        client.id,
        SignalInput(SignalPhase.ORANGE, "Gordijnen dicht", whom_to_call="Ayşe Yılmaz: 06-12345678"),
    )
    missed = _alerts(register, client.id, ThresholdRule.MISSED_IN_ROW)[-1]
    assert missed.status is AlertStatus.OPEN
    member_version = member_for_edit(register, neighbour.id)[2]

    with pytest.raises(ValidationError, match="toekomst"):
        services.end_member(
            register,
            neighbour.id,
            member_version,
            ended_on=TODAY + timedelta(days=1),
            reason="verhuisd",
            today=TODAY,
        )
    services.end_member(
        register, neighbour.id, member_version, ended_on=TODAY, reason="verhuisd", today=TODAY
    )

    with register.read() as session:
        member = session.get(NetworkMember, neighbour.id)
        assert (member.active, member.ended_on, member.ended_reason) == (False, TODAY, "verhuisd")
        assert member.consent_to_share is False
        agreement = session.get(ContactAgreement, visit.id)
        assert (agreement.active, agreement.end_on, agreement.next_due) == (False, TODAY, None)
    missed = _alerts(register, client.id, ThresholdRule.MISSED_IN_ROW)[-1]
    assert missed.status is AlertStatus.RESOLVED
    assert missed.resolution_note == (
        "Automatisch opgelost: Ayşe Yılmaz is niet meer betrokken (verhuisd)."
    )
    assert _overdue_everywhere(register, client.id, TODAY) == {
        "vandaag": 0,
        "overdue": 0,
        "team": 0,
    }
    doc = document.build(sharing.sharing_facts(register, client.id), TODAY, 1)
    assert doc.members == []
    assert [a.id for a in doc.ended] == [visit.id]
    (line,) = doc.plan[SignalPhase.ORANGE]
    assert line.whom_to_call == "(niet gedeeld): (niet gedeeld)"
    assert any("Ayşe Yılmaz, die niet meer bij het netwerk betrokken is" in r for r in doc.left_out)
    file = client_file(register, client.id, TODAY)
    (row,) = file.members
    assert (row.name, row.ended_on, row.ended_reason) == ("Ayşe Yılmaz", TODAY, "verhuisd")
    assert file.network_summary.startswith("Geen informeel netwerk")
    assert any(e.kind == "contact" for e in client_timeline(register, client.id))

    with pytest.raises(ConflictError, match="al niet meer betrokken"):
        services.end_member(
            register,
            neighbour.id,
            member_version + 1,
            ended_on=TODAY,
            reason="verhuisd",
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="niet meer betrokken"):
        services.add_agreement(
            register,
            client.id,
            AgreementInput(Channel.PHONE, TODAY, member_id=neighbour.id, interval_days=7),
            TODAY,
        )


def test_a_past_date_within_the_grace_days_says_over_tijd_everywhere(register, fatima):
    from wijkteam_tui.cli.reports import vandaag_text
    from wijkteam_tui.views.client_file import agreement_state
    from wijkteam_tui.views.text import due_text, soon_text

    client, _, visit = fatima
    settings, version = team_settings_for_edit(register)
    update_team_settings(register, version, replace(settings, grace_days=5))
    services.log_contact(
        register, ContactInput(client.id, TODAY, Channel.VISIT, Outcome.GOOD, visit.id), TODAY
    )
    # Due on 6 December; on the 9th it is three days past the date, late only after the 11th.
    later = TODAY + timedelta(days=17)
    soon = [i for i in today_list(register, register.user.id, later).due_soon]
    assert [(i.agreement_id, i.next_due) for i in soon] == [(visit.id, date(2026, 12, 6))]
    assert soon_text(soon[0].next_due, later) == "3d over tijd"
    assert "3 dg over tijd" in vandaag_text(register, later)
    row = next(a for a in client_file(register, client.id, later).agreements
               if a.id == visit.id)  # fmt: skip
    assert agreement_state(row, later) == "3 dagen over tijd"
    assert due_text(row.next_due, later, overdue=False).endswith("(3 dagen over tijd)")
    # After the grace days it is te laat, in the same words as before.
    late = TODAY + timedelta(days=21)
    row = next(a for a in client_file(register, client.id, late).agreements
               if a.id == visit.id)  # fmt: skip
    assert agreement_state(row, late) == "7 dagen te laat"
    assert due_text(row.next_due, late).endswith("(7 dagen te laat)")
