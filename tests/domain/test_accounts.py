"""Waiting after wrong passphrases: the schedule and how the wait reads."""

from __future__ import annotations

from wijkteam_tui.domain.accounts import FREE_ATTEMPTS, failure_delay, seconds_text


def test_after_three_wrong_passphrases_each_try_waits_twice_as_long_up_to_a_minute():
    assert FREE_ATTEMPTS == 3
    assert [failure_delay(n) for n in range(1, 9)] == [0, 0, 2, 4, 8, 16, 32, 60]
    assert failure_delay(30) == 60
    assert failure_delay(10**9) == 60


def test_the_wait_reads_in_whole_seconds_rounded_up_with_dutch_singular():
    assert seconds_text(1) == "1 seconde"
    assert seconds_text(0.3) == "1 seconde"
    assert seconds_text(1.2) == "2 seconden"
    assert seconds_text(8) == "8 seconden"
