"""Signaalgrenzen: from a client's records and `today`, which alerts should be open.

Evaluation is a pure function. Each condition carries a stable fingerprint, rule plus episode
(for example the date of the last contact for "uit beeld"), so that evaluating twice raises
nothing new, and a condition that clears and later returns is a new episode with a new alert.

Rules and their defaults (DEFAULT_THRESHOLDS; team defaults, overridable per client):
- uit beeld: no real contact of any kind for more than `days` (42) days;
- gemiste contacten: `count` (3) due moments of one agreement passed without contact;
- signalering oranje of rood: the latest signalering is oranje or rood (until a groen one);
- veel signaleringen: `count` (3) non-green signaleringen within `days` (14) days;
- niet bereikt: the last `count` (2) contact moments were all "niet bereikt".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from wijkteam_tui.domain.dates import format_date, format_short
from wijkteam_tui.domain.schedules import Schedule, occurrences_missed
from wijkteam_tui.domain.terms import Outcome, SignalPhase, ThresholdRule


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
}


def describe(setting: ThresholdSetting) -> str:
    """A threshold in words: "uit beeld na 42 dagen zonder contact", or "uit"."""
    if not setting.enabled:
        return "uit"
    rule = setting.rule
    if rule is ThresholdRule.OUT_OF_VIEW:
        return f"na {limit_days(setting)} dagen zonder contact"
    if rule is ThresholdRule.MISSED_IN_ROW:
        return f"na {limit_count(setting)} gemiste contacten op rij"
    if rule is ThresholdRule.OBSERVATION_FREQUENCY:
        return f"bij {limit_count(setting)} signaleringen binnen {limit_days(setting)} dagen"
    if rule is ThresholdRule.NOT_REACHED_IN_ROW:
        return f"na {limit_count(setting)}x op rij niet bereikt"
    return "bij elke signalering oranje of rood"


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


@dataclass(frozen=True)
class AgreementFacts:
    id: int
    schedule: Schedule
    last_contact_on: date | None
    active: bool
    snoozed_until: date | None
    who: str


@dataclass(frozen=True)
class MomentFacts:
    occurred_on: date
    outcome: Outcome
    id: int = 0


@dataclass(frozen=True)
class ObservationFacts:
    id: int
    observed_on: date
    phase: SignalPhase


@dataclass(frozen=True)
class ClientFacts:
    """What evaluation needs of one client.

    `recent_moments`: the contact moments after the newest real contact (goed or zorgen), plus
    that contact itself, so that a run of "niet bereikt" is seen whole. `observations`: those
    of the last MAX_WINDOW_DAYS days plus every one since the newest groen one before them."""

    opened_on: date
    last_contact_on: date | None
    agreements: Sequence[AgreementFacts]
    recent_moments: Sequence[MomentFacts]
    observations: Sequence[ObservationFacts]
    closed: bool = False


@dataclass(frozen=True)
class AlertCondition:
    rule: ThresholdRule
    fingerprint: str
    reason: str
    #: Whether a changed reason within one episode means new facts (another oranje
    #: signalering, another missed contact), which reopens an episode resolved by hand. Not for
    #: uit beeld, whose reason only counts the days.
    escalates: bool = True


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


_CHECKS = {
    ThresholdRule.OUT_OF_VIEW: _out_of_view,
    ThresholdRule.MISSED_IN_ROW: _missed_in_row,
    ThresholdRule.ORANGE_OR_RED: _orange_or_red,
    ThresholdRule.OBSERVATION_FREQUENCY: _observation_frequency,
    ThresholdRule.NOT_REACHED_IN_ROW: _not_reached,
}


@dataclass(frozen=True)
class StoredAlert:
    id: int
    fingerprint: str
    resolved: bool
    reason: str
    #: Resolved by a person, with a note: the episode stays resolved while it lasts, unless it
    #: escalates.
    by_hand: bool = False


@dataclass(frozen=True)
class AlertChanges:
    raise_new: list[AlertCondition]
    reopen: list[tuple[int, AlertCondition]]
    update_reason: list[tuple[int, str]]
    resolve: list[tuple[int, str]]


def reconcile(
    stored: Iterable[StoredAlert],
    conditions: Iterable[AlertCondition],
    closed: bool = False,
    notes: Mapping[str, str] | None = None,
) -> AlertChanges:
    """What to change so that exactly the holding conditions have an unresolved alert, except
    an episode that a person resolved by hand: that stays resolved while it lasts, unless new
    facts make it worse (a second oranje signalering, another missed contact).

    `notes` says why alerts stopped holding when the caller knows better than the facts (a
    threshold changed, an agreement put aside): {fingerprint prefix: resolution note}."""
    by_fingerprint = {a.fingerprint: a for a in stored}
    holding = {c.fingerprint: c for c in conditions}
    raise_new, reopen, update_reason, resolve = [], [], [], []
    for fingerprint, condition in holding.items():
        existing = by_fingerprint.get(fingerprint)
        if existing is None:
            raise_new.append(condition)
        elif existing.resolved:
            if not existing.by_hand or (
                condition.escalates and condition.reason != existing.reason
            ):
                reopen.append((existing.id, condition))
        elif existing.reason != condition.reason:
            update_reason.append((existing.id, condition.reason))
    note = "Cliënt afgesloten." if closed else "Voorwaarde geldt niet meer."
    for fingerprint, existing in by_fingerprint.items():
        if not existing.resolved and fingerprint not in holding:
            resolve.append((existing.id, _resolution_note(fingerprint, note, closed, notes)))
    return AlertChanges(raise_new, reopen, update_reason, resolve)


def _resolution_note(
    fingerprint: str, default: str, closed: bool, notes: Mapping[str, str] | None
) -> str:
    if closed:
        return default
    for prefix, note in (notes or {}).items():
        if fingerprint.startswith(prefix):
            return note
    rule = fingerprint.split(":", 1)[0]
    return {
        "uit_beeld": "Automatisch opgelost: er is weer contact geweest.",
        "gemiste_contacten": "Automatisch opgelost: er is weer contact op de afspraak.",
        "signaal_oranje_rood": "Automatisch opgelost: nieuwe signalering is groen.",
        "signaleringen_frequentie": "Automatisch opgelost: minder signaleringen in de periode.",
        "niet_bereikt": "Automatisch opgelost: de cliënt is weer bereikt.",
    }.get(rule, f"Automatisch opgelost: {default}")
