"""Keeping a client's stored state current inside a write transaction.

After every write that concerns a client, `refresh_client` ends the agreements whose end date
has come, recomputes the stored `next_due` of the client's agreements and of the client,
re-evaluates the client's alerts (raise, reopen, update, resolve) with the pure rules of
`domain.thresholds`, and stores the day on which the passing of time alone changes any of that
(`reevaluate_on`, for the daily sweep). It reads only current state: the
agreements, the contact moments since the last real contact, the observations of the last year,
the two newest ZRM assessments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain import client_facts as known
from wijkteam_tui.domain import reconcile
from wijkteam_tui.domain import thresholds as rules
from wijkteam_tui.domain.agreements import has_ended, performer_text
from wijkteam_tui.domain.phases import InformalMember
from wijkteam_tui.domain.reevaluation import next_change
from wijkteam_tui.domain.schedules import Schedule, is_snoozed, next_due
from wijkteam_tui.domain.terms import (
    AlertStatus,
    AssessmentKind,
    MemberKind,
    Phase,
    ThresholdRule,
)
from wijkteam_tui.store.models import (
    Alert,
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    Observation,
    PhaseChange,
    TeamSettings,
    Threshold,
    User,
)
from wijkteam_tui.store.outcomes.models import Assessment, AssessmentScore


@dataclass(frozen=True)
class RefreshResult:
    raised: list[str]
    resolved: list[str]


def schedule_of(agreement: ContactAgreement) -> Schedule:
    return Schedule(
        start_on=agreement.start_on,
        interval_days=agreement.interval_days,
        rrule=agreement.rrule,
        end_on=agreement.end_on,
    )


def agreement_who(session: Session, agreement: ContactAgreement) -> str:
    """Who performs the agreement, as every list and alert reason shows it."""
    member = session.get(NetworkMember, agreement.member_id) if agreement.member_id else None
    user = session.get(User, agreement.user_id) if agreement.user_id else None
    return performer_text(
        member.name if member else None,
        member.relation if member else None,
        (user.display_name or user.name) if user else None,
    )


def former_member(session: Session, agreement: ContactAgreement) -> str | None:
    """The name of the agreement's network member when they are no longer involved."""
    member = session.get(NetworkMember, agreement.member_id) if agreement.member_id else None
    if member is None or (member.active and member.ended_on is None):
        return None
    return member.name


def thresholds_for(session: Session, client_id: int) -> dict[ThresholdRule, rules.ThresholdSetting]:
    rows = session.scalars(
        select(Threshold).where(
            or_(Threshold.client_id.is_(None), Threshold.client_id == client_id)
        )
    ).all()
    return _effective(rows, client_id)


def _effective(
    rows: Iterable[Threshold], client_id: int
) -> dict[ThresholdRule, rules.ThresholdSetting]:
    """The thresholds that hold for the client, from the team's rows and any of its own."""

    def settings(of_client: bool) -> list[rules.ThresholdSetting]:
        return [
            rules.ThresholdSetting(row.rule, row.enabled, row.days, row.count)
            for row in rows
            if (row.client_id == client_id if of_client else row.client_id is None)
        ]

    return rules.effective_thresholds(settings(False), settings(True))


def refresh_client(
    session: Session,
    client: Client,
    today: date,
    settings: TeamSettings,
    notes: Mapping[str, str] | None = None,
) -> RefreshResult:
    """Recompute next_due and alerts of one client in the current transaction.

    `notes`: why alerts stop holding, when the caller's change is the reason (see
    `domain.thresholds.reconcile`).

    Time never runs backwards for a client: when the computer's clock has been set back since
    the client was last evaluated, the rules still see the later day, so that no alert is
    resolved and raised again as a new episode, and no due date moves earlier."""
    (result,) = refresh_clients(session, [client], today, settings, notes)
    return result


