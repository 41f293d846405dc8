"""What the threshold rules (domain.thresholds) read of one client, and what they find: plain
records, filled by store/refresh.py from the register and by the demo from what it generates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from wijkteam_tui.domain.schedules import Schedule
from wijkteam_tui.domain.terms import Outcome, SignalPhase, ThresholdRule


@dataclass(frozen=True)
class AgreementFacts:
    id: int
    schedule: Schedule
    last_contact_on: date | None
    active: bool
    snoozed_until: date | None
    who: str


@dataclass(frozen=True)
class MomentFacts:
    occurred_on: date
    outcome: Outcome
    id: int = 0


@dataclass(frozen=True)
class ObservationFacts:
    id: int
    observed_on: date
    phase: SignalPhase


@dataclass(frozen=True)
class AssessmentFacts:
    id: int
    assessed_on: date
    #: Per domain code its score; None: not applicable.
    scores: Mapping[str, int | None]


@dataclass(frozen=True)
class ClientFacts:
    """What evaluation needs of one client.

    `recent_moments`: the contact moments after the newest real contact (goed or zorgen), plus
    that contact itself, so that a run of "niet bereikt" is seen whole. `observations`: those
    of the last MAX_WINDOW_DAYS days plus every one since the newest groen one before them."""

    opened_on: date
    last_contact_on: date | None
    agreements: Sequence[AgreementFacts]
    recent_moments: Sequence[MomentFacts]
    observations: Sequence[ObservationFacts]
    closed: bool = False
    #: The client's two newest ZRM assessments (newest last), and the day of the newest
    #: assessment of any kind.
    zrm: Sequence[AssessmentFacts] = ()
    last_assessed_on: date | None = None
    #: The day the client came into duurzaam in beeld; None in any other phase.
    in_view_since: date | None = None


@dataclass(frozen=True)
class AlertCondition:
    rule: ThresholdRule
    fingerprint: str
    reason: str
    #: Whether a changed reason within one episode means new facts (another oranje
    #: signalering, another missed contact), which reopens an episode resolved by hand. Not for
    #: uit beeld, whose reason only counts the days.
    escalates: bool = True
