"""The teamleider's review, as pure rules: which alerts are urgent, the postcode area a filter
means, the weeks of the trend and how a week's figure is taken from daily snapshots, and a
sparkline that reads in any terminal."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from wijkteam_tui.domain.terms import ThresholdRule

#: Rules raised by what the client's own signaleringsplan says (a sign seen in oranje or rood,
#: or many signs in a short time): act now. The others (uit beeld, gemiste contacten, niet
#: bereikt) say that contact is slipping; they come after these.
URGENT_RULES = frozenset({ThresholdRule.ORANGE_OR_RED, ThresholdRule.OBSERVATION_FREQUENCY})

#: Weeks shown in the trend.
TREND_WEEKS = 12

_AREA = re.compile(r"^(\d{1,3}|\d{4}(\s?[A-Za-z]{1,2})?)$")


def is_urgent(rule: ThresholdRule) -> bool:
    return rule in URGENT_RULES


def postcode_area(text: str) -> str:
    """What a postcode-area filter matches stored postcodes ("1234 AB") against: "12", "1234"
    or "1234 A" stay as typed (in capitals, with the space), anything else is refused."""
    cleaned = " ".join(text.split()).upper()
    if not cleaned:
        return ""
    if not _AREA.match(cleaned):
        raise ValueError(
            "Een postcodegebied is het begin van een postcode: 2 tot 4 cijfers, bijv. 1234."
        )
    if len(cleaned) > 4 and cleaned[4] != " ":
        cleaned = f"{cleaned[:4]} {cleaned[4:]}"
    return cleaned


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def trend_weeks(today: date, weeks: int = TREND_WEEKS) -> list[date]:
    """The Mondays of the last `weeks` weeks, oldest first, this week last."""
    this_week = week_start(today)
    return [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def latest_days(days: Iterable[date], weeks: Sequence[date]) -> list[date | None]:
    """Per week: the latest of `days` in it, or None when none is."""
    latest: dict[date, date] = {}
    for day in days:
        monday = week_start(day)
        if monday not in latest or day > latest[monday]:
            latest[monday] = day
    return [latest.get(monday) for monday in weeks]


def weekly(daily: Mapping[date, int], weeks: Sequence[date]) -> list[int | None]:
    """Per week: the figure of the latest day in that week that has a snapshot, or None when
    the register was not opened that whole week."""
    latest: dict[date, tuple[date, int]] = {}
    for day, value in daily.items():
        monday = week_start(day)
        if monday not in latest or day > latest[monday][0]:
            latest[monday] = (day, value)
    return [latest[monday][1] if monday in latest else None for monday in weeks]


_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[int | None]) -> str:
    """One character per value, scaled to the highest: "▁▂▅█"; "·" where there is no value,
    all "▁" when everything is 0 (nothing overdue reads as flat, not as missing)."""
    known = [v for v in values if v is not None]
    top = max(known, default=0)
    chars = []
    for value in values:
        if value is None:
            chars.append("·")
        elif top == 0:
            chars.append(_BARS[0])
        else:
            chars.append(_BARS[min(len(_BARS) - 1, round(value / top * (len(_BARS) - 1)))])
    return "".join(chars)
