"""Plain dataclasses going in and out of the store. Screens and the command line see only these,
never ORM objects or sessions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from wijkteam_tui.domain.schedules import DueState
from wijkteam_tui.domain.terms import (
    AlertStatus,
    AssessmentKind,
    Channel,
    MemberKind,
    Outcome,
    Phase,
    Regime,
    Role,
    SignalPhase,
    ThresholdRule,
)
from wijkteam_tui.domain.thresholds import ThresholdSetting

# --- input -------------------------------------------------------------------------------------


def out_of_hours_text(name: str, phone: str, hours: str) -> str:
    """ "Crisisdienst Middelwijk: 0900-1234567 (24/7)": the out-of-hours contact as one line."""
    text = name.strip()
    if phone.strip():
        text = f"{text}: {phone.strip()}" if text else phone.strip()
    if hours.strip():
        text = f"{text} ({hours.strip()})"
    return text


@dataclass(frozen=True, slots=True)
class ClientInput:
    name: str
    opened_on: date
    casemanager_id: int | None = None
    birth_date: date | None = None
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    regime: Regime = Regime.WMO
    own_words: str = ""
    strengths: str = ""
    meaningful: str = ""


@dataclass(frozen=True, slots=True)
class MemberInput:
    name: str
    kind: MemberKind
    relation: str = ""
    supports: str = ""
    phone: str = ""
    email: str = ""
    availability: str = ""
    consent_to_share: bool = False
    resource_id: int | None = None
    notes: str = ""
    ring: int = 2
    out_of_hours: bool = False
    # When consent was given (None: today, when it is given now) and when to ask again.
    consent_on: date | None = None
    consent_review_on: date | None = None
    # Consent to be reminded by mail of their agreements (needs an e-mail address), the same.
    remind_by_mail: bool = False
    remind_on: date | None = None
    remind_review_on: date | None = None


@dataclass(frozen=True, slots=True)
class ResourceInput:
    name: str
    category: str
    address: str = ""
    phone: str = ""
    opening_hours: str = ""
    notes: str = ""
    contact_person: str = ""


@dataclass(frozen=True, slots=True)
class ResourceRow:
    """An entry of the sociale kaart as its screen lists it."""

    id: int
    name: str
    category: str
    address: str
    opening_hours: str
    contact_person: str
    phone: str
    notes: str


@dataclass(frozen=True, slots=True)
class AgreementInput:
    channel: Channel
    start_on: date
    member_id: int | None = None
    user_id: int | None = None
    interval_days: int | None = None
    rrule: str | None = None
    end_on: date | None = None
    description: str = ""
    shared: bool = False
    #: A member with consent is reminded by mail this many days before each moment (0: that
    #: day); None: not reminded.
    remind_days_before: int | None = 1


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    """A ZRM assessment or a conversation about Positieve Gezondheid, as recorded."""

    kind: AssessmentKind
    assessed_on: date
    #: Per domain code its score; None: not applicable (ZRM). Domains left out were not scored.
    scores: Mapping[str, int | None]
    #: Per domain code a note.
    notes: Mapping[str, str] = field(default_factory=dict)
    #: Positieve Gezondheid: what the client said, in their own words.
    own_words: str = ""


@dataclass(frozen=True, slots=True)
class ContactInput:
    client_id: int
    occurred_on: date
    channel: Channel
    outcome: Outcome
    agreement_id: int | None = None
    member_id: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ObservationInput:
    client_id: int
    phase: SignalPhase
    observed_on: date
    signal_id: int | None = None
    member_id: int | None = None
    observed_by: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class SignalInput:
    phase: SignalPhase
    signs: str
    own_actions: str = ""
    network_actions: str = ""
    professional_actions: str = ""
    whom_to_call: str = ""
    position: int = 0


# --- output ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClientSummary:
    id: int
    number: str
    name: str
    phase: Phase
    casemanager: str
    next_due: date | None
    last_contact_on: date | None
    version: int


@dataclass(frozen=True, slots=True)
class Created:
    """The id and version of a record just written."""

    id: int
    version: int = 1


@dataclass(frozen=True, slots=True)
class Reevaluation:
    """What a changed threshold did at once: clients re-evaluated, alerts resolved and
    raised."""

    clients: int
    resolved: int
    raised: int


class DueItem(NamedTuple):
    """An agreement that is (nearly) due. A named tuple: lists hold thousands of these."""

    agreement_id: int
    client_id: int
    client_number: str
    client_name: str
    who: str
    channel: Channel
    next_due: date
    days_overdue: int
    description: str
    casemanager: str = ""


@dataclass(frozen=True, slots=True)
class AlertItem:
    alert_id: int
    client_id: int
    client_number: str
    client_name: str
    rule: ThresholdRule
    reason: str
    raised_on: date
    status: AlertStatus


@dataclass(frozen=True, slots=True)
class RefusalItem:
    """A request of this user for 'duurzaam in beeld' that a teamleider refused."""

    request_id: int
    client_id: int
    client_name: str
    decided_on: date
    decided_by: str
    reason: str


@dataclass(frozen=True, slots=True)
class SignOffItem:
    """A request for 'duurzaam in beeld' waiting for a teamleider."""

    request_id: int
    version: int
    client_id: int
    client_number: str
    client_name: str
    from_phase: Phase
    reason: str
    requested_on: date
    requested_by: str


@dataclass(frozen=True, slots=True)
class OutOfViewItem:
    client_id: int
    client_number: str
    client_name: str
    last_contact_on: date | None
    days_without_contact: int


@dataclass(frozen=True, slots=True)
class TodayList:
    overdue: list[DueItem]
    due_soon: list[DueItem]
    alerts: list[AlertItem]
    out_of_view: list[OutOfViewItem]
    out_of_hours_contact: str
    #: Requests waiting for a teamleider: every one for a teamleider, none for a medewerker.
    sign_offs: list[SignOffItem] = field(default_factory=list)
    #: This user's requests that were refused and whose client they have not opened since.
    refusals: list[RefusalItem] = field(default_factory=list)
    #: Clients in the lists of a colleague this user covers while they are away: client id →
    #: that colleague's name; and each such colleague as "voor Bram (afwezig t/m …)".
    covered: dict[int, str] = field(default_factory=dict)
    covering: list[str] = field(default_factory=list)
    #: For a teamleider: colleagues away without a cover while their work waits.
    uncovered: list[str] = field(default_factory=list)
    #: Back from an absence: what happened meanwhile (absence id, text), shown once.
    welcome: tuple[int, str] | None = None


@dataclass(frozen=True, slots=True)
class TeamOverview:
    """A page of the team's overdue follow-ups and how many there are (store.read.today)."""

    #: The page, most overdue first, starting at `offset`.
    overdue: list[DueItem]
    #: Overdue follow-ups per casemanager's name, and in all.
    per_casemanager: dict[str, int]
    total: int = 0
    offset: int = 0


