"""Dutch "how often" phrases become the right interval or RRULE, and the dates previewed before
saving are the dates the engine later makes due."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
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
from wijkteam_tui.export import document, markdown
from wijkteam_tui.store.models import ContactAgreement
from wijkteam_tui.store.read.client_file import client_file, contact_choices
from wijkteam_tui.store.read.edit import agreement_for_edit
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput
from wijkteam_tui.store.sharing import sharing_facts
from wijkteam_tui.store.write.agreements import add_agreement
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.contacts import log_contact
from wijkteam_tui.store.write.network import add_member

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
        ("elke werkdag", HowOften(rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")),
        ("om de week op woensdag", HowOften(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE")),
        ("wekelijks op dinsdag", HowOften(rrule="FREQ=WEEKLY;BYDAY=TU")),
        ("elke ma, wo en vr", HowOften(rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR")),
        ("eerste en derde dinsdag van de maand", HowOften(rrule="FREQ=MONTHLY;BYDAY=1TU,3TU")),
        (
            "eerste maandag en laatste vrijdag van de maand",
            HowOften(rrule="FREQ=MONTHLY;BYDAY=1MO,-1FR"),
        ),
        (
            "eerste dinsdag van elke tweede maand",
            HowOften(rrule="FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU"),
        ),
        ("elke 2 maanden", HowOften(rrule="FREQ=MONTHLY;INTERVAL=2")),
        ("elk kwartaal", HowOften(rrule="FREQ=MONTHLY;INTERVAL=3")),
        ("elke veertien dagen", HowOften(interval_days=14)),
        ("elke maand op de 31e", HowOften(rrule="FREQ=MONTHLY;BYMONTHDAY=31")),
        ("laatste dag van de maand", HowOften(rrule="FREQ=MONTHLY;BYMONTHDAY=-1")),
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
        ("elke op", "begrijp ik niet"),
        ("elke en", "begrijp ik niet"),
        ("elke doen", "begrijp ik niet"),
        ("op dinsdag", "bijv. elke dinsdag of om de week op dinsdag"),
        ("eerste maandag en dinsdag van de maand", "Welke dinsdag van de maand"),
        ("eerste maandag of dinsdag van de maand", "'of' laat de keuze open"),
        ("elke maandag of dinsdag", "'of' laat de keuze open"),
        ("vijfde dinsdag van de maand", "eerste, tweede, derde, vierde of laatste"),
        ("elke maand op de 32e", "geen dag van de maand"),
        ("FREQ=SOMETIMES", "niet begrepen"),
        ("FREQ=DAILY;INTERVAL=99999999", "niet begrepen"),
        ("FREQ=HOURLY", "niet begrepen"),
    ],
)
def test_what_is_not_understood_is_refused_in_dutch_with_an_example(phrase: str, message: str):
    """Never misread: "eerste maandag en dinsdag" used to become the first Monday only, "doen"
    a Thursday, and "elke op" a rule without days that crashed the form."""
    with pytest.raises(PhraseError, match=message) as refused:
        parse_how_often(phrase)
    assert "bijv." in str(refused.value)


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
            lambda months, picks: HowOften(
                rrule="FREQ=MONTHLY"
                + (f";INTERVAL={months}" if months > 1 else "")
                + ";BYDAY="
                + ",".join(
                    f"{n}{day}"
                    for n, day in sorted(picks, key=lambda p: (WEEK.index(p[1]), int(p[0]) % 6))
                )
            ),
            st.integers(1, 12),
            st.sets(
                st.tuples(st.sampled_from(["1", "2", "3", "4", "-1"]), st.sampled_from(WEEK)),
                min_size=1,
            ),
        ),
        st.builds(
            lambda months, day: HowOften(
                rrule="FREQ=MONTHLY" + (f";INTERVAL={months}" if months > 1 else "") + day
            ),
            st.integers(1, 12),
            st.sampled_from(["", ";BYMONTHDAY=-1", *(f";BYMONTHDAY={d}" for d in range(1, 32))]),
        ),
        st.just(HowOften(rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=3")),
    )
)
def test_a_stored_schedule_said_in_words_reads_back_the_same(how: HowOften):
    """An edit form starts from the phrase of the stored schedule; saving it unchanged must
    store the same schedule."""
    assert parse_how_often(phrase_of(how)) == how


def test_stored_schedules_in_words_with_whole_day_names():
    assert phrase_of(HowOften(interval_days=14)) == "elke 2 weken"
    assert phrase_of(HowOften(interval_days=10)) == "elke 10 dagen"
    assert phrase_of(HowOften(rrule="FREQ=WEEKLY;BYDAY=TU")) == "elke dinsdag"
    assert phrase_of(HowOften(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH")) == (
        "elke 2 weken op maandag en donderdag"
    )
    assert phrase_of(HowOften(rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR")) == (
        "elke maandag, woensdag en vrijdag"
    )
    assert phrase_of(HowOften(rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")) == "elke werkdag"
    assert phrase_of(HowOften(rrule="FREQ=MONTHLY;BYDAY=1MO")) == "eerste maandag van de maand"
    assert phrase_of(HowOften(rrule="FREQ=MONTHLY;BYDAY=1TU,3TU")) == (
        "eerste en derde dinsdag van de maand"
    )
    assert phrase_of(HowOften(rrule="FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU")) == (
        "eerste dinsdag van elke tweede maand"
    )
    assert phrase_of(HowOften(rrule="FREQ=MONTHLY;INTERVAL=3")) == "elk kwartaal"
    assert phrase_of(HowOften(rrule="FREQ=MONTHLY;BYMONTHDAY=31")) == "elke maand op de 31e"


def test_the_lists_the_form_and_the_client_document_say_a_schedule_in_the_same_words(
    new_register: NewRegister,
):
    register = new_register.register
    client = create_client(register, ClientInput("Kees Bakker", MONDAY), MONDAY)
    member = add_member(
        register,
        client.id,
        MemberInput("Fenna", MemberKind.INFORMAL, consent_to_share=True, consent_on=MONDAY),
        MONDAY,
    )
    made = add_agreement(
        register,
        client.id,
        AgreementInput(
            Channel.VISIT,
            MONDAY,
            member_id=member.id,
            rrule="FREQ=WEEKLY;BYDAY=MO,TH",
            shared=True,
        ),
        MONDAY,
    )
    words = "elke maandag en donderdag"
    row = next(a for a in client_file(register, client.id, MONDAY).agreements if a.id == made.id)
    assert row.how_often == words
    assert [c.how_often for c in contact_choices(register, client.id, MONDAY)] == [words]
    edited, _ = agreement_for_edit(register, made.id)
    assert phrase_of(HowOften(edited.interval_days, edited.rrule)) == words
    shared = markdown.render(document.build(sharing_facts(register, client.id), MONDAY, 1))
    assert f"bezoek, {words} (sinds" in shared.lower()
    assert "ma, do" not in shared and "ma en do" not in shared


VOCABULARY = [
    "elke", "om", "de", "op", "en", "of", ",", "van", "maand", "maanden", "week", "weken",
    "dagen", "dinsdag", "ma", "werkdag", "eerste", "derde", "laatste", "tweede", "2", "14",
    "31e", "kwartaal", "wekelijks", "doen", "FREQ=WEEKLY;BYDAY=", "veertien",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.lists(st.sampled_from(VOCABULARY) | st.text(max_size=4), max_size=9).map(" ".join),
    )
)
def test_any_text_is_understood_exactly_or_refused_with_an_example(text: str):
    try:
        how = parse_how_often(text)
    except PhraseError as refused:
        assert "bijv." in str(refused)
        return
    assert parse_how_often(phrase_of(how)) == how
    assert preview(how, MONDAY, count=3)
