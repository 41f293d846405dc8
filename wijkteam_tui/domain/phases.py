"""Phase changes: intensief → afschalen → duurzaam in beeld → afgesloten, and back.

Every change is recorded with who, when and why. Moving into *duurzaam in beeld* (scaling down
to light professional contact) needs a teamleider's sign-off and at least one informal network
member with an active contact agreement: without that, nobody would keep the client in view.
"""

from __future__ import annotations

from dataclasses import dataclass

from wijkteam_tui.domain.terms import Phase, Role


class PhaseChangeRefused(ValueError):
    """A refused phase change; the message is Dutch and says what is missing."""


@dataclass(frozen=True)
class PhaseRequest:
    current: Phase
    target: Phase
    reason: str
    acting_role: Role
    signed_off_by_role: Role | None
    informal_members_with_agreement: int


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
        if request.informal_members_with_agreement < 1:
            raise PhaseChangeRefused(
                "Naar 'duurzaam in beeld' kan pas als minstens één informeel netwerklid een"
                " actieve contactafspraak heeft."
            )
