"""What a team lets a medewerker open, and what noodtoegang asks (store/cover/access.py)."""

from __future__ import annotations

from wijkteam_tui.domain.fields import FieldError, clean_text
from wijkteam_tui.domain.terms import Role

#: Every medewerker opens every client of the team; only the clients they work for.
TEAM, WORK = "team", "werk"
ACCESS_LABELS = {TEAM: "alle cliënten van het team", WORK: "alleen cliënten waarvoor ik werk"}
#: How long noodtoegang lasts unless the team set otherwise, and the most it may be set to.
EMERGENCY_HOURS = 8
MAX_EMERGENCY_HOURS = 24
#: A reason for noodtoegang is a sentence someone can read back, not a letter.
REASON_MIN = 10
REASON_MAX = 300


def limited_to_work(user_id: int, role: Role, access: str) -> int | None:
    """`user_id` when the team's `access` lets this person open only the clients they work
    for; None when they open every client (a teamleider, or a team that chose `TEAM`). The one
    rule the store's reads and its write services both ask."""
    return user_id if role is not Role.TEAMLEIDER and access == WORK else None


SHORT_REASON = (
    "Geef een reden van ten minste een paar woorden: de teamleider en de cliënt lezen hem terug."
)


def emergency_reason(typed: str) -> str:
    """The reason as it is kept: one line, trimmed; FieldError (Dutch) when too short or long."""
    cleaned = clean_text(" ".join((typed or "").split()), REASON_MAX)
    if len(cleaned) < REASON_MIN:
        raise FieldError(SHORT_REASON)
    return cleaned


BY_CLIENT_FORM = "Schrijf per cliënt NUMMER=NAAM, met komma's ertussen: 100042=cem, 100057=dirk."


def covers_by_client(typed: str | list[str]) -> dict[str, str]:
    """Covers by client as typed ("100042=cem, 100057=dirk", or one per item): client number →
    colleague's user name; FieldError (Dutch) for a part that is not NUMMER=NAAM or a client
    given twice."""
    parts = typed if isinstance(typed, list) else (typed or "").replace(";", ",").split(",")
    covers: dict[str, str] = {}
    for part in (p.strip() for p in parts):
        if not part:
            continue
        number, sign, colleague = part.partition("=")
        if not sign or not number.strip() or not colleague.strip():
            raise FieldError(f"{part!r}: {BY_CLIENT_FORM}")
        if number.strip() in covers:
            raise FieldError(f"Cliënt {number.strip()} staat er twee keer in.")
        covers[number.strip()] = colleague.strip()
    return covers
