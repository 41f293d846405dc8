"""Phase changes: intensief → afschalen → duurzaam in beeld → afgesloten, and back.

Every change is recorded with who, when and why. Moving into *duurzaam in beeld* (scaling down
to light professional contact) needs a teamleider's sign-off and at least one informal network
member with an active contact agreement: without that, nobody would keep the client in view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wijkteam_tui.domain.terms import Phase, Role


class PhaseChangeRefused(ValueError):
    """A refused phase change; the message is Dutch and says what is missing."""


@dataclass(frozen=True)
class InformalMember:
    """An informal network member, as far as 'duurzaam in beeld' asks about them."""

    name: str
    relation: str
    has_active_agreement: bool

    @property
    def named(self) -> str:
        return f"{self.name} ({self.relation})" if self.relation else self.name


@dataclass(frozen=True)
class PhaseRequest:
    current: Phase
    target: Phase
    reason: str
    acting_role: Role
    signed_off_by_role: Role | None
    informal_members: Sequence[InformalMember]


def what_is_missing(informal: Sequence[InformalMember]) -> str:
    """Why the network cannot yet carry 'duurzaam in beeld', naming the people concerned;
    "" when at least one informal member has an active agreement."""
    if any(member.has_active_agreement for member in informal):
        return ""
    head = (
        "Naar 'duurzaam in beeld' kan pas als minstens één informeel netwerklid een actieve"
        " contactafspraak heeft."
    )
    if not informal:
        return (
            f"{head} Deze cliënt heeft nog geen informele netwerkleden: voeg familie, een buur"
            " of een vrijwilliger toe (Netwerk, n) en maak met hen een afspraak (Afspraken, n)."
        )
    names = ", ".join(member.named for member in informal)
    one = len(informal) == 1
    return (
        f"{head} {'Het informele netwerklid' if one else 'De informele netwerkleden'} {names}"
        f" {'heeft' if one else 'hebben'} geen actieve contactafspraak: maak er een op de tab"
        " Afspraken (n)."
    )


def check_phase_change(request: PhaseRequest) -> None:
    """Raise PhaseChangeRefused when the change may not be made."""
    if request.target is request.current:
        raise PhaseChangeRefused(f"De cliënt is al in fase '{request.current.label}'.")
    if not request.reason.strip():
        raise PhaseChangeRefused("Geef een reden voor de fasewijziging.")
    if request.target is Phase.IN_VIEW:
        if request.signed_off_by_role is not Role.TEAMLEIDER:
            raise PhaseChangeRefused(
                "Naar 'duurzaam in beeld' kan alleen met akkoord van een teamleider."
            )
        missing = what_is_missing(request.informal_members)
        if missing:
            raise PhaseChangeRefused(missing)
