"""Contact schedules: due dates, overdue, snoozes, end dates, DST and leap days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkteam_tui.domain.schedules import (
    REAL_CONTACT,
    DueState,
    Schedule,
    due_moments,
    due_state,
    next_due,
    occurrences_missed,
    validate_rrule,
)
from wijkteam_tui.domain.terms import Outcome

START = date(2026, 1, 5)
RULES = (
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
    "FREQ=MONTHLY;BYMONTHDAY=1",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=DAILY;INTERVAL=3",
)


def test_an_interval_agreement_is_due_n_days_after_the_last_contact():
    schedule = Schedule(start_on=START, interval_days=14)
    assert next_due(schedule, None) == START + timedelta(days=14)
    assert next_due(schedule, date(2026, 3, 3)) == date(2026, 3, 17)


def test_a_calendar_agreement_is_due_on_the_first_occurrence_after_the_last_contact():
    tuesdays = Schedule(start_on=START, rrule="FREQ=WEEKLY;BYDAY=TU")  # START is a Monday
    assert next_due(tuesdays, None) == date(2026, 1, 6)
    assert next_due(tuesdays, date(2026, 1, 6)) == date(2026, 1, 13)  # contact on the Tuesday
    assert next_due(tuesdays, date(2026, 1, 8)) == date(2026, 1, 13)


def test_nothing_is_due_after_the_end_date():
    schedule = Schedule(start_on=START, interval_days=14, end_on=date(2026, 1, 31))
    assert next_due(schedule, date(2026, 1, 10)) == date(2026, 1, 24)
    assert next_due(schedule, date(2026, 1, 24)) is None
    assert due_state(None, date(2026, 2, 10), 0) is DueState.ENDED


def test_overdue_counts_the_grace_days_and_binnenkort_is_within_a_week():
    due = date(2026, 3, 10)
    assert due_state(due, date(2026, 3, 2), 0) is DueState.LATER
    assert due_state(due, date(2026, 3, 3), 0) is DueState.SOON
    assert due_state(due, date(2026, 3, 10), 0) is DueState.SOON
    assert due_state(due, date(2026, 3, 11), 0) is DueState.OVERDUE
    assert due_state(due, date(2026, 3, 12), 2) is DueState.SOON
    assert due_state(due, date(2026, 3, 13), 2) is DueState.OVERDUE


def test_a_snooze_holds_through_its_end_date_and_then_is_void():
    due = date(2026, 3, 1)
    assert due_state(due, date(2026, 3, 20), 0, snoozed_until=date(2026, 3, 20)) is (
        DueState.SNOOZED
    )
    assert due_state(due, date(2026, 3, 21), 0, snoozed_until=date(2026, 3, 20)) is (
        DueState.OVERDUE
    )


def test_dst_changes_do_not_shift_due_dates():
    # Europe/Amsterdam switches to summer time on 29 March 2026 and back on 25 October.
    assert next_due(Schedule(start_on=START, interval_days=7), date(2026, 3, 26)) == date(
        2026, 4, 2
    )
    assert next_due(Schedule(start_on=START, interval_days=7), date(2026, 10, 22)) == date(
        2026, 10, 29
    )
    sundays = Schedule(start_on=START, rrule="FREQ=WEEKLY;BYDAY=SU")
    assert next_due(sundays, date(2026, 3, 22)) == date(2026, 3, 29)
    assert next_due(sundays, date(2026, 10, 18)) == date(2026, 10, 25)


def test_leap_days():
    assert next_due(Schedule(start_on=START, interval_days=1), date(2028, 2, 28)) == date(
        2028, 2, 29
    )
    leap = Schedule(start_on=date(2024, 2, 29), rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
    assert next_due(leap, date(2024, 2, 29)) == date(2028, 2, 29)
    monthly_31 = Schedule(start_on=START, rrule="FREQ=MONTHLY;BYMONTHDAY=31")
    # The 31st is the last day in a shorter month: February is not skipped.
    assert next_due(monthly_31, date(2026, 1, 31)) == date(2026, 2, 28)


def test_missed_occurrences_are_counted_since_the_last_contact():
    schedule = Schedule(start_on=START, interval_days=14)
    assert occurrences_missed(schedule, date(2026, 3, 1), date(2026, 3, 14), 0) == 0
    assert occurrences_missed(schedule, date(2026, 3, 1), date(2026, 3, 16), 0) == 1
    assert occurrences_missed(schedule, date(2026, 3, 1), date(2026, 4, 20), 0) == 3
    assert occurrences_missed(schedule, date(2026, 3, 1), date(2026, 4, 20), 9) == 2


def test_due_states_have_dutch_labels_for_the_screen():
    assert [state.label for state in DueState] == [
        "te laat",
        "binnenkort",
        "later",
        "uitgesteld",
        "beëindigd",
    ]


def test_only_goed_and_zorgen_count_as_contact():
    assert set(REAL_CONTACT) == {Outcome.GOOD, Outcome.CONCERNS}
    assert Outcome.NOT_REACHED not in REAL_CONTACT


def test_a_bad_rrule_is_refused():
    with pytest.raises(ValueError):
        validate_rrule("FREQ=SOMETIMES", START)


schedules = st.one_of(
    st.builds(
        Schedule,
        start_on=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
        interval_days=st.integers(1, 90),
    ),
    st.builds(
        Schedule,
        start_on=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
        rrule=st.sampled_from(RULES),
    ),
)


def _overdue_days(schedule: Schedule, last: date | None, today: date, grace: int) -> int:
    due = next_due(schedule, last)
    if due is None or due_state(due, today, grace) is not DueState.OVERDUE:
        return 0
    return (today - due).days


@given(
    schedule=schedules,
    last_offset=st.one_of(st.none(), st.integers(0, 400)),
    contact_offset=st.integers(0, 400),
    today_offset=st.integers(0, 500),
    grace=st.integers(0, 7),
)
def test_logging_a_contact_never_makes_an_agreement_more_overdue(
    schedule, last_offset, contact_offset, today_offset, grace
):
    today = schedule.start_on + timedelta(days=today_offset)
    last = None if last_offset is None else min(today, schedule.start_on + timedelta(last_offset))
    contact = min(today, schedule.start_on + timedelta(days=contact_offset))
    after = contact if last is None else max(last, contact)
    assert _overdue_days(schedule, after, today, grace) <= _overdue_days(
        schedule, last, today, grace
    )


@given(schedule=schedules, today_offset=st.integers(0, 800), grace=st.integers(0, 7))
def test_completing_an_item_today_never_leaves_it_overdue(schedule, today_offset, grace):
    today = schedule.start_on + timedelta(days=today_offset)
    due = next_due(schedule, today)
    assert due is None or due > today


@given(schedule=schedules, last_offset=st.integers(0, 400))
def test_the_next_due_date_lies_after_the_last_contact(schedule, last_offset):
    last = schedule.start_on + timedelta(days=last_offset)
    due = next_due(schedule, last)
    assert due is None or due > last


_RULES = (*RULES, "FREQ=MONTHLY", "FREQ=MONTHLY;BYDAY=1WE", "FREQ=DAILY;COUNT=12")


@st.composite
def _schedules(draw) -> Schedule:
    start = draw(st.dates(date(2025, 1, 1), date(2026, 12, 31)))
    end = draw(st.one_of(st.none(), st.dates(start, date(2027, 6, 30))))
    if draw(st.booleans()):
        return Schedule(start, interval_days=draw(st.integers(1, 45)), end_on=end)
    return Schedule(start, rrule=draw(st.sampled_from(_RULES)), end_on=end)


@given(
    schedule=_schedules(),
    last=st.one_of(st.none(), st.dates(date(2024, 6, 1), date(2027, 1, 31))),
)
def test_the_due_moments_are_next_due_applied_again_and_again(schedule, last):
    """The one walk through a schedule gives what asking `next_due` each time gives."""
    expected = []
    due = next_due(schedule, last)
    while due is not None and len(expected) < 60:
        expected.append(due)
        due = next_due(schedule, due)
    walked = []
    for due in due_moments(schedule, last):
        walked.append(due)
        if len(walked) == 60:
            break
    assert walked == expected
