"""Signaalgrenzen: from a client's records and `today`, which alerts should be open.

Evaluation is a pure function. Each condition carries a stable fingerprint, rule plus episode
(for example the date of the last contact for "uit beeld"), so that evaluating twice raises
nothing new, and a condition that clears and later returns is a new episode with a new alert.

Rules and their defaults (DEFAULT_THRESHOLDS; team defaults, overridable per client):
- uit beeld: no real contact of any kind for more than `days` (42) days;
- gemiste contacten: `count` (3) due moments of one agreement passed without contact;
- signalering oranje of rood: the latest signalering is oranje or rood (until a groen one);
- veel signaleringen: `count` (3) non-green signaleringen within `days` (14) days;
- niet bereikt: the last `count` (2) contact moments were all "niet bereikt";
- ZRM: daling in een domein: since the previous ZRM, a domain fell by `count` (2) levels, or
  to 1–2 from 3 or more;
- ZRM: daling in meerdere domeinen: `count` (3) domains fell by a level or more at once;
- geen meting: in duurzaam in beeld, no ZRM or Positieve Gezondheid for more than `days` (183).

domain.reconcile turns what holds into raised, reopened and resolved alerts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from wijkteam_tui.domain import outcomes
from wijkteam_tui.domain.client_facts import AlertCondition, ClientFacts, ObservationFacts
from wijkteam_tui.domain.dates import format_date, format_short
from wijkteam_tui.domain.schedules import occurrences_missed
from wijkteam_tui.domain.terms import AssessmentKind, Outcome, SignalPhase, ThresholdRule


@dataclass(frozen=True)
class ThresholdSetting:
    rule: ThresholdRule
    enabled: bool = True
    days: int | None = None
    count: int | None = None


DEFAULT_THRESHOLDS: Mapping[ThresholdRule, ThresholdSetting] = {
    ThresholdRule.OUT_OF_VIEW: ThresholdSetting(ThresholdRule.OUT_OF_VIEW, days=42),
    ThresholdRule.MISSED_IN_ROW: ThresholdSetting(ThresholdRule.MISSED_IN_ROW, count=3),
    ThresholdRule.ORANGE_OR_RED: ThresholdSetting(ThresholdRule.ORANGE_OR_RED),
    ThresholdRule.OBSERVATION_FREQUENCY: ThresholdSetting(
        ThresholdRule.OBSERVATION_FREQUENCY, days=14, count=3
    ),
    ThresholdRule.NOT_REACHED_IN_ROW: ThresholdSetting(ThresholdRule.NOT_REACHED_IN_ROW, count=2),
    ThresholdRule.OUTCOME_DROP: ThresholdSetting(ThresholdRule.OUTCOME_DROP, count=2),
    ThresholdRule.OUTCOME_SPREAD: ThresholdSetting(ThresholdRule.OUTCOME_SPREAD, count=3),
    ThresholdRule.OUTCOME_OVERDUE: ThresholdSetting(ThresholdRule.OUTCOME_OVERDUE, days=183),
}

#: How far back evaluation needs observations: the longest frequency window anyone may set.
MAX_WINDOW_DAYS = 366


def limit_days(setting: ThresholdSetting) -> int:
    """The setting's number of days, or the rule's default when the setting names none."""
    days = setting.days if setting.days is not None else DEFAULT_THRESHOLDS[setting.rule].days
    assert days is not None, f"{setting.rule} has no days"
    return days


def limit_count(setting: ThresholdSetting) -> int:
    """The setting's count, or the rule's default when the setting names none."""
    count = setting.count if setting.count is not None else DEFAULT_THRESHOLDS[setting.rule].count
    assert count is not None, f"{setting.rule} has no count"
    return count


#: Which numbers each rule reads: (days, count).
USES = {
    ThresholdRule.OUT_OF_VIEW: (True, False),
    ThresholdRule.MISSED_IN_ROW: (False, True),
    ThresholdRule.ORANGE_OR_RED: (False, False),
    ThresholdRule.OBSERVATION_FREQUENCY: (True, True),
    ThresholdRule.NOT_REACHED_IN_ROW: (False, True),
    ThresholdRule.OUTCOME_DROP: (False, True),
    ThresholdRule.OUTCOME_SPREAD: (False, True),
    ThresholdRule.OUTCOME_OVERDUE: (True, False),
}


#: Each rule's threshold in words, from its numbers (days, count).
_DESCRIBED = {
    ThresholdRule.OUT_OF_VIEW: "na {days} dagen zonder contact",
    ThresholdRule.MISSED_IN_ROW: "na {count} gemiste contacten op rij",
    ThresholdRule.ORANGE_OR_RED: "bij elke signalering oranje of rood",
    ThresholdRule.OBSERVATION_FREQUENCY: "bij {count} signaleringen binnen {days} dagen",
    ThresholdRule.NOT_REACHED_IN_ROW: "na {count}x op rij niet bereikt",
    ThresholdRule.OUTCOME_DROP: "bij {count} niveaus lager in een domein, of naar 1–2",
    ThresholdRule.OUTCOME_SPREAD: "bij {count} domeinen tegelijk lager",
    ThresholdRule.OUTCOME_OVERDUE: "na {days} dagen zonder meting in duurzaam in beeld",
}


def describe(setting: ThresholdSetting) -> str:
    """A threshold in words: "uit beeld na 42 dagen zonder contact", or "uit"."""
    if not setting.enabled:
        return "uit"
    uses_days, uses_count = USES[setting.rule]
    return _DESCRIBED[setting.rule].format(
        days=limit_days(setting) if uses_days else None,
        count=limit_count(setting) if uses_count else None,
    )


def limit_change_text(old: ThresholdSetting, new: ThresholdSetting) -> str:
    """What changed in a threshold, as the note of an alert it resolved: "grens verhoogd
    naar 60 dagen", "signaalgrens uitgezet"."""
    if not new.enabled:
        return "signaalgrens uitgezet"
    uses_days, uses_count = USES[new.rule]
    changes = []
    if uses_days and limit_days(old) != limit_days(new):
        way = "verhoogd" if limit_days(new) > limit_days(old) else "verlaagd"
        changes.append(f"grens {way} naar {limit_days(new)} dagen")
    if uses_count and limit_count(old) != limit_count(new):
        way = "verhoogd" if limit_count(new) > limit_count(old) else "verlaagd"
        changes.append(f"aantal {way} naar {limit_count(new)}")
    return ", ".join(changes) or f"signaalgrens gewijzigd: {describe(new)}"


