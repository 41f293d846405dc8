"""Consent to be reminded by mail: separate from consent to be shared, with its date and
review date, needing an e-mail address, withdrawn with one call, gone when a member's
involvement ends; and the number of days before a moment an agreement reminds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from wijkteam_tui.domain.network import consents_text
from wijkteam_tui.domain.terms import Channel, MemberKind
from wijkteam_tui.errors import ConflictError, ValidationError
from wijkteam_tui.store import services
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.models import ContactAgreement, NetworkMember
from wijkteam_tui.store.read.client_file import client_file
from wijkteam_tui.store.read.edit import agreement_for_edit, member_for_edit
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput

TODAY = date(2026, 12, 3)
FENNA = MemberInput("Fenna de Vries", MemberKind.INFORMAL, email="fenna@example.nl")


def _member(register, member_id: int) -> NetworkMember:
    with register.read() as session:
        member = session.get(NetworkMember, member_id)
        session.expunge(member)
        return member


@pytest.fixture
def kees(register):
    return services.create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)


def test_consent_to_be_reminded_is_recorded_with_its_date_and_review_date(register, kees):
    made = services.add_member(register, kees.id, replace(FENNA, remind_by_mail=True), TODAY)
    fenna = _member(register, made.id)
    assert (fenna.remind_by_mail, fenna.remind_consent_on) == (True, TODAY)
    assert fenna.remind_review_on == TODAY + timedelta(days=365)
    # Separate from consent to be shared.
    assert (fenna.consent_to_share, fenna.consent_recorded_on) == (False, None)
    # Changing something else keeps the date it was given.
    _, data, version = member_for_edit(register, made.id)
    assert data.remind_by_mail and data.remind_on == TODAY
    later = TODAY + timedelta(days=30)
    services.update_member(register, made.id, version, replace(data, phone="0612345678"), later)
    assert _member(register, made.id).remind_consent_on == TODAY


def test_consent_to_be_reminded_takes_its_own_dates(register, kees):
    given, review = TODAY - timedelta(days=10), TODAY + timedelta(days=90)
    data = replace(FENNA, remind_by_mail=True, remind_on=given, remind_review_on=review)
    made = services.add_member(register, kees.id, data, TODAY)
    fenna = _member(register, made.id)
    assert (fenna.remind_consent_on, fenna.remind_review_on) == (given, review)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "alleen met een e-mailadres"),
        ({"email": "fenna@"}, "email", "geen e-mailadres"),
        ({"remind_on": TODAY + timedelta(days=1)}, "remind_on", "in de toekomst"),
        ({"remind_review_on": TODAY - timedelta(days=1)}, "remind_review_on", "opnieuw te vragen"),
    ],
)
def test_wrong_consent_to_be_reminded_is_refused_and_nothing_saved(
    register, kees, changes, field, message
):
    data = replace(FENNA, remind_by_mail=True, **changes)
    with pytest.raises(ValidationError, match=message) as refused:
        services.add_member(register, kees.id, data, TODAY)
    assert refused.value.field == field
    assert client_file(register, kees.id, TODAY).members == []


def test_withdrawing_consent_to_be_reminded_takes_one_call_and_is_audited(register, kees):
    made = services.add_member(register, kees.id, replace(FENNA, remind_by_mail=True), TODAY)
    services.stop_reminding(register, made.id, made.version)
    fenna = _member(register, made.id)
    assert (fenna.remind_by_mail, fenna.remind_consent_on, fenna.remind_review_on) == (
        False,
        None,
        None,
    )
    assert fenna.email == "fenna@example.nl"  # the address stays; only the consent goes
    with pytest.raises(ConflictError, match="krijgt al geen herinneringen"):
        services.stop_reminding(register, made.id, fenna.version)
    changed = [
        e
        for e in log.events(register)
        if e.object_type == "network_members" and e.action == "update"
    ]
    assert "remind_by_mail" in changed[-1].detail
    assert log.FIELD_LABELS["remind_by_mail"] == "herinneren per mail"


def test_a_member_whose_involvement_ends_is_no_longer_reminded(register, kees):
    made = services.add_member(register, kees.id, replace(FENNA, remind_by_mail=True), TODAY)
    services.end_member(
        register, made.id, made.version, ended_on=TODAY, reason="verhuisd", today=TODAY
    )
    assert _member(register, made.id).remind_by_mail is False


def test_the_network_list_says_both_consents_in_one_column():
    soon, past = TODAY + timedelta(days=5), TODAY - timedelta(days=1)
    assert consents_text(True, soon, True, soon, TODAY) == "ja, mail"
    assert consents_text(True, None, False, None, TODAY) == "ja"
    assert consents_text(False, None, True, soon, TODAY) == "mail"
    assert consents_text(False, None, False, None, TODAY) == "nee"
    assert consents_text(True, soon, True, past, TODAY) == "vernieuwen"
    assert consents_text(True, past, False, None, TODAY) == "vernieuwen"


def test_an_agreement_reminds_a_day_before_unless_told_otherwise(register, kees):
    fenna = services.add_member(register, kees.id, FENNA, TODAY)
    call = AgreementInput(Channel.PHONE, TODAY, member_id=fenna.id, interval_days=7)
    made = services.add_agreement(register, kees.id, call, TODAY)
    data, version = agreement_for_edit(register, made.id)
    assert data.remind_days_before == 1
    services.update_agreement(
        register, made.id, version, replace(data, remind_days_before=None), TODAY
    )
    with register.read() as session:
        assert session.get(ContactAgreement, made.id).remind_days_before is None
    for wrong in (-1, 15):
        with pytest.raises(ValidationError, match="0 tot 14 dagen") as refused:
            services.add_agreement(
                register, kees.id, replace(call, remind_days_before=wrong), TODAY
            )
        assert refused.value.field == "remind"
