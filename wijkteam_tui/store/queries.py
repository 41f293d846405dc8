"""Read models: what a screen or command shows, as plain dataclasses.

Every list reads the stored, indexed current state (`next_due`, `last_contact_on`, open alerts)
and never walks history, so its cost follows the size of the answer, not of the register.
Queries are SQLAlchemy Core selects: typed, cached, and the same on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields as dataclass_fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    String,
    and_,
    bindparam,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from wijkteam_tui.domain.agreements import performer_text
from wijkteam_tui.domain.network import MemberFacts, network_strength
from wijkteam_tui.domain.phases import what_is_missing
from wijkteam_tui.domain.phrases import schedule_text
from wijkteam_tui.domain.schedules import (
    REAL_CONTACT,
    SOON_DAYS,
    DueState,
    days_overdue,
    due_state,
    is_snoozed,
    overdue_cutoff,
)
from wijkteam_tui.domain.search import matched_members, search_words
from wijkteam_tui.domain.terms import (
    AlertStatus,
    Channel,
    Outcome,
    Phase,
    SignalPhase,
    SignOffStatus,
    ThresholdRule,
)
from wijkteam_tui.domain.thresholds import (
    ThresholdSetting,
    effective_thresholds,
    is_out_of_view,
    limit_days,
    out_of_view_cutoff,
    silent_days,
)
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.due import grace_days, not_snoozed
from wijkteam_tui.store.models import (
    Alert,
    CasemanagerChange,
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    Observation,
    PhaseChange,
    Resource,
    Signal,
    SignOffRequest,
    TeamSettings,
    Threshold,
    User,
)
from wijkteam_tui.store.records import (
    AgreementChoice,
    AgreementInput,
    AgreementRow,
    AlertItem,
    ClientFile,
    ClientInput,
    DueItem,
    MemberInput,
    MemberRow,
    OutOfViewItem,
    ResourceInput,
    ResourceRow,
    SearchHit,
    SignalInput,
    SignalRow,
    SignOffItem,
    TeamInfo,
    TeamOverview,
    ThresholdRow,
    TimelineEntry,
    TodayList,
    UserItem,
    out_of_hours_text,
)
from wijkteam_tui.store.refresh import agreement_who, informal_members_of
from wijkteam_tui.store.register import Register

_Responsible = aliased(User, name="responsible")
_Casemanager = aliased(User, name="casemanager")


def user_name(user: Any) -> Any:
    """A user's display name, or their login name when they have none."""
    return func.coalesce(func.nullif(user.display_name, ""), user.name)


def _due_query(condition: Any, *, team: bool) -> Any:
    """Agreements with their client and who should make contact, due before `:limit`.

    The team list reads only the agreements' covering index (no description, index order): it
    runs to thousands of rows, and every table page it does not touch keeps it linear.

    The due date and channel come back as plain text (`type_coerce` to String) and `fetch_due`
    converts them: SQLAlchemy's per-row Date and Enum processing cost more than the query
    itself on a list of thousands."""
    return (
        select(
            ContactAgreement.id,
            Client.id,
            Client.number,
            Client.name,
            NetworkMember.name,
            NetworkMember.relation,
            user_name(_Responsible),
            type_coerce(ContactAgreement.channel, String),
            type_coerce(ContactAgreement.next_due, String),
            literal("") if team else ContactAgreement.description,
            user_name(_Casemanager),
        )
        .select_from(ContactAgreement)
        .join(Client, Client.id == ContactAgreement.client_id)
        .outerjoin(NetworkMember, NetworkMember.id == ContactAgreement.member_id)
        .outerjoin(_Responsible, _Responsible.id == ContactAgreement.user_id)
        .outerjoin(_Casemanager, _Casemanager.id == Client.casemanager_id)
        .where(
            condition,
            Client.phase != Phase.CLOSED,
            ContactAgreement.active.is_(True),
            ContactAgreement.next_due < bindparam("limit", type_=Date),
            not_snoozed(bindparam("today", type_=Date)),
        )
        .order_by(ContactAgreement.next_due, ContactAgreement.id if team else Client.name)
    )


#: For the team module (the Team screen's lists of one casemanager).
due_query = _due_query

_TEAM_DUE = _due_query(true(), team=True)
_MEDEWERKER_DUE = _due_query(Client.casemanager_id == bindparam("user_id"), team=False)
_CHANNELS = {channel.value: channel for channel in Channel}