def threshold_changed_note(old: ThresholdSetting, new: ThresholdSetting) -> str:
    """The note of an alert that a changed threshold resolved."""
    return f"Automatisch opgelost: {limit_change_text(old, new)}."


def snoozed_note(until: date, reason: str) -> str:
    """The note of a missed-contacts alert resolved because its agreement was put aside."""
    return f"Afspraak uitgesteld tot en met {format_date(until)}: {reason}"


#: The first part of each rule's alert fingerprints ("uit_beeld:2026-10-01").
FINGERPRINT_PREFIX = {
    ThresholdRule.OUT_OF_VIEW: "uit_beeld:",
    ThresholdRule.MISSED_IN_ROW: "gemiste_contacten:",
    ThresholdRule.ORANGE_OR_RED: "signaal_oranje_rood:",
    ThresholdRule.OBSERVATION_FREQUENCY: "signaleringen_frequentie:",
    ThresholdRule.NOT_REACHED_IN_ROW: "niet_bereikt:",
    ThresholdRule.OUTCOME_DROP: "zrm_daling:",
    ThresholdRule.OUTCOME_SPREAD: "zrm_daling_breed:",
    ThresholdRule.OUTCOME_OVERDUE: "geen_meting:",
}


def agreement_prefix(agreement_id: int) -> str:
    """The first part of the fingerprints of one agreement's missed-contacts alerts."""
    return f"{FINGERPRINT_PREFIX[ThresholdRule.MISSED_IN_ROW]}{agreement_id}:"


