"""What the forms start from: a record as its form edits it, with the version it has now
(saving refuses a stale one), and what the forms offer to choose from: users, the
sociale kaart (also its own screen's list), a casemanager's clients, the team's
thresholds and the history of its settings."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from sqlalchemy import func, select

from wijkteam_tui.domain.terms import Phase, ThresholdRule
from wijkteam_tui.domain.thresholds import ThresholdSetting, effective_thresholds
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.cover.access import require_access
from wijkteam_tui.store.history import SettingChange
from wijkteam_tui.store.models import (
    Client,
    ContactAgreement,
    NetworkMember,
    Resource,
    Signal,
    Threshold,
    User,
)
from wijkteam_tui.store.read.common import user_name
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    MemberInput,
    ResourceInput,
    ResourceRow,
    SignalInput,
    ThresholdRow,
    UserItem,
)
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.review import SettingChangeItem, TeamSettingsInput
from wijkteam_tui.store.write.common import acting_teamleider, acting_user, team_settings


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
        require_access(register, session.connection(), client_id, date.today())
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
                remind_by_mail=member.remind_by_mail,
                remind_on=member.remind_consent_on,
                remind_review_on=member.remind_review_on,
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
                remind_days_before=agreement.remind_days_before,
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


# --- the team: its settings, thresholds, and clients to hand over ----------------------------


def team_settings_for_edit(register: Register) -> tuple[TeamSettingsInput, int]:
    """The team's settings as they are, and their version (for a later update)."""
    with register.read() as session:
        settings = team_settings(session)
        values = {f.name: getattr(settings, f.name) for f in dataclass_fields(TeamSettingsInput)}
        return TeamSettingsInput(**values), settings.version


def setting_history(register: Register, limit: int = 50) -> list[SettingChangeItem]:
    """The latest changes of the team's settings and thresholds, newest first."""
    acting_user(register)
    with register.read_connection() as conn:
        rows = conn.execute(
            select(
                SettingChange.changed_at,
                SettingChange.setting,
                SettingChange.old_value,
                SettingChange.new_value,
                user_name(User),
            )
            .join(User, User.id == SettingChange.changed_by_id)
            .order_by(SettingChange.changed_at.desc(), SettingChange.id.desc())
            .limit(limit)
        ).all()
    return [SettingChangeItem(*row) for row in rows]


def clients_of(register: Register, user_id: int | None) -> list[tuple[int, str]]:
    """(id, "name (number, phase)") of the open clients of one casemanager (None: the clients
    without one), by name: what the reassign form offers."""
    acting_teamleider(register, "Alleen een teamleider draagt cliënten over.")
    mine = Client.casemanager_id.is_(None) if user_id is None else Client.casemanager_id == user_id
    with register.read_connection() as conn:
        rows = conn.execute(
            select(Client.id, Client.name, Client.number, Client.phase)
            .where(mine, Client.phase != Phase.CLOSED)
            .order_by(Client.name, Client.id)
        ).all()
    return [(cid, f"{name} ({number}, {Phase(phase).label})") for cid, name, number, phase in rows]


def team_thresholds(register: Register) -> list[ThresholdRow]:
    """The team's signal thresholds, one per rule (the default where the team set none)."""
    acting_user(register)
    with register.read() as session:
        rows = session.scalars(select(Threshold).where(Threshold.client_id.is_(None))).all()
    team = effective_thresholds(
        [ThresholdSetting(r.rule, r.enabled, r.days, r.count) for r in rows]
    )
    return [ThresholdRow(rule, team[rule], None, "") for rule in ThresholdRule]
