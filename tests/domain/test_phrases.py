"""Dutch "how often" phrases become the right interval or RRULE, and the dates previewed before
saving are the dates the engine later makes due."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import NewRegister
from wijkteam_tui.domain.phrases import (
    HowOften,
    PhraseError,
    parse_how_often,
    phrase_of,
    preview,
)
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome
from wijkteam_tui.store.models import ContactAgreement
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput
from wijkteam_tui.store.services import add_agreement, add_member, create_client, log_contact

MONDAY = date(2026, 11, 23)
WEEK = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("elke 14 dagen", HowOften(interval_days=14)),
        ("14", HowOften(interval_days=14)),
        ("om de week", HowOften(interval_days=14)),
        ("elke drie weken", HowOften(interval_days=21)),
        ("wekelijks", HowOften(interval_days=7)),
        ("elke dinsdag", HowOften(rrule="FREQ=WEEKLY;BYDAY=TU")),
        ("Dinsdagen", HowOften(rrule="FREQ=WEEKLY;BYDAY=TU")),
        ("elke do en ma", HowOften(rrule="FREQ=WEEKLY;BYDAY=MO,TH")),
        ("elke 2 weken op ma en do", HowOften(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH")),
        ("eerste maandag van de maand", HowOften(rrule="FREQ=MONTHLY;BYDAY=1MO")),
        ("laatste vrijdag van de maand", HowOften(rrule="FREQ=MONTHLY;BYDAY=-1FR")),
        ("maandelijks", HowOften(rrule="FREQ=MONTHLY")),
    ],
)
def test_dutch_phrases_become_intervals_and_rrules(phrase: str, expected: HowOften):
    assert parse_how_often(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("", "Vul in hoe vaak"),
        ("soms", "begrijp ik niet"),
        ("0 dagen", "minstens eens per jaar"),
        ("eerste blub van de maand", "geen dag van de week"),
    ],
)
def test_what_is_not_understood_says_so_in_dutch(phrase: str, message: str):
    with pytest.raises(PhraseError, match=message):
        parse_how_often(phrase)


def test_the_preview_of_eerste_maandag_is_five_first_mondays():
    dates = preview(parse_how_often("eerste maandag van de maand"), MONDAY)
    assert dates == [
        date(2026, 12, 7),
        date(2027, 1, 4),
        date(2027, 2, 1),
        date(2027, 3, 1),
        date(2027, 4, 5),
    ]
    assert preview(parse_how_often("elke dinsdag"), MONDAY, end_on=date(2026, 12, 2)) == [
        date(2026, 11, 24),
        date(2026, 12, 1),
    ]


@pytest.mark.parametrize(
    "phrase", ["elke 10 dagen", "elke 2 weken op ma en do", "laatste vrijdag van de maand"]
)
def test_the_previewed_dates_are_the_dates_the_engine_makes_due(
    new_register: NewRegister, phrase: str
):
    register = new_register.register
    how = parse_how_often(phrase)
    expected = preview(how, MONDAY)
    client = create_client(register, ClientInput("Kees Bakker", MONDAY), MONDAY)
    member = add_member(register, client.id, MemberInput("Fenna", MemberKind.INFORMAL), MONDAY)
    agreement = add_agreement(
        register,
        client.id,
        AgreementInput(
            Channel.PHONE,
            MONDAY,
            member_id=member.id,
            interval_days=how.interval_days,
            rrule=how.rrule,
        ),
        MONDAY,
    )
    seen = []
    for _ in expected:
        with register.read() as session:
            due = session.scalar(
                select(ContactAgreement.next_due).where(ContactAgreement.id == agreement.id)
            )
        seen.append(due)
        log_contact(
            register,
            ContactInput(client.id, due, Channel.PHONE, Outcome.GOOD, agreement.id),
            due,
        )
    assert seen == expected


@given(
    st.one_of(
        st.integers(1, 366).map(lambda days: HowOften(interval_days=days)),
        st.builds(
            lambda weeks, days: HowOften(
                rrule="FREQ=WEEKLY"
                + (f";INTERVAL={weeks}" if weeks > 1 else "")
                + ";BYDAY="
                + ",".join(sorted(days, key=WEEK.index))
            ),
            st.integers(1, 52),
            st.sets(st.sampled_from(WEEK), min_size=1),
        ),
        st.builds(
            lambda ordinal, day: HowOften(rrule=f"FREQ=MONTHLY;BYDAY={ordinal}{day}"),
            st.sampled_from(["1", "2", "3", "4", "-1"]),
            st.sampled_from(WEEK),
        ),
        st.just(HowOften(rrule="FREQ=MONTHLY")),
        st.just(HowOften(rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=3")),
    )
)
def test_a_stored_schedule_said_in_words_reads_back_the_same(how: HowOften):
    """An edit form starts from the phrase of the stored schedule; saving it unchanged must
    store the same schedule."""
    assert parse_how_often(phrase_of(how)) == how


def test_stored_schedules_in_words():
    assert phrase_of(HowOften(interval_days=14)) == "elke 2 weken"
    assert phrase_of(HowOften(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH")) == (
        "elke 2 weken op ma en do"
    )
    assert phrase_of(HowOften(rrule="FREQ=MONTHLY;BYDAY=1MO")) == "eerste maandag van de maand"
