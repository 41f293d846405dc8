"""Keeping a client's stored state current inside a write transaction.

After every write that concerns a client, `refresh_client` ends the agreements whose end date
has come, recomputes the stored `next_due` of the client's agreements and of the client, and
re-evaluates the client's alerts (raise, reopen, update, resolve) with the pure rules of
`domain.thresholds`. It reads only current state: the
agreements, the contact moments since the last real contact, the observations of the last year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain import thresholds as rules
from wijkteam_tui.domain.agreements import has_ended, performer_text
from wijkteam_tui.domain.phases import InformalMember
from wijkteam_tui.domain.schedules import Schedule, is_snoozed, next_due
from wijkteam_tui.domain.terms import AlertStatus, MemberKind, Phase, ThresholdRule
from wijkteam_tui.store.models import (
    Alert,
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    Observation,
    TeamSettings,
    Threshold,
    User,
)


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

    def settings(of_client: bool) -> list[rules.ThresholdSetting]:
        return [
            rules.ThresholdSetting(row.rule, row.enabled, row.days, row.count)
            for row in rows
            if (row.client_id is not None) == of_client
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
    if client.evaluated_on is not None and client.evaluated_on > today:
        today = client.evaluated_on
    agreements = session.scalars(
        select(ContactAgreement).where(ContactAgreement.client_id == client.id)
    ).all()
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

    closed = client.phase is Phase.CLOSED
    conditions: list[rules.AlertCondition] = []
    if not closed:
        facts = rules.ClientFacts(
            opened_on=client.opened_on,
            last_contact_on=client.last_contact_on,
            agreements=[
                rules.AgreementFacts(
                    id=a.id,
                    schedule=schedule_of(a),
                    last_contact_on=a.last_contact_on,
                    active=a.active,
                    snoozed_until=a.snoozed_until,
                    who=agreement_who(session, a),
                )
                for a in agreements
            ],
            recent_moments=_moments_since_last_real_contact(session, client),
            observations=[
                rules.ObservationFacts(o.id, o.observed_on, o.phase)
                for o in session.scalars(
                    select(Observation).where(
                        Observation.client_id == client.id,
                        Observation.observed_on > today - timedelta(days=rules.MAX_WINDOW_DAYS),
                    )
                )
            ],
        )
        conditions = rules.evaluate(
            facts, today, thresholds_for(session, client.id), settings.grace_days
        )
    fingerprints = [c.fingerprint for c in conditions]
    stored = session.scalars(
        select(Alert).where(
            Alert.client_id == client.id,
            or_(Alert.status != AlertStatus.RESOLVED, Alert.fingerprint.in_(fingerprints)),
        )
    ).all()
    by_id = {a.id: a for a in stored}
    changes = rules.reconcile(
        [
            rules.StoredAlert(
                a.id,
                a.fingerprint,
                a.status is AlertStatus.RESOLVED,
                a.reason,
                by_hand=a.resolved_by_id is not None,
            )
            for a in stored
        ],
        conditions,
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
    client.evaluated_on = today
    return RefreshResult(
        raised=[c.reason for c in changes.raise_new] + [c.reason for _, c in changes.reopen],
        resolved=[note for _, note in changes.resolve],
    )


def _moments_since_last_real_contact(session: Session, client: Client) -> list[rules.MomentFacts]:
    query = select(ContactMoment.id, ContactMoment.occurred_on, ContactMoment.outcome).where(
        ContactMoment.client_id == client.id
    )
    if client.last_contact_on is not None:
        query = query.where(ContactMoment.occurred_on >= client.last_contact_on)
    rows = session.execute(
        query.order_by(ContactMoment.occurred_on.desc(), ContactMoment.id.desc())
    ).all()
    return [rules.MomentFacts(occurred_on=on, outcome=outcome, id=mid) for mid, on, outcome in rows]


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
