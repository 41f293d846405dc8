"""The neighbourhood's carrying capacity: who in the clients' own networks carries several of
them, how often, and how reliably. Pure: the store reads the rows, this counts them.

Rules (the Buurt view and `wijkteam neighbourhood`):
- a *steunpersoon* is an informal network member (kind informeel, not linked to the sociale
  kaart) of an open file who is still involved; a member linked to a sociale-kaart entry counts
  for that entry (a *voorziening*);
- the same person in several networks is found by the same phone number (its digits, +31 and
  0031 read as 0, at least 10 of them) or the same e-mail address (in lower case), keys the
  database keeps beside each member (store/models.py NetworkMember.phone_key); a
  teamleider's decision joins two members that were not found, or parts two that were (a
  shared landline); the view says for every member how they were matched;
- moments a month: what the agreements still running ask ("elke 14 dagen": 30.4 / 14 = 2.2);
  a calendar rule by its frequency and days ("elke dinsdag en vrijdag": 8.7);
- kept share over 12 weeks: real contacts (goed, zorgen) on the person's agreements in the 84
  days before today against the moments those agreements asked in that time, each agreement
  counted at most in full; the 12 weeks before that are the comparison;
- load signals: more than the team's number of clients (3) or moments a month (12); a kept
  share `KEPT_DROP` points or more below the 12 weeks before; a voorziening that
  `RELIED_AGREEMENTS` or more agreements rely on, not reviewed for a year (opening times,
  contact person);
- a postcode area is the four digits of a Dutch postcode (1234 AB).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from wijkteam_tui.domain.schedules import Schedule, rule_parts

#: Days in an average month, and the window of the kept share.
MONTH_DAYS = 365.25 / 12
WINDOW_DAYS = 84
#: A kept share this many percentage points below the 12 weeks before is a signal.
KEPT_DROP = 25
#: The 12 weeks before must have asked this many moments for a drop to mean anything.
KEPT_DROP_BASE = 3
#: A voorziening this many agreements rely on is checked at least once a year.
RELIED_AGREEMENTS = 2
REVIEW_DAYS = 365

#: Default team settings (team_settings.load_clients, load_moments).
LOAD_CLIENTS = 3
LOAD_MOMENTS = 12

#: How a member was matched to the others of their group.
BY_PHONE = "telefoon"
BY_EMAIL = "e-mail"
BY_LEAD = "teamleider"

_POSTCODE = re.compile(r"\b([1-9][0-9]{3}) ?[A-Za-z]{2}\b")


def area_of_address(text: str) -> str:
    """The four digits of the first Dutch postcode in `text` ("" when there is none)."""
    found = _POSTCODE.search(text)
    return found.group(1) if found else ""


# --- moments asked ------------------------------------------------------------------------


_PERIOD_DAYS = {"DAILY": 1.0, "WEEKLY": 7.0, "MONTHLY": MONTH_DAYS, "YEARLY": 365.25}


@lru_cache(maxsize=512)
def _rule_per_day(text: str) -> float:
    parts = rule_parts(text)
    frequency = parts.get("FREQ", "")
    if frequency not in _PERIOD_DAYS:
        return 0.0
    try:
        interval = max(1, int(parts.get("INTERVAL", "1")))
    except ValueError:
        interval = 1
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    month_days = [d for d in parts.get("BYMONTHDAY", "").split(",") if d]
    if "BYSETPOS" in parts:
        per_period = float(len(parts["BYSETPOS"].split(",")))
    elif frequency == "DAILY":
        per_period = len(days) / 7 if days else 1.0
    elif frequency == "WEEKLY":
        per_period = float(len(days) or 1)
    elif frequency == "MONTHLY":
        # "1TU" is once a month, a bare "TU" every Tuesday of it.
        weekly = 52.1775 / 12
        per_period = sum(1.0 if d[:-2] else weekly for d in days) or float(len(month_days) or 1)
    else:
        per_period = float(len(parts.get("BYMONTH", "").split(",")) if "BYMONTH" in parts else 1)
    return per_period / (_PERIOD_DAYS[frequency] * interval)


def rule_a_month(text: str) -> float:
    """How many moments a calendar rule asks in an average month."""
    return _rule_per_day(text) * MONTH_DAYS


def per_day(schedule: Schedule) -> float:
    """How many moments an agreement asks a day, on average."""
    if schedule.interval_days is not None:
        return 1 / schedule.interval_days
    assert schedule.rrule is not None
    return _rule_per_day(schedule.rrule)


def moments_a_month(schedule: Schedule) -> float:
    """How many moments an agreement asks in an average month."""
    return per_day(schedule) * MONTH_DAYS


def asked_between(schedule: Schedule, start: date, end: date) -> float:
    """How many moments an agreement asked from `start` up to (not including) `end`."""
    first = max(start, schedule.start_on)
    last = end if schedule.end_on is None else min(end, schedule.end_on + timedelta(days=1))
    return max(0, (last - first).days) * per_day(schedule)


# --- the same person in several networks --------------------------------------------------


@dataclass(frozen=True)
class MemberKey:
    id: int
    phone: str
    email: str


@dataclass(frozen=True)
class Matched:
    """A group of members that are one person, each with how they were matched ("" alone)."""

    member_ids: tuple[int, ...]
    how: Mapping[int, tuple[str, ...]]


def pair(first: int, second: int) -> tuple[int, int]:
    return (first, second) if first < second else (second, first)


def match_members(
    members: Iterable[MemberKey], decisions: Mapping[tuple[int, int], bool]
) -> list[Matched]:
    """The members grouped into persons: by phone, by e-mail and by a teamleider's decision
    (`decisions[pair(a, b)]`: True joins, False parts the two however they were found)."""
    ids: list[int] = []
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for member in members:
        ids.append(member.id)
        if member.phone:
            buckets[(BY_PHONE, member.phone)].append(member.id)
        if member.email:
            buckets[(BY_EMAIL, member.email)].append(member.id)
    parent = {member_id: member_id for member_id in ids}

    def root(member_id: int) -> int:
        while parent[member_id] != member_id:
            parent[member_id] = parent[parent[member_id]]
            member_id = parent[member_id]
        return member_id

    how: dict[int, set[str]] = defaultdict(set)

    def join(first: int, second: int, reason: str) -> None:
        how[first].add(reason)
        how[second].add(reason)
        parent[root(first)] = root(second)

    for (reason, _), bucket in buckets.items():
        for index, first in enumerate(bucket):
            for second in bucket[index + 1 :]:
                if decisions.get(pair(first, second), True):
                    join(first, second, reason)
    for (first, second), same in decisions.items():
        if same and first in parent and second in parent:
            join(first, second, BY_LEAD)
    groups: dict[int, list[int]] = defaultdict(list)
    for member_id in ids:
        groups[root(member_id)].append(member_id)
    return [
        Matched(
            tuple(sorted(group)),
            {member_id: tuple(sorted(how[member_id])) for member_id in group},
        )
        for group in groups.values()
    ]


# --- the figures of one supporter or voorziening ------------------------------------------


@dataclass(frozen=True)
class AgreementLoad:
    schedule: Schedule
    running: bool
    #: Real contacts on it in the last 12 weeks, and in the 12 weeks before.
    kept_now: int
    kept_before: int


@dataclass(frozen=True)
class Load:
    agreements: int
    moments_a_month: float
    #: Moments asked and kept in the last 12 weeks, and in the 12 weeks before.
    asked_now: float
    kept_now: float
    asked_before: float
    kept_before: float

    @property
    def kept_share(self) -> int | None:
        """The share kept in the last 12 weeks, in percent (None: nothing was asked)."""
        return _share(self.kept_now, self.asked_now)

    @property
    def kept_share_before(self) -> int | None:
        return _share(self.kept_before, self.asked_before)


def _share(kept: float, asked: float) -> int | None:
    return None if asked < 0.5 else round(100 * kept / asked)


def load(agreements: Sequence[AgreementLoad], today: date) -> Load:
    """What a person's (or voorziening's) agreements ask and how much of it happened."""
    now_from = today - timedelta(days=WINDOW_DAYS)
    before_from = now_from - timedelta(days=WINDOW_DAYS)
    asked_now = kept_now = asked_before = kept_before = 0.0
    running = 0
    month = 0.0
    for agreement in agreements:
        if agreement.running:
            running += 1
            month += moments_a_month(agreement.schedule)
        asked = asked_between(agreement.schedule, now_from, today)
        asked_now += asked
        kept_now += min(asked, agreement.kept_now)
        asked = asked_between(agreement.schedule, before_from, now_from)
        asked_before += asked
        kept_before += min(asked, agreement.kept_before)
    return Load(running, month, asked_now, kept_now, asked_before, kept_before)


def person_signals(
    clients: int, figures: Load, load_clients: int, load_moments: int
) -> tuple[str, ...]:
    """Why a supporter may be carrying too much ("" parts left out)."""
    signals = []
    if clients > load_clients or figures.moments_a_month > load_moments:
        signals.append(
            f"draagt {clients} {'cliënt' if clients == 1 else 'cliënten'},"
            f" {figures.moments_a_month:.0f} contacten per maand"
        )
    signals.extend(_kept_signal(figures))
    return tuple(signals)


def _kept_signal(figures: Load) -> tuple[str, ...]:
    now, before = figures.kept_share, figures.kept_share_before
    if now is None or before is None or figures.asked_before < KEPT_DROP_BASE:
        return ()
    if before - now >= KEPT_DROP:
        return (f"nagekomen {now}% in 12 weken, was {before}%",)
    return ()


def resource_signals(figures: Load, reviewed_on: date | None, today: date) -> tuple[str, ...]:
    """Why a voorziening needs a look: relied on by several agreements and not reviewed for a
    year, or its kept share dropping."""
    signals = []
    if figures.agreements >= RELIED_AGREEMENTS and (
        reviewed_on is None or (today - reviewed_on).days > REVIEW_DAYS
    ):
        since = "nooit nagekeken" if reviewed_on is None else f"nagekeken {reviewed_on:%d-%m-%Y}"
        signals.append(
            f"{figures.agreements} afspraken leunen erop, {since}: openingstijden en"
            " contactpersoon nakijken"
        )
    signals.extend(_kept_signal(figures))
    return tuple(signals)