def silent_days(last_contact_on: date | None, opened_on: date, today: date) -> int:
    """Days without real contact: since the last one, or since the file was opened."""
    return (today - (last_contact_on or opened_on)).days


def out_of_view_cutoff(today: date, limit: int) -> date:
    """A client whose last real contact (or, without one, opening) lies before this date has
    been silent for more than `limit` days: for a query that selects the clients out of view."""
    return today - timedelta(days=limit)


def is_out_of_view(last_contact_on: date | None, opened_on: date, today: date, limit: int) -> bool:
    """Uit beeld: no real contact for more than `limit` days."""
    return silent_days(last_contact_on, opened_on, today) > limit


def reason_shown(rule: ThresholdRule, reason: str, last_seen: date, today: date) -> str:
    """An open alert's reason in a list of what needs attention on `today`: uit beeld with the
    days it has lasted ("Uit beeld: 93 dagen geen contact sinds 21-08-2026 (grens 42 dagen)."),
    counted from `last_seen` (the last real contact, or the opening). The stored reason leaves
    the days out, so that it stays true while the episode lasts and nothing rewrites it."""
    prefix = "Uit beeld: "
    if rule is not ThresholdRule.OUT_OF_VIEW or not reason.startswith(prefix):
        return reason
    return f"{prefix}{(today - last_seen).days} dagen {reason.removeprefix(prefix)}"


def effective_thresholds(
    team: Iterable[ThresholdSetting], client: Iterable[ThresholdSetting] = ()
) -> dict[ThresholdRule, ThresholdSetting]:
    """Built-in defaults, overridden by the team's settings, overridden by the client's.

    An override may leave `days` or `count` empty to keep the value it overrides."""
    result = dict(DEFAULT_THRESHOLDS)
    for layer in (team, client):
        for setting in layer:
            base = result[setting.rule]
            result[setting.rule] = replace(
                base,
                enabled=setting.enabled,
                days=setting.days if setting.days is not None else base.days,
                count=setting.count if setting.count is not None else base.count,
            )
    return result


def evaluate(
    facts: ClientFacts,
    today: date,
    thresholds: Mapping[ThresholdRule, ThresholdSetting],
    grace_days: int,
) -> list[AlertCondition]:
    """The alert conditions that hold for the client on `today`."""
    if facts.closed:
        return []
    found: list[AlertCondition] = []
    for rule, check in _CHECKS.items():
        setting = thresholds[rule]
        if setting.enabled:
            found.extend(check(facts, today, setting, grace_days))
    return found


def _out_of_view(
    facts: ClientFacts, today: date, setting: ThresholdSetting, grace_days: int
) -> list[AlertCondition]:
    if not is_out_of_view(facts.last_contact_on, facts.opened_on, today, limit_days(setting)):
        return []
    since = facts.last_contact_on or facts.opened_on
    episode = facts.last_contact_on.isoformat() if facts.last_contact_on else "geen"
    limit = f"grens {limit_days(setting)} dagen"
    # No count of days in the reason: it stays true while the episode lasts, so that nothing
    # needs rewriting it every day (the lists count the days when they show it).
    if facts.last_contact_on:
        reason = f"Uit beeld: geen contact sinds {format_short(since)} ({limit})."
    else:
        reason = f"Uit beeld: geen contact sinds de start op {format_short(since)} ({limit})."
    return [
        AlertCondition(
            ThresholdRule.OUT_OF_VIEW,
            f"{FINGERPRINT_PREFIX[ThresholdRule.OUT_OF_VIEW]}{episode}",
            reason,
            escalates=False,
        )
    ]


