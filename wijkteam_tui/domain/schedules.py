"""Contact schedules: when an agreement is due, and whether it is overdue.

Rules (DESIGN.md, "Domain rules"):
- an interval agreement ("elke 14 dagen") is due `interval` days after the last real contact on
  it, or after its start date when there has been none;
- a calendar agreement ("elke dinsdag") follows an RFC 5545 RRULE and is due on the first
  occurrence after the last real contact (or the first on or after its start date);
- a monthly agreement without a day ("elke maand") falls on its start date's day of the month,
  and a day of the month past the 28th means the last day of a shorter month (a start on
  31 January is due on 28 or 29 February, then 31 March), never a skipped month;
- a real contact is one with outcome goed or zorgen: "niet bereikt" is an attempt, not contact;
- nothing is due after the end date; a snooze (reason + end date) hides the agreement until it
  ends, and an expired snooze is void;
- overdue = today > due + the team's grace days; binnenkort = due within 7 days.

All functions are pure: `today` is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from wijkteam_tui.domain.terms import Outcome

SOON_DAYS = 7

#: How far `occurrences_missed` counts: beyond this, another missed moment changes nothing.
MISSED_COUNTED = 1000

#: Outcomes that count as contact; "niet bereikt" is an attempt, not contact.
REAL_CONTACT = (Outcome.GOOD, Outcome.CONCERNS)


class DueState(StrEnum):
    """Where an agreement stands today. Never stored: computed for the screen."""

    OVERDUE = "te_laat"
    SOON = "binnenkort"
    LATER = "later"
    SNOOZED = "uitgesteld"
    ENDED = "beeindigd"

    @property
    def label(self) -> str:
        """The Dutch word for the screen."""
        return _DUE_LABELS[self]


_DUE_LABELS = {
    DueState.OVERDUE: "te laat",
    DueState.SOON: "binnenkort",
    DueState.LATER: "later",
    DueState.SNOOZED: "uitgesteld",
    DueState.ENDED: "beëindigd",
}


@dataclass(frozen=True)
class Schedule:
    """What the schedule of one agreement depends on."""

    start_on: date
    interval_days: int | None = None
    rrule: str | None = None
    end_on: date | None = None

    def __post_init__(self) -> None:
        if (self.interval_days is None) == (self.rrule is None):
            raise ValueError("a schedule has either an interval or an RRULE")
        if self.interval_days is not None and self.interval_days <= 0:
            raise ValueError("interval must be positive")


#: RRULE parts that pick days within a month; without one, a monthly rule uses its start's day.
_DAY_PICKERS = {"BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"}


def rule_parts(text: str) -> dict[str, str]:
    """The parts of an RRULE ("FREQ=WEEKLY;BYDAY=TU") by name, in upper case."""
    body = text.strip().upper().removeprefix("RRULE:")
    return dict(part.split("=", 1) for part in body.split(";") if "=" in part)


def calendar_rule(text: str, start_on: date) -> str:
    """The RRULE as the engine and the calendar export read it, with every monthly day spelled
    out: "FREQ=MONTHLY" gets the start's day, and a day after the 28th becomes the last day in
    shorter months (BYMONTHDAY=-1 for the 31st; the 29th and 30th pick the last of 28..day
    with BYSETPOS=-1), which dateutil and RFC 5545 readers expand alike."""
    parts = rule_parts(text)
    if parts.get("FREQ") != "MONTHLY":
        return ";".join(f"{name}={value}" for name, value in parts.items())
    if not _DAY_PICKERS & parts.keys():
        parts["BYMONTHDAY"] = str(start_on.day)
    day = parts.get("BYMONTHDAY", "")
    if "BYSETPOS" not in parts and day in ("29", "30", "31"):
        if day == "31":
            parts["BYMONTHDAY"] = "-1"
        else:
            parts["BYMONTHDAY"] = ",".join(str(d) for d in range(28, int(day) + 1))
            parts["BYSETPOS"] = "-1"
    return ";".join(f"{name}={value}" for name, value in parts.items())


@lru_cache(maxsize=256)
def _parsed_rule(text: str, start_on: date) -> rrule:
    parsed = rrulestr(
        calendar_rule(text, start_on), dtstart=datetime(start_on.year, start_on.month, start_on.day)
    )
    assert isinstance(parsed, rrule)
    return parsed


def last_occurrence(text: str, start_on: date) -> date | None:
    """The last date a rule with COUNT or UNTIL produces; None when it goes on for ever."""
    rule = _parsed_rule(text, start_on)
    if not {"COUNT", "UNTIL"} & rule_parts(text).keys():
        return None
    found = list(rule)
    return found[-1].date() if found else None


def validate_rrule(text: str, start_on: date) -> None:
    """Raise ValueError when `text` is not a usable RRULE (the store turns it into Dutch)."""
    rule = _parsed_rule(text, start_on)
    if rule.after(datetime(start_on.year, start_on.month, start_on.day), inc=True) is None:
        raise ValueError("RRULE has no occurrence on or after the start date")


def next_due(schedule: Schedule, last_contact_on: date | None) -> date | None:
    """The date the next contact is due, or None when the agreement has ended by then."""
    if schedule.interval_days is not None:
        base = (
            schedule.start_on
            if last_contact_on is None
            else max(last_contact_on, schedule.start_on)
        )
        due: date | None = base + timedelta(days=schedule.interval_days)
    else:
        assert schedule.rrule is not None
        rule = _parsed_rule(schedule.rrule, schedule.start_on)
        if last_contact_on is None or last_contact_on < schedule.start_on:
            start = schedule.start_on
            found = rule.after(datetime(start.year, start.month, start.day), inc=True)
        else:
            found = rule.after(
                datetime(last_contact_on.year, last_contact_on.month, last_contact_on.day),
                inc=False,
            )
            # Every occurrence on the contact's own day counts as done.
            while found is not None and found.date() <= last_contact_on:
                found = rule.after(found, inc=False)
        due = found.date() if found is not None else None
    if due is not None and schedule.end_on is not None and due > schedule.end_on:
        return None
    return due


def due_moments(schedule: Schedule, last_contact_on: date | None) -> Iterator[date]:
    """The due moments after the last real contact, in order: `next_due`, then `next_due` of
    that moment, and so on, until the end date. An RRULE is walked once, not from its start
    for every moment (a run of missed moments is counted on every evaluation)."""
    if schedule.interval_days is not None:
        due = next_due(schedule, last_contact_on)
        step = timedelta(days=schedule.interval_days)
        while due is not None:
            yield due
            due += step
            if schedule.end_on is not None and due > schedule.end_on:
                return
        return
    assert schedule.rrule is not None
    rule = _parsed_rule(schedule.rrule, schedule.start_on)
    if last_contact_on is None or last_contact_on < schedule.start_on:
        start, inclusive = schedule.start_on, True
    else:
        start, inclusive = last_contact_on, False
    previous = None
    for found in rule.xafter(datetime(start.year, start.month, start.day), inc=inclusive):
        due = found.date()
        if schedule.end_on is not None and due > schedule.end_on:
            return
        # Every occurrence on one day is one due moment (and none on the contact's own day).
        if due != previous and (inclusive or due > start):
            yield due
        previous = due


def occurrences_missed(
    schedule: Schedule, last_contact_on: date | None, today: date, grace_days: int
) -> int:
    """How many due moments have passed (beyond the grace days) since the last real contact."""
    limit = today - timedelta(days=grace_days)
    missed = 0
    for due in due_moments(schedule, last_contact_on):
        if due >= limit or missed >= MISSED_COUNTED:
            break
        missed += 1
    return missed


def missed_counted_on(
    schedule: Schedule, last_contact_on: date | None, grace_days: int, count: int
) -> date | None:
    """The first day on which `occurrences_missed` reaches `count`: the `count`-th due moment
    after the last real contact plus the grace days has passed. None when the schedule ends
    before it has that many due moments."""
    for seen, due in enumerate(due_moments(schedule, last_contact_on), start=1):
        if seen == count:
            return due + timedelta(days=grace_days + 1)
    return None


def is_snoozed(snoozed_until: date | None, today: date) -> bool:
    """A snooze holds through its end date; after that it is void."""
    return snoozed_until is not None and today <= snoozed_until


def overdue_cutoff(today: date, grace_days: int) -> date:
    """An agreement due before this day is overdue (te laat) on `today`: the team's grace days
    (coulance) after its date have passed. The same rule as `due_state`, for the queries."""
    return today - timedelta(days=grace_days)


def due_state(
    due: date | None,
    today: date,
    grace_days: int,
    snoozed_until: date | None = None,
) -> DueState:
    """The state of an agreement on `today`."""
    if due is None:
        return DueState.ENDED
    if is_snoozed(snoozed_until, today):
        return DueState.SNOOZED
    if due < overdue_cutoff(today, grace_days):
        return DueState.OVERDUE
    if due <= today + timedelta(days=SOON_DAYS):
        return DueState.SOON
    return DueState.LATER


def days_overdue(due: date, today: date) -> int:
    """Days past the due date (0 when not yet due)."""
    return max(0, (today - due).days)
