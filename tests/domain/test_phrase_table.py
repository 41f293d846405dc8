"""What professionals write, the rule it becomes, and the next ten due dates, each row worked
out by hand on a calendar (contact made on every due date). Most rows start on Monday
23 November 2026; the monthly rows near a month's end show that the 29th to the 31st fall on
the last day of a shorter month instead of skipping it."""

from __future__ import annotations

from datetime import date

import pytest

from wijkteam_tui.domain.phrases import HowOften, parse_how_often, phrase_of, preview

MONDAY = date(2026, 11, 23)


def days(year: int, *month_days: tuple[int, int]) -> list[date]:
    """Dates in order from `year` on; the year goes up where the month goes down."""
    found, last_month = [], 0
    for month, day in month_days:
        if month < last_month:
            year += 1
        found.append(date(year, month, day))
        last_month = month
    return found


TABLE = [
    (
        "elke werkdag",
        MONDAY,
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        days(2026, (11, 23), (11, 24), (11, 25), (11, 26), (11, 27), (11, 30), (12, 1), (12, 2),
             (12, 3), (12, 4)),
    ),
    (
        "om de week op woensdag",
        MONDAY,
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        days(2026, (11, 25), (12, 9), (12, 23), (1, 6), (1, 20), (2, 3), (2, 17), (3, 3),
             (3, 17), (3, 31)),
    ),
    (
        "wekelijks op dinsdag",
        MONDAY,
        "FREQ=WEEKLY;BYDAY=TU",
        days(2026, (11, 24), (12, 1), (12, 8), (12, 15), (12, 22), (12, 29), (1, 5), (1, 12),
             (1, 19), (1, 26)),
    ),
    (
        "elke maandag en donderdag",
        MONDAY,
        "FREQ=WEEKLY;BYDAY=MO,TH",
        days(2026, (11, 23), (11, 26), (11, 30), (12, 3), (12, 7), (12, 10), (12, 14), (12, 17),
             (12, 21), (12, 24)),
    ),
    (
        "eerste en derde dinsdag van de maand",
        MONDAY,
        "FREQ=MONTHLY;BYDAY=1TU,3TU",
        days(2026, (12, 1), (12, 15), (1, 5), (1, 19), (2, 2), (2, 16), (3, 2), (3, 16), (4, 6),
             (4, 20)),
    ),
    (
        "laatste vrijdag van de maand",
        MONDAY,
        "FREQ=MONTHLY;BYDAY=-1FR",
        days(2026, (11, 27), (12, 25), (1, 29), (2, 26), (3, 26), (4, 30), (5, 28), (6, 25),
             (7, 30), (8, 27)),
    ),
    (
        "eerste maandag en laatste vrijdag van de maand",
        MONDAY,
        "FREQ=MONTHLY;BYDAY=1MO,-1FR",
        days(2026, (11, 27), (12, 7), (12, 25), (1, 4), (1, 29), (2, 1), (2, 26), (3, 1),
             (3, 26), (4, 5)),
    ),
    (
        "eerste dinsdag van elke tweede maand",
        MONDAY,
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU",
        days(2027, (1, 5), (3, 2), (5, 4), (7, 6), (9, 7), (11, 2), (1, 4), (3, 7), (5, 2),
             (7, 4)),
    ),
    (
        "elke 2 maanden",
        MONDAY,
        "FREQ=MONTHLY;INTERVAL=2",
        days(2026, (11, 23), (1, 23), (3, 23), (5, 23), (7, 23), (9, 23), (11, 23), (1, 23),
             (3, 23), (5, 23)),
    ),
    (
        "elk kwartaal",
        MONDAY,
        "FREQ=MONTHLY;INTERVAL=3",
        days(2026, (11, 23), (2, 23), (5, 23), (8, 23), (11, 23), (2, 23), (5, 23), (8, 23),
             (11, 23), (2, 23)),
    ),
    (
        "elke veertien dagen",
        MONDAY,
        None,
        days(2026, (12, 7), (12, 21), (1, 4), (1, 18), (2, 1), (2, 15), (3, 1), (3, 15), (3, 29),
             (4, 12)),
    ),
    (
        "elke maand op de 31e",
        MONDAY,
        "FREQ=MONTHLY;BYMONTHDAY=31",
        days(2026, (11, 30), (12, 31), (1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30),
             (7, 31), (8, 31)),
    ),
    (
        "elke maand op de 30e",
        MONDAY,
        "FREQ=MONTHLY;BYMONTHDAY=30",
        days(2026, (11, 30), (12, 30), (1, 30), (2, 28), (3, 30), (4, 30), (5, 30), (6, 30),
             (7, 30), (8, 30)),
    ),
    (
        "elke maand",
        date(2028, 1, 31),
        "FREQ=MONTHLY",
        days(2028, (1, 31), (2, 29), (3, 31), (4, 30), (5, 31), (6, 30), (7, 31), (8, 31),
             (9, 30), (10, 31)),
    ),
    (
        "laatste dag van de maand",
        MONDAY,
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        days(2026, (11, 30), (12, 31), (1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30),
             (7, 31), (8, 31)),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("phrase", "start", "rule", "expected"), TABLE, ids=[r[0] for r in TABLE])
def test_a_phrase_becomes_its_rule_and_its_next_ten_dates(
    phrase: str, start: date, rule: str | None, expected: list[date]
):
    how = parse_how_often(phrase)
    assert how == (HowOften(rrule=rule) if rule else HowOften(interval_days=14))
    assert preview(how, start, count=10) == expected
    assert parse_how_often(phrase_of(how)) == how