def _as_date(value: date | str) -> date:
    # SQLite hands back the stored ISO text; PostgreSQL's driver a date.
    return date.fromisoformat(value) if isinstance(value, str) else value


def fetch_due(conn: Connection, statement: Any, **params: Any) -> list[DueItem]:
    """Run a due-list query and build DueItems.

    The team list runs to thousands of rows, so the loop is kept lean: each due date is
    converted once, and a DueItem is made as the tuple it is (no keyword parsing per row)."""
    today: date = params["today"]
    # all(): one fetchall, where iterating the result would fetch row by row.
    rows = conn.execute(statement, params).all()
    dates: dict[date | str, tuple[date, int]] = {}
    make = tuple.__new__
    channels = _CHANNELS
    items: list[DueItem] = []
    append = items.append
    for aid, cid, number, name, member, relation, responsible, channel, due, text, cm in rows:
        known = dates.get(due)
        if known is None:
            due_on = _as_date(due)
            known = dates[due] = (due_on, days_overdue(due_on, today))
        who = performer_text(member, relation, responsible)
        append(
            make(
                DueItem,
                (aid, cid, number, name, who, channels[channel], *known, text, cm or ""),
            )
        )
    return items


_OUT_OF_HOURS = select(
    TeamSettings.out_of_hours_name,
    TeamSettings.out_of_hours_phone,
    TeamSettings.out_of_hours_hours,
).where(TeamSettings.id == 1)


def _team(conn: Connection) -> tuple[int, str]:
    """(grace days, out-of-hours contact as one line) of the team."""
    return grace_days(conn), out_of_hours_text(*conn.execute(_OUT_OF_HOURS).one())


def today_list(
    register: Register, user_id: int, today: date, *, teamleider: bool = False
) -> TodayList:
    """What needs this medewerker today, for the clients they are casemanager of; for a
    teamleider also every request for 'duurzaam in beeld' waiting for a decision."""
    with register.read_connection() as conn:
        grace, out_of_hours = _team(conn)
        items = fetch_due(
            conn,
            _MEDEWERKER_DUE,
            user_id=user_id,
            limit=today + timedelta(days=SOON_DAYS + 1),
            today=today,
        )
        overdue_limit = overdue_cutoff(today, grace)
        overdue = [i for i in items if i.next_due < overdue_limit]
        soon = [i for i in items if i.next_due >= overdue_limit]
        alerts = open_alerts(conn, Client.casemanager_id == user_id)
        out_of_view = _out_of_view(conn, user_id, today)
        return TodayList(
            overdue=overdue,
            due_soon=soon,
            alerts=alerts,
            out_of_view=out_of_view,
            out_of_hours_contact=out_of_hours,
            sign_offs=_sign_offs(conn, true()) if teamleider else [],
        )


_Requester = aliased(User, name="requester")


def _sign_offs(conn: Connection, condition: Any) -> list[SignOffItem]:
    rows = conn.execute(
        select(
            SignOffRequest.id,
            SignOffRequest.version,
            Client.id,
            Client.number,
            Client.name,
            SignOffRequest.from_phase,
            SignOffRequest.reason,
            SignOffRequest.requested_on,
            user_name(_Requester),
        )
        .join(Client, Client.id == SignOffRequest.client_id)
        .join(_Requester, _Requester.id == SignOffRequest.requested_by_id)
        .where(condition, SignOffRequest.status == SignOffStatus.PENDING)
        .order_by(SignOffRequest.requested_on, SignOffRequest.id)
    ).all()
    return [SignOffItem(*row) for row in rows]


def pending_sign_offs(register: Register) -> list[SignOffItem]:
    """Every request for 'duurzaam in beeld' waiting for a teamleider, oldest first."""
    with register.read_connection() as conn:
        return _sign_offs(conn, true())


def open_alerts(conn: Connection, condition: Any) -> list[AlertItem]:
    """The open and confirmed alerts of the clients in `condition`, oldest first."""
    rows = conn.execute(
        select(
            Alert.id,
            Client.id,
            Client.number,
            Client.name,
            Alert.rule,
            Alert.reason,
            Alert.raised_on,
            Alert.status,
        )
        .join(Client, Client.id == Alert.client_id)
        .where(condition, Alert.status != AlertStatus.RESOLVED)
        .order_by(Alert.raised_on, Client.name)
    ).all()
    return [AlertItem(*row) for row in rows]


