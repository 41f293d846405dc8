"""A cell's value as a spreadsheet holds it, read as what the register stores.

Dates as `3-12-2026`, `03/12/2026`, `3.12.2026`, `2026-12-03`, an Excel serial number or a
real spreadsheet date; phone numbers with spaces, dashes or `+31`, and the leading zero Excel
drops from a number typed as one; the Dutch words of the forms for regime, phase, kind, channel,
consent and how often. Each reader returns the value or raises CellError with the Dutch
reason, which the plan puts after the sheet, row and column. Pure."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TypeVar

from wijkteam_tui.caseload.columns import normal
from wijkteam_tui.caseload.sheets import Cell, UncalculatedFormula
from wijkteam_tui.domain.fields import FieldError, clean_email, clean_phone, clean_postcode
from wijkteam_tui.domain.phrases import HowOften, PhraseError, parse_how_often
from wijkteam_tui.domain.terms import Channel, MemberKind, Phase, Regime, Support

T = TypeVar("T")


#: What a spreadsheet program reads as the start of a formula (export/overdue.py writes an
#: apostrophe before it in a CSV cell).
FORMULA_START = ("=", "+", "-", "@")


class CellError(ValueError):
    """A cell that cannot be read as its column's value; `str(error)` is the Dutch reason."""


#: Day 0 of Excel's (Windows, 1900) date numbering: 1 is 1 January 1900 (Excel's own leap
#: day 1900-02-29 lies before every date a register holds).
EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers read as dates: 1 January 1900 to 31 December 2199.
SERIALS = range(1, 109_939)
_DUTCH = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_SHORT_YEAR = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}")
_SERIAL = re.compile(r"\d{5}")


def text(cell: Cell) -> str:
    """The cell as text: a whole number without `.0`, a date as `3-12-2026`."""
    if isinstance(cell, UncalculatedFormula):
        raise CellError(
            f"'{cell}' is een formule zonder opgeslagen uitkomst; open het bestand in Excel of"
            " LibreOffice en bewaar het opnieuw, of typ de waarde in."
        )
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "ja" if cell else "nee"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        return f"{cell.day}-{cell.month}-{cell.year}"
    written = str(cell).strip()
    # An apostrophe that kept a spreadsheet from running the cell as a formula (as the
    # register's own CSV exports write it) is not part of the value.
    if written.startswith("'") and written[1:2] in FORMULA_START:
        return written[1:].strip()
    return written


