"""The register's tables as typed SQLAlchemy 2 models (the conventions they share, such as
enumerations stored as codes and `version` checked on every UPDATE, are store/schema.py).

- dates are `Date`; moments are naive UTC `DateTime` (SQLite has no time zones; PostgreSQL
  gets the same values), and the moment a row is written (`created_at`, `recorded_at`, …) is
  filled in by the column's default, `clock.utc_now`;
- `next_due` and `last_contact_on` are stored and indexed: lists read current state and never
  recompute history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkteam_tui.domain.neighbourhood import LOAD_CLIENTS, LOAD_MOMENTS
from wijkteam_tui.domain.terms import (
    AlertStatus,
    Channel,
    MemberKind,
    Outcome,
    Phase,
    Regime,
    Role,
    SignalPhase,
    SignOffStatus,
    ThresholdRule,
)
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.neighbourhood.keys import EMAIL_KEY, PHONE_KEY, key_index

# Base is imported from here by whoever needs every table (migrations, copies, the server's
# sequences): its metadata holds them all only once this module has been imported.
from wijkteam_tui.store.schema import Base as Base  # noqa: PLC0414 (an explicit re-export)
from wijkteam_tui.store.schema import Versioned, code_enum

#: A new register's team name when none is given.
DEFAULT_TEAM_NAME = "Wijkteam"


class TeamSettings(Versioned, Base):
    """One row: the team's name and the settings every rule reads."""

    __tablename__ = "team_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("access IN ('team', 'werk')", name="access_known"),
        CheckConstraint("emergency_hours BETWEEN 1 AND 24", name="emergency_hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[str] = mapped_column(String(32))
    team_name: Mapped[str] = mapped_column(String(120))
    # A demo register holds only generated, fictitious people; screens say so.
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The neighbourhood the team works in ("Middelwijk-Noord").
    wijk: Mapped[str] = mapped_column(String(80), default="", server_default="")
    grace_days: Mapped[int] = mapped_column(Integer, default=0)
    idle_lock_minutes: Mapped[int] = mapped_column(Integer, default=10)
    #: Whom the client and their network call outside office hours: name, number and when.
    out_of_hours_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    out_of_hours_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    out_of_hours_hours: Mapped[str] = mapped_column(String(80), default="", server_default="")
    #: The team's office number, printed in the shared documents when the casemanager has
    #: no number of their own.
    office_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    retention_years_wmo: Mapped[int] = mapped_column(Integer, default=15)
    retention_years_wmo_no_provision: Mapped[int] = mapped_column(Integer, default=5)
    retention_years_youth_act: Mapped[int] = mapped_column(Integer, default=20)
    #: What a medewerker may open: "team" every client of the team, "werk" only the clients
    #: they work for (store/cover/access.py). A teamleider opens every client.
    access: Mapped[str] = mapped_column(String(8), default="team", server_default="team")
    #: How many hours noodtoegang to a client one does not work for lasts.
    emergency_hours: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    #: The day outcomes could first be recorded (migration 0036; None: since the register
    #: began): "no assessment for too long" counts from no earlier day.
    outcomes_since: Mapped[date | None] = mapped_column(Date, default=None)
    #: The Buurt view flags a steunpersoon with more clients or moments a month than these.
    load_clients: Mapped[int] = mapped_column(Integer, default=LOAD_CLIENTS, server_default="3")
    load_moments: Mapped[int] = mapped_column(Integer, default=LOAD_MOMENTS, server_default="12")
    #: The newest key file generation this register has seen: an older key file (a copy put
    #: back to bring an old passphrase back) is refused.
    key_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The audit chain's HMAC key (hex). Kept here, in the encrypted database, so that the
    #: chain survives a new database key; see store/audit/chain.py.
    audit_key: Mapped[str | None] = mapped_column(String(64), default=None)
    #: The register's Ed25519 public key (base64), as in the key file: a key file signed by
    #: another key is refused.
    signer: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class User(Versioned, Base):
    """A medewerker or teamleider. Who may unlock is decided by the key file's slots; this row
    is the profile that records point to."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[Role] = mapped_column(code_enum(Role, "role"))
    phone: Mapped[str] = mapped_column(String(40), default="")
    #: Where `wijkteam digest --mail` sends their week ("" : not sent).
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class Resource(Versioned, Base):
    """An entry of the sociale kaart: buurthuis, kerk/moskee, vereniging, inloop, …"""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    opening_hours: Mapped[str] = mapped_column(String(200), default="")
    contact_person: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The day its opening times and contact person were last checked (saved in its form);
    #: None: never (migration 0037). The Buurt view asks for a look after a year.
    reviewed_on: Mapped[date | None] = mapped_column(Date)


class Client(Base):
    """The person kept in view.

    `version` counts edits of what people type (see write.clients.update_client), not of the
    derived columns (next_due, last_contact_on, the search texts) that every logged contact
    rewrites: those must not make someone's edit of the address fail as a conflict."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    # The id the client had in the system their caseload was imported from (migration 0028).
    external_id: Mapped[str | None] = mapped_column(String(60), default=None)
    name: Mapped[str] = mapped_column(String(160))
    birth_date: Mapped[date | None] = mapped_column(Date)
    street: Mapped[str] = mapped_column(String(120), default="")
    house_number: Mapped[str] = mapped_column(String(20), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    casemanager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    phase: Mapped[Phase] = mapped_column(code_enum(Phase, "phase"), default=Phase.INTENSIVE)
    regime: Mapped[Regime] = mapped_column(code_enum(Regime, "regime"), default=Regime.WMO)
    own_words: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    meaningful: Mapped[str] = mapped_column(Text, default="")
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    retention_until: Mapped[date | None] = mapped_column(Date, index=True)
    last_contact_on: Mapped[date | None] = mapped_column(Date, index=True)
    next_due: Mapped[date | None] = mapped_column(Date, index=True)
    # Folded (domain.search) name, number, address and postcode: what a client is found by
    # directly. The names of their network members are kept apart, so that a search can list
    # direct matches first and say through whom the others were found.
    search_text: Mapped[str] = mapped_column(Text, default="")
    network_search_text: Mapped[str] = mapped_column(Text, default="")
    # The day alerts were last evaluated (time never runs backwards for a client).
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    # The first day on which the passing of time alone changes the client's alerts, due dates
    # or agreements (domain.reevaluation.next_change): the daily sweep evaluates the clients whose
    # day has come, and no others. None for a closed file, or when only a new record can.
    reevaluate_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)

    members: Mapped[list[NetworkMember]] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True
    )

    # Search runs on every keystroke: it reads this index in name order, with everything it
    # filters on, and touches the wide client rows only for the few it shows.
    __table_args__ = (
        Index(
            "ix_clients_search",
            "name",
            "id",
            "search_text",
            "network_search_text",
            "phase",
            "casemanager_id",
        ),
        # A medewerker's clients, and the Team screen's caseload per phase without reading
        # the client rows.
        Index("ix_clients_casemanager_phase", "casemanager_id", "phase"),
        # The team overview's counts: for each overdue agreement its client's phase and
        # casemanager, from a narrow index instead of the wide client rows.
        Index("ix_clients_id_phase_casemanager", "id", "phase", "casemanager_id"),
        Index("ix_clients_external_id", "external_id", unique=True),
        # The Buurt view's clients per postcode area, from the index alone.
        Index("ix_clients_postcode", "postcode", "closed_on"),
    )


