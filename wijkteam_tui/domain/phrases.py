"""How often, said in Dutch, turned into a schedule: an interval in days or an RFC 5545 RRULE.

    "elke 14 dagen", "om de week", "wekelijks"        -> an interval (14, 14, 7 days)
    "elke dinsdag", "elke ma en do"                   -> FREQ=WEEKLY;BYDAY=TU / MO,TH
    "elke 2 weken op ma en do"                        -> FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH
    "eerste maandag van de maand"                     -> FREQ=MONTHLY;BYDAY=1MO
    "laatste vrijdag van de maand"                    -> FREQ=MONTHLY;BYDAY=-1FR
    "maandelijks", "elke maand"                       -> FREQ=MONTHLY

`preview` gives the first due dates such a schedule produces, with the engine's own `next_due`,
so that what the person sees before saving is what the lists will say afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from wijkteam_tui.domain.schedules import Schedule, next_due

DAYS = {
    "maandag": "MO", "ma": "MO",
    "dinsdag": "TU", "di": "TU",
    "woensdag": "WE", "wo": "WE",
    "donderdag": "TH", "do": "TH",
    "vrijdag": "FR", "vr": "FR",
    "zaterdag": "SA", "za": "SA",
    "zondag": "SU", "zo": "SU",
}  # fmt: skip
NUMBERS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
}  # fmt: skip
ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": -1}
UNITS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7}
EXAMPLES = (
    "bijv. elke 14 dagen, elke dinsdag, elke 2 weken op ma en do, eerste maandag van de maand"
)


class PhraseError(ValueError):
    """A phrase this module does not understand; `str(error)` is the Dutch message."""


@dataclass(frozen=True)
class HowOften:
    interval_days: int | None = None
    rrule: str | None = None


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def _day(word: str) -> str | None:
    """The RRULE code of a day name, also in the plural ("dinsdagen") or with an s."""
    return DAYS.get(word) or DAYS.get(word.removesuffix("en")) or DAYS.get(word.removesuffix("s"))


def _days(words: list[str]) -> list[str]:
    """Day names in `words` ("ma", "en", "do", "dinsdagen"), in the order of the week."""
    found = [code for word in words if word not in ("en", "op") and (code := _day(word))]
    order = list(dict.fromkeys(DAYS.values()))
    return sorted(set(found), key=order.index)


def parse_how_often(text: str) -> HowOften:
    """The schedule a Dutch phrase describes; raise PhraseError with a Dutch message."""
    cleaned = re.sub(r"[,.]", " ", text.strip().lower())
    words = cleaned.split()
    if not words:
        raise PhraseError(f"Vul in hoe vaak ({EXAMPLES}).")
    if words[0] in ("elke", "iedere", "ieder", "elk"):
        words = words[1:]
    phrase = " ".join(words)
    simple = {
        "dag": 1, "dagelijks": 1, "week": 7, "wekelijks": 7,
        "om de dag": 2, "om de week": 14, "twee weken": 14, "tweewekelijks": 14,
    }  # fmt: skip
    if phrase in simple:
        return HowOften(interval_days=simple[phrase])
    if phrase in ("maand", "maandelijks"):
        return HowOften(rrule="FREQ=MONTHLY")
    return _counted(words) or _monthly(words) or _weekly(words) or _unknown(text)


def _counted(words: list[str]) -> HowOften | None:
    """ "14", "14 dagen", "3 weken", "om de 3 weken"."""
    if words[:2] == ["om", "de"]:
        words = words[2:]
    if len(words) == 1 and words[0].isdigit():
        return _interval(int(words[0]))
    if len(words) == 2 and _number(words[0]) is not None and words[1] in UNITS:
        return _interval(_number(words[0]) * UNITS[words[1]])  # type: ignore[operator]
    return None


def _interval(days: int) -> HowOften:
    if not 1 <= days <= 366:
        raise PhraseError("Een contact moet minstens eens per jaar en hoogstens elke dag.")
    return HowOften(interval_days=days)


def _monthly(words: list[str]) -> HowOften | None:
    """ "eerste maandag van de maand", "laatste vr van de maand"."""
    if len(words) < 2 or words[0] not in ORDINALS or words[-1] != "maand":
        return None
    day = _day(words[1])
    if day is None:
        raise PhraseError(f"'{words[1]}' is geen dag van de week.")
    return HowOften(rrule=f"FREQ=MONTHLY;BYDAY={ORDINALS[words[0]]}{day}")


def _weekly(words: list[str]) -> HowOften | None:
    """ "dinsdag", "ma en do", "2 weken op ma en do", "week op vr"."""
    interval = 1
    if len(words) >= 3 and _number(words[0]) and words[1] in ("weken", "week") and words[2] == "op":
        interval = _number(words[0]) or 1
        words = words[3:]
    elif len(words) >= 2 and words[0] == "week" and words[1] == "op":
        words = words[2:]
    if not words or not all(w in ("en", "op") or _day(w) for w in words):
        return None
    days = _days(words)
    if not 1 <= interval <= 52:
        raise PhraseError("Hoogstens elke 52 weken.")
    every = f";INTERVAL={interval}" if interval > 1 else ""
    return HowOften(rrule=f"FREQ=WEEKLY{every};BYDAY={','.join(days)}")


ORDINAL_WORDS = {number: word for word, number in ORDINALS.items()}
DAY_WORDS = {code: word for word, code in DAYS.items() if len(word) > 2}
SHORT_DAY_WORDS = {code: word for word, code in DAYS.items() if len(word) == 2}


def phrase_of(how: HowOften) -> str:
    """The Dutch phrase for a stored schedule, which `parse_how_often` reads back to the same
    schedule (an edit form starts from it). A rule no phrase says is given as the RRULE."""
    if how.interval_days is not None:
        days = how.interval_days
        if days % 7 == 0:
            return "elke week" if days == 7 else f"elke {days // 7} weken"
        return "elke dag" if days == 1 else f"elke {days} dagen"
    rule = (how.rrule or "").upper().removeprefix("RRULE:")
    return _rule_phrase(rule) or rule


def _rule_phrase(rule: str) -> str:
    """The phrase for a weekly or monthly RRULE; "" when no phrase says it."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    freq, interval, by_day = parts.get("FREQ"), parts.get("INTERVAL", "1"), parts.get("BYDAY", "")
    if set(parts) - {"FREQ", "INTERVAL", "BYDAY"} or not interval.isdigit():
        return ""
    if freq == "MONTHLY" and interval == "1":
        if not by_day:
            return "elke maand"
        found = re.fullmatch(r"(-1|[1-4])([A-Z]{2})", by_day)
        if found and found[2] in DAY_WORDS:
            return f"{ORDINAL_WORDS[int(found[1])]} {DAY_WORDS[found[2]]} van de maand"
    if freq == "WEEKLY" and by_day and all(d in SHORT_DAY_WORDS for d in by_day.split(",")):
        names = [SHORT_DAY_WORDS[d] for d in by_day.split(",")]
        # One day in full ("elke dinsdag"), several short ("elke ma, wo en vr").
        days = DAY_WORDS[by_day] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
        weeks = int(interval)
        return f"elke {days}" if weeks == 1 else f"elke {weeks} weken op {days}"
    return ""


def _unknown(text: str) -> HowOften:
    if text.strip().upper().startswith(("FREQ=", "RRULE:")):
        # A rule no phrase says (as `phrase_of` gives it): taken as it is; the store checks it.
        return HowOften(rrule=text.strip().upper().removeprefix("RRULE:"))
    raise PhraseError(f"'{text.strip()}' begrijp ik niet als hoe vaak ({EXAMPLES}).")


def preview(
    how: HowOften, start_on: date, end_on: date | None = None, count: int = 5
) -> list[date]:
    """The first `count` due dates (fewer when the agreement ends first), as the engine
    computes them when each contact is made on its due date."""
    schedule = Schedule(start_on, how.interval_days, how.rrule, end_on)
    dates: list[date] = []
    last: date | None = None
    while len(dates) < count:
        due = next_due(schedule, last)
        if due is None:
            break
        dates.append(due)
        last = due
    return dates
