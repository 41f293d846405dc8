"""Signaalgrenzen: each rule, stable fingerprints, idempotent evaluation, resolution."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from wijkteam_tui.domain.client_facts import (
    AgreementFacts,
    AlertCondition,
    ClientFacts,
    MomentFacts,
    ObservationFacts,
)
from wijkteam_tui.domain.dates import format_short
from wijkteam_tui.domain.reconcile import StoredAlert, reconcile
from wijkteam_tui.domain.reevaluation import next_change
from wijkteam_tui.domain.schedules import Schedule
from wijkteam_tui.domain.terms import Outcome, SignalPhase, ThresholdRule
from wijkteam_tui.domain.thresholds import (
    DEFAULT_THRESHOLDS,
    MAX_WINDOW_DAYS,
    ThresholdSetting,
    effective_thresholds,
    evaluate,
    is_out_of_view,
    limit_count,
    limit_days,
    out_of_view_cutoff,
    reason_shown,
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
    since = format_short(TODAY - timedelta(days=43))
    assert condition.reason == f"Uit beeld: geen contact sinds {since} (grens 42 dagen)."
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


# --- the day the passing of time alone changes something -----------------------------------


def _holding(facts: ClientFacts, day: date, thresholds, grace: int) -> set[tuple[str, str]]:
    """What holds on `day`, reading the observations the store reads on that day."""
    seen = ClientFacts(
        opened_on=facts.opened_on,
        last_contact_on=facts.last_contact_on,
        agreements=facts.agreements,
        recent_moments=facts.recent_moments,
        observations=[
            o for o in facts.observations if o.observed_on > day - timedelta(days=MAX_WINDOW_DAYS)
        ],
    )
    return {(c.fingerprint, c.reason) for c in evaluate(seen, day, thresholds, grace)}


def _certain(facts: ClientFacts, day: date) -> bool:
    """An agreement ends, or its snooze ended the day before: stored state changes anyway."""
    return any(
        a.active
        and (
            a.schedule.end_on == day
            or (a.snoozed_until is not None and a.snoozed_until + timedelta(days=1) == day)
        )
        for a in facts.agreements
    )


def _agreement_facts(draw, index: int) -> AgreementFacts:
    start = draw(st.dates(date(2025, 6, 1), TODAY + timedelta(days=20)))
    end = draw(st.one_of(st.none(), st.dates(start, TODAY + timedelta(days=120))))
    weekly = draw(st.booleans())
    schedule = Schedule(
        start_on=start,
        interval_days=None if weekly else draw(st.integers(1, 60)),
        rrule="FREQ=WEEKLY;BYDAY=TU" if weekly else None,
        end_on=end,
    )
    return AgreementFacts(
        id=index,
        schedule=schedule,
        last_contact_on=draw(st.one_of(st.none(), st.dates(date(2025, 6, 1), TODAY))),
        active=end is None or end > TODAY,
        snoozed_until=draw(
            st.one_of(st.none(), st.dates(TODAY - timedelta(days=30), TODAY + timedelta(days=60)))
        ),
        who="Fenna",
    )


@st.composite
def _facts_with_agreements(draw) -> ClientFacts:
    base = draw(facts_strategy)
    count = draw(st.integers(0, 3))
    return ClientFacts(
        opened_on=base.opened_on,
        last_contact_on=base.last_contact_on,
        agreements=[_agreement_facts(draw, i + 1) for i in range(count)],
        recent_moments=base.recent_moments,
        observations=base.observations,
    )


@st.composite
def _thresholds(draw) -> dict[ThresholdRule, ThresholdSetting]:
    off = draw(st.sets(st.sampled_from(list(ThresholdRule)), max_size=2))
    return effective_thresholds(
        [
            ThresholdSetting(ThresholdRule.OUT_OF_VIEW, days=draw(st.integers(1, 90))),
            ThresholdSetting(ThresholdRule.MISSED_IN_ROW, count=draw(st.integers(1, 5))),
            ThresholdSetting(
                ThresholdRule.OBSERVATION_FREQUENCY,
                days=draw(st.integers(1, 366)),
                count=draw(st.integers(1, 5)),
            ),
            *(ThresholdSetting(rule, enabled=False) for rule in off),
        ]
    )


@settings(max_examples=150, deadline=None)
@given(facts=_facts_with_agreements(), thresholds=_thresholds(), grace=st.integers(0, 7))
def test_nothing_changes_before_the_day_of_change_and_something_does_on_it(
    facts, thresholds, grace
):
    changes_on = next_change(facts, TODAY, thresholds, grace)
    now = _holding(facts, TODAY, thresholds, grace)
    horizon = TODAY + timedelta(days=400)
    day = TODAY + timedelta(days=1)
    while day < (changes_on or horizon) and day < horizon:
        assert _holding(facts, day, thresholds, grace) == now, f"changed {day}, not {changes_on}"
        assert not _certain(facts, day), f"an agreement's end or snooze on {day}"
        day += timedelta(days=1)
    if changes_on is not None:
        assert changes_on > TODAY
        assert _holding(facts, changes_on, thresholds, grace) != now or _certain(facts, changes_on)


def test_an_uit_beeld_reason_counts_its_days_where_it_is_shown_and_others_stay_as_stored():
    (condition,) = evaluate(_facts(last_contact_on=TODAY - timedelta(days=50)), TODAY, DEFAULTS, 0)
    since = format_short(TODAY - timedelta(days=50))
    later = TODAY + timedelta(days=7)
    shown = reason_shown(condition.rule, condition.reason, TODAY - timedelta(days=50), later)
    assert shown == f"Uit beeld: 57 dagen geen contact sinds {since} (grens 42 dagen)."
    never = _facts(last_contact_on=None, opened_on=TODAY - timedelta(days=45))
    (condition,) = evaluate(never, TODAY, DEFAULTS, 0)
    shown = reason_shown(condition.rule, condition.reason, never.opened_on, TODAY)
    start = format_short(never.opened_on)
    assert shown == f"Uit beeld: 45 dagen geen contact sinds de start op {start} (grens 42 dagen)."
    other = "3 afgesproken contacten op rij gemist (Fenna)."
    assert reason_shown(ThresholdRule.MISSED_IN_ROW, other, TODAY, later) == other
