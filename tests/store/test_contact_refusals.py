"""Every refusal of logging a contact, each reached, and each leaving the register as it was."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome, Phase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store import services
from wijkteam_tui.store.models import Client, ContactMoment
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput

TODAY = date(2026, 11, 22)
OPENED = date(2026, 9, 1)


def _moments(register) -> int:  # type: ignore[no-untyped-def]
    with register.read() as session:
        return int(session.scalar(select(func.count()).select_from(ContactMoment)) or 0)


@pytest.fixture
def two_clients(register):  # type: ignore[no-untyped-def]
    """Two clients, each with a neighbour and an agreement with them."""
    made = []
    for name in ("Fatima El Amrani", "Kees Pietersz"):
        client = services.create_client(register, ClientInput(name=name, opened_on=OPENED), TODAY)
        member = services.add_member(
            register, client.id, MemberInput(name=f"Buur van {name}", kind=MemberKind.INFORMAL),
            TODAY,
        )  # fmt: skip
        agreement = services.add_agreement(
            register,
            client.id,
            AgreementInput(Channel.VISIT, OPENED, member_id=member.id, interval_days=14),
            TODAY,
        )
        made.append((client.id, member.id, agreement.id))
    return made


def test_every_refusal_of_a_contact_is_said_and_saves_nothing(register, two_clients):
    (fatima, _, visit), (kees, kees_neighbour, kees_visit) = two_clients
    refusals = {
        "toekomst": ContactInput(fatima, TODAY + timedelta(1), Channel.VISIT, Outcome.GOOD, visit),
        "bestaat niet": ContactInput(999, TODAY, Channel.VISIT, Outcome.GOOD),
        "ver voor de start": ContactInput(
            fatima, OPENED - timedelta(days=400), Channel.VISIT, Outcome.GOOD
        ),
        "afspraak hoort niet": ContactInput(fatima, TODAY, Channel.VISIT, Outcome.GOOD, kees_visit),
        "netwerklid hoort niet": ContactInput(
            fatima, TODAY, Channel.VISIT, Outcome.GOOD, member_id=kees_neighbour
        ),
    }
    before = _moments(register)
    for message, data in refusals.items():
        with pytest.raises(ValidationError, match=message):
            services.log_contact(register, data, TODAY)
    # A closed file: closed as a teamleider's decision would leave it.
    with register.write() as session:
        client = session.get(Client, kees)
        assert client is not None
        client.phase = Phase.CLOSED
    with pytest.raises(ValidationError, match="afgesloten"):
        services.log_contact(
            register, ContactInput(kees, TODAY, Channel.VISIT, Outcome.GOOD, kees_visit), TODAY
        )
    assert _moments(register) == before, "nothing was saved"
