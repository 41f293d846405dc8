"""The calendar file says each schedule the way the register reads it: read back with
`icalendar` and expanded with dateutil, it gives the dates the register makes due, no more."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from wijkteam_tui.domain.terms import Channel, Outcome
from wijkteam_tui.export import document, ical, markdown
from wijkteam_tui.store import services, sharing
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput

MONDAY = date(2026, 11, 23)


def _events(register, client_id: int, today: date) -> list:  # type: ignore[no-untyped-def]
    doc = document.build(sharing.sharing_facts(register, client_id), today, 1)
    made = ical.render(doc, datetime(2026, 11, 23, 9, tzinfo=UTC))
    return list(Calendar.from_ical(made).walk("VEVENT"))


def _expanded(event, limit: int = 20) -> list[date]:  # type: ignore[no-untyped-def]
    start = event.decoded("dtstart")
    rule = event.get("rrule").to_ical().decode()
    dtstart = datetime(start.year, start.month, start.day)
    return [moment.date() for moment in rrulestr(rule, dtstart=dtstart)[:limit]]


def _client_with(register, rule: str, end_on: date | None = None) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    client = services.create_client(register, ClientInput("Truus Smit", MONDAY), MONDAY)
    made = services.add_agreement(
        register,
        client.id,
        AgreementInput(Channel.PHONE, MONDAY, rrule=rule, end_on=end_on, shared=True),
        MONDAY,
    )
    return client.id, made.id


def test_the_31st_reaches_the_calendar_as_the_last_day_of_shorter_months(register):
    client_id, _ = _client_with(register, "FREQ=MONTHLY;BYMONTHDAY=31")
    (event,) = _events(register, client_id, MONDAY)
    assert _expanded(event, 6) == [
        date(2026, 11, 30),
        date(2026, 12, 31),
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def _merged(events, limit: int) -> list[date]:  # type: ignore[no-untyped-def]
    return sorted(d for event in events for d in _expanded(event, limit))[:limit]


def _monthly_from(register, start: date, rule: str = "FREQ=MONTHLY") -> int:  # type: ignore[no-untyped-def]
    client = services.create_client(register, ClientInput("Truus Smit", MONDAY), MONDAY)
    services.add_agreement(
        register,
        client.id,
        AgreementInput(Channel.PHONE, start, rrule=rule, shared=True),
        MONDAY,
    )
    return client.id


def test_a_monthly_start_on_the_30th_reaches_the_calendar_without_skipping_february(register):
    client_id = _monthly_from(register, date(2027, 1, 30))
    events = _events(register, client_id, MONDAY)
    # Without BYSETPOS, which calcurse ignores: the 30th, and February's last day apart.
    assert all("BYSETPOS" not in event.get("rrule") for event in events)
    assert _merged(events, 4) == [
        date(2027, 1, 30),
        date(2027, 2, 28),
        date(2027, 3, 30),
        date(2027, 4, 30),
    ]


def test_the_29th_every_other_month_and_in_a_leap_year_reach_the_calendar_once_each(register):
    client_id = _monthly_from(register, date(2027, 12, 29), "FREQ=MONTHLY;INTERVAL=2")
    events = _events(register, client_id, MONDAY)
    assert _merged(events, 5) == [
        date(2027, 12, 29),
        date(2028, 2, 29),
        date(2028, 4, 29),
        date(2028, 6, 29),
        date(2028, 8, 29),
    ]
    uids = {str(event.get("uid")) for event in events}
    (plain,) = [uid for uid in uids if "-februari" not in uid]
    assert uids == {plain, plain.replace("@", "-februari@")}


def _calcurse_dates(made: bytes, tmp_path, first: date, days: int) -> list[date]:  # type: ignore[no-untyped-def]
    """The days calcurse (a real calendar program) shows the imported file's events on."""
    (tmp_path / "in.ics").write_bytes(made)
    data = tmp_path / "calcurse"
    run = ["calcurse", "-D", str(data)]
    subprocess.run([*run, "-i", str(tmp_path / "in.ics")], check=True, capture_output=True)
    shown = subprocess.run(
        [*run, "-Q", "--from", f"{first:%m/%d/%Y}", "--days", str(days)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        datetime.strptime(line.rstrip(":"), "%m/%d/%y").date()
        for line in shown.splitlines()
        if line.endswith(":")
    ]


@pytest.mark.skipif(
    shutil.which("calcurse") is None,
    reason="calcurse ontbreekt; installeer het met: sudo apt-get install calcurse",
)
def test_calcurse_shows_the_monthly_days_the_register_makes_due(register, tmp_path):
    for start, rule in (
        (date(2027, 1, 30), "FREQ=MONTHLY"),
        (date(2027, 1, 31), "FREQ=MONTHLY"),
        (date(2027, 1, 29), "FREQ=MONTHLY;INTERVAL=3"),
    ):
        client_id = _monthly_from(register, start, rule)
        doc = document.build(sharing.sharing_facts(register, client_id), MONDAY, 1)
        made = ical.render(doc, datetime(2026, 11, 23, 9, tzinfo=UTC))
        expected = _merged(list(Calendar.from_ical(made).walk("VEVENT")), 30)
        within = [d for d in expected if d < date(2029, 1, 1)]
        folder = tmp_path / f"{start}-{rule.count(';')}"
        folder.mkdir()
        shown = _calcurse_dates(made, folder, date(2027, 1, 1), 731)
        assert shown == within, (start, rule)


def test_a_rule_with_a_count_and_an_end_date_gets_one_until_and_no_extra_visit(register):
    """Five Tuesdays from 24 November; one done. The register expects four more (1, 8, 15 and
    22 December); a calendar that counted COUNT=5 from the next due date showed a fifth, and
    calcurse refuses COUNT beside UNTIL."""
    client_id, agreement_id = _client_with(
        register, "FREQ=WEEKLY;BYDAY=TU;COUNT=5", end_on=date(2027, 6, 1)
    )
    services.log_contact(
        register,
        ContactInput(client_id, date(2026, 11, 24), Channel.PHONE, Outcome.GOOD, agreement_id),
        date(2026, 11, 24),
    )
    (event,) = _events(register, client_id, date(2026, 11, 24))
    rule = event.get("rrule")
    assert "COUNT" not in rule
    assert rule["UNTIL"] == [date(2026, 12, 22)]
    assert _expanded(event) == [
        date(2026, 12, 1),
        date(2026, 12, 8),
        date(2026, 12, 15),
        date(2026, 12, 22),
    ]


def test_an_end_date_before_the_rules_own_end_is_the_until(register):
    client_id, _ = _client_with(register, "FREQ=WEEKLY;BYDAY=TU;COUNT=10", end_on=date(2026, 12, 9))
    (event,) = _events(register, client_id, MONDAY)
    assert "COUNT" not in event.get("rrule")
    assert _expanded(event) == [date(2026, 11, 24), date(2026, 12, 1), date(2026, 12, 8)]


def test_a_next_time_already_past_says_it_is_late_in_the_document(register):
    client_id, _ = _client_with(register, "FREQ=WEEKLY;BYDAY=TU")
    later = date(2026, 12, 3)
    text = markdown.render(document.build(sharing.sharing_facts(register, client_id), later, 1))
    assert "volgende keer zo snel mogelijk (was di 24 nov 2026)" in text
    on_time = markdown.render(document.build(sharing.sharing_facts(register, client_id), MONDAY, 1))
    assert "volgende keer di 24 nov 2026" in on_time


def test_the_time_zone_block_agrees_with_zoneinfo_for_twenty_years():
    """The VTIMEZONE is written by hand as two yearly rules: icalendar's own
    (`Timezone.from_tzid`) lists every change as a date and stops at 2038. Read back by
    icalendar, ours gives the offset zoneinfo gives on every day up to 2046, on both sides of
    each change."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from icalendar import Timezone

    ours = Timezone.from_ical(ical.VTIMEZONE).to_tz()
    amsterdam = ZoneInfo("Europe/Amsterdam")
    moment = datetime(2026, 1, 1, 1, 30)
    while moment.year < 2046:
        for hour in (moment, moment + timedelta(hours=2)):
            assert hour.replace(tzinfo=ours).utcoffset() == (
                hour.replace(tzinfo=amsterdam).utcoffset()
            ), hour
        moment += timedelta(days=1)
