"""What a typed value must look like before it is saved: one function per kind of field.

Each `clean_…` takes what the person typed and returns the value to store, or raises
`FieldError` with one Dutch sentence for under the field. Empty input is allowed here; whether a
field is required is the form's business. Pure: the forms use them as the person saves, the
store's services can use them too.
"""

from __future__ import annotations

import re
from datetime import date

from wijkteam_tui.domain.dates import DateInputError, parse_date


class FieldError(ValueError):
    """A typed value that cannot be saved; `str(error)` is the Dutch message. `replace`: what
    was typed is no start for the right value (a wrong date), so the form selects it and the
    next typing replaces it; otherwise the person goes on from it (a phone number short of
    digits)."""

    def __init__(self, message: str, *, replace: bool = False) -> None:
        super().__init__(message)
        self.replace = replace


_POSTCODE = re.compile(r"([1-9][0-9]{3})\s?([A-Za-z]{2})")
_PHONE_CHARACTERS = re.compile(r"[0-9+()\-\s]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
#: Everything Python's str.splitlines() breaks a line at.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
NAME_ON_ONE_LINE = "Een naam staat op één regel: haal de regelovergang weg."


def clean_text(text: str, max_length: int) -> str:
    """Text with its outer spaces removed, at most `max_length` characters."""
    cleaned = text.strip()
    if len(cleaned) > max_length:
        raise FieldError(f"Hoogstens {max_length} tekens (nu {len(cleaned)}).")
    return cleaned


def clean_name(text: str, max_length: int) -> str:
    """A name (of a person or an organisation): on one line, since a name heads documents,
    lists and the wallet card, where a line break would break the layout or hide a line."""
    if _LINE_BREAK.search(text.strip()):
        raise FieldError(NAME_ON_ONE_LINE)
    return clean_text(text, max_length)


def clean_postcode(text: str) -> str:
    """A Dutch postcode, stored as `1234 AB`."""
    cleaned = text.strip()
    if not cleaned:
        return ""
    match = _POSTCODE.fullmatch(cleaned)
    if not match:
        raise FieldError("Een postcode is vier cijfers en twee letters, zoals 1234 AB.")
    return f"{match.group(1)} {match.group(2).upper()}"


def clean_phone(text: str) -> str:
    """A phone number: digits with spaces, dashes, brackets or a leading +; 10 to 15 digits."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return ""
    digits = sum(ch.isdigit() for ch in cleaned)
    if not _PHONE_CHARACTERS.fullmatch(cleaned) or "+" in cleaned[1:]:
        raise FieldError("Een telefoonnummer bestaat uit cijfers, eventueel met + vooraan.")
    if not 10 <= digits <= 15:
        raise FieldError(f"Een telefoonnummer heeft 10 tot 15 cijfers (nu {digits}).")
    return cleaned


def clean_email(text: str) -> str:
    """An e-mail address (only its form is checked)."""
    cleaned = text.strip()
    if not cleaned:
        return ""
    if len(cleaned) > 254 or not _EMAIL.fullmatch(cleaned):
        raise FieldError("Dit is geen e-mailadres (zoals naam@voorbeeld.nl).")
    return cleaned


def clean_date(
    text: str, today: date, *, not_after: date | None = None, not_before: date | None = None
) -> date | None:
    """A date as the person may type it (see dates.parse_date); None when left empty."""
    if not text.strip():
        return None
    try:
        value = parse_date(text, today, future=not_after is None or not_after > today)
    except DateInputError as error:
        raise FieldError(str(error), replace=True) from error
    if not_after is not None and value > not_after:
        raise FieldError("Deze datum ligt in de toekomst.", replace=True)
    if not_before is not None and value < not_before:
        raise FieldError("Deze datum ligt te ver in het verleden.", replace=True)
    return value