def date_value(cell: Cell) -> date | None:
    """A date (None for an empty cell)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _serial(cell, str(cell))
    written = text(cell)
    if not written:
        return None
    for pattern, order in ((_DUTCH, (3, 2, 1)), (_ISO, (1, 2, 3))):
        match = pattern.fullmatch(written)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                raise CellError(f"'{written}' bestaat niet als datum.") from None
    if _SERIAL.fullmatch(written):
        return _serial(int(written), written)
    if _SHORT_YEAR.fullmatch(written):
        raise CellError(
            f"'{written}': schrijf het jaar voluit (zoals 3-12-1950), dan is er geen twijfel"
            " over de eeuw."
        )
    raise CellError(f"'{written}' is geen datum (zoals 3-12-2026 of 2026-12-03).")


def _serial(number: float, written: str) -> date:
    if not float(number).is_integer() or int(number) not in SERIALS:
        raise CellError(f"'{written}' is geen datum (zoals 3-12-2026 of 2026-12-03).")
    return EXCEL_EPOCH + timedelta(days=int(number))


def phone(cell: Cell) -> str:
    """A phone number; nine digits without the leading zero (a number Excel took as a
    number) get it back."""
    written = text(cell)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and len(written) == 9:
        written = "0" + written
    try:
        return clean_phone(written)
    except FieldError as error:
        raise CellError(f"'{written}': {error}") from None


def email(cell: Cell) -> str:
    written = text(cell)
    try:
        return clean_email(written)
    except FieldError as error:
        raise CellError(f"'{written}': {error}") from None


def postcode(cell: Cell) -> str:
    written = text(cell)
    try:
        return clean_postcode(written)
    except FieldError as error:
        raise CellError(f"'{written}': {error}") from None


_YES = {"ja", "j", "x", "yes", "y", "waar", "true", "1", "akkoord", "gegeven"}
_NO = {"nee", "n", "no", "onwaar", "false", "0", "geen", "niet gegeven", "geweigerd"}


def yes_no(cell: Cell) -> bool | None:
    """Ja or nee (None for an empty cell)."""
    written = text(cell)
    if not written:
        return None
    if written.casefold() in _YES:
        return True
    if written.casefold() in _NO:
        return False
    raise CellError(f"'{written}': schrijf ja of nee.")


def _choice(cell: Cell, words: dict[str, T], what: str, examples: str) -> T | None:
    written = text(cell)
    if not written:
        return None
    found = words.get(normal(written))
    if found is None:
        raise CellError(f"'{written}' is geen {what} ({examples}).")
    return found


_REGIMES = {
    **{normal(r.value): r for r in Regime},
    **{normal(r.label): r for r in Regime},
    "jeugd": Regime.YOUTH_ACT,
    "wmozondervoorziening": Regime.WMO_NO_PROVISION,
}
_PHASES = {
    **{normal(p.value): p for p in Phase},
    **{normal(p.label): p for p in Phase},
    "dib": Phase.IN_VIEW,
    "inbeeld": Phase.IN_VIEW,
    "gesloten": Phase.CLOSED,
    "afschaling": Phase.SCALING_BACK,
}
_KINDS = {
    **{normal(k.value): k for k in MemberKind},
    "informeelnetwerk": MemberKind.INFORMAL,
    "mantelzorger": MemberKind.INFORMAL,
    "vrijwilliger": MemberKind.INFORMAL,
    "professional": MemberKind.FORMAL,
    "formeelnetwerk": MemberKind.FORMAL,
    "hulpverlener": MemberKind.FORMAL,
    "socialekaart": MemberKind.RESOURCE,
    "informal": MemberKind.INFORMAL,
    "formal": MemberKind.FORMAL,
    "resource": MemberKind.RESOURCE,
}
_CHANNELS = {
    **{normal(c.value): c for c in Channel},
    "huisbezoek": Channel.VISIT,
    "langsgaan": Channel.VISIT,
    "bellen": Channel.PHONE,
    "tel": Channel.PHONE,
    "telefonisch": Channel.PHONE,
    "video": Channel.VIDEO,
    "videobellen": Channel.VIDEO,
    "whatsapp": Channel.APP,
    "appen": Channel.APP,
    "sms": Channel.APP,
    "spreekuur": Channel.WALK_IN,
    "visit": Channel.VISIT,
    "phone": Channel.PHONE,
}


def regime(cell: Cell) -> Regime | None:
    return _choice(cell, _REGIMES, "regime", "Wmo, Wmo zonder voorziening of Jeugdwet")


def phase(cell: Cell) -> Phase | None:
    return _choice(cell, _PHASES, "fase", "intensief, afschalen, duurzaam in beeld of afgesloten")


def member_kind(cell: Cell) -> MemberKind | None:
    return _choice(cell, _KINDS, "soort netwerklid", "informeel, formeel of voorziening")


def channel(cell: Cell) -> Channel | None:
    return _choice(cell, _CHANNELS, "kanaal", "bezoek, telefoon, beeldbellen, app of inloop")


def ring(cell: Cell) -> int | None:
    """The ring of the ecogram: 1 (closest) to 3."""
    written = text(cell)
    if not written:
        return None
    if written in ("1", "2", "3"):
        return int(written)
    raise CellError(f"'{written}': de ring is 1 (dichtbij), 2 of 3 (verder weg).")


_SUPPORT_WORDS = {normal(s.label): s.value for s in Support}


def supports(cell: Cell) -> str:
    """The support types as the register stores them ("PG"): the letters (P, G, A, E) or
    the words (praktisch, gezelschap, advies, emotioneel), in any order."""
    written = text(cell)
    if not written:
        return ""
    found: set[str] = set()
    for part in re.split(r"[\s,;/+]+", written):
        if not part:
            continue
        if normal(part) in _SUPPORT_WORDS:
            found.add(_SUPPORT_WORDS[normal(part)])
        elif set(part.upper()) <= {s.value for s in Support}:
            found.update(part.upper())
        else:
            raise CellError(
                f"'{written}': steun is praktisch, gezelschap, advies of emotioneel (of P, G,"
                " A, E)."
            )
    return "".join(s.value for s in Support if s.value in found)


def how_often(cell: Cell) -> HowOften | None:
    """How often, as the agreement form understands it, or a number of days."""
    written = text(cell)
    if not written:
        return None
    if written.isdigit():
        days = int(written)
        if not 1 <= days <= 366:
            raise CellError(f"'{written}': een tussenpoos is 1 tot 366 dagen.")
        return HowOften(interval_days=days)
    try:
        return parse_how_often(written)
    except PhraseError as error:
        raise CellError(str(error)) from None
