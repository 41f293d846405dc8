"""Reminders to the network: when one is due, and what it says.

- **Before a moment** ("vooraf"): from `days_before` days before the agreement's next due
  moment until the moment itself; never for a moment already past (that is the professional's
  overdue list, not the member's reminder).
- **After niet bereikt** ("opnieuw"): once, while the agreement's latest contact is one logged
  as niet bereikt at most RETRY_DAYS ago ("probeer het nog eens").
- **What it says**: a short text per channel that the team may reword, filled in from a fixed
  set of placeholders only: the member's and the client's first names, how often and when, the
  casemanager's name and number, the team's name. Nothing else from the register can reach a
  message: not the plan, a signal, a note, an agreement's description or another member.
- A subject or sender name holding one of the team's sensitive words (a diagnosis, an
  organisation) is never sent: the neutral subject and the bare address are used instead.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date, timedelta

from wijkteam_tui.domain.terms import Channel

BEFORE = "vooraf"
RETRY = "opnieuw"
#: A niet-bereikt contact older than this gets no "probeer het nog eens" any more.
RETRY_DAYS = 7
#: The subject used when the team's own would name a sensitive word.
NEUTRAL_SUBJECT = "Herinnering aan jullie afspraak"

DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTH_NAMES = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip

#: The placeholders a text may use, with what each stands for (shown when editing a text).
PLACEHOLDERS = {
    "lid": "de voornaam van wie herinnerd wordt",
    "client": "de voornaam van de cliënt",
    "hoe_vaak": "hoe vaak, in woorden (elke dinsdag)",
    "datum": "het moment (dinsdag 8 december)",
    "poging": "wanneer het niet lukte (alleen bij opnieuw)",
    "casemanager": "de naam van de casemanager",
    "telefoon": "het nummer van de casemanager (of van het team)",
    "team": "de naam van het team",
}

#: What the member does, per channel, as the default texts say it.
_DOING = {
    Channel.PHONE: ("even te bellen", "Bellen"),
    Channel.VISIT: ("even langs te gaan", "Langsgaan"),
    Channel.VIDEO: ("even te beeldbellen", "Beeldbellen"),
    Channel.APP: ("even een berichtje te sturen", "Berichtje"),
    Channel.WALK_IN: ("elkaar bij de inloop te zien", "Inloop"),
}

_CLOSING = (
    "Is er iets, of lukt het niet? Bel dan gerust {casemanager} ({telefoon}).\n"
    "\n"
    "Hartelijke groet,\n"
    "{team}\n"
)


@dataclass(frozen=True, slots=True)
class Text:
    subject: str
    body: str


def default_text(key: str) -> Text:
    """The text the team starts from: per channel code, or RETRY."""
    if key == RETRY:
        return Text(
            "Probeer je het nog eens? ({client})",
            "Beste {lid},\n\n"
            "Je probeerde {client} op {poging} te bereiken, maar dat lukte niet. Wil je het nog"
            " eens proberen?\n\n" + _CLOSING,
        )
    doing, word = _DOING[Channel(key)]
    return Text(
        f"{word} met {{client}}: {{datum}}",
        "Beste {lid},\n\n"
        f"Je had met {{client}} afgesproken om {{hoe_vaak}} {doing}. De volgende keer is"
        " {datum}. Lukt het?\n\n" + _CLOSING,
    )


#: Every text the team can reword: one per channel, and the one after niet bereikt.
TEXT_KEYS = (*(channel.value for channel in Channel), RETRY)


class TextError(ValueError):
    """A text the team typed that cannot be used; the message is Dutch."""


def check_text(text: Text, sensitive: list[str]) -> Text:
    """`text` cleaned, or TextError: an unknown or broken placeholder, an empty subject or
    body, a subject over 200 characters or on more than one line, a sensitive word in it."""
    subject, body = text.subject.strip(), text.body.strip() + "\n"
    if not subject or not body.strip():
        raise TextError("Een herinnering heeft een onderwerp en een tekst.")
    if len(subject) > 200 or "\n" in subject or "\r" in subject:
        raise TextError("Het onderwerp is één regel van hoogstens 200 tekens.")
    for part in (subject, body):
        try:
            fields = [f for f in string.Formatter().parse(part) if f[1] is not None]
        except ValueError:
            raise TextError(
                "Een { of } hoort bij een invulveld, zoals {client}; schrijf {{ voor een losse {."
            ) from None
        if any(spec or conversion for _, _, spec, conversion in fields):
            raise TextError(
                "Een invulveld is alleen de naam tussen { en }, zoals {client}: zonder : of !."
            )
        names = [name for _, name, _, _ in fields if name is not None]
        unknown = sorted({name for name in names if name not in PLACEHOLDERS})
        if unknown:
            raise TextError(
                f"Onbekend invulveld {{{unknown[0]}}}; te gebruiken zijn "
                + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
                + "."
            )
    word = sensitive_in(subject, sensitive)
    if word:
        raise TextError(f'"{word}" staat op de lijst van gevoelige woorden van het team.')
    return Text(subject, body)


def sensitive_in(text: str, sensitive: list[str]) -> str:
    """The first of `sensitive` that `text` holds as a word (any case), or ""."""
    for word in sensitive:
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
            return word
    return ""


def sensitive_words(text: str) -> list[str]:
    """The team's list as stored (one per line or comma-separated), cleaned."""
    return [word.strip() for word in re.split(r"[\n,]", text) if word.strip()]


def long_date(value: date) -> str:
    """`dinsdag 8 december` (with the year when it is not `this_year`)."""
    return f"{DAY_NAMES[value.weekday()]} {value.day} {MONTH_NAMES[value.month - 1]}"


def first_name(name: str) -> str:
    return name.split(maxsplit=1)[0] if name.split() else name


@dataclass(frozen=True, slots=True)
class Filling:
    """Everything a reminder may say: nothing else reaches a message."""

    member_name: str
    client_name: str
    how_often: str
    due_on: date
    casemanager: str
    phone: str
    team: str
    attempt_on: date | None = None

    def values(self) -> dict[str, str]:
        return {
            "lid": first_name(self.member_name),
            "client": first_name(self.client_name),
            "hoe_vaak": self.how_often,
            "datum": long_date(self.due_on),
            "poging": long_date(self.attempt_on) if self.attempt_on else "",
            "casemanager": self.casemanager,
            "telefoon": self.phone,
            "team": self.team,
        }


def fill(text: Text, filling: Filling, sensitive: list[str]) -> Text:
    """`text` filled in; the neutral subject when the filled subject holds a sensitive word."""
    values = filling.values()
    subject = " ".join(text.subject.format_map(values).split())
    if sensitive_in(subject, sensitive):
        subject = NEUTRAL_SUBJECT
    return Text(subject, text.body.format_map(values))


def before_is_due(due_on: date, days_before: int | None, today: date) -> bool:
    """A reminder of the moment `due_on` goes out from `days_before` days before it until the
    day itself; never with reminders off, never for a moment already past."""
    if days_before is None:
        return False
    return due_on - timedelta(days=days_before) <= today <= due_on


def retry_is_due(attempt_on: date, today: date) -> bool:
    """A niet-bereikt contact of at most RETRY_DAYS ago (and not in the future)."""
    return today - timedelta(days=RETRY_DAYS) <= attempt_on <= today