def _out_of_view(conn: Connection, user_id: int, today: date) -> list[OutOfViewItem]:
    items = [item for _, item in out_of_view_rows(conn, Client.casemanager_id == user_id, today)]
    return sorted(items, key=lambda item: -item.days_without_contact)


def out_of_view_rows(
    conn: Connection, condition: Any, today: date
) -> list[tuple[int | None, OutOfViewItem]]:
    """The open clients matching `condition` that are out of view today (by the team's limit
    or their own), each with their casemanager's id."""
    team_row = conn.execute(
        select(Threshold.enabled, Threshold.days).where(
            Threshold.client_id.is_(None), Threshold.rule == ThresholdRule.OUT_OF_VIEW
        )
    ).one_or_none()
    team = [ThresholdSetting(ThresholdRule.OUT_OF_VIEW, *team_row)] if team_row else []
    team_limit = limit_days(effective_thresholds(team)[ThresholdRule.OUT_OF_VIEW])
    override = aliased(Threshold)
    rows = conn.execute(
        select(
            Client.id,
            Client.number,
            Client.name,
            Client.last_contact_on,
            Client.opened_on,
            override.enabled,
            override.days,
            Client.casemanager_id,
        )
        .outerjoin(
            override,
            and_(override.client_id == Client.id, override.rule == ThresholdRule.OUT_OF_VIEW),
        )
        .where(
            condition,
            Client.phase != Phase.CLOSED,
            or_(
                override.id.is_not(None),
                func.coalesce(Client.last_contact_on, Client.opened_on)
                < out_of_view_cutoff(today, team_limit),
            ),
        )
    ).all()
    found = []
    for cid, number, name, last, opened, enabled, days, casemanager_id in rows:
        own = (
            [ThresholdSetting(ThresholdRule.OUT_OF_VIEW, enabled, days)]
            if enabled is not None
            else []
        )
        setting = effective_thresholds(team, own)[ThresholdRule.OUT_OF_VIEW]
        if setting.enabled and is_out_of_view(last, opened, today, limit_days(setting)):
            item = OutOfViewItem(cid, number, name, last, silent_days(last, opened, today))
            found.append((casemanager_id, item))
    return found


def team_overview(register: Register, today: date) -> TeamOverview:
    """Every overdue follow-up in the team, most overdue first, with counts per casemanager."""
    with register.read_connection() as conn:
        grace, _ = _team(conn)
        overdue = fetch_due(conn, _TEAM_DUE, limit=overdue_cutoff(today, grace), today=today)
    per_casemanager = Counter(item.casemanager or "(geen casemanager)" for item in overdue)
    return TeamOverview(overdue=overdue, per_casemanager=dict(per_casemanager))


def search_clients(
    register: Register,
    fragment: str,
    *,
    limit: int = 50,
    phase: Phase | None = None,
    casemanager_id: int | None = None,
    with_open_alert: bool = False,
) -> list[SearchHit]:
    """Clients matching every word of `fragment` (case and accents ignored) in their name,
    number, address or postcode, or in the name of someone in their network.

    Direct matches (every word in the client's own details) come first, then clients found
    through their network; each group by name. A hit found through the network names the
    member(s) it was found through in `via_member`.

    It runs on every keystroke, so it reads in two steps: the ids, in name order, from the
    covering index `ix_clients_search` (stopping at `limit`), then the details of those few."""
    words = search_words(fragment)
    open_alert = exists().where(Alert.client_id == Client.id, Alert.status != AlertStatus.RESOLVED)
    filters = []
    if phase is not None:
        filters.append(Client.phase == phase)
    if casemanager_id is not None:
        filters.append(Client.casemanager_id == casemanager_id)
    if with_open_alert:
        filters.append(open_alert)
    own = and_(true(), *(_contains(Client.search_text, word) for word in words))
    ordered = select(Client.id).order_by(Client.name, Client.id)
    with register.read_connection() as conn:
        ids = list(conn.scalars(ordered.where(own, *filters).limit(limit)))
        direct = set(ids)
        if words and len(ids) < limit:
            through_network = [
                or_(_contains(Client.search_text, w), _contains(Client.network_search_text, w))
                for w in words
            ]
            ids += conn.scalars(
                ordered.where(not_(own), *through_network, *filters).limit(limit - len(ids))
            )
        if not ids:
            return []
        rows = {
            row.id: row
            for row in conn.execute(
                select(
                    Client.id,
                    Client.number,
                    Client.name,
                    Client.street,
                    Client.house_number,
                    Client.phase,
                    User.display_name,
                    open_alert.label("alert"),
                    Client.search_text,
                )
                .outerjoin(User, User.id == Client.casemanager_id)
                .where(Client.id.in_(ids))
            )
        }
        members: dict[int, list[str]] = {}
        indirect = [cid for cid in ids if cid not in direct]
        if indirect:
            for client_id, member in conn.execute(
                select(NetworkMember.client_id, NetworkMember.name)
                .where(NetworkMember.client_id.in_(indirect))
                .order_by(NetworkMember.name, NetworkMember.id)
            ):
                members.setdefault(client_id, []).append(member)
    hits = []
    for cid in ids:
        row = rows[cid]
        via = "" if cid in direct else matched_members(words, row.search_text, members.get(cid, []))
        hits.append(
            SearchHit(
                cid,
                row.number,
                row.name,
                row.street,
                row.house_number,
                row.phase,
                row.display_name or "",
                bool(row.alert),
                via,
            )
        )
    return hits


