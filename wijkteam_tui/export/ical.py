"""The shared agreements as an iCalendar file (RFC 5545) for the client's and the network's
own calendars: one recurring all-day event per shared agreement.

- An interval agreement repeats as FREQ=DAILY;INTERVAL=n from its next due date; a rule
  agreement keeps its own RRULE, with its monthly day spelled out as the engine reads it
  (`calendar_rule`), from its next due date; the end date, or the rule's own last date when
  that is earlier, becomes UNTIL, and never COUNT.
- The UID comes from the register and the agreement, so importing a new export updates the
  events instead of adding them twice; SEQUENCE is the export's version number, which rises
  with every export (and so with every change).
- Ended agreements are sent with STATUS:CANCELLED, so calendars remove them.
- The performer is in the summary only when they may be named (a member with consent, a
  medewerker); otherwise "iemand uit het netwerk".
- A VTIMEZONE for Europe/Amsterdam (the events are whole days; the zone says where they are).
"""

from __future__ import annotations

from datetime import date, datetime

from icalendar import Calendar, Event, vRecur

from wijkteam_tui.domain.schedules import calendar_rule, last_occurrence
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


def _rule(agreement: SharedAgreement) -> vRecur:
    """The agreement's rule from its next due date on, as the engine reads it. A calendar
    counts COUNT from DTSTART, which is the next due date here and not the start, and RFC 5545
    forbids COUNT beside UNTIL (calcurse refuses the event): so the end is always one UNTIL,
    the last date the register can make due."""
    last: date | None = agreement.end_on
    if agreement.interval_days is not None:
        rule = vRecur(freq="DAILY", interval=agreement.interval_days)
    else:
        assert agreement.rrule is not None
        rule = vRecur.from_ical(calendar_rule(agreement.rrule, agreement.start_on))
        rule.pop("COUNT", None)
        rule.pop("UNTIL", None)
        own_end = last_occurrence(agreement.rrule, agreement.start_on)
        if own_end is not None:
            last = own_end if last is None else min(last, own_end)
    if last is not None:
        rule["UNTIL"] = last
    return rule


def _event(
    doc: SharedDocument, agreement: SharedAgreement, stamp: datetime, cancelled: bool
) -> Event:
    event = Event()
    event.add("uid", uid(doc, agreement))
    event.add("dtstamp", stamp)
    event.add("sequence", doc.version)
    who = agreement.who if agreement.named else "iemand uit het netwerk"
    event.add("summary", f"{doc.client_name}: {agreement.channel} – {who}")
    event.add(
        "description",
        f"{agreement.how_often}. Uit de gedeelde afspraken van {doc.client_name},"
        f" versie {doc.version} ({doc.made_on_text}).",
    )
    first: date = (
        (agreement.next_due or agreement.start_on) if not cancelled else agreement.start_on
    )
    event.add("dtstart", first)
    event.add("transp", "TRANSPARENT")
    if cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        event.add("rrule", _rule(agreement))
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
            calendar.add_component(_event(doc, agreement, stamp, cancelled=False))
    for agreement in doc.ended:
        calendar.add_component(_event(doc, agreement, stamp, cancelled=True))
    body = str(calendar.to_ical().decode("utf-8"))
    # The time zone goes right after the calendar's own properties, before the events.
    head, sep, rest = body.partition("BEGIN:VEVENT")
    if not sep:
        head, sep, rest = body.partition("END:VCALENDAR")
    return (head + VTIMEZONE + sep + rest).encode("utf-8")