def refresh_clients(
    session: Session,
    clients: Sequence[Client],
    today: date,
    settings: TeamSettings,
    notes: Mapping[str, str] | None = None,
) -> list[RefreshResult]:
    """`refresh_client` for many clients at once (the sweep's batches), reading what they need
    in one query per kind of record instead of one per client."""
    if not clients:
        return []
    records = _Records.read(session, clients, today, settings.outcomes_since)
    evaluations = [_evaluate(session, client, records, today, settings) for client in clients]
    stored = _stored_alerts(session, evaluations)
    return [_apply(session, e, stored.get(e.client.id, []), notes) for e in evaluations]


@dataclass
class _Records:
    """What evaluating a set of clients reads, by client id. Holding the rows also keeps the
    agreements' members and users in the session, so that naming who performs each agreement
    (`agreement_who`) reads nothing more."""

    agreements: dict[int, list[ContactAgreement]]
    moments: dict[int, list[known.MomentFacts]]
    observations: dict[int, list[known.ObservationFacts]]
    thresholds: list[Threshold]
    people: list[object]
    outcomes: _Outcomes

    @classmethod
    def read(
        cls, session: Session, clients: Sequence[Client], today: date, floor: date | None
    ) -> _Records:
        ids = [c.id for c in clients]
        agreements: dict[int, list[ContactAgreement]] = defaultdict(list)
        for agreement in session.scalars(
            select(ContactAgreement)
            .where(ContactAgreement.client_id.in_(ids))
            .order_by(ContactAgreement.id)
        ):
            agreements[agreement.client_id].append(agreement)
        member_ids = {a.member_id for rows in agreements.values() for a in rows if a.member_id}
        user_ids = {a.user_id for rows in agreements.values() for a in rows if a.user_id}
        people: list[object] = []
        if member_ids:
            people += session.scalars(select(NetworkMember).where(NetworkMember.id.in_(member_ids)))
        if user_ids:
            people += session.scalars(select(User).where(User.id.in_(user_ids)))
        # The contact moments since each client's last real contact, that contact included.
        moments: dict[int, list[known.MomentFacts]] = defaultdict(list)
        for client_id, moment_id, on, outcome in session.execute(
            select(
                ContactMoment.client_id,
                ContactMoment.id,
                ContactMoment.occurred_on,
                ContactMoment.outcome,
            )
            .join(Client, Client.id == ContactMoment.client_id)
            .where(
                ContactMoment.client_id.in_(ids),
                or_(
                    Client.last_contact_on.is_(None),
                    ContactMoment.occurred_on >= Client.last_contact_on,
                ),
            )
            .order_by(ContactMoment.occurred_on.desc(), ContactMoment.id.desc())
        ):
            moments[client_id].append(
                known.MomentFacts(occurred_on=on, outcome=outcome, id=moment_id)
            )
        # Of the last MAX_WINDOW_DAYS (a client whose clock ran ahead reads a shorter window,
        # see `_evaluate`).
        observations: dict[int, list[known.ObservationFacts]] = defaultdict(list)
        for client_id, observation_id, on, phase in session.execute(
            select(
                Observation.client_id, Observation.id, Observation.observed_on, Observation.phase
            ).where(
                Observation.client_id.in_(ids),
                Observation.observed_on > today - timedelta(days=rules.MAX_WINDOW_DAYS),
            )
        ):
            observations[client_id].append(known.ObservationFacts(observation_id, on, phase))
        thresholds = list(
            session.scalars(
                select(Threshold).where(
                    or_(Threshold.client_id.is_(None), Threshold.client_id.in_(ids))
                )
            )
        )
        outcomes = _Outcomes.read(session, clients, floor)
        return cls(agreements, moments, observations, thresholds, people, outcomes)


