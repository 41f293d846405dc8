"""The computer's clock set back a day between two writes: nothing a person relies on moves
backwards (due dates, alert episodes), and `db check` reports the jump."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import run_cli
from tests.store.test_services import _client_last_seen_43_days_ago
from wijkteam_tui.domain.terms import AlertStatus, Channel, Outcome
from wijkteam_tui.store import services
from wijkteam_tui.store.models import Alert, Client, ContactAgreement
from wijkteam_tui.store.records import ContactInput


def _episodes(register, client_id: int) -> list[tuple[str, date, AlertStatus]]:
    with register.read() as session:
        return [
            (alert.fingerprint, alert.raised_on, alert.status)
            for alert in session.scalars(
                select(Alert).where(Alert.client_id == client_id).order_by(Alert.id)
            )
        ]


def test_a_clock_set_back_a_day_moves_no_due_date_and_no_alert_episode(new_register: NewRegister):
    register = new_register.register
    day = date.today()
    client = _client_last_seen_43_days_ago(register, day)
    assert services.evaluate_stale_clients(register, day) == 1
    raised = _episodes(register, client.id)
    assert any(on == day and status is AlertStatus.OPEN for _, on, status in raised), raised
    with register.read() as session:
        (agreement,) = session.scalars(select(ContactAgreement)).all()
        due_before = agreement.next_due
        last_before = session.get(Client, client.id).last_contact_on

    # The clock is set back a day; a call that did not reach anyone is logged (a write that
    # re-evaluates the client, on a day 42 instead of 43 days after the last real contact).
    yesterday = day - timedelta(days=1)
    services.log_contact(
        register,
        ContactInput(client.id, yesterday, Channel.PHONE, Outcome.NOT_REACHED, agreement.id),
        yesterday,
    )
    with register.read() as session:
        assert session.get(ContactAgreement, agreement.id).next_due == due_before
        assert session.get(Client, client.id).last_contact_on == last_before
    assert _episodes(register, client.id) == raised, "uit beeld stays open, not resolved"

    services.evaluate_stale_clients(register, day)  # the clock is put right again
    assert _episodes(register, client.id) == raised, "no episode raised a second time"


@pytest.mark.local_only  # db check reads a local register
def test_db_check_reports_a_clock_that_stands_before_what_the_register_has_seen(
    new_register: NewRegister,
):
    register = new_register.register
    tomorrow = date.today() + timedelta(days=1)  # written while the clock ran a day ahead
    _client_last_seen_43_days_ago(register, tomorrow)
    services.evaluate_stale_clients(register, tomorrow)
    register.close()
    result = run_cli(
        "db",
        "check",
        "--db",
        str(register.path),
        env={"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    assert "de klok is teruggezet of loopt achter" in result.stdout
    assert tomorrow.isoformat() in result.stdout