@dataclass(frozen=True, slots=True)
class ContactResult:
    moment_id: int
    agreement_next_due: date | None
    client_next_due: date | None
    raised: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    on: date
    kind: str
    text: str
    who: str = ""
    #: When it was recorded, which orders the entries of one day (None: not known; see
    #: `client_timeline`).
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TeamInfo:
    name: str
    demo: bool
    idle_lock_minutes: int
    grace_days: int
    retention_years_wmo: int = 15
    retention_years_wmo_no_provision: int = 5
    retention_years_youth_act: int = 20
    wijk: str = ""
    out_of_hours_name: str = ""
    out_of_hours_phone: str = ""
    out_of_hours_hours: str = ""

    @property
    def out_of_hours_contact(self) -> str:
        """Whom to call outside office hours, as one line ("" when not set)."""
        return out_of_hours_text(
            self.out_of_hours_name, self.out_of_hours_phone, self.out_of_hours_hours
        )

    @property
    def retention_terms(self) -> dict[Regime, int]:
        """Years a closed file is kept, per regime, as the team set them."""
        return {
            Regime.WMO: self.retention_years_wmo,
            Regime.WMO_NO_PROVISION: self.retention_years_wmo_no_provision,
            Regime.YOUTH_ACT: self.retention_years_youth_act,
        }


@dataclass(frozen=True, slots=True)
class UserItem:
    id: int
    name: str
    display_name: str
    role: Role


@dataclass(frozen=True, slots=True)
class MemberRow:
    id: int
    name: str
    relation: str
    kind: MemberKind
    supports: str
    phone: str
    availability: str
    consent_to_share: bool
    last_contact_on: date | None
    ring: int = 2
    out_of_hours: bool = False
    consent_review_on: date | None = None
    #: A former member: when and why their involvement ended (None while involved).
    ended_on: date | None = None
    ended_reason: str = ""
    #: Consent to be reminded by mail, and when to ask it again.
    remind_by_mail: bool = False
    remind_review_on: date | None = None


@dataclass(frozen=True, slots=True)
class AgreementRow:
    id: int
    who: str
    member_id: int | None
    channel: Channel
    how_often: str
    start_on: date
    end_on: date | None
    last_contact_on: date | None
    next_due: date | None
    state: DueState
    days_overdue: int
    snoozed_until: date | None
    snooze_reason: str
    description: str
    #: Ended by closing the file: "" when reopening can let it start again, else why not;
    #: None for every other agreement.
    renewal: str | None = None


@dataclass(frozen=True, slots=True)
class AgreementChoice:
    """An active agreement to log a contact on, as the contact dialog offers it."""

    agreement_id: int
    who: str
    channel: Channel
    next_due: date | None
    days_overdue: int
    how_often: str


@dataclass(frozen=True, slots=True)
class SignalRow:
    id: int
    phase: SignalPhase
    signs: str
    own_actions: str
    network_actions: str
    professional_actions: str
    whom_to_call: str


@dataclass(frozen=True, slots=True)
class ThresholdRow:
    """One signal rule for a client: the team's setting, and the client's own if it has one."""

    rule: ThresholdRule
    team: ThresholdSetting
    own: ThresholdSetting | None
    reason: str


@dataclass(frozen=True, slots=True)
class ClientFile:
    """Everything the client file shows, read in one transaction."""

    id: int
    number: str
    name: str
    phase: Phase
    regime: Regime
    casemanager: str
    birth_date: date | None
    address: str
    phone: str
    own_words: str
    strengths: str
    meaningful: str
    opened_on: date
    closed_on: date | None
    retention_until: date | None
    last_contact_on: date | None
    next_due: date | None
    network_summary: str
    version: int
    alerts: list[AlertItem]
    members: list[MemberRow]
    agreements: list[AgreementRow]
    signals: list[SignalRow]
    #: The request for 'duurzaam in beeld' waiting for a teamleider, if any.
    sign_off: SignOffItem | None = None
    #: Why the network cannot yet carry 'duurzaam in beeld' ("" when it can).
    in_view_missing: str = ""
    #: "alle afspraken rusten op één persoon", and the like.
    network_warnings: list[str] = field(default_factory=list)
    #: Every signal rule, with the client's own setting where it has one.
    thresholds: list[ThresholdRow] = field(default_factory=list)