@dataclass
class _Outcomes:
    """Per client the two newest ZRM assessments (newest last) with their scores, the day of
    the newest assessment of any kind, and for those in duurzaam in beeld the day they came."""

    zrm: dict[int, list[known.AssessmentFacts]]
    last_assessed_on: dict[int, date]
    in_view_since: dict[int, date]

    @classmethod
    def read(cls, session: Session, clients: Sequence[Client], floor: date | None) -> _Outcomes:
        ids = [c.id for c in clients]
        newest: dict[int, list[tuple[int, date]]] = defaultdict(list)
        last: dict[int, date] = {}
        for client_id, assessment_id, kind, on in session.execute(
            select(Assessment.client_id, Assessment.id, Assessment.kind, Assessment.assessed_on)
            .where(Assessment.client_id.in_(ids))
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        ):
            last.setdefault(client_id, on)
            if kind is AssessmentKind.ZRM and len(newest[client_id]) < 2:
                newest[client_id].append((assessment_id, on))
        scores: dict[int, dict[str, int | None]] = defaultdict(dict)
        wanted = [a for rows in newest.values() for a, _ in rows]
        for assessment_id, domain, score in session.execute(
            select(
                AssessmentScore.assessment_id, AssessmentScore.domain, AssessmentScore.score
            ).where(AssessmentScore.assessment_id.in_(wanted))
        ):
            scores[assessment_id][domain] = score
        zrm = {
            client_id: [known.AssessmentFacts(a, on, scores[a]) for a, on in reversed(rows)]
            for client_id, rows in newest.items()
        }
        return cls(zrm, last, _in_view_since(session, clients, floor))


def _in_view_since(
    session: Session, clients: Sequence[Client], floor: date | None
) -> dict[int, date]:
    """For the clients in duurzaam in beeld: the day they came into it (their newest move
    there, or their opening), but never before `floor`, the day the team could record
    outcomes (team_settings.outcomes_since)."""
    in_view = {c.id: c for c in clients if c.phase is Phase.IN_VIEW}
    if not in_view:
        return {}
    came = dict(
        session.execute(
            select(PhaseChange.client_id, func.max(PhaseChange.changed_on))
            .where(PhaseChange.client_id.in_(in_view), PhaseChange.to_phase == Phase.IN_VIEW)
            .group_by(PhaseChange.client_id)
        ).all()
    )
    since = {}
    for client_id, client in in_view.items():
        day = came.get(client_id, client.opened_on)
        since[client_id] = max(day, floor) if floor is not None else day
    return since


@dataclass
class _Evaluation:
    client: Client
    day: date
    conditions: list[known.AlertCondition]


def _evaluate(
    session: Session, client: Client, records: _Records, today: date, settings: TeamSettings
) -> _Evaluation:
    """End what has ended, store the due dates, and find the conditions that hold and the next
    day on which that changes by time alone (stored as `reevaluate_on`)."""
    if client.evaluated_on is not None and client.evaluated_on > today:
        today = client.evaluated_on
    agreements = records.agreements.get(client.id, [])
    client_due: date | None = None
    for agreement in agreements:
        if agreement.active and has_ended(agreement.end_on, today):
            agreement.active = False
        due = (
            next_due(schedule_of(agreement), agreement.last_contact_on)
            if agreement.active
            else None
        )
        if agreement.next_due != due:
            agreement.next_due = due
        if due is not None and not is_snoozed(agreement.snoozed_until, today):
            client_due = due if client_due is None else min(client_due, due)
    if client.next_due != client_due:
        client.next_due = client_due

    conditions: list[known.AlertCondition] = []
    reevaluate_on: date | None = None
    if client.phase is not Phase.CLOSED:
        window_starts = today - timedelta(days=rules.MAX_WINDOW_DAYS)
        facts = known.ClientFacts(
            opened_on=client.opened_on,
            last_contact_on=client.last_contact_on,
            agreements=[
                known.AgreementFacts(
                    id=a.id,
                    schedule=schedule_of(a),
                    last_contact_on=a.last_contact_on,
                    active=a.active,
                    snoozed_until=a.snoozed_until,
                    who=agreement_who(session, a),
                )
                for a in agreements
            ],
            recent_moments=records.moments.get(client.id, []),
            observations=[
                o for o in records.observations.get(client.id, []) if o.observed_on > window_starts
            ],
            zrm=records.outcomes.zrm.get(client.id, []),
            last_assessed_on=records.outcomes.last_assessed_on.get(client.id),
            in_view_since=records.outcomes.in_view_since.get(client.id),
        )
        thresholds = _effective(records.thresholds, client.id)
        conditions = rules.evaluate(facts, today, thresholds, settings.grace_days)
        reevaluate_on = next_change(facts, today, thresholds, settings.grace_days)
    client.evaluated_on = today
    if client.reevaluate_on != reevaluate_on:
        client.reevaluate_on = reevaluate_on
    return _Evaluation(client, today, conditions)


