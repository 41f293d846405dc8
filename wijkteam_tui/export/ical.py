"""The shared agreements as an iCalendar file (RFC 5545) for the client's and the network's
own calendars: one recurring all-day event per shared agreement.

- An interval agreement repeats as FREQ=DAILY;INTERVAL=n from its next due date; a rule
  agreement keeps its own RRULE, with its monthly day spelled out as the engine reads it
  (`calendar_rule`), from its next due date; the end date, or the rule's own last date when
  that is earlier, becomes UNTIL, and never COUNT.
- A monthly agreement on the 29th or 30th means the last day of February (`calendar_rule`
  says it with BYSETPOS, which calcurse ignores: it showed three visits a month). When the
  months of its cycle are the same every year (an interval of 1, 2, 3, 4, 6 or 12 months), it
  is sent as two events that every calendar reads alike: the day itself in the other months,
  and February's last day yearly (UID ending in "-februari"). Other intervals keep BYSETPOS.
- The UID comes from the register and the agreement, so importing a new export updates the
  events instead of adding them twice; SEQUENCE is the export's version number, which rises
  with every export (and so with every change).
- Ended agreements are sent with STATUS:CANCELLED, so calendars remove them.
- The performer is in the summary only when they may be named (a member with consent, a
  medewerker); otherwise "iemand uit het netwerk".
- A VTIMEZONE for Europe/Amsterdam (the events are whole days; the zone says where they are).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from wijkteam_tui.domain.schedules import calendar_rule, last_occurrence, rule_parts
from wijkteam_tui.export.document import SharedAgreement, SharedDocument

PRODID = "-//wijkteam//gedeelde afspraken//NL"

#: Europe/Amsterdam as the rules are since 1996: summer time from the last Sunday of March,
#: winter time from the last Sunday of October.
VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Amsterdam\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def uid(doc: SharedDocument, agreement: SharedAgreement) -> str:
    return f"afspraak-{agreement.id}-{doc.register_id}@wijkteam"


@dataclass(frozen=True)
class _Part:
    """One event of an agreement: its rule, first date and the end of its UID."""

    rule: vRecur
    first: date
    suffix: str = ""


def _parts(agreement: SharedAgreement, first: date) -> list[_Part]:
    """The agreement's rule(s) from its next due date (`first`) on, as the engine reads it. A
    calendar counts COUNT from DTSTART, which is the next due date here and not the start, and
    RFC 5545 forbids COUNT beside UNTIL (calcurse refuses the event): so the end is always one
    UNTIL, the last date the register can make due."""
    last: date | None = agreement.end_on
    if agreement.interval_days is not None:
        parts = [_Part(vRecur(freq="DAILY", interval=agreement.interval_days), first)]
    else:
        assert agreement.rrule is not None
        text = calendar_rule(agreement.rrule, agreement.start_on)
        own_end = last_occurrence(agreement.rrule, agreement.start_on)
        if own_end is not None:
            last = own_end if last is None else min(last, own_end)
        parts = _february_apart(text, agreement.start_on, first) or [
            _Part(vRecur.from_ical(text), first)
        ]
    for part in parts:
        part.rule.pop("COUNT", None)
        part.rule.pop("UNTIL", None)
        if last is not None:
            part.rule["UNTIL"] = last
    # A part whose first date lies past the end has nothing left to show.
    return [part for part in parts if last is None or part.first <= last] or parts[:1]


def _february_apart(text: str, start_on: date, first: date) -> list[_Part] | None:
    """A monthly rule on "the 29th/30th or the last day when shorter" (BYSETPOS=-1 over
    28..day) as two rules without BYSETPOS; None for any other rule, or when the months of its
    cycle differ from year to year."""
    parts = rule_parts(text)
    days = parts.get("BYMONTHDAY", "")
    if parts.get("FREQ") != "MONTHLY" or parts.get("BYSETPOS") != "-1" or "BYDAY" in parts:
        return None
    if days not in ("28,29", "28,29,30"):
        return None
    day = int(days.rsplit(",", 1)[1])
    interval = int(parts.get("INTERVAL", "1"))
    if 12 % interval:
        return None
    months = sorted({(start_on.month - 1 + i * interval) % 12 + 1 for i in range(12 // interval)})
    other = [m for m in months if m != 2]
    rule = vRecur(freq="MONTHLY", bymonth=other, bymonthday=day)
    result = [_Part(rule, _first_of(first, lambda d: d.month in other and d.day == day))]
    if 2 in months:
        february = vRecur(freq="YEARLY", bymonth=2, bymonthday=-1)
        result.append(_Part(february, _first_of(first, _last_of_february), "-februari"))
    return result


def _last_of_february(day: date) -> bool:
    return day.month == 2 and (day + timedelta(days=1)).month == 3


def _first_of(start: date, matches: Callable[[date], bool]) -> date:
    """The first day on or after `start` that `matches` (within two years: every rule here
    matches at least once a year)."""
    day = start
    while not matches(day):
        day += timedelta(days=1)
    return day


def _events(
    doc: SharedDocument, agreement: SharedAgreement, stamp: datetime, cancelled: bool
) -> list[Event]:
    """The agreement's event(s): one, or two for a monthly day that February lacks. An ended
    agreement cancels each event an earlier export may have sent."""
    if cancelled:
        start = agreement.start_on
        split = agreement.rrule and _february_apart(
            calendar_rule(agreement.rrule, start), start, start
        )
        suffixes = [part.suffix for part in split] if split else [""]
        return [
            _event(doc, agreement, stamp, rule=None, first=start, suffix=suffix)
            for suffix in suffixes
        ]
    parts = _parts(agreement, agreement.next_due or agreement.start_on)
    return [
        _event(doc, agreement, stamp, rule=part.rule, first=part.first, suffix=part.suffix)
        for part in parts
    ]


def _event(
    doc: SharedDocument,
    agreement: SharedAgreement,
    stamp: datetime,
    *,
    rule: vRecur | None,
    first: date,
    suffix: str = "",
) -> Event:
    """One event; `rule` None: cancelled."""
    event = Event()
    event.add("uid", uid(doc, agreement).replace("@", f"{suffix}@", 1))
    event.add("dtstamp", stamp)
    event.add("sequence", doc.version)
    who = agreement.who if agreement.named else "iemand uit het netwerk"
    event.add("summary", f"{doc.client_name}: {agreement.channel} – {who}")
    event.add(
        "description",
        f"{agreement.how_often}. Uit de gedeelde afspraken van {doc.client_name},"
        f" versie {doc.version} ({doc.made_on_text}).",
    )
    event.add("dtstart", first)
    event.add("transp", "TRANSPARENT")
    if rule is None:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        event.add("rrule", rule)
    return event


def render(doc: SharedDocument, stamp: datetime) -> bytes:
    """The calendar; `stamp` is the export's moment in UTC (DTSTAMP)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Afspraken rond {doc.client_name}")
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    for agreement in doc.agreements:
        if agreement.next_due is not None:
            for event in _events(doc, agreement, stamp, cancelled=False):
                calendar.add_component(event)
    for agreement in doc.ended:
        for event in _events(doc, agreement, stamp, cancelled=True):
            calendar.add_component(event)
    body = str(calendar.to_ical().decode("utf-8"))
    # The time zone goes right after the calendar's own properties, before the events.
    head, sep, rest = body.partition("BEGIN:VEVENT")
    if not sep:
        head, sep, rest = body.partition("END:VCALENDAR")
    return (head + VTIMEZONE + sep + rest).encode("utf-8")
