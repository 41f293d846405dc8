"""What a reminder may say, whatever the register holds: never the plan, a signal or a
signalering, a note, an agreement's description, the client's own words or another member's
name (hypothesis: random texts in each, the whole message searched, headers and calendar entry
included)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store.conftest import TODAY
from wijkteam_tui.domain.terms import Channel, MemberKind, SignalPhase
from wijkteam_tui.mail.remind import compose
from wijkteam_tui.store import services
from wijkteam_tui.store.mail import reminders
from wijkteam_tui.store.mail.config import MailInput
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    MemberInput,
    ObservationInput,
    SignalInput,
)

pytestmark = pytest.mark.local_only

SETTINGS = MailInput("localhost", 25, "geen", "team@wijkteam.example", "Wijkteam Oost")
#: Secrets: long enough that no fixed word of a message holds one by chance.
secret = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=9, max_size=20)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    plan=secret,
    sign=secret,
    note=secret,
    description=secret,
    own_words=secret,
    other=secret,
    member_notes=secret,
    channel=st.sampled_from(list(Channel)),
)
def test_a_reminder_never_says_what_it_may_not(  # noqa: PLR0917 (hypothesis gives them)
    register, plan, sign, note, description, own_words, other, member_notes, channel
):
    client = services.create_client(
        register,
        ClientInput("Kees Bakker", TODAY - timedelta(days=60), own_words=own_words),
        TODAY,
    )
    fenna = services.add_member(
        register,
        client.id,
        MemberInput(
            "Fenna de Vries", MemberKind.INFORMAL, email="fenna@example.nl",
            remind_by_mail=True, notes=member_notes,
        ),
        TODAY,
    )  # fmt: skip
    services.add_member(
        register,
        client.id,
        MemberInput(f"Anton {other}", MemberKind.INFORMAL, email="anton@example.nl"),
        TODAY,
    )
    services.add_agreement(
        register,
        client.id,
        AgreementInput(
            channel, TODAY - timedelta(days=6), member_id=fenna.id, interval_days=7,
            description=description,
        ),
        TODAY,
    )  # fmt: skip
    made = services.add_signal(
        register, client.id, SignalInput(SignalPhase.ORANGE, sign, own_actions=plan)
    )
    services.record_observation(
        register,
        ObservationInput(client.id, SignalPhase.ORANGE, TODAY, made.id, note=note),
        TODAY,
    )
    [due] = [d for d in reminders.due_reminders(register, TODAY) if d.client_id == client.id]
    message = compose(SETTINGS, due, reminders.wording(register), TODAY)
    raw = message.as_bytes().decode("utf-8").lower()
    for kept in (plan, sign, note, description, own_words, other, member_notes):
        assert kept.lower() not in raw
    assert "kees" in raw and "fenna" in raw
