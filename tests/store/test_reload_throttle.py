"""However often commits are announced (a colleague's tool sending `NOTIFY wijkteam` in a loop),
screens read anew at most once a second, and the last change of a burst is never lost."""

from __future__ import annotations

import itertools

from wijkteam_tui.store.freshness import MIN_RELOAD_SECONDS, Throttle


def test_a_flood_of_announcements_reloads_at_most_once_a_second():
    throttle = Throttle()
    looks = [i * 0.5 for i in range(21)]  # ten seconds of looks, a change seen at every one
    reloads = [t for t in looks if throttle.ready(True, t)]
    assert len(reloads) <= 10 / MIN_RELOAD_SECONDS + 1
    assert all(b - a >= MIN_RELOAD_SECONDS for a, b in itertools.pairwise(reloads))


def test_a_change_after_a_quiet_spell_shows_at_once_and_the_last_of_a_burst_is_kept():
    throttle = Throttle()
    assert throttle.ready(True, 100.0)
    assert not throttle.ready(True, 100.5)  # too soon: kept for later
    assert throttle.ready(False, 101.0)  # the kept change, a second after the last
    assert not throttle.ready(False, 105.0)  # nothing new
