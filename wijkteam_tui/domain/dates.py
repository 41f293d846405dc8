"""Dates as a Dutch user reads and types them.

Shown as `di 3 mrt 2026` (long) or `03-03-2026` (short). Typed as `3-3-2026`, `03-03-2026`,
`2026-03-03`, `vandaag`, `morgen`, `gisteren`, `+2w`, `-3d`, `+1m` (relative to today).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
#: A contact may be logged at most this long before its file was opened (history taken over
#: from before the registration); earlier is refused as a typing error.
CONTACT_BEFORE_OPENING = timedelta(days=366)

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

_RELATIVE = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwmj])$")
_DUTCH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class DateInputError(ValueError):
    """Input that is not a date; the message is Dutch."""


def format_date(value: date) -> str:
    """`di 3 mrt 2026`"""
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def next_time_text(due: date, today: date) -> str:
    """The next contact as a document or a message says it: a date already past is late, and
    says so, instead of reading as an appointment still to come."""
    if due < today:
        return f"zo snel mogelijk (was {format_date(due)})"
    return format_date(due)


def days_ago_text(days: int) -> str:
    """`vandaag`, `gisteren`, `12 dagen geleden`."""
    if days <= 0:
        return "vandaag"
    if days == 1:
        return "gisteren"
    return f"{days} dagen geleden"


def format_short(value: date) -> str:
    """`03-03-2026`"""
    return value.strftime("%d-%m-%Y")


def parse_date(text: str, today: date, *, future: bool = True) -> date:
    """Parse what a user typed; raise DateInputError with a Dutch message otherwise.

    `future`: whether the date asked for may lie ahead; if not, the examples in the message
    look back (gisteren, -2w) instead of suggesting morgen."""
    cleaned = text.strip().lower()
    named = {"vandaag": 0, "morgen": 1, "overmorgen": 2, "gisteren": -1, "eergisteren": -2}
    if cleaned in named:
        return today + timedelta(days=named[cleaned])
    relative = _RELATIVE.match(cleaned)
    if relative:
        sign = 1 if relative.group(1) == "+" else -1
        amount = sign * int(relative.group(2))
        unit = relative.group(3)
        if unit == "d":
            return today + timedelta(days=amount)
        if unit == "w":
            return today + timedelta(weeks=amount)
        if unit == "m":
            return today + relativedelta(months=amount)
        return today + relativedelta(years=amount)
    for pattern, order in ((_DUTCH, (3, 2, 1)), (_ISO, (1, 2, 3))):
        match = pattern.match(cleaned)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                raise DateInputError(f"'{text.strip()}' bestaat niet als datum.") from None
    examples = "morgen of +2w" if future else "gisteren of -2w"
    raise DateInputError(
        f"'{text.strip()}' is geen datum. Typ bijvoorbeeld 3-3-2026, 2026-03-03, vandaag,"
        f" {examples}."
    )
