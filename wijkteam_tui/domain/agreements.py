"""Contact agreements as people read them: who checks in with the client."""

from __future__ import annotations

from datetime import date

from wijkteam_tui.domain.dates import format_date

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


def why_not_renewed(former_member: str | None, end_before_closing: date | None, on: date) -> str:
    """Why an agreement that closing the file ended cannot start again when the file reopens
    on `on` ("" when it can): its network member is no longer involved (`former_member` names
    them), or the end it had planned has passed."""
    if former_member is not None:
        return f"{former_member} is niet meer betrokken"
    if has_ended(end_before_closing, on):
        assert end_before_closing is not None
        return f"de afspraak liep tot {format_date(end_before_closing)}"
    return ""