def _missed_in_row(
    facts: ClientFacts, today: date, setting: ThresholdSetting, grace_days: int
) -> list[AlertCondition]:
    count = limit_count(setting)
    found = []
    for agreement in facts.agreements:
        if not agreement.active or (
            agreement.snoozed_until is not None and today <= agreement.snoozed_until
        ):
            continue
        missed = occurrences_missed(
            agreement.schedule, agreement.last_contact_on, today, grace_days
        )
        if missed >= count:
            base = agreement.last_contact_on or agreement.schedule.start_on
            found.append(
                AlertCondition(
                    ThresholdRule.MISSED_IN_ROW,
                    f"{agreement_prefix(agreement.id)}{base.isoformat()}",
                    f"{missed} afgesproken contacten op rij gemist ({agreement.who}).",
                )
            )
    return found


def _orange_or_red(
    facts: ClientFacts, today: date, setting: ThresholdSetting, grace_days: int
) -> list[AlertCondition]:
    ordered = sorted(
        (o for o in facts.observations if o.observed_on <= today),
        key=lambda o: (o.observed_on, o.id),
    )
    streak: list[ObservationFacts] = []
    for observation in ordered:
        if observation.phase is SignalPhase.GREEN:
            streak = []
        else:
            streak.append(observation)
    if not streak:
        return []
    worst = (
        SignalPhase.RED if any(o.phase is SignalPhase.RED for o in streak) else (SignalPhase.ORANGE)
    )
    first = streak[0]
    return [
        AlertCondition(
            ThresholdRule.ORANGE_OR_RED,
            f"{FINGERPRINT_PREFIX[ThresholdRule.ORANGE_OR_RED]}{first.id}",
            f"Signalering {worst.value} sinds {format_short(first.observed_on)}"
            f" ({len(streak)}x, nog geen groen).",
        )
    ]


def _observation_frequency(
    facts: ClientFacts, today: date, setting: ThresholdSetting, grace_days: int
) -> list[AlertCondition]:
    window = limit_days(setting)
    needed = limit_count(setting)
    dates = sorted(
        o.observed_on
        for o in facts.observations
        if o.phase is not SignalPhase.GREEN and o.observed_on <= today
    )
    in_window = [d for d in dates if d > today - timedelta(days=window)]
    if len(in_window) < needed:
        return []
    start = _episode_start(dates, window, needed, today)
    return [
        AlertCondition(
            ThresholdRule.OBSERVATION_FREQUENCY,
            f"{FINGERPRINT_PREFIX[ThresholdRule.OBSERVATION_FREQUENCY]}{start.isoformat()}",
            f"{len(in_window)} signaleringen in {window} dagen (grens {needed}).",
        )
    ]


def _episode_start(dates: Sequence[date], window: int, needed: int, today: date) -> date:
    """The first day of the unbroken run of days, ending today, on which at least `needed`
    dates fall in the trailing `window` days. Stable while the run lasts.

    The count changes only on a date itself (it enters) or `window` days later (it leaves), so
    the condition is constant between those change points: walk them back from today."""
    span = timedelta(days=window)
    points = sorted(
        {d for d in dates if d <= today} | {d + span for d in dates if d + span <= today}
    )

    def holds(day: date) -> bool:
        return sum(1 for d in dates if day - span < d <= day) >= needed

    start = points[-1]
    for point in reversed(points[:-1]):
        if not holds(point):
            break
        start = point
    return start


def _not_reached(
    facts: ClientFacts, today: date, setting: ThresholdSetting, grace_days: int
) -> list[AlertCondition]:
    count = limit_count(setting)
    newest = sorted(
        (m for m in facts.recent_moments if m.occurred_on <= today),
        key=lambda m: (m.occurred_on, m.id),
        reverse=True,
    )
    streak = []
    for moment in newest:
        if moment.outcome is not Outcome.NOT_REACHED:
            break
        streak.append(moment)
    if len(streak) < count:
        return []
    first = streak[-1]
    return [
        AlertCondition(
            ThresholdRule.NOT_REACHED_IN_ROW,
            f"{FINGERPRINT_PREFIX[ThresholdRule.NOT_REACHED_IN_ROW]}{first.occurred_on.isoformat()}:{first.id}",
            f"{len(streak)}x op rij niet bereikt (sinds {format_short(first.occurred_on)}).",
        )
    ]