class NetworkMember(Versioned, Base):
    """Someone in the client's network: family, neighbour, volunteer, professional or resource."""

    __tablename__ = "network_members"
    __table_args__ = (
        key_index("phone_key"),
        key_index("email_key"),
        # The Buurt view counts the informal members per postcode area from this alone.
        Index(
            "ix_network_members_informal", "client_id", "kind", "resource_id", "active", "ended_on"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    relation: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[MemberKind] = mapped_column(code_enum(MemberKind, "member_kind"))
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resources.id", ondelete="SET NULL"), index=True
    )
    supports: Mapped[str] = mapped_column(String(4), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    availability: Mapped[str] = mapped_column(String(200), default="")
    consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_recorded_on: Mapped[date | None] = mapped_column(Date)
    # Consent is asked again on this date; past it, the member is left out of what is shared.
    consent_review_on: Mapped[date | None] = mapped_column(Date, index=True)
    # Consent to be reminded by mail of their agreements (separate from consent to share),
    # with its date and the date to ask again; past that date no reminder goes out.
    remind_by_mail: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    remind_consent_on: Mapped[date | None] = mapped_column(Date)
    remind_review_on: Mapped[date | None] = mapped_column(Date)
    # Closeness in the netwerkkaart: 1 closest, 3 furthest.
    ring: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    # Can be called outside office hours (evenings, weekends): matters in the signaleringsplan.
    out_of_hours: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: When and why their involvement ended (moved away, fell out, died): no longer part of
    #: the network or the documents; their history stays.
    ended_on: Mapped[date | None] = mapped_column(Date)
    ended_reason: Mapped[str] = mapped_column(String(120), default="", server_default="")
    #: What the Buurt view finds one person in several networks by (store/neighbourhood/keys.py),
    #: computed by the database itself: no writer can keep them from matching.
    phone_key: Mapped[str] = mapped_column(String(40), Computed(PHONE_KEY))
    email_key: Mapped[str] = mapped_column(String(120), Computed(EMAIL_KEY))

    client: Mapped[Client] = relationship(back_populates="members")


_MEMBER_LOAD = ("member_id", "active", "end_on", "start_on", "interval_days", "rrule")


class ContactAgreement(Versioned, Base):
    """Who checks in with the client, how and how often."""

    __tablename__ = "contact_agreements"
    __table_args__ = (
        CheckConstraint("(interval_days IS NULL) <> (rrule IS NULL)", name="interval_or_rrule"),
        CheckConstraint("interval_days IS NULL OR interval_days > 0", name="interval_positive"),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="end_after_start"),
        # Covers the team's overdue list and its counts per casemanager: they never have to
        # read the agreement rows themselves.
        Index(
            "ix_contact_agreements_due",
            "active",
            "next_due",
            "snoozed_until",
            "client_id",
            "member_id",
            "user_id",
            "channel",
            "casemanager_id",
        ),
        # The Buurt view's moments a month per member, from the index alone.
        Index("ix_contact_agreements_member_load", *_MEMBER_LOAD),
        # The few calendar rules a team uses (the Buurt view's moments a month).
        Index(
            "ix_contact_agreements_rrule",
            "rrule",
            sqlite_where=text("rrule IS NOT NULL"),
            postgresql_where=text("rrule IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    # The client's casemanager beside the agreement (migration 0029): the team's overdue counts
    # read one index. Kept in step by write/common.py casemanager_of_agreements.
    casemanager_id: Mapped[int | None] = mapped_column(Integer)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("network_members.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[Channel] = mapped_column(code_enum(Channel, "channel"))
    description: Mapped[str] = mapped_column(String(200), default="")
    # Shown in the shared agreements that the client and their network take home.
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    interval_days: Mapped[int | None] = mapped_column(Integer)
    rrule: Mapped[str | None] = mapped_column(String(200))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    next_due: Mapped[date | None] = mapped_column(Date)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    #: A member with consent is reminded by mail this many days before each due moment
    #: (0: on the day itself); None: no reminders for this agreement.
    remind_days_before: Mapped[int | None] = mapped_column(Integer, default=1, server_default="1")
    snooze_reason: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Ended by closing the file (not by hand): reopening offers to let it start again, with
    #: the end date it had planned before (`end_before_closing`).
    closed_with_file: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    end_before_closing: Mapped[date | None] = mapped_column(Date)


class ContactMoment(Versioned, Base):
    """A contact that happened, with its outcome."""

    __tablename__ = "contact_moments"
    __table_args__ = (
        Index("ix_contact_moments_client_occurred", "client_id", "occurred_on"),
        # With the outcome: the Buurt view's kept share reads this index alone (migration 0037).
        Index("ix_contact_moments_agreement_occurred", "agreement_id", "occurred_on", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_agreements.id", ondelete="SET NULL")
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("network_members.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    occurred_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[Channel] = mapped_column(code_enum(Channel, "channel"))
    outcome: Mapped[Outcome] = mapped_column(code_enum(Outcome, "outcome"))
    note: Mapped[str] = mapped_column(Text, default="")
    logged_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class Signal(Versioned, Base):
    """A row of the signaleringsplan: in this phase, these signs, and who does what."""

    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    phase: Mapped[SignalPhase] = mapped_column(code_enum(SignalPhase, "signal_phase"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    signs: Mapped[str] = mapped_column(Text)
    own_actions: Mapped[str] = mapped_column(Text, default="")
    network_actions: Mapped[str] = mapped_column(Text, default="")
    professional_actions: Mapped[str] = mapped_column(Text, default="")
    whom_to_call: Mapped[str] = mapped_column(Text, default="")


class Observation(Versioned, Base):
    """A signal seen on a date, by someone (a signalering)."""

    __tablename__ = "observations"
    __table_args__ = (Index("ix_observations_client_observed", "client_id", "observed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    signal_id: Mapped[int | None] = mapped_column(
        ForeignKey("signals.id", ondelete="SET NULL"), index=True
    )
    phase: Mapped[SignalPhase] = mapped_column(code_enum(SignalPhase, "signal_phase"))
    observed_on: Mapped[date] = mapped_column(Date)
    observed_by: Mapped[str] = mapped_column(String(160), default="")
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("network_members.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class Threshold(Versioned, Base):
    """A signaalgrens: a team default (client_id NULL) or a client's override."""

    __tablename__ = "thresholds"
    __table_args__ = (UniqueConstraint("client_id", "rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[ThresholdRule] = mapped_column(code_enum(ThresholdRule, "threshold_rule"))
    days: Mapped[int | None] = mapped_column(Integer)
    count: Mapped[int | None] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Why a client's threshold differs from the team's (required for a client's override).
    reason: Mapped[str] = mapped_column(Text, default="")


class Alert(Versioned, Base):
    """An aandachtspunt raised by a threshold: open → bevestigd → opgelost."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("client_id", "fingerprint"),
        Index("ix_alerts_status_client", "status", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    rule: Mapped[ThresholdRule] = mapped_column(code_enum(ThresholdRule, "threshold_rule"))
    fingerprint: Mapped[str] = mapped_column(String(120))
    status: Mapped[AlertStatus] = mapped_column(
        code_enum(AlertStatus, "alert_status"), default=AlertStatus.OPEN
    )
    reason: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[date] = mapped_column(Date)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmation_note: Mapped[str] = mapped_column(Text, default="")
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    #: Who resolved it by hand (with a note); NULL when the condition cleared by itself. An
    #: episode resolved by hand stays resolved while its condition lasts.
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PhaseChange(Base):
    """A recorded move between phases: who, when, why, and the teamleider's sign-off."""

    __tablename__ = "phase_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    from_phase: Mapped[Phase | None] = mapped_column(code_enum(Phase, "from_phase"))
    to_phase: Mapped[Phase] = mapped_column(code_enum(Phase, "to_phase"))
    changed_on: Mapped[date] = mapped_column(Date)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class SignOffRequest(Versioned, Base):
    """A medewerker's request to move a client to 'duurzaam in beeld', until a teamleider
    approves it (a PhaseChange is recorded) or refuses it with a reason."""

    __tablename__ = "sign_off_requests"
    __table_args__ = (Index("ix_sign_off_requests_status_client", "status", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    from_phase: Mapped[Phase] = mapped_column(code_enum(Phase, "from_phase"))
    to_phase: Mapped[Phase] = mapped_column(code_enum(Phase, "to_phase"))
    reason: Mapped[str] = mapped_column(Text)
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[SignOffStatus] = mapped_column(
        code_enum(SignOffStatus, "sign_off_status"), default=SignOffStatus.PENDING
    )
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    #: When it was decided (None before revision 0021), and when the requester opened the
    #: client after a refusal (until then it is on their Vandaag).
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_seen_at: Mapped[datetime | None] = mapped_column(DateTime)


# The history tables, the audit log's, the mail's, the absences' and the outcomes' own tables
# are kept beside them (store/history.py, store/audit/, store/mail/, store/cover/,
# store/outcomes/); imported here so that Base's
# metadata holds every table once this module has been imported.
from wijkteam_tui.store import history as history_models  # noqa: E402, F401
from wijkteam_tui.store.audit import models as audit_models  # noqa: E402, F401
from wijkteam_tui.store.cover import models as cover_models  # noqa: E402, F401
from wijkteam_tui.store.mail import models as mail_models  # noqa: E402, F401
from wijkteam_tui.store.neighbourhood import models as neighbourhood_models  # noqa: E402, F401
from wijkteam_tui.store.outcomes import models as outcome_models  # noqa: E402, F401