def _contains(column: Any, word: str) -> Any:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def contact_choices(register: Register, client_id: int, today: date) -> list[AgreementChoice]:
    """The client's active agreements to log a contact on: most overdue (earliest due) first,
    those with nothing due any more last."""
    with register.read_connection() as conn:
        rows = conn.execute(
            select(
                ContactAgreement.id,
                NetworkMember.name,
                NetworkMember.relation,
                user_name(_Responsible),
                ContactAgreement.channel,
                ContactAgreement.next_due,
                ContactAgreement.interval_days,
                ContactAgreement.rrule,
            )
            .outerjoin(NetworkMember, NetworkMember.id == ContactAgreement.member_id)
            .outerjoin(_Responsible, _Responsible.id == ContactAgreement.user_id)
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


def client_timeline(register: Register, client_id: int, limit: int = 200) -> list[TimelineEntry]:
    """Contact moments, signaleringen, phase changes and alerts of a client, newest first."""
    entries: list[TimelineEntry] = []
    with register.read_connection() as conn:
        moments = conn.execute(
            select(
                ContactMoment.occurred_on,
                ContactMoment.channel,
                ContactMoment.outcome,
                ContactMoment.note,
                NetworkMember.name,
                User.display_name,
            )
            .outerjoin(NetworkMember, NetworkMember.id == ContactMoment.member_id)
            .outerjoin(User, User.id == ContactMoment.user_id)
            .where(ContactMoment.client_id == client_id)
            .order_by(ContactMoment.occurred_on.desc(), ContactMoment.id.desc())
            .limit(limit)
        ).all()
        for on, channel, outcome, note, member, user in moments:
            text = f"{channel.label}: {Outcome(outcome).label}" + (f" — {note}" if note else "")
            entries.append(TimelineEntry(on, "contact", text, member or user or ""))
        observations = conn.execute(
            select(
                Observation.observed_on,
                Observation.phase,
                Observation.note,
                Observation.observed_by,
            )
            .where(Observation.client_id == client_id)
            .order_by(Observation.observed_on.desc())
            .limit(limit)
        ).all()
        for on, phase, note, by in observations:
            text = f"Signalering {phase.label}" + (f" — {note}" if note else "")
            entries.append(TimelineEntry(on, "signalering", text, by))
        changes = conn.execute(
            select(
                PhaseChange.changed_on,
                PhaseChange.from_phase,
                PhaseChange.to_phase,
                PhaseChange.reason,
                User.display_name,
            )
            .join(User, User.id == PhaseChange.changed_by_id)
            .where(PhaseChange.client_id == client_id)
            .order_by(PhaseChange.changed_on.desc(), PhaseChange.id.desc())
        ).all()
        for on, old, new, reason, by in changes:
            move = f"{old.label} → {new.label}" if old else f"start in {new.label}"
            entries.append(TimelineEntry(on, "fase", f"Fase {move}: {reason}", by))
        _Decider = aliased(User)
        requests = conn.execute(
            select(
                SignOffRequest.requested_on,
                SignOffRequest.reason,
                user_name(_Requester),
                SignOffRequest.status,
                SignOffRequest.decided_on,
                SignOffRequest.decision_reason,
                user_name(_Decider),
            )
            .join(_Requester, _Requester.id == SignOffRequest.requested_by_id)
            .outerjoin(_Decider, _Decider.id == SignOffRequest.decided_by_id)
            .where(SignOffRequest.client_id == client_id)
            .order_by(SignOffRequest.requested_on.desc(), SignOffRequest.id.desc())
        ).all()
        for on, reason, by, status, decided_on, decision, decider in requests:
            # Newest first: the decision above the request it answers.
            if decided_on is not None:
                text = f"Aanvraag {status.label}" + (f": {decision}" if decision else "")
                entries.append(TimelineEntry(decided_on, "aanvraag", text, decider or ""))
            text = f"Aanvraag duurzaam in beeld: {reason}"
            entries.append(TimelineEntry(on, "aanvraag", text, by))
        _From, _To, _By = aliased(User), aliased(User), aliased(User)
        handovers = conn.execute(
            select(
                CasemanagerChange.changed_on,
                user_name(_From),
                user_name(_To),
                CasemanagerChange.reason,
                CasemanagerChange.moved_agreements,
                user_name(_By),
            )
            .outerjoin(_From, _From.id == CasemanagerChange.from_user_id)
            .join(_To, _To.id == CasemanagerChange.to_user_id)
            .join(_By, _By.id == CasemanagerChange.changed_by_id)
            .where(CasemanagerChange.client_id == client_id)
            .order_by(CasemanagerChange.changed_on.desc(), CasemanagerChange.id.desc())
        ).all()
        for on, old, new, reason, moved, by in handovers:
            text = f"Casemanager {old or '(geen)'} → {new}: {reason}"
            if moved:
                text += f" ({moved} {'afspraak' if moved == 1 else 'afspraken'} mee over)"
            entries.append(TimelineEntry(on, "overdracht", text, by))
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
                entries.append(TimelineEntry(confirmed_on, "bevestigd", confirmation, confirmer))
            if resolved:
                entries.append(TimelineEntry(resolved, "opgelost", note, resolver or ""))
    kinds = {
        "fase": 0,
        "overdracht": 0,
        "aanvraag": 1,
        "aandachtspunt": 2,
        "bevestigd": 3,
        "opgelost": 4,
        "signalering": 5,
        "contact": 6,
    }
    # Stable sort: within a day and kind, the newest-first order of each query is kept.
    entries.sort(key=lambda e: (e.on, -kinds[e.kind]), reverse=True)
    return entries[:limit]


def team_info(register: Register) -> TeamInfo:
    """The team's name and the settings screens need."""
    with register.read_connection() as conn:
        row = conn.execute(
            select(
                TeamSettings.team_name,
                TeamSettings.demo,
                TeamSettings.idle_lock_minutes,
                TeamSettings.grace_days,
                TeamSettings.retention_years_wmo,
                TeamSettings.retention_years_wmo_no_provision,
                TeamSettings.retention_years_youth_act,
                TeamSettings.wijk,
                TeamSettings.out_of_hours_name,
                TeamSettings.out_of_hours_phone,
                TeamSettings.out_of_hours_hours,
            ).where(TeamSettings.id == 1)
        ).one()
    return TeamInfo(*row)


def list_users(register: Register) -> list[UserItem]:
    """Active medewerkers and teamleiders, by display name."""
    with register.read_connection() as conn:
        rows = conn.execute(
            select(User.id, User.name, User.display_name, User.role)
            .where(User.active.is_(True))
            .order_by(User.display_name, User.name)
        ).all()
    return [UserItem(uid, name, display or name, role) for uid, name, display, role in rows]


def client_for_edit(register: Register, client_id: int) -> tuple[ClientInput, int]:
    """A client's details as the client form edits them, and the version they have now."""
    with register.read() as session:
        client = session.get(Client, client_id)
        if client is None:
            raise ValidationError(f"Cliënt {client_id} bestaat niet.", "client")
        return (
            ClientInput(
                name=client.name,
                opened_on=client.opened_on,
                casemanager_id=client.casemanager_id,
                birth_date=client.birth_date,
                street=client.street,
                house_number=client.house_number,
                postcode=client.postcode,
                city=client.city,
                phone=client.phone,
                regime=client.regime,
                own_words=client.own_words,
                strengths=client.strengths,
                meaningful=client.meaningful,
            ),
            client.version,
        )


def member_for_edit(register: Register, member_id: int) -> tuple[int, MemberInput, int]:
    """(client id, the member as the member form edits it, its version now)."""
    with register.read() as session:
        member = session.get(NetworkMember, member_id)
        if member is None:
            raise ValidationError(f"Netwerklid {member_id} bestaat niet.", "member")
        return (
            member.client_id,
            MemberInput(
                name=member.name,
                kind=member.kind,
                relation=member.relation,
                supports=member.supports,
                phone=member.phone,
                email=member.email,
                availability=member.availability,
                consent_to_share=member.consent_to_share,
                resource_id=member.resource_id,
                notes=member.notes,
                ring=member.ring,
                out_of_hours=member.out_of_hours,
                consent_on=member.consent_recorded_on,
                consent_review_on=member.consent_review_on,
            ),
            member.version,
        )


def agreement_for_edit(register: Register, agreement_id: int) -> tuple[AgreementInput, int]:
    """An agreement as the agreement form edits it, and the version it has now."""
    with register.read() as session:
        agreement = session.get(ContactAgreement, agreement_id)
        if agreement is None:
            raise ValidationError(f"Contactafspraak {agreement_id} bestaat niet.", "agreement")
        client = session.get(Client, agreement.client_id)
        # The casemanager performs an agreement that names nobody else.
        casemanager = client is not None and agreement.user_id == client.casemanager_id
        return (
            AgreementInput(
                channel=agreement.channel,
                start_on=agreement.start_on,
                member_id=agreement.member_id,
                user_id=None if casemanager else agreement.user_id,
                interval_days=agreement.interval_days,
                rrule=agreement.rrule,
                end_on=agreement.end_on,
                description=agreement.description,
                shared=agreement.shared,
            ),
            agreement.version,
        )


def _for_edit(
    register: Register, model: type[Any], record_id: int, form: type[Any], missing: str
) -> tuple[Any, int]:
    """A record as its form edits it (the input record's fields, read from the same-named
    columns), and the version it has now."""
    with register.read() as session:
        row = session.get(model, record_id)
        if row is None:
            raise ValidationError(missing, model.__tablename__)
        values = {field.name: getattr(row, field.name) for field in dataclass_fields(form)}
        return form(**values), row.version


def signal_for_edit(register: Register, signal_id: int) -> tuple[SignalInput, int]:
    """A row of the signaleringsplan as the signal form edits it, and its version now."""
    return _for_edit(register, Signal, signal_id, SignalInput, f"Signaal {signal_id} bestaat niet.")


def resources(register: Register) -> list[ResourceRow]:
    """Every active entry of the sociale kaart, by name (a team has tens to hundreds)."""
    with register.read_connection() as conn:
        rows = conn.execute(
            select(
                Resource.id,
                Resource.name,
                Resource.category,
                Resource.address,
                Resource.opening_hours,
                Resource.contact_person,
                Resource.phone,
                Resource.notes,
            )
            .where(Resource.active.is_(True))
            .order_by(func.lower(Resource.name), Resource.id)
        ).all()
    return [ResourceRow(*row) for row in rows]


def list_resources(register: Register) -> list[tuple[int, str]]:
    """The sociale kaart's entries as (id, "name (category)"), by name: the member form's
    choices."""
    return [
        (row.id, f"{row.name} ({row.category})" if row.category else row.name)
        for row in resources(register)
    ]


def resource_for_edit(register: Register, resource_id: int) -> tuple[ResourceInput, int]:
    """An entry of the sociale kaart as its form edits it, and its version now."""
    missing = f"Voorziening {resource_id} bestaat niet."
    return _for_edit(register, Resource, resource_id, ResourceInput, missing)


def client_file(register: Register, client_id: int, today: date) -> ClientFile:
    """The whole client file: overview, network, agreements, signaleringsplan, open alerts."""
    with register.read() as session:
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
        alerts = open_alerts(session.connection(), Client.id == client_id)
        waiting = _sign_offs(session.connection(), SignOffRequest.client_id == client_id)
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
    )
