"""Finding the people who may not be named in free text: one implementation for the warning
in a form and the replacement in the shared documents.

A person is mentioned by their first name, their last name (with "de", "van" … when it has
them), their initials with their last name, their full name, any spelling of their phone
number (digits with or without separators, with or without +31, 0031 or 0) or their e-mail
address.
Names match as whole words, ignoring case and accents ("zoe" is "Zoë"), so "Jan" is not found
in "januari".

Two rules keep ordinary text from being flagged:
- A first or last name shorter than 3 letters ("Jo", "Li") is only a mention together with the
  other half of the name ("Jo Li", "J. Li"): on its own such a short word is too often an
  ordinary word or an abbreviation.
- A single name that a person who *may* be named also carries (a member with consent, the
  client) is not by itself a mention of the other: "Kees" is Kees Jansen, who agreed, as much as
  Kees Geheim, who did not. The full name, initials with the last name, the number and the
  e-mail address still are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Words before a Dutch (or Flemish, Arabic, French …) last name that are part of it.
PARTICLES = frozenset(
    (
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "te",
        "ten",
        "ter",
        "in",
        "op",
        "aan",
        "la",
        "le",
        "du",
        "da",
        "di",
        "von",
        "el",
        "al",
        "bin",
        "ben",
    )
)
#: Names shorter than this are only a mention together with the rest of the name.
SHORTEST_NAME = 3
#: A phone number with fewer digits than this (after its prefix) is not looked for.
SHORTEST_NUMBER = 6

#: Letters Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ı": "i", "æ": "ae", "Æ": "ae"}
    | {"œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "’": "'", "‘": "'"}
)
_SEPARATOR = r"[\s\-./()]{0,3}"
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Person:
    """Who must not be named: their name, phone number and e-mail address as stored."""

    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Mention:
    """Where `person` is named in a text (`start`:`end` of the text as given) and how."""

    person: Person
    start: int
    end: int
    #: "naam", "telefoonnummer" or "e-mailadres".
    form: str


def fold(text: str) -> str:
    """Text without case and accents: "Zoë ŁUKASZ" → "zoe lukasz"."""
    return "".join(_fold_char(c) for c in text)


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text and, per folded character, the index of the character it came from."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def _words(name: str) -> list[str]:
    return _WORD.findall(fold(name))


def _name_parts(name: str) -> tuple[str, list[str], list[str]]:
    """(first name, particles, core of the last name): "Fenna de Vries" → fenna, [de], [vries]."""
    words = _words(name)
    if len(words) < 2:
        return (words[0] if words else ""), [], []
    rest = words[1:]
    particles: list[str] = []
    while len(rest) > 1 and rest[0] in PARTICLES:
        particles.append(rest.pop(0))
    return words[0], particles, rest


def _sequence(words: Sequence[str]) -> str:
    return r"\s+".join(re.escape(w) for w in words)


def _name_pattern(person: Person, known: frozenset[str]) -> str | None:
    first, particles, core = _name_parts(person.name)
    if not first:
        return None
    if not core:
        return _sequence([first]) if len(first) >= SHORTEST_NAME and first not in known else None
    any_particles = r"(?:(?:" + "|".join(re.escape(p) for p in PARTICLES) + r")\s+)"
    last = any_particles + "*" + _sequence(core)
    # The first name or its initial ("Kees", "K"), or initials with dots ("K.", "K.J.").
    before = rf"(?:(?:{re.escape(first)}|{re.escape(first[0])})\s+|(?:[^\W\d_]\.\s*){{1,4}})"
    alternatives = [before + last]
    # A short name alone ("Jo", "Li") is too often an ordinary word or an abbreviation, and a
    # name someone who may be named also has is theirs as much: both only with the rest.
    core_text = " ".join(core)
    if len(core_text.replace(" ", "")) >= SHORTEST_NAME and core_text not in known:
        # "Van der Berg" alone is a mention; "berg" alone is a mountain.
        alternatives.append(_sequence(particles + core) if particles else last)
    if len(first) >= SHORTEST_NAME and first not in known:
        alternatives.append(re.escape(first))
    return "|".join(f"(?:{a})" for a in alternatives)


def _phone_pattern(phone: str) -> str | None:
    stored = phone.strip()
    digits = re.sub(r"\D", "", stored)
    if stored.startswith("00"):
        digits = digits[2:]
    if stored.startswith(("+", "00")) and not digits.startswith("31"):
        # Abroad: the whole number, with or without its + or 00.
        prefix, number = r"(?:(?:\+|00)\s*)?", digits
    else:
        # Dutch: +31, 0031, 31, 0 or nothing before the number itself; "+31 (0)6 …" too.
        number = digits[2:] if stored.startswith(("+", "00")) else digits.removeprefix("0")
        prefix = (
            rf"(?:(?:\+|00)\s*31{_SEPARATOR}(?:\(0\){_SEPARATOR})?|31{_SEPARATOR}|0{_SEPARATOR})?"
        )
    if len(number) < SHORTEST_NUMBER:
        return None
    return r"(?<!\d)" + prefix + _SEPARATOR.join(number) + r"(?!\d)"


@dataclass(frozen=True)
class _Finder:
    person: Person
    form: str
    pattern: re.Pattern[str]


def _finders(hidden: Iterable[Person], known: frozenset[str]) -> list[_Finder]:
    finders = []
    for person in hidden:
        name = _name_pattern(person, known)
        if name is not None:
            finders.append(_Finder(person, "naam", re.compile(rf"(?<!\w)(?:{name})(?!\w)")))
        phone = _phone_pattern(person.phone)
        if phone is not None:
            finders.append(_Finder(person, "telefoonnummer", re.compile(phone)))
        email = fold(person.email.strip())
        if "@" in email:
            pattern = rf"(?<![\w.+-]){re.escape(email)}(?![\w-])"
            finders.append(_Finder(person, "e-mailadres", re.compile(pattern)))
    return finders


def known_words(names: Iterable[str]) -> frozenset[str]:
    """The single names (first names, cores of last names) of people who may be named."""
    words: set[str] = set()
    for name in names:
        first, _particles, core = _name_parts(name)
        words.add(first)
        if core:
            words.add(" ".join(core))
    return frozenset(words - {""})


def find_mentions(
    text: str, hidden: Iterable[Person], may_be_named: Iterable[str] = ()
) -> list[Mention]:
    """Where `text` names one of `hidden`, in order, without overlaps (the longest first).

    `may_be_named` are the names of people the text may name (see the module's docstring)."""
    folded, origin = _folded_with_positions(text)
    found: list[tuple[int, int, _Finder]] = []
    for finder in _finders(hidden, known_words(may_be_named)):
        found += [(m.start(), m.end(), finder) for m in finder.pattern.finditer(folded) if m.end()]
    found.sort(key=lambda f: (f[0], -f[1]))
    mentions: list[Mention] = []
    reached = 0
    for start, end, finder in found:
        if start < reached:
            continue
        reached = end
        first, last = origin[start], origin[end - 1] + 1
        # An accent typed as a character of its own belongs to the letter before it.
        while last < len(text) and not _fold_char(text[last]):
            last += 1
        # "(06) 1234 5678" goes as a whole, not leaving a bracket behind.
        opened = text.count("(", first, last) - text.count(")", first, last)
        if opened < 0 and first > 0 and text[first - 1] == "(":
            first -= 1
        elif opened > 0 and last < len(text) and text[last] == ")":
            last += 1
        mentions.append(Mention(finder.person, first, last, finder.form))
    return mentions


def replace_mentions(text: str, mentions: Sequence[Mention], replacement: str) -> str:
    """`text` with each of `mentions` (from `find_mentions` on this text) replaced."""
    pieces: list[str] = []
    at = 0
    for mention in mentions:
        pieces += [text[at : mention.start], replacement]
        at = mention.end
    return "".join(pieces) + text[at:]
