"""The pure rules of the teamleider's review."""

from __future__ import annotations

from datetime import date

import pytest

from wijkteam_tui.domain.team import (
    is_urgent,
    latest_days,
    postcode_area,
    sparkline,
    trend_weeks,
    week_start,
    weekly,
)
from wijkteam_tui.domain.terms import ThresholdRule


def test_signals_from_the_plan_are_urgent_and_slipping_contact_is_not():
    assert is_urgent(ThresholdRule.ORANGE_OR_RED)
    assert is_urgent(ThresholdRule.OBSERVATION_FREQUENCY)
    assert not is_urgent(ThresholdRule.OUT_OF_VIEW)
    assert not is_urgent(ThresholdRule.MISSED_IN_ROW)


@pytest.mark.parametrize(
    ("typed", "area"),
    [("12", "12"), (" 1234 ", "1234"), ("1234ab", "1234 AB"), ("1234 a", "1234 A"), ("", "")],
)
def test_a_postcode_area_is_the_start_of_a_postcode(typed, area):
    assert postcode_area(typed) == area


@pytest.mark.parametrize("typed", ["abcd", "12345", "1234 ABC", "12ab", "1'; DROP", "%"])
def test_anything_else_is_no_postcode_area(typed):
    with pytest.raises(ValueError, match="postcode"):
        postcode_area(typed)


def test_twelve_weeks_end_with_this_week_and_take_the_latest_day_of_each():
    today = date(2026, 11, 22)  # a Sunday
    weeks = trend_weeks(today)
    assert len(weeks) == 12 and weeks[-1] == date(2026, 11, 16) == week_start(today)
    assert all(monday.weekday() == 0 for monday in weeks)
    daily = {date(2026, 11, 16): 4, date(2026, 11, 19): 6, date(2026, 11, 10): 3}
    assert weekly(daily, weeks)[-3:] == [None, 3, 6]
    assert latest_days(daily, weeks)[-3:] == [None, date(2026, 11, 10), date(2026, 11, 19)]


def test_a_sparkline_scales_to_the_highest_and_shows_gaps():
    assert sparkline([0, 4, 8]) == "▁▅█"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([None, 2]) == "·█"
    assert sparkline([]) == ""
