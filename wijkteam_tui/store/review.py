"""Plain dataclasses of the teamleider's review: team settings and their history, the Team
screen's filter, rows, figures and trend, and reassigning clients (store/read/team.py,
store/write/settings.py and store/write/reassign.py fill them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from wijkteam_tui.domain.neighbourhood import LOAD_CLIENTS, LOAD_MOMENTS
from wijkteam_tui.domain.terms import (
    Phase,
    ThresholdRule,
)

# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TeamSettingsInput:
    """What the teamleider sets for the whole team (Teaminstellingen)."""

    team_name: str
    wijk: str = ""
    grace_days: int = 0
    idle_lock_minutes: int = 10
    out_of_hours_name: str = ""
    out_of_hours_phone: str = ""
    out_of_hours_hours: str = ""
    office_phone: str = ""
    retention_years_wmo: int = 15
    retention_years_wmo_no_provision: int = 5
    retention_years_youth_act: int = 20
    #: What a medewerker may open: "team" (every client) or "werk" (store/cover/access.py).
    access: str = "team"
    emergency_hours: int = 8
    #: The Buurt view flags a steunpersoon with more clients or moments a month than these.
    load_clients: int = LOAD_CLIENTS
    load_moments: int = LOAD_MOMENTS


@dataclass(frozen=True, slots=True)
class SettingChangeItem:
    changed_at: datetime
    setting: str
    old_value: str
    new_value: str
    changed_by: str


@dataclass(frozen=True, slots=True)
class TeamFilter:
    """Which clients the Team screen counts: a postcode area ("1234"), a phase, clients with an
    open alert of a rule, one casemanager. Closed files count only when asked for by phase."""

    postcode_area: str = ""
    phase: Phase | None = None
    rule: ThresholdRule | None = None
    casemanager_id: int | None = None


@dataclass(frozen=True, slots=True)
class TeamRow:
    """One medewerker's figures (user_id None: clients without a casemanager)."""

    user_id: int | None
    name: str
    active: bool
    caseload: dict[Phase, int]
    overdue: int
    longest_overdue_days: int
    open_alerts: int
    urgent_alerts: int
    out_of_view: int
    sign_offs: int
    consents_to_renew: int
    #: Contact moments due in the coming week (not yet overdue).
    due_soon: int = 0

    @property
    def clients(self) -> int:
        return sum(self.caseload.values())


@dataclass(frozen=True, slots=True)
class TeamReview:
    rows: list[TeamRow]
    total: TeamRow
    today: date


@dataclass(frozen=True, slots=True)
class TrendSeries:
    user_id: int | None
    name: str
    overdue: list[int | None]
    open_alerts: list[int | None]


@dataclass(frozen=True, slots=True)
class TeamTrend:
    """Overdue contact moments and open alerts per week (the Mondays in `weeks`)."""

    weeks: list[date]
    per_user: list[TrendSeries]
    team: TrendSeries


@dataclass(frozen=True, slots=True)
class AgreementToMove:
    """An agreement the client's old casemanager performs, which moves to the new one."""

    agreement_id: int
    client_id: int
    client_name: str
    performer: str
    schedule: str


@dataclass(frozen=True, slots=True)
class ReassignResult:
    clients: int
    agreements: int
