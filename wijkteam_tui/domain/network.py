"""Network strength: how well the client's own network can keep them in view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from wijkteam_tui.domain.dates import days_ago_text
from wijkteam_tui.domain.terms import MemberKind, Support


@dataclass(frozen=True)
class MemberFacts:
    kind: MemberKind
    supports: str
    has_active_agreement: bool
    active: bool = True


@dataclass(frozen=True)
class NetworkStrength:
    informal_members: int
    formal_members: int
    supports_covered: frozenset[Support]
    members_with_agreement: int
    days_since_contact: int | None
    summary: str
    #: What makes the network fragile: everything resting on one person.
    warnings: tuple[str, ...] = ()


def network_strength(
    members: Iterable[MemberFacts],
    last_contact_on: date | None,
    today: date,
    agreement_performers: Iterable[object] = (),
) -> NetworkStrength:
    """Count the network and describe its gaps in one Dutch sentence, with a warning when all
    informal support or all agreements rest on one person.

    `agreement_performers` has one entry per active agreement: who performs it (any value that
    is equal for the same person)."""
    active = [m for m in members if m.active]
    informal = [m for m in active if m.kind is MemberKind.INFORMAL]
    formal = [m for m in active if m.kind is not MemberKind.INFORMAL]
    covered = frozenset(Support(ch) for m in informal for ch in m.supports if ch in "PGAE")
    with_agreement = sum(1 for m in active if m.has_active_agreement)
    days = (today - last_contact_on).days if last_contact_on else None

    parts = []
    if not informal:
        parts.append("geen informeel netwerk")
    else:
        count = len(informal)
        parts.append("1 informeel netwerklid" if count == 1 else f"{count} informele netwerkleden")
        missing = [s for s in Support if s not in covered]
        if missing:
            labels = [
                {"P": "praktische hulp", "G": "gezelschap", "A": "advies", "E": "emotionele steun"}[
                    s.value
                ]
                for s in missing
            ]
            parts.append("geen informeel netwerk voor " + _join(labels))
    if with_agreement == 0:
        parts.append("niemand met een contactafspraak")
    else:
        parts.append(f"{with_agreement} met een contactafspraak")
    if days is None:
        parts.append("nog geen contact vastgelegd")
    else:
        parts.append(f"laatste contact {days_ago_text(days)}")
    summary = "; ".join(parts)
    warnings = []
    if len(informal) == 1:
        warnings.append("alle informele steun rust op één persoon")
    performers = list(agreement_performers)
    if performers and len(set(performers)) == 1:
        warnings.append("alle afspraken rusten op één persoon")
    return NetworkStrength(
        informal_members=len(informal),
        formal_members=len(formal),
        supports_covered=covered,
        members_with_agreement=with_agreement,
        days_since_contact=days,
        summary=summary[0].upper() + summary[1:] + ".",
        warnings=tuple(warnings),
    )


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


#: Consent to appear in the shared agreements is asked again after a year unless a review date
#: is given: people's lives and networks change.
CONSENT_REVIEW_DAYS = 365


def consent_text(given: bool, review_on: date | None, today: date) -> str:
    """How a member's consent stands: "ja", "vernieuwen" (past its review date) or "nee"."""
    if not given:
        return "nee"
    if review_on is not None and review_on < today:
        return "vernieuwen"
    return "ja"


def consents_text(
    share: bool, share_review_on: date | None, mail: bool, mail_review_on: date | None, today: date
) -> str:
    """Both consents in the network list's one column: "ja" (to be shared), "mail" (to be
    reminded by mail), "ja, mail", "nee", or "vernieuwen" when one is past its review date."""
    states = consent_text(share, share_review_on, today), consent_text(mail, mail_review_on, today)
    if "vernieuwen" in states:
        return "vernieuwen"
    given = [word for word, state in zip(("ja", "mail"), states, strict=True) if state == "ja"]
    return ", ".join(given) or "nee"


#: Why a member's involvement ends, as the form offers it; any other reason is typed.
ENDING_REASONS = ("verhuisd", "contact verbroken", "overleden")


def former_text(ended_on_text: str, reason: str) -> str:
    """How a former member shows in the network list: "voormalig sinds 3-3-2026 (verhuisd)"."""
    return f"voormalig sinds {ended_on_text} ({reason})"
