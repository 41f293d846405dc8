"""Contact agreements as people read them: who checks in with the client."""

from __future__ import annotations

from datetime import date

#: Who performs an agreement that names neither a network member nor a medewerker.
CASEMANAGER = "casemanager"


def performer_text(member_name: str | None, relation: str | None, user_name: str | None) -> str:
    """Who performs an agreement: "Fenna de Vries (dochter)", "Fenna de Vries", the
    medewerker's display name, or "casemanager".

    Lists, the client file and alert reasons all call this, so that one agreement reads the
    same everywhere and an alert's reason does not change when its client is re-evaluated."""
    if member_name:
        return f"{member_name} ({relation})" if relation else member_name
    return user_name or CASEMANAGER


def has_ended(end_on: date | None, today: date) -> bool:
    """An agreement ends on its end date: from that day on it is never due or late.

    The stored `active` flag follows this rule (services and the daily sweep set it), so that
    lists, the client file and the documents agree."""
    return end_on is not None and end_on <= today
