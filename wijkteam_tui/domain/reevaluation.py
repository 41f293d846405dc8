"""The day on which the passing of time alone changes what is stored of a client.

The daily sweep evaluates a client again on that day (`clients.reevaluate_on`), and no earlier:
the rules of `domain.thresholds` come out differently (an alert raised, resolved or reworded),
an agreement reaches its end date, or a snooze is over so that its due date counts again.
Pure, like the rules: `today` is a parameter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from wijkteam_tui.domain.client_facts import ClientFacts
from wijkteam_tui.domain.schedules import MISSED_COUNTED, missed_counted_on, occurrences_missed
from wijkteam_tui.domain.terms import SignalPhase, ThresholdRule
from wijkteam_tui.domain.thresholds import (
    MAX_WINDOW_DAYS,
    ThresholdSetting,
    evaluate,
    limit_count,
    limit_days,
    unassessed_since,
)


def next_change(
    facts: ClientFacts,
    today: date,
    thresholds: Mapping[ThresholdRule, ThresholdSetting],
    grace_days: int,
) -> date | None:
    """The first day after `today` on which the passing of time alone changes what is stored
    of the client: an alert raised, resolved or reworded (`evaluate` comes out differently), an
    agreement's end date or the day after its snooze (its due date counts again). None when
    only a new record or a changed setting can change anything.

    The daily sweep evaluates a client again on that day, and no earlier. Every day on which a
    rule's outcome can change is a candidate; the rules run on each in turn, so a candidate on
    which nothing visible changes (a fourth signalering leaving the window while three remain
    over the limit of two is still a change of reason, a first one leaving while none are left
    is not) does not wake the client."""
    if facts.closed:
        return None
    first_certain = min((d for d in _certain_days(facts, today) if d > today), default=None)
    now_holding = _outcome(facts, today, thresholds, grace_days)
    for day in sorted(
        d for d in _candidate_days(facts, today, thresholds, grace_days) if d > today
    ):
        if first_certain is not None and day >= first_certain:
            break
        if _outcome(facts, day, thresholds, grace_days) != now_holding:
            return day
    return first_certain


def _certain_days(facts: ClientFacts, today: date) -> list[date]:
    """Days that change what is stored whatever the rules say: an agreement's end date, and the
    day after its snooze (its due date counts again for the client's next due date)."""
    days = []
    for agreement in facts.agreements:
        if not agreement.active:
            continue
        if agreement.schedule.end_on is not None:
            days.append(agreement.schedule.end_on)
        if agreement.snoozed_until is not None:
            days.append(agreement.snoozed_until + timedelta(days=1))
    return days


def _candidate_days(
    facts: ClientFacts,
    today: date,
    thresholds: Mapping[ThresholdRule, ThresholdSetting],
    grace_days: int,
) -> set[date]:
    """Every day on which a rule's outcome can change (some of them past)."""
    days: set[date] = set()
    missed = thresholds[ThresholdRule.MISSED_IN_ROW]
    for agreement in facts.agreements if missed.enabled else ():
        if not agreement.active or (
            agreement.snoozed_until is not None and today <= agreement.snoozed_until
        ):
            continue
        now = occurrences_missed(agreement.schedule, agreement.last_contact_on, today, grace_days)
        if now < MISSED_COUNTED:
            # The day the count reaches the limit, or once over it, the next one (the reason
            # counts them).
            day = missed_counted_on(
                agreement.schedule,
                agreement.last_contact_on,
                grace_days,
                max(limit_count(missed), now + 1),
            )
            if day is not None:
                days.add(day)
    out_of_view = thresholds[ThresholdRule.OUT_OF_VIEW]
    if out_of_view.enabled:
        since = facts.last_contact_on or facts.opened_on
        days.add(since + timedelta(days=limit_days(out_of_view) + 1))
    window = timedelta(days=limit_days(thresholds[ThresholdRule.OBSERVATION_FREQUENCY]))
    for observation in facts.observations:
        # Dated later (entered ahead), leaving the frequency window, leaving what is read (a
        # groen one only ends a streak, and leaves what is read after all that came before it).
        days.add(observation.observed_on)
        if observation.phase is not SignalPhase.GREEN:
            days.add(observation.observed_on + window)
            days.add(observation.observed_on + timedelta(days=MAX_WINDOW_DAYS))
    days.update(m.occurred_on for m in facts.recent_moments)
    # An assessment dated later (entered ahead), and the day the last one grows too old.
    days.update(a.assessed_on for a in facts.zrm)
    unassessed = unassessed_since(facts)
    overdue = thresholds[ThresholdRule.OUTCOME_OVERDUE]
    if unassessed is not None and overdue.enabled:
        days.add(unassessed + timedelta(days=limit_days(overdue) + 1))
    return days


def _outcome(
    facts: ClientFacts,
    day: date,
    thresholds: Mapping[ThresholdRule, ThresholdSetting],
    grace_days: int,
) -> set[tuple[str, str]]:
    """What evaluating on `day` holds, with the observations evaluation reads on that day."""
    seen = replace(
        facts,
        observations=[
            o for o in facts.observations if o.observed_on > day - timedelta(days=MAX_WINDOW_DAYS)
        ],
    )
    return {(c.fingerprint, c.reason) for c in evaluate(seen, day, thresholds, grace_days)}