def _stored_alerts(session: Session, evaluations: Sequence[_Evaluation]) -> dict[int, list[Alert]]:
    """Per client, its unresolved alerts and any resolved one of a condition that holds again."""
    ids = [e.client.id for e in evaluations]
    wanted = {(e.client.id, c.fingerprint) for e in evaluations for c in e.conditions}
    found: dict[int, list[Alert]] = defaultdict(list)
    for alert in session.scalars(
        select(Alert)
        .where(
            Alert.client_id.in_(ids),
            or_(
                Alert.status != AlertStatus.RESOLVED,
                Alert.fingerprint.in_({fingerprint for _, fingerprint in wanted}),
            ),
        )
        .order_by(Alert.id)
    ):
        if (
            alert.status is not AlertStatus.RESOLVED
            or (alert.client_id, alert.fingerprint) in wanted
        ):
            found[alert.client_id].append(alert)
    return found


def _apply(
    session: Session,
    evaluation: _Evaluation,
    stored: Sequence[Alert],
    notes: Mapping[str, str] | None,
) -> RefreshResult:
    """Raise, reopen, reword and resolve the client's alerts so that they say what holds."""
    client, today = evaluation.client, evaluation.day
    closed = client.phase is Phase.CLOSED
    by_id = {a.id: a for a in stored}
    changes = reconcile.reconcile(
        [
            reconcile.StoredAlert(
                a.id,
                a.fingerprint,
                a.status is AlertStatus.RESOLVED,
                a.reason,
                by_hand=a.resolved_by_id is not None,
            )
            for a in stored
        ],
        evaluation.conditions,
        closed=closed,
        notes=notes,
    )
    for condition in changes.raise_new:
        session.add(
            Alert(
                client_id=client.id,
                rule=condition.rule,
                fingerprint=condition.fingerprint,
                reason=condition.reason,
                raised_on=today,
                status=AlertStatus.OPEN,
            )
        )
    for alert_id, condition in changes.reopen:
        alert = by_id[alert_id]
        alert.status = AlertStatus.OPEN
        alert.reason = condition.reason
        alert.resolved_on = None
        alert.resolved_by_id = None
    for alert_id, reason in changes.update_reason:
        by_id[alert_id].reason = reason
    for alert_id, note in changes.resolve:
        alert = by_id[alert_id]
        alert.status = AlertStatus.RESOLVED
        alert.resolved_on = today
        alert.resolution_note = note
    return RefreshResult(
        raised=[c.reason for c in changes.raise_new] + [c.reason for _, c in changes.reopen],
        resolved=[note for _, note in changes.resolve],
    )


def informal_members(session: Session, client_id: int, today: date) -> list[InformalMember]:
    """The client's active informal network members, and whether each has an active, not yet
    ended contact agreement."""
    members = session.scalars(
        select(NetworkMember).where(
            NetworkMember.client_id == client_id, NetworkMember.kind == MemberKind.INFORMAL
        )
    ).all()
    agreements = session.scalars(
        select(ContactAgreement).where(
            ContactAgreement.client_id == client_id, ContactAgreement.member_id.is_not(None)
        )
    ).all()
    return informal_members_of(members, agreements, today)


def informal_members_of(
    members: Iterable[NetworkMember], agreements: Iterable[ContactAgreement], today: date
) -> list[InformalMember]:
    """The same from a client's members and agreements already read (the client file)."""
    with_agreement = {
        a.member_id
        for a in agreements
        if a.member_id is not None and a.active and not has_ended(a.end_on, today)
    }
    informal = sorted(
        (m for m in members if m.active and m.kind is MemberKind.INFORMAL),
        key=lambda m: (m.name, m.id),
    )
    return [InformalMember(m.name, m.relation, m.id in with_agreement) for m in informal]
