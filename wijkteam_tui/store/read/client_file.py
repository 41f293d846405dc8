"""The client file (cliëntdossier) as its tabs show it: overview, network, agreements,
signaleringsplan, thresholds and open alerts; its timeline; and the agreements a contact
can be logged on."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import Session, aliased

from wijkteam_tui.domain.agreements import performer_text, why_not_renewed
from wijkteam_tui.domain.dates import CONTACT_BEFORE_OPENING, format_date
from wijkteam_tui.domain.network import MemberFacts, network_strength
from wijkteam_tui.domain.phases import what_is_missing
from wijkteam_tui.domain.phrases import schedule_text
from wijkteam_tui.domain.reminders import RETRY
from wijkteam_tui.domain.schedules import (
    REAL_CONTACT,
    DueState,
    days_overdue,
    due_state,
    is_snoozed,
)
from wijkteam_tui.domain.terms import Outcome, Phase, SignalPhase, ThresholdRule
from wijkteam_tui.domain.thresholds import ThresholdSetting, effective_thresholds
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.cover.access import require_access
from wijkteam_tui.store.due import grace_days
from wijkteam_tui.store.history import CasemanagerChange
from wijkteam_tui.store.mail.models import Reminder
from wijkteam_tui.store.models import (
    Alert,
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    Observation,
    PhaseChange,
    Signal,
    SignOffRequest,
    Threshold,
    User,
)
from wijkteam_tui.store.read.common import Requester, Responsible, open_alerts, sign_offs, user_name
from wijkteam_tui.store.records import (
    AgreementChoice,
    AgreementRow,
    ClientFile,
    MemberRow,
    SignalRow,
    ThresholdRow,
    TimelineEntry,
)
from wijkteam_tui.store.refresh import agreement_who, former_member, informal_members_of
from wijkteam_tui.store.register import Register


def contact_choices(register: Register, client_id: int, today: date) -> list[AgreementChoice]:
    """The client's active agreements to log a contact on: most overdue (earliest due) first,
    those with nothing due any more last."""
    with register.read_connection() as conn:
        require_access(register, conn, client_id, today)
        rows = conn.execute(
            select(
                ContactAgreement.id,
                NetworkMember.name,
                NetworkMember.relation,
                user_name(Responsible),
                ContactAgreement.channel,
                ContactAgreement.next_due,
                ContactAgreement.interval_days,
                ContactAgreement.rrule,
            )
            .outerjoin(NetworkMember, NetworkMember.id == ContactAgreement.member_id)
            .outerjoin(Responsible, Responsible.id == ContactAgreement.user_id)
            .where(ContactAgreement.client_id == client_id, ContactAgreement.active.is_(True))
        ).all()
    choices = [
        AgreementChoice(
            agreement_id=aid,
            who=performer_text(member, relation, responsible),
            channel=channel,
            next_due=due,
            days_overdue=days_overdue(due, today) if due else 0,
            how_often=schedule_text(interval, rule),
        )
        for aid, member, relation, responsible, channel, due, interval, rule in rows
    ]
    return sorted(choices, key=lambda c: (c.next_due is None, c.next_due or today, c.agreement_id))


def contact_date_caution(
    register: Register, client_id: int, agreement_id: int | None, occurred_on: date
) -> str:
    """What to ask before logging a contact on `occurred_on` that lies before the client's
    file was opened or before the agreement started ("" when nothing): such a date is often a
    typing error (2025 for 2026), and sometimes right (a contact before the registration)."""
    with register.read_connection() as conn:
        opened_on = conn.execute(
            select(Client.opened_on).where(Client.id == client_id)
        ).scalar_one_or_none()
        start_on = (
            conn.execute(
                select(ContactAgreement.start_on).where(ContactAgreement.id == agreement_id)
            ).scalar_one_or_none()
            if agreement_id is not None
            else None
        )
    when = format_date(occurred_on)
    if opened_on is not None and occurred_on < opened_on - CONTACT_BEFORE_OPENING:
        return ""  # refused when saving, with its own message: no question first
    if opened_on is not None and occurred_on < opened_on:
        return f"{when} ligt voor de opening van het dossier ({format_date(opened_on)})."
    if start_on is not None and occurred_on < start_on:
        return f"{when} ligt voor de start van deze afspraak ({format_date(start_on)})."
    return ""


#: A decision taken before its time was kept is placed this much after its request.
_A_MOMENT = timedelta(microseconds=1)


def client_timeline(
    register: Register, client_id: int, limit: int = 200, *, today: date | None = None
) -> list[TimelineEntry]:
    """Contact moments, signaleringen, phase changes, alerts and reminders by mail of a
    client, newest first."""
    entries: list[TimelineEntry] = []
    with register.read_connection() as conn:
        require_access(register, conn, client_id, today or date.today())
        moments = conn.execute(
            select(
                ContactMoment.occurred_on,
                ContactMoment.channel,
                ContactMoment.outcome,
                ContactMoment.note,
                NetworkMember.name,
                User.display_name,
                ContactMoment.logged_at,
            )
            .outerjoin(NetworkMember, NetworkMember.id == ContactMoment.member_id)
            .outerjoin(User, User.id == ContactMoment.user_id)
            .where(ContactMoment.client_id == client_id)
            .order_by(ContactMoment.occurred_on.desc(), ContactMoment.id.desc())
            .limit(limit)
        ).all()
        for on, channel, outcome, note, member, user, at in moments:
            text = f"{channel.label}: {Outcome(outcome).label}" + (f" — {note}" if note else "")
            entries.append(TimelineEntry(on, "contact", text, member or user or "", at))
        observations = conn.execute(
            select(
                Observation.observed_on,
                Observation.phase,
                Observation.note,
                Observation.observed_by,
                Observation.created_at,
            )
            .where(Observation.client_id == client_id)
            .order_by(Observation.observed_on.desc())
            .limit(limit)
        ).all()
        for on, phase, note, by, at in observations:
            text = f"Signalering {phase.label}" + (f" — {note}" if note else "")
            entries.append(TimelineEntry(on, "signalering", text, by, at))
        changes = conn.execute(
            select(
                PhaseChange.changed_on,
                PhaseChange.from_phase,
                PhaseChange.to_phase,
                PhaseChange.reason,
                User.display_name,
                PhaseChange.recorded_at,
            )
            .join(User, User.id == PhaseChange.changed_by_id)
            .where(PhaseChange.client_id == client_id)
            .order_by(PhaseChange.changed_on.desc(), PhaseChange.id.desc())
        ).all()
        for on, old, new, reason, by, at in changes:
            move = f"{old.label} → {new.label}" if old else f"start in {new.label}"
            entries.append(TimelineEntry(on, "fase", f"Fase {move}: {reason}", by, at))
        _Decider = aliased(User)
        requests = conn.execute(
            select(
                SignOffRequest.requested_on,
                SignOffRequest.reason,
                user_name(Requester),
                SignOffRequest.status,
                SignOffRequest.decided_on,
                SignOffRequest.decision_reason,
                user_name(_Decider),
                SignOffRequest.recorded_at,
                SignOffRequest.decided_at,
            )
            .join(Requester, Requester.id == SignOffRequest.requested_by_id)
            .outerjoin(_Decider, _Decider.id == SignOffRequest.decided_by_id)
            .where(SignOffRequest.client_id == client_id)
            .order_by(SignOffRequest.requested_on.desc(), SignOffRequest.id.desc())
        ).all()
        for on, reason, by, status, decided_on, decision, decider, asked, decided in requests:
            # Newest first: the decision above the request it answers (one decided before
            # its time was kept: just after the request).
            if decided_on is not None:
                text = f"Aanvraag {status.label}" + (f": {decision}" if decision else "")
                when = decided or asked + _A_MOMENT
                entries.append(TimelineEntry(decided_on, "aanvraag", text, decider or "", when))
            text = f"Aanvraag duurzaam in beeld: {reason}"
            entries.append(TimelineEntry(on, "aanvraag", text, by, asked))
        entries.extend(_reminders(conn, client_id, limit))
        _From, _To, _By = aliased(User), aliased(User), aliased(User)
        handovers = conn.execute(
            select(
                CasemanagerChange.changed_on,
                user_name(_From),
                user_name(_To),
                CasemanagerChange.reason,
                CasemanagerChange.moved_agreements,
                user_name(_By),
                CasemanagerChange.recorded_at,
            )
            .outerjoin(_From, _From.id == CasemanagerChange.from_user_id)
            .join(_To, _To.id == CasemanagerChange.to_user_id)
            .join(_By, _By.id == CasemanagerChange.changed_by_id)
            .where(CasemanagerChange.client_id == client_id)
            .order_by(CasemanagerChange.changed_on.desc(), CasemanagerChange.id.desc())
        ).all()
        for on, old, new, reason, moved, by, at in handovers:
            text = f"Casemanager {old or '(geen)'} → {new}: {reason}"
            if moved:
                text += f" ({moved} {'afspraak' if moved == 1 else 'afspraken'} mee over)"
            entries.append(TimelineEntry(on, "overdracht", text, by, at))
        _Confirmer, _Resolver = aliased(User), aliased(User)
        alerts = conn.execute(
            select(
                Alert.raised_on,
                Alert.reason,
                Alert.confirmed_at,
                Alert.confirmation_note,
                user_name(_Confirmer),
                Alert.resolved_on,
                Alert.resolution_note,
                user_name(_Resolver),
            )
            .outerjoin(_Confirmer, _Confirmer.id == Alert.confirmed_by_id)
            .outerjoin(_Resolver, _Resolver.id == Alert.resolved_by_id)
            .where(Alert.client_id == client_id)
            .order_by(Alert.raised_on.desc(), Alert.id.desc())
        ).all()
        for (
            raised,
            reason,
            confirmed_at,
            confirmation,
            confirmer,
            resolved,
            note,
            resolver,
        ) in alerts:
            entries.append(TimelineEntry(raised, "aandachtspunt", reason))
            if confirmation:
                confirmed_on = confirmed_at.date() if confirmed_at else raised
                entries.append(
                    TimelineEntry(confirmed_on, "bevestigd", confirmation, confirmer, confirmed_at)
                )
            if resolved:
                entries.append(TimelineEntry(resolved, "opgelost", note, resolver or ""))
    kinds = {
        "herinnering": 0,
        "fase": 0,
        "overdracht": 0,
        "aanvraag": 1,
        "aandachtspunt": 2,
        "bevestigd": 3,
        "opgelost": 4,
        "signalering": 5,
        "contact": 6,
    }

    # Within a day, in the order things were recorded; what has no time of its own (an alert
    # raised or resolved: the day only) by its kind: raised at the day's start by the sweep,
    # resolved at its end. Stable: within a day and kind the newest-first order of each query
    # is kept.
    def order(entry: TimelineEntry) -> tuple[date, datetime, int]:
        if entry.at is not None:
            at = entry.at
        elif entry.kind == "opgelost":
            at = datetime.combine(entry.on, time.max)
        else:
            at = datetime.combine(entry.on, time.min)
        return entry.on, at, -kinds[entry.kind]

    entries.sort(key=order, reverse=True)
    return entries[:limit]


def client_file(register: Register, client_id: int, today: date) -> ClientFile:
    """The whole client file: overview, network, agreements, signaleringsplan, open alerts."""
    with register.read() as session:
        require_access(register, session.connection(), client_id, today)
        client = session.get(Client, client_id)
        if client is None:
            raise ValidationError(f"Cliënt {client_id} bestaat niet.", "client")
        grace = grace_days(session)
        casemanager = session.get(User, client.casemanager_id) if client.casemanager_id else None
        members = session.scalars(
            select(NetworkMember)
            .where(NetworkMember.client_id == client_id)
            .order_by(NetworkMember.kind, NetworkMember.name)
        ).all()
        member_contact = dict(
            session.execute(
                select(ContactMoment.member_id, func.max(ContactMoment.occurred_on))
                .where(
                    ContactMoment.client_id == client_id,
                    ContactMoment.outcome.in_(REAL_CONTACT),
                    ContactMoment.member_id.is_not(None),
                )
                .group_by(ContactMoment.member_id)
            ).all()
        )
        agreements = session.scalars(
            select(ContactAgreement)
            .where(ContactAgreement.client_id == client_id)
            .order_by(ContactAgreement.active.desc(), ContactAgreement.next_due)
        ).all()
        agreement_rows = [_agreement_row(session, a, today, grace) for a in agreements]
        signals = session.scalars(
            select(Signal)
            .where(Signal.client_id == client_id)
            .order_by(Signal.phase, Signal.position, Signal.id)
        ).all()
        active_member_ids = {a.member_id for a in agreements if a.active and a.member_id}
        strength = network_strength(
            [MemberFacts(m.kind, m.supports, m.id in active_member_ids, m.active) for m in members],
            client.last_contact_on,
            today,
            [(a.member_id, a.user_id) for a in agreements if a.active],
        )
        alerts = open_alerts(session.connection(), Client.id == client_id, today)
        waiting = sign_offs(session.connection(), SignOffRequest.client_id == client_id)
        thresholds = _client_thresholds(session, client_id)
        missing = ""
        if client.phase in (Phase.INTENSIVE, Phase.SCALING_BACK):
            missing = what_is_missing(informal_members_of(members, agreements, today))
        address = " ".join(p for p in (client.street, client.house_number) if p)
        place = " ".join(p for p in (client.postcode, client.city) if p)
        phase_order = {SignalPhase.GREEN: 0, SignalPhase.ORANGE: 1, SignalPhase.RED: 2}
        return ClientFile(
            id=client.id,
            number=client.number,
            name=client.name,
            phase=client.phase,
            regime=client.regime,
            casemanager=(casemanager.display_name or casemanager.name) if casemanager else "",
            birth_date=client.birth_date,
            address=", ".join(p for p in (address, place) if p),
            phone=client.phone,
            own_words=client.own_words,
            strengths=client.strengths,
            meaningful=client.meaningful,
            opened_on=client.opened_on,
            closed_on=client.closed_on,
            retention_until=client.retention_until,
            last_contact_on=client.last_contact_on,
            next_due=client.next_due,
            network_summary=strength.summary,
            network_warnings=list(strength.warnings),
            version=client.version,
            alerts=alerts,
            members=[
                MemberRow(
                    m.id,
                    m.name,
                    m.relation,
                    m.kind,
                    m.supports,
                    m.phone,
                    m.availability,
                    m.consent_to_share,
                    member_contact.get(m.id),
                    m.ring,
                    m.out_of_hours,
                    m.consent_review_on,
                    m.ended_on,
                    m.ended_reason,
                    m.remind_by_mail,
                    m.remind_review_on,
                )
                # Former members (involvement ended) last: the list shows them as such.
                for m in sorted(members, key=lambda m: m.ended_on is not None)
                if m.active or m.ended_on is not None
            ],
            agreements=agreement_rows,
            signals=[
                SignalRow(
                    s.id,
                    s.phase,
                    s.signs,
                    s.own_actions,
                    s.network_actions,
                    s.professional_actions,
                    s.whom_to_call,
                )
                for s in sorted(signals, key=lambda s: (phase_order[s.phase], s.position, s.id))
            ],
            sign_off=waiting[0] if waiting else None,
            in_view_missing=missing,
            thresholds=thresholds,
        )


def _reminders(conn: Connection, client_id: int, limit: int) -> list[TimelineEntry]:
    """Each reminder by mail to the client's network: to whom, for which moment, how it went
    (never what it said)."""
    rows = conn.execute(
        select(
            Reminder.claimed_at,
            Reminder.kind,
            Reminder.due_on,
            Reminder.address,
            Reminder.status,
            Reminder.error,
            NetworkMember.name,
            user_name(User),
        )
        .outerjoin(NetworkMember, NetworkMember.id == Reminder.member_id)
        .outerjoin(User, User.id == Reminder.user_id)
        .where(Reminder.client_id == client_id)
        .order_by(Reminder.claimed_at.desc(), Reminder.id.desc())
        .limit(limit)
    ).all()
    entries = []
    for at, kind, due_on, address, status, error, member, by in rows:
        what = (
            f"na niet bereikt op {format_date(due_on)}"
            if kind == RETRY
            else f"voor {format_date(due_on)}"
        )
        text = f"Herinnering per mail aan {member or address} ({address}) {what}: {status}"
        if error:
            text += f" — {error}"
        entries.append(TimelineEntry(at.date(), "herinnering", text, by or "", at))
    return entries


def _client_thresholds(session: Session, client_id: int) -> list[ThresholdRow]:
    rows = session.scalars(
        select(Threshold).where(
            or_(Threshold.client_id.is_(None), Threshold.client_id == client_id)
        )
    ).all()
    team = effective_thresholds(
        [ThresholdSetting(r.rule, r.enabled, r.days, r.count) for r in rows if r.client_id is None]
    )
    own = {r.rule: r for r in rows if r.client_id is not None}
    result = []
    for rule in ThresholdRule:
        row = own.get(rule)
        mine = None
        if row is not None:
            mine = effective_thresholds(
                team.values(), [ThresholdSetting(rule, row.enabled, row.days, row.count)]
            )[rule]
        result.append(ThresholdRow(rule, team[rule], mine, row.reason if row else ""))
    return result


def _agreement_row(
    session: Session,
    agreement: ContactAgreement,
    today: date,
    grace: int,
) -> AgreementRow:
    due = agreement.next_due if agreement.active else None
    state = due_state(due, today, grace, agreement.snoozed_until)
    return AgreementRow(
        id=agreement.id,
        who=agreement_who(session, agreement),
        member_id=agreement.member_id,
        channel=agreement.channel,
        how_often=schedule_text(agreement.interval_days, agreement.rrule),
        start_on=agreement.start_on,
        end_on=agreement.end_on,
        last_contact_on=agreement.last_contact_on,
        next_due=due,
        state=state,
        days_overdue=(today - due).days if due and state is DueState.OVERDUE else 0,
        snoozed_until=agreement.snoozed_until
        if is_snoozed(agreement.snoozed_until, today)
        else None,
        snooze_reason=agreement.snooze_reason,
        description=agreement.description,
        renewal=why_not_renewed(
            former_member(session, agreement), agreement.end_before_closing, today
        )
        if agreement.closed_with_file
        else None,
    )
