"""What a team lets a medewerker open, and what noodtoegang asks (store/cover/access.py)."""

from __future__ import annotations

from wijkteam_tui.domain.fields import FieldError, clean_text

#: Every medewerker opens every client of the team; only the clients they work for.
TEAM, WORK = "team", "werk"
ACCESS_LABELS = {TEAM: "alle cliënten van het team", WORK: "alleen cliënten waarvoor ik werk"}
#: How long noodtoegang lasts unless the team set otherwise, and the most it may be set to.
EMERGENCY_HOURS = 8
MAX_EMERGENCY_HOURS = 24
#: A reason for noodtoegang is a sentence someone can read back, not a letter.
REASON_MIN = 10
REASON_MAX = 300

SHORT_REASON = (
    "Geef een reden van ten minste een paar woorden: de teamleider en de cliënt lezen hem terug."
)


def emergency_reason(typed: str) -> str:
    """The reason as it is kept: one line, trimmed; FieldError (Dutch) when too short or long."""
    cleaned = clean_text(" ".join((typed or "").split()), REASON_MAX)
    if len(cleaned) < REASON_MIN:
        raise FieldError(SHORT_REASON)
    return cleaned
