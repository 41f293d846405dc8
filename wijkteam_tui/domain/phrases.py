"""How often, said in Dutch: the one parser and the one renderer of a schedule in words.

    "elke 14 dagen", "elke veertien dagen", "wekelijks"   -> an interval (14, 14, 7 days)
    "elke dinsdag", "wekelijks op dinsdag"                -> FREQ=WEEKLY;BYDAY=TU
    "elke werkdag"                                        -> FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR
    "om de week op woensdag"                              -> FREQ=WEEKLY;INTERVAL=2;BYDAY=WE
    "eerste en derde dinsdag van de maand"                -> FREQ=MONTHLY;BYDAY=1TU,3TU
    "eerste maandag en laatste vrijdag van de maand"      -> FREQ=MONTHLY;BYDAY=1MO,-1FR
    "eerste dinsdag van elke tweede maand"                -> FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU
    "elke maand", "elke 2 maanden", "elk kwartaal"        -> FREQ=MONTHLY(;INTERVAL=2 / 3)
    "elke maand op de 31e", "laatste dag van de maand"    -> BYMONTHDAY=31 / -1

A phrase is understood exactly or refused with a Dutch message that gives an example: "eerste
maandag en dinsdag van de maand" (is that the first Tuesday, or every one?) and "maandag of
dinsdag" (no calendar can keep a choice) are refused, never read as something else.

`phrase_of` says a stored schedule in the same words (whole day names, as a client reads them),
and `parse_how_often` reads those words back to the same schedule. `preview` gives the first
due dates with the engine's own `next_due`, so what is seen before saving is what lists say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from wijkteam_tui.domain.schedules import Schedule, next_due, rule_parts, validate_rrule

WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WORKDAYS = WEEK[:5]
DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
DAY_WORDS = dict(zip(WEEK, DAY_NAMES, strict=True))
DAYS = {
    **{name: code for code, name in DAY_WORDS.items()},
    **{name[:2]: code for code, name in DAY_WORDS.items()},
}
NUMBERS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
    "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
    "twintig": 20, "eenentwintig": 21, "achtentwintig": 28, "dertig": 30,
}  # fmt: skip
#: "eerste" .. "twaalfde": a week in the month (1-4, laatste) or every n-th month.
ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7,
    "achtste": 8, "negende": 9, "tiende": 10, "elfde": 11, "twaalfde": 12, "laatste": -1,
}  # fmt: skip
ORDINAL_WORDS = {number: word for word, number in ORDINALS.items()}
WEEK_IN_MONTH = (1, 2, 3, 4, -1)
EVERY = ("elke", "iedere", "ieder", "elk")
#: Periods of whole months with a name of their own.
MONTH_PERIODS = {
    "maand": 1, "maandelijks": 1, "kwartaal": 3, "half jaar": 6, "jaar": 12, "jaarlijks": 12,
}  # fmt: skip
MONTH_PERIOD_WORDS = {1: "elke maand", 3: "elk kwartaal", 6: "elk half jaar", 12: "elk jaar"}
#: A fixed day to try a typed RRULE from (the parser is pure; the store uses the real start).
RAW_RULE_CHECKED_FROM = date(2000, 1, 3)
EXAMPLES = (
    "bijv. elke 14 dagen, elke dinsdag, om de week op woensdag, elke werkdag,"
    " eerste en derde dinsdag van de maand, elke maand op de 15e"
)


class PhraseError(ValueError):
    """A phrase this module does not understand; `str(error)` is the Dutch message."""


@dataclass(frozen=True)
class HowOften:
    interval_days: int | None = None
    rrule: str | None = None


def _refuse(text: str) -> PhraseError:
    return PhraseError(f"'{text.strip()}' begrijp ik niet als hoe vaak ({EXAMPLES}).")


def _digits(word: str) -> bool:
    """Written in 0-9 (str.isdigit also takes "²" and other scripts' digits)."""
    return word.isascii() and word.isdigit()


def _number(word: str) -> int | None:
    if _digits(word):
        return int(word)
    return NUMBERS.get(word)


def _nth(word: str) -> int | None:
    """ "tweede", "2e", "2de", "2ste" -> 2."""
    if word in ORDINALS:
        return ORDINALS[word]
    found = re.fullmatch(r"([0-9]{1,2})(e|de|ste)", word)
    return int(found[1]) if found else None


def _day(word: str) -> str | None:
    """The RRULE code of a day name ("di", "dinsdag"), also in the plural ("dinsdagen",
    "dinsdags"); only a whole name takes a plural, so "doen" is no Thursday."""
    if word in DAYS:
        return DAYS[word]
    for ending in ("en", "s"):
        name = word.removesuffix(ending)
        if name != word and name in DAY_NAMES:
            return DAYS[name]
    return None


def _items(words: list[str]) -> list[list[str]] | None:
    """Words split at "en" and commas into items: "a , b en c" -> [[a], [b], [c]]; None when an
    item is empty ("elke en", "dinsdag en")."""
    items: list[list[str]] = [[]]
    for word in words:
        if word in ("en", ","):
            items.append([])
        else:
            items[-1].append(word)
    return None if any(not item for item in items) else items


def parse_how_often(text: str) -> HowOften:
    """The schedule a Dutch phrase describes; raise PhraseError with a Dutch message."""
    stripped = text.strip()
    if not stripped:
        raise PhraseError(f"Vul in hoe vaak ({EXAMPLES}).")
    if stripped.upper().startswith(("FREQ=", "RRULE:")):
        return _raw_rule(stripped)
    words = re.sub(r",", " , ", re.sub(r"[.;:!?]", " ", stripped.lower())).split()
    if "of" in words:
        raise PhraseError(
            "Een afspraak ligt vast, 'of' laat de keuze open. Kies één moment of noem ze allebei,"
            " bijv. eerste maandag en eerste dinsdag van de maand."
        )
    if words and words[0] in EVERY:
        words = words[1:]
    if not words:
        raise _refuse(text)
    if words[0] == "op" and _day_list(words[1:]):
        days = " ".join(words[1:])
        raise PhraseError(f"Zeg hoe vaak, bijv. elke {days} of om de week op {days}.")
    how = _interval(words) or _weekly(words) or _monthly(words, text)
    if how is None:
        raise _refuse(text)
    return how


#: What a rule typed as an RRULE may say: whole days only, so every due date is one day.
RAW_PARTS = {
    "FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "BYYEARDAY", "BYWEEKNO",
    "COUNT", "UNTIL", "WKST",
}  # fmt: skip


def _raw_rule(text: str) -> HowOften:
    """A rule no phrase says (as `phrase_of` gives it back): taken when the engine can use it;
    the store checks it again against the agreement's own start date."""
    rule = text.upper().removeprefix("RRULE:")
    parts = rule_parts(rule)
    names = [part.split("=", 1)[0] for part in rule.split(";")]
    refused = PhraseError(f"Dit rooster wordt niet begrepen ({EXAMPLES}, of FREQ=WEEKLY;BYDAY=TU).")
    interval = parts.get("INTERVAL", "1")
    if (
        parts.get("FREQ") not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
        or set(parts) - RAW_PARTS
        or len(names) != len(set(names))
        or not (_digits(interval) and 1 <= int(interval) <= 366)
    ):
        raise refused
    try:
        validate_rrule(rule, RAW_RULE_CHECKED_FROM)
        preview(HowOften(rrule=rule), RAW_RULE_CHECKED_FROM, count=2)
    except (ValueError, TypeError, OverflowError):
        raise refused from None
    said = _rule_phrase(rule)
    # A rule that words can say is kept as the words say it, so both spellings are one rule.
    return parse_how_often(said) if said else HowOften(rrule=rule)


def _interval(words: list[str]) -> HowOften | None:
    """ "dag", "wekelijks", "om de week", "14", "14 dagen", "om de 3 weken"."""
    phrase = " ".join(words)
    named = {
        "dag": 1, "dagelijks": 1, "week": 7, "wekelijks": 7,
        "om de dag": 2, "om de week": 14, "tweewekelijks": 14,
    }  # fmt: skip
    if phrase in named:
        return _days(named[phrase])
    if words[:2] == ["om", "de"]:
        words = words[2:]
    if len(words) == 1 and _digits(words[0]):
        return _days(int(words[0]))
    units = {"dag": 1, "dagen": 1, "week": 7, "weken": 7}
    if len(words) == 2 and (number := _number(words[0])) is not None and words[1] in units:
        return _days(number * units[words[1]])
    return None


def _days(days: int) -> HowOften:
    if not 1 <= days <= 366:
        raise PhraseError(
            "Een contact moet minstens eens per jaar en hoogstens elke dag (bijv. elke 14 dagen)."
        )
    return HowOften(interval_days=days)


def _weekly(words: list[str]) -> HowOften | None:
    """ "dinsdag", "ma en do", "werkdag", "2 weken op ma en do", "om de week op woensdag",
    "wekelijks op dinsdag"."""
    weeks = 1
    if "op" in words:
        at = words.index("op")
        head, words = words[:at], words[at + 1 :]
        weeks_said = _weeks(head)
        if weeks_said is None:
            return None
        weeks = weeks_said
    days = _day_list(words)
    if days is None:
        return None
    if not 1 <= weeks <= 52:
        raise PhraseError("Hoogstens elke 52 weken (bijv. elke 4 weken op dinsdag).")
    every = f";INTERVAL={weeks}" if weeks > 1 else ""
    return HowOften(rrule=f"FREQ=WEEKLY{every};BYDAY={','.join(days)}")


def _weeks(head: list[str]) -> int | None:
    """How many weeks apart the words before "op" say: "week", "wekelijks", "om de week",
    "2 weken", "om de 3 weken", "tweewekelijks"."""
    phrase = " ".join(head)
    named = {"week": 1, "wekelijks": 1, "om de week": 2, "tweewekelijks": 2}
    if phrase in named:
        return named[phrase]
    if head[:2] == ["om", "de"]:
        head = head[2:]
    if len(head) == 2 and head[1] in ("week", "weken") and (number := _number(head[0])):
        return number
    return None


def _day_list(words: list[str]) -> list[str] | None:
    """ "ma , wo en vr", "dinsdagen", "werkdagen" -> day codes in week order; None otherwise."""
    items = _items(words)
    if items is None or any(len(item) != 1 for item in items):
        return None
    found: set[str] = set()
    for (word,) in items:
        if word in ("werkdag", "werkdagen"):
            found.update(WORKDAYS)
        elif code := _day(word):
            found.add(code)
        else:
            return None
    return sorted(found, key=WEEK.index)


def _monthly(words: list[str], text: str) -> HowOften | None:
    """ "maand", "2 maanden", "kwartaal", "maand op de 15e", "eerste en derde dinsdag van de
    maand", "laatste dag van elke tweede maand"."""
    if "van" in words:
        at = words.index("van")
        months = _months_after_van(words[at + 1 :])
        if months is None:
            return None
        return _in_the_month(words[:at], months, text)
    if "op" in words:
        at = words.index("op")
        months = _months(words[:at])
        rest = words[at + 1 :]
        if months is None or len(rest) != 2 or rest[0] != "de":
            return None
        day = _nth(rest[1])
        if day is None or not 1 <= day <= 31:
            raise PhraseError(f"'{rest[1]}' is geen dag van de maand (bijv. op de 15e).")
        return HowOften(rrule=_monthly_rule(months, f"BYMONTHDAY={day}"))
    months = _months(words)
    return None if months is None else HowOften(rrule=_monthly_rule(months, ""))


def _months(words: list[str]) -> int | None:
    """ "maand", "maandelijks", "kwartaal", "half jaar", "jaar", "2 maanden", "om de maand",
    "om de 3 maanden"."""
    phrase = " ".join(words)
    if phrase in MONTH_PERIODS:
        return MONTH_PERIODS[phrase]
    if phrase == "om de maand":
        return 2
    if words[:2] == ["om", "de"]:
        words = words[2:]
    if len(words) == 2 and words[1] in ("maand", "maanden") and (number := _number(words[0])):
        if number > 12:
            raise PhraseError("Hoogstens elke 12 maanden (bijv. elk jaar).")
        return number
    return None


def _months_after_van(words: list[str]) -> int | None:
    """ "de maand", "elke maand", "elke tweede maand", "elke 2e maand", "elke 2 maanden",
    "om de maand", "om de 3 maanden"."""
    if words in (["de", "maand"], ["elke", "maand"], ["iedere", "maand"]):
        return 1
    if len(words) == 3 and words[0] in EVERY and words[2] == "maand":
        nth = _nth(words[1])
        if nth is not None and 1 <= nth <= 12:
            return nth
        return None
    if words and words[0] in EVERY:
        words = words[1:]
    return _months(words) if words else None


def _in_the_month(words: list[str], months: int, text: str) -> HowOften | None:
    """The days before "van": "laatste dag", "eerste en derde dinsdag", "eerste maandag en
    laatste vrijdag"."""
    if len(words) == 2 and words[1] == "dag" and words[0] in ("eerste", "laatste"):
        return HowOften(rrule=_monthly_rule(months, f"BYMONTHDAY={ORDINALS[words[0]]}"))
    items = _items(words)
    if items is None:
        return None
    picked: list[tuple[int, str]] = []
    waiting: list[int] = []
    for item in items:
        *ordinals, last = item
        day = _day(last)
        if day is None and not ordinals and last in ORDINALS:
            waiting.append(ORDINALS[last])
            continue
        if any(word not in ORDINALS for word in ordinals):
            return None
        if day is None:
            raise PhraseError(
                f"'{last}' is geen dag van de week (bijv. eerste maandag van de maand)."
            )
        if not ordinals:
            raise PhraseError(
                f"Welke {DAY_WORDS[day]} van de maand? Noem elke dag met zijn week,"
                f" bijv. eerste maandag en eerste {DAY_WORDS[day]} van de maand."
            )
        if len(ordinals) > 1:
            return None
        for ordinal in (*waiting, ORDINALS[ordinals[0]]):
            if ordinal not in WEEK_IN_MONTH:
                raise PhraseError(
                    "Een dag van de maand is de eerste, tweede, derde, vierde of laatste"
                    " (bijv. laatste vrijdag van de maand)."
                )
            picked.append((ordinal, day))
        waiting = []
    if waiting or not picked:
        raise _refuse(text)
    ordered = sorted(set(picked), key=lambda pick: (WEEK.index(pick[1]), pick[0] % 6))
    return HowOften(
        rrule=_monthly_rule(months, "BYDAY=" + ",".join(f"{n}{day}" for n, day in ordered))
    )


def _monthly_rule(months: int, days: str) -> str:
    every = f";INTERVAL={months}" if months > 1 else ""
    return f"FREQ=MONTHLY{every}" + (f";{days}" if days else "")


def phrase_of(how: HowOften) -> str:
    """The Dutch phrase for a stored schedule, which `parse_how_often` reads back to the same
    schedule (an edit form starts from it). A rule no phrase says is given as the RRULE."""
    if how.interval_days is not None:
        days = how.interval_days
        if days % 7 == 0:
            return "elke week" if days == 7 else f"elke {days // 7} weken"
        return "elke dag" if days == 1 else f"elke {days} dagen"
    rule = (how.rrule or "").strip().upper().removeprefix("RRULE:")
    return _rule_phrase(rule) or rule


def schedule_text(interval_days: int | None, rrule: str | None) -> str:
    """How often an agreement is, in the words of the form, the lists and the documents."""
    return phrase_of(HowOften(interval_days, rrule))


def _rule_phrase(rule: str) -> str:
    """The phrase for a weekly or monthly RRULE; "" when no phrase says it."""
    parts = rule_parts(rule)
    freq, interval = parts.get("FREQ"), parts.get("INTERVAL", "1")
    if set(parts) - {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY"} or not _digits(interval):
        return ""
    every = int(interval)
    if freq == "WEEKLY" and "BYMONTHDAY" not in parts and 1 <= every <= 52:
        return _weekly_phrase(parts.get("BYDAY", ""), every)
    if freq == "MONTHLY" and 1 <= every <= 12 and not {"BYDAY", "BYMONTHDAY"} <= parts.keys():
        return _monthly_phrase(parts, every)
    return ""


def _weekly_phrase(by_day: str, weeks: int) -> str:
    codes = by_day.split(",")
    if not by_day or len(set(codes)) != len(codes) or not all(c in WEEK for c in codes):
        return ""
    if codes != sorted(codes, key=WEEK.index):
        return ""
    if codes == list(WORKDAYS):
        return "elke werkdag" if weeks == 1 else f"elke {weeks} weken op werkdagen"
    days = _listed([DAY_WORDS[code] for code in codes])
    return f"elke {days}" if weeks == 1 else f"elke {weeks} weken op {days}"


def _monthly_phrase(parts: dict[str, str], months: int) -> str:
    of_month = "van de maand" if months == 1 else f"van elke {ORDINAL_WORDS[months]} maand"
    period = MONTH_PERIOD_WORDS.get(months, f"elke {months} maanden")
    month_day = parts.get("BYMONTHDAY")
    if month_day == "-1":
        return f"laatste dag {of_month}"
    if month_day is not None:
        ok = _digits(month_day) and 1 <= int(month_day) <= 31 and month_day[0] != "0"
        return f"{period} op de {month_day}e" if ok else ""
    by_day = parts.get("BYDAY")
    if by_day is None:
        return period
    picks = [re.fullmatch(r"(-1|[1-4])([A-Z]{2})", item) for item in by_day.split(",")]
    if not all(pick and pick[2] in WEEK for pick in picks):
        return ""
    pairs = [(int(pick[1]), pick[2]) for pick in picks if pick]
    ordered = sorted(set(pairs), key=lambda pair: (WEEK.index(pair[1]), pair[0] % 6))
    if ordered != pairs:
        return ""
    groups: dict[str, list[str]] = {}
    for ordinal, day in pairs:
        groups.setdefault(day, []).append(ORDINAL_WORDS[ordinal])
    said = [f"{_listed(ordinals)} {DAY_WORDS[day]}" for day, ordinals in groups.items()]
    return f"{_listed(said)} {of_month}"


def _listed(words: list[str]) -> str:
    """ "maandag", "maandag en donderdag", "maandag, woensdag en vrijdag"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def preview(
    how: HowOften, start_on: date, end_on: date | None = None, count: int = 5
) -> list[date]:
    """The first `count` due dates (fewer when the agreement ends first), as the engine
    computes them when each contact is made on its due date."""
    schedule = Schedule(start_on, how.interval_days, how.rrule, end_on)
    dates: list[date] = []
    last: date | None = None
    while len(dates) < count:
        try:
            due = next_due(schedule, last)
        except OverflowError:  # past the year 9999: no more dates to show
            break
        if due is None:
            break
        dates.append(due)
        last = due
    return dates