@dataclass(frozen=True)
class _ZrmCompared:
    """The newest ZRM against the one before it."""

    latest_id: int
    #: "(meting 22-11-2026, vorige 01-08-2026)"
    when: str
    changes: list[outcomes.Change]


def _zrm_compared(facts: ClientFacts, today: date) -> _ZrmCompared | None:
    done = sorted(
        (a for a in facts.zrm if a.assessed_on <= today), key=lambda a: (a.assessed_on, a.id)
    )
    if len(done) < 2:
        return None
    previous, latest = done[-2:]
    return _ZrmCompared(
        latest.id,
        f"(meting {format_short(latest.assessed_on)}, vorige {format_short(previous.assessed_on)})",
        outcomes.changes(AssessmentKind.ZRM, previous.scores, latest.scores),
    )


def _outcome_drop(
    facts: ClientFacts, today: date, setting: ThresholdSetting, grace_days: int
) -> list[AlertCondition]:
    compared = _zrm_compared(facts, today)
    fell = outcomes.fallen_by(compared.changes, limit_count(setting)) if compared else []
    if compared is None or not fell:
        return []
    rule = ThresholdRule.OUTCOME_DROP
    reason = f"ZRM gedaald: {outcomes.changes_text(fell)} {compared.when}."
    return [AlertCondition(rule, f"{FINGERPRINT_PREFIX[rule]}{compared.latest_id}", reason)]


def _outcome_spread(
    facts: ClientFacts, today: date, setting: ThresholdSetting, grace_days: int
) -> list[AlertCondition]:
    compared = _zrm_compared(facts, today)
    fell = outcomes.fallen(compared.changes) if compared else []
    if compared is None or len(fell) < limit_count(setting):
        return []
    rule = ThresholdRule.OUTCOME_SPREAD
    reason = f"ZRM lager in {len(fell)} domeinen: {outcomes.changes_text(fell)} {compared.when}."
    return [AlertCondition(rule, f"{FINGERPRINT_PREFIX[rule]}{compared.latest_id}", reason)]


def unassessed_since(facts: ClientFacts) -> date | None:
    """In duurzaam in beeld: since when no outcome was measured (the newest assessment, or the
    day the client came into the phase when that is later). None in another phase."""
    if facts.in_view_since is None:
        return None
    return max(facts.in_view_since, facts.last_assessed_on or facts.in_view_since)


def _outcome_overdue(
    facts: ClientFacts, today: date, setting: ThresholdSetting, grace_days: int
) -> list[AlertCondition]:
    since = unassessed_since(facts)
    if since is None or (today - since).days <= limit_days(setting):
        return []
    rule = ThresholdRule.OUTCOME_OVERDUE
    start = (
        "sinds"
        if facts.last_assessed_on is not None and facts.last_assessed_on >= since
        else "sinds duurzaam in beeld op"
    )
    return [
        AlertCondition(
            rule,
            f"{FINGERPRINT_PREFIX[rule]}{since.isoformat()}",
            f"Geen ZRM of Positieve Gezondheid {start} {format_short(since)}"
            f" (grens {limit_days(setting)} dagen).",
            escalates=False,
        )
    ]


_CHECKS = {
    ThresholdRule.OUT_OF_VIEW: _out_of_view,
    ThresholdRule.MISSED_IN_ROW: _missed_in_row,
    ThresholdRule.ORANGE_OR_RED: _orange_or_red,
    ThresholdRule.OBSERVATION_FREQUENCY: _observation_frequency,
    ThresholdRule.NOT_REACHED_IN_ROW: _not_reached,
    ThresholdRule.OUTCOME_DROP: _outcome_drop,
    ThresholdRule.OUTCOME_SPREAD: _outcome_spread,
    ThresholdRule.OUTCOME_OVERDUE: _outcome_overdue,
}
