"""Signaalgrenzen: each rule, stable fingerprints, idempotent evaluation, resolution."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from wijkteam_tui.domain.schedules import Schedule
from wijkteam_tui.domain.terms import Outcome, SignalPhase, ThresholdRule
from wijkteam_tui.domain.thresholds import (
    DEFAULT_THRESHOLDS,
    AgreementFacts,
    AlertCondition,
    ClientFacts,
    MomentFacts,
    ObservationFacts,
    StoredAlert,
    ThresholdSetting,
    effective_thresholds,
    evaluate,
    is_out_of_view,
    limit_count,
    limit_days,
    out_of_view_cutoff,
    reconcile,
    silent_days,
)

TODAY = date(2026, 11, 22)
DEFAULTS = effective_thresholds([])


def _facts(**values) -> ClientFacts:
    base = {
        "opened_on": date(2026, 1, 5),
        "last_contact_on": TODAY - timedelta(days=3),
        "agreements": [],
        "recent_moments": [],
        "observations": [],
    }
    base.update(values)
    return ClientFacts(**base)


def _rules(conditions) -> set[ThresholdRule]:
    return {c.rule for c in conditions}


def test_a_client_without_contact_for_more_than_42_days_is_out_of_view():
    facts = _facts(last_contact_on=TODAY - timedelta(days=43))
    (condition,) = evaluate(facts, TODAY, DEFAULTS, 0)
    assert condition.rule is ThresholdRule.OUT_OF_VIEW
    assert "43 dagen geen contact" in condition.reason
    assert evaluate(_facts(last_contact_on=TODAY - timedelta(days=42)), TODAY, DEFAULTS, 0) == []


def test_uit_beeld_means_silent_for_more_than_the_limit_since_the_last_contact_or_opening():
    opened = date(2026, 1, 5)
    assert silent_days(TODAY - timedelta(days=43), opened, TODAY) == 43
    assert silent_days(None, opened, TODAY) == (TODAY - opened).days
    assert is_out_of_view(TODAY - timedelta(days=43), opened, TODAY, 42)
    assert not is_out_of_view(TODAY - timedelta(days=42), opened, TODAY, 42)
    assert is_out_of_view(None, TODAY - timedelta(days=43), TODAY, 42)
    # The cutoff a query uses selects exactly the same clients.
    cutoff = out_of_view_cutoff(TODAY, 42)
    assert TODAY - timedelta(days=43) < cutoff <= TODAY - timedelta(days=42)


def test_a_setting_without_its_own_numbers_uses_the_defaults_table():
    for rule, default in DEFAULT_THRESHOLDS.items():
        bare = ThresholdSetting(rule)
        if default.days is not None:
            assert limit_days(bare) == default.days
        if default.count is not None:
            assert limit_count(bare) == default.count
    assert limit_days(ThresholdSetting(ThresholdRule.OUT_OF_VIEW, days=10)) == 10


def test_a_client_override_changes_the_limit():
    settings = effective_thresholds(
        [ThresholdSetting(ThresholdRule.OUT_OF_VIEW, days=30)],
        [ThresholdSetting(ThresholdRule.OUT_OF_VIEW, days=60)],
    )
    assert settings[ThresholdRule.OUT_OF_VIEW].days == 60
    assert evaluate(_facts(last_contact_on=TODAY - timedelta(days=50)), TODAY, settings, 0) == []
    off = effective_thresholds([], [ThresholdSetting(ThresholdRule.OUT_OF_VIEW, enabled=False)])
    assert evaluate(_facts(last_contact_on=TODAY - timedelta(days=400)), TODAY, off, 0) == []


def test_three_missed_agreed_contacts_in_a_row_raise_an_alert():
    agreement = AgreementFacts(
        id=7,
        schedule=Schedule(start_on=date(2026, 1, 5), interval_days=7),
        last_contact_on=TODAY - timedelta(days=22),
        active=True,
        snoozed_until=None,
        who="buurvrouw",
    )
    conditions = evaluate(_facts(agreements=[agreement]), TODAY, DEFAULTS, 0)
    assert _rules(conditions) == {ThresholdRule.MISSED_IN_ROW}
    assert "3 afgesproken contacten op rij gemist (buurvrouw)" in conditions[0].reason
    snoozed = AgreementFacts(**{**agreement.__dict__, "snoozed_until": TODAY})
    assert evaluate(_facts(agreements=[snoozed]), TODAY, DEFAULTS, 0) == []


def test_an_orange_or_red_observation_holds_until_a_green_one():
    orange = ObservationFacts(1, TODAY - timedelta(days=5), SignalPhase.ORANGE)
    red = ObservationFacts(2, TODAY - timedelta(days=2), SignalPhase.RED)
    green = ObservationFacts(3, TODAY - timedelta(days=1), SignalPhase.GREEN)
    (condition,) = evaluate(_facts(observations=[orange, red]), TODAY, DEFAULTS, 0)
    assert condition.rule is ThresholdRule.ORANGE_OR_RED
    assert condition.fingerprint == "signaal_oranje_rood:1"
    assert "rood" in condition.reason
    assert evaluate(_facts(observations=[orange, green]), TODAY, DEFAULTS, 0) == []


def test_many_observations_in_a_short_window():
    dates = [TODAY - timedelta(days=d) for d in (1, 5, 12)]
    observations = [
        ObservationFacts(i, on, SignalPhase.ORANGE if i else SignalPhase.GREEN)
        for i, on in enumerate(dates)
    ]
    # Two non-green in 14 days: no frequency alert (the green one does not count).
    assert ThresholdRule.OBSERVATION_FREQUENCY not in _rules(
        evaluate(_facts(observations=observations), TODAY, DEFAULTS, 0)
    )
    orange = [ObservationFacts(i + 1, on, SignalPhase.ORANGE) for i, on in enumerate(dates)]
    assert ThresholdRule.OBSERVATION_FREQUENCY in _rules(
        evaluate(_facts(observations=orange), TODAY, DEFAULTS, 0)
    )


def test_the_frequency_episode_is_stable_while_it_lasts():
    dates = [date(2026, 11, 1), date(2026, 11, 5), date(2026, 11, 9), date(2026, 11, 13)]
    observations = [ObservationFacts(i, d, SignalPhase.ORANGE) for i, d in enumerate(dates)]

    def fingerprint(today: date) -> str | None:
        for c in evaluate(_facts(observations=observations), today, DEFAULTS, 0):
            if c.rule is ThresholdRule.OBSERVATION_FREQUENCY:
                return c.fingerprint
        return None

    first = fingerprint(date(2026, 11, 9))
    assert first == "signaleringen_frequentie:2026-11-09"
    assert fingerprint(date(2026, 11, 14)) == first
    assert fingerprint(date(2026, 11, 18)) == first
    assert fingerprint(date(2026, 11, 19)) is None


def test_not_reached_twice_in_a_row():
    moments = [
        MomentFacts(TODAY - timedelta(days=1), Outcome.NOT_REACHED, 3),
        MomentFacts(TODAY - timedelta(days=4), Outcome.NOT_REACHED, 2),
        MomentFacts(TODAY - timedelta(days=9), Outcome.GOOD, 1),
    ]
    (condition,) = evaluate(_facts(recent_moments=moments), TODAY, DEFAULTS, 0)
    assert condition.rule is ThresholdRule.NOT_REACHED_IN_ROW
    assert condition.fingerprint.endswith(":2")
    assert evaluate(_facts(recent_moments=moments[1:]), TODAY, DEFAULTS, 0) == []


def test_a_closed_client_raises_nothing_and_resolves_with_a_note():
    facts = _facts(last_contact_on=TODAY - timedelta(days=100), closed=True)
    assert evaluate(facts, TODAY, DEFAULTS, 0) == []
    changes = reconcile([StoredAlert(5, "uit_beeld:x", False, "r")], [], closed=True)
    assert changes.resolve == [(5, "Cliënt afgesloten.")]


def test_a_cleared_condition_is_resolved_with_a_note_and_a_returning_one_reopens():
    stored = [StoredAlert(1, "uit_beeld:2026-01-01", False, "Uit beeld")]
    changes = reconcile(stored, [])
    assert changes.resolve == [(1, "Automatisch opgelost: er is weer contact geweest.")]
    (condition,) = evaluate(_facts(last_contact_on=date(2026, 1, 1)), TODAY, DEFAULTS, 0)
    resolved = [StoredAlert(1, condition.fingerprint, True, condition.reason)]
    assert reconcile(resolved, [condition]).reopen == [(1, condition)]


facts_strategy = st.builds(
    _facts,
    last_contact_on=st.one_of(st.none(), st.dates(date(2025, 1, 1), TODAY)),
    recent_moments=st.lists(
        st.builds(
            MomentFacts,
            occurred_on=st.dates(date(2026, 6, 1), TODAY),
            outcome=st.sampled_from(list(Outcome)),
            id=st.integers(1, 10_000),
        ),
        max_size=6,
    ),
    observations=st.lists(
        st.builds(
            ObservationFacts,
            id=st.integers(1, 10_000),
            observed_on=st.dates(date(2026, 1, 1), TODAY),
            phase=st.sampled_from(list(SignalPhase)),
        ),
        max_size=8,
    ),
)


@given(facts=facts_strategy)
def test_evaluating_twice_gives_the_same_alerts_and_changes_nothing(facts):
    first = evaluate(facts, TODAY, DEFAULTS, 0)
    second = evaluate(facts, TODAY, DEFAULTS, 0)
    assert first == second
    stored = [StoredAlert(i, c.fingerprint, False, c.reason) for i, c in enumerate(first)]
    changes = reconcile(stored, second)
    assert not (changes.raise_new or changes.reopen or changes.update_reason or changes.resolve)


@given(
    last=st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2026, 6, 1))),
    later=st.integers(0, 700),
)
def test_moving_today_forward_never_resolves_a_no_contact_alert_without_a_contact(last, later):
    facts = _facts(last_contact_on=last, opened_on=date(2025, 1, 1))
    before = [c for c in evaluate(facts, TODAY, DEFAULTS, 0) if c.rule is ThresholdRule.OUT_OF_VIEW]
    after = [
        c
        for c in evaluate(facts, TODAY + timedelta(days=later), DEFAULTS, 0)
        if c.rule is ThresholdRule.OUT_OF_VIEW
    ]
    if before:
        assert [c.fingerprint for c in after] == [c.fingerprint for c in before]


def test_an_episode_resolved_by_hand_reopens_only_when_it_escalates():
    days = AlertCondition(
        ThresholdRule.OUT_OF_VIEW, "uit_beeld:2026-10-01", "Uit beeld: 50 dagen", escalates=False
    )
    by_hand = StoredAlert(1, days.fingerprint, True, "Uit beeld: 43 dagen", by_hand=True)
    assert reconcile([by_hand], [days]).reopen == []
    # Cleared by itself: the same episode returning opens the alert again.
    automatic = StoredAlert(1, days.fingerprint, True, "Uit beeld: 43 dagen")
    assert reconcile([automatic], [days]).reopen == [(1, days)]
    same = AlertCondition(ThresholdRule.ORANGE_OR_RED, "signaal_oranje_rood:7", "oranje (1x)")
    worse = AlertCondition(ThresholdRule.ORANGE_OR_RED, "signaal_oranje_rood:7", "rood (2x)")
    signal = StoredAlert(2, same.fingerprint, True, same.reason, by_hand=True)
    assert reconcile([signal], [same]).reopen == []
    assert reconcile([signal], [worse]).reopen == [(2, worse)]
