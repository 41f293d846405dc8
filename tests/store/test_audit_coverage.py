"""Every public write service of the store leaves an audit event naming what it changed,
also when its change reaches the database only in the commit's own flush (confirming or
resolving an alert changes one loaded row and nothing else, so nothing flushes before the
commit). A public function added to these modules without a place below fails the test."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import ModuleType
from typing import Any

from sqlalchemy import event, select

from wijkteam_tui.domain.reminders import Filling
from wijkteam_tui.domain.terms import (
    AlertStatus,
    AssessmentKind,
    Channel,
    MemberKind,
    Outcome,
    Phase,
    Role,
    SignalPhase,
    ThresholdRule,
)
from wijkteam_tui.store import erasure, records, services, sharing, sweep, users
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.cover import absences, grants
from wijkteam_tui.store.imported import ImportedClient
from wijkteam_tui.store.mail import config, reminders
from wijkteam_tui.store.models import Alert, Client, User
from wijkteam_tui.store.neighbourhood import links
from wijkteam_tui.store.neighbourhood.models import MemberLink
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.outcomes import assessments
from wijkteam_tui.store.read import edit, team
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    ContactInput,
    MemberInput,
    ObservationInput,
    ResourceInput,
    SignalInput,
)
from wijkteam_tui.store.write import (
    agreements,
    alerts,
    clients,
    contacts,
    intake,
    network,
    phases,
    plan,
    reassign,
    settings,
)

TODAY = date(2026, 11, 22)
OPENED = date(2026, 9, 1)
LATER = TODAY + timedelta(days=60)

MODULES: tuple[ModuleType, ...] = (
    clients, network, agreements, contacts, plan, phases, alerts, reassign, settings, sweep,
    team, edit, records, sharing, erasure, users, intake, config, reminders, absences, grants,
    assessments, links,
)  # fmt: skip

#: Public functions of MODULES that change nothing, or are a step inside another service's
#: transaction (they take its session), or write what holds no one's data.
NOT_LOGGED_SERVICES = {
    # reads
    "absences.absences",
    "grants.grants",
    "grants.grant_text",
    "team.absent_today",
    "reminders.due_reminders",
    "reminders.wording",
    "reminders.reminders_sent",
    "config.mail_config",
    "config.mail_password",
    "config.checked",
    "team.team_review",
    "team.snapshot_written",
    "team.team_trend",
    "reassign.agreements_to_move",
    "edit.list_users",
    "edit.client_for_edit",
    "edit.member_for_edit",
    "edit.agreement_for_edit",
    "edit.signal_for_edit",
    "edit.resources",
    "edit.list_resources",
    "edit.resource_for_edit",
    "edit.team_settings_for_edit",
    "edit.setting_history",
    "team.whose",
    "team.overdue_items",
    "team.digest_data",
    "team.team_detail",
    "edit.clients_of",
    "edit.team_thresholds",
    "records.out_of_hours_text",
    "sharing.sharing_facts",
    "sharing.clients_to_export",
    "sharing.client_by_number",
    "erasure.erasure_facts",
    "erasure.copies_of",
    "erasure.past_retention",
    "users.user_overview",
    "users.can_log_in",
    "users.user_phone",
    "users.user_email",
    # steps inside the caller's transaction, which logs the change
    "team.snapshot_counts",
    "clients.apply_client",
    "clients.next_client_number",
    "network.apply_member",
    "agreements.validate_agreement",
    "agreements.performing_user",
    "agreements.new_agreement",
    "absences.user_named",
    # the team's figures per day: nobody's data (chain._NOT_LOGGED); the sweep logs its run
    "team.write_daily_snapshot",
}


@dataclass
class Made:
    """What the steps made so far, for the steps after them."""

    client: Any
    member: Any
    visit: Any
    ids: dict[str, Any] = field(default_factory=dict)


def _open_alert(register, client_id: int) -> int:
    with register.read() as session:
        return int(
            session.scalars(
                select(Alert.id).where(
                    Alert.client_id == client_id, Alert.status != AlertStatus.RESOLVED
                )
            ).first()
        )


def _kees(register) -> ClientInput:
    return ClientInput("Kees Jansen", OPENED, casemanager_id=register.user.id)


def _steps(register) -> list[tuple[str, Callable[[Made], tuple[str, str]]]]:
    """Each write service called once, in an order in which each can do its work; each step
    returns the (object type, object id) its event must name."""

    def create_client(m: Made) -> tuple[str, str]:
        m.ids["kees"] = services.create_client(register, _kees(register), TODAY)
        return "clients", str(m.ids["kees"].id)

    def update_client(m: Made) -> tuple[str, str]:
        kees = m.ids["kees"]
        data = replace(_kees(register), street="Lindelaan")
        m.ids["kees"] = services.update_client(register, kees.id, kees.version, data, TODAY)
        return "clients", str(kees.id)

    def add_member(m: Made) -> tuple[str, str]:
        data = MemberInput("Fenna de Vries", MemberKind.INFORMAL, relation="dochter")
        m.ids["fenna"] = services.add_member(register, m.ids["kees"].id, data, TODAY)
        return "network_members", str(m.ids["fenna"].id)

    def update_member(m: Made) -> tuple[str, str]:
        fenna = m.ids["fenna"]
        data = MemberInput("Fenna de Vries", MemberKind.INFORMAL, relation="nicht")
        services.update_member(register, fenna.id, fenna.version, data, TODAY)
        return "network_members", str(fenna.id)

    def stop_reminding(m: Made) -> tuple[str, str]:
        fenna = m.ids["fenna"]
        data = MemberInput(
            "Fenna de Vries", MemberKind.INFORMAL, email="fenna@example.nl", remind_by_mail=True
        )
        version = edit.member_for_edit(register, fenna.id)[2]
        version = services.update_member(register, fenna.id, version, data, TODAY).version
        services.stop_reminding(register, fenna.id, version)
        return "network_members", str(fenna.id)

    def add_resource(m: Made) -> tuple[str, str]:
        m.ids["buurthuis"] = services.add_resource(register, ResourceInput("De Kring", "buurthuis"))
        return "resources", str(m.ids["buurthuis"].id)

    def update_resource(m: Made) -> tuple[str, str]:
        made = m.ids["buurthuis"]
        data = ResourceInput("De Kring", "buurthuis", phone="0201234567")
        services.update_resource(register, made.id, made.version, data)
        return "resources", str(made.id)

    def add_agreement(m: Made) -> tuple[str, str]:
        data = AgreementInput(Channel.PHONE, OPENED, member_id=m.ids["fenna"].id, interval_days=7)
        m.ids["call"] = services.add_agreement(register, m.ids["kees"].id, data, TODAY)
        return "contact_agreements", str(m.ids["call"].id)

    def update_agreement(m: Made) -> tuple[str, str]:
        call = m.ids["call"]
        data = AgreementInput(Channel.PHONE, OPENED, member_id=m.ids["fenna"].id, interval_days=10)
        m.ids["call"] = services.update_agreement(register, call.id, call.version, data, TODAY)
        return "contact_agreements", str(call.id)

    def snooze_agreement(m: Made) -> tuple[str, str]:
        until = TODAY + timedelta(days=7)
        services.snooze_agreement(register, m.ids["call"].id, until, "Op vakantie.", TODAY)
        return "contact_agreements", str(m.ids["call"].id)

    def end_agreement(m: Made) -> tuple[str, str]:
        services.end_agreement(register, m.ids["call"].id, TODAY, TODAY)
        return "contact_agreements", str(m.ids["call"].id)

    def end_member(m: Made) -> tuple[str, str]:
        fenna = m.ids["fenna"]
        version = edit.member_for_edit(register, fenna.id)[2]
        services.end_member(
            register, fenna.id, version, ended_on=TODAY, reason="verhuisd", today=TODAY
        )
        return "network_members", str(fenna.id)

    def log_contact(m: Made) -> tuple[str, str]:
        data = ContactInput(
            m.client.id, TODAY, Channel.VISIT, Outcome.GOOD, m.visit.id, m.member.id
        )
        return "contact_moments", str(services.log_contact(register, data, TODAY).moment_id)

    def add_signal(m: Made) -> tuple[str, str]:
        data = SignalInput(SignalPhase.ORANGE, "Slaapt slecht.")
        m.ids["signal"] = services.add_signal(register, m.ids["kees"].id, data)
        return "signals", str(m.ids["signal"].id)

    def update_signal(m: Made) -> tuple[str, str]:
        made = m.ids["signal"]
        data = SignalInput(SignalPhase.ORANGE, "Slaapt slecht, eet weinig.")
        m.ids["signal"] = services.update_signal(register, made.id, made.version, data)
        return "signals", str(made.id)

    def move_signal(m: Made) -> tuple[str, str]:
        other = SignalInput(SignalPhase.ORANGE, "Zegt afspraken af.")
        services.add_signal(register, m.ids["kees"].id, other)
        services.move_signal(register, m.ids["signal"].id, 1)
        return "signals", str(m.ids["signal"].id)

    def record_observation(m: Made) -> tuple[str, str]:
        data = ObservationInput(m.client.id, SignalPhase.ORANGE, TODAY, observed_by="buurvrouw")
        services.record_observation(register, data, TODAY)
        m.ids["alert"] = _open_alert(register, m.client.id)
        return "observations", ""

    def confirm_alert(m: Made) -> tuple[str, str]:
        services.confirm_alert(register, m.ids["alert"], "Ik bel haar vandaag.")
        return "alerts", str(m.ids["alert"])

    def resolve_alert(m: Made) -> tuple[str, str]:
        services.resolve_alert(register, m.ids["alert"], "Gebeld; het gaat weer.", TODAY)
        return "alerts", str(m.ids["alert"])

    def set_threshold(m: Made) -> tuple[str, str]:
        services.set_threshold(
            register, m.ids["kees"].id, ThresholdRule.OUT_OF_VIEW, days=10, reason="Kwetsbaar.",
            today=TODAY,
        )  # fmt: skip
        return "thresholds", ""

    def clear_threshold(m: Made) -> tuple[str, str]:
        services.clear_threshold(register, m.ids["kees"].id, ThresholdRule.OUT_OF_VIEW, TODAY)
        return "thresholds", ""

    def change_phase(m: Made) -> tuple[str, str]:
        kees = m.ids["kees"].id
        services.change_phase(register, kees, Phase.SCALING_BACK, "Het gaat beter.", TODAY)
        return "clients", str(kees)

    def request_sign_off(m: Made) -> tuple[str, str]:
        reason = "Het netwerk draagt het."
        m.ids["request"] = services.request_sign_off(register, m.client.id, reason, TODAY)
        return "sign_off_requests", str(m.ids["request"].id)

    def decide_sign_off(m: Made) -> tuple[str, str]:
        request = m.ids["request"].id
        services.decide_sign_off(register, request, False, "Eerst een tweede lid.", TODAY)
        return "sign_off_requests", str(request)

    def refusals_seen(m: Made) -> tuple[str, str]:
        assert services.refusals_seen(register, m.client.id) == 1
        return "sign_off_requests", str(m.ids["request"].id)

    def daily_sweep(_m: Made) -> tuple[str, str]:
        assert services.daily_sweep(register, LATER) >= 1
        return "register", ""

    def evaluate_stale_clients(_m: Made) -> tuple[str, str]:
        assert services.evaluate_stale_clients(register, LATER + timedelta(days=30)) >= 1
        return "register", ""

    def reassign_clients(m: Made) -> tuple[str, str]:
        users.add_user(register, "bram", Role.MEDEWERKER, passphrase="bram zijn wachtwoord")
        with register.read() as session:
            bram = session.scalar(select(User.id).where(User.name == "bram"))
        kees = m.ids["kees"].id
        reassign.reassign_clients(register, [kees], bram, "Bram neemt het over.", TODAY)
        return "clients", str(kees)

    def update_team_settings(_m: Made) -> tuple[str, str]:
        current, version = edit.team_settings_for_edit(register)
        settings.update_team_settings(register, version, replace(current, grace_days=3))
        return "team_settings", "1"

    def set_mail(_m: Made) -> tuple[str, str]:
        data = config.MailInput("smtp.example.nl", 587, "starttls", "team@example.nl")
        config.set_mail(register, data, "een geheim")
        return "mail_settings", "1"

    def set_text(_m: Made) -> tuple[str, str]:
        text = reminders.Text("Bellen met {client}", "Beste {lid},\n\nBel je {client}?\n")
        reminders.set_text(register, "telefoon", text)
        return "mail_texts", "telefoon"

    def set_sensitive_words(_m: Made) -> tuple[str, str]:
        reminders.set_sensitive_words(register, ["GGZ"])
        return "mail_settings", "1"

    def _due(m: Made, kind: str) -> reminders.Due:
        filling = Filling("Ayşe", "Fatima", "elke week", TODAY, "anna", "0612345678", "Team")
        return reminders.Due(
            m.client.id, m.client.number, m.visit.id, m.member.id, "ayse@example.nl", kind,
            TODAY, Channel.VISIT, filling, None,
        )  # fmt: skip

    def claim(m: Made) -> tuple[str, str]:
        # Ayşe consents to be reminded of her visits (a claim checks it again).
        version = edit.member_for_edit(register, m.member.id)[2]
        data = replace(
            edit.member_for_edit(register, m.member.id)[1],
            email="ayse@example.nl",
            remind_by_mail=True,
        )
        services.update_member(register, m.member.id, version, data, TODAY)
        m.ids["reminder"] = reminders.claim(register, _due(m, "vooraf"), "<1@example.nl>", TODAY)
        return "reminders", str(m.ids["reminder"].reminder_id)

    def record(m: Made) -> tuple[str, str]:
        reminders.record(register, m.ids["reminder"], m.client.id)
        return "reminders", str(m.ids["reminder"].reminder_id)

    def interrupted(m: Made) -> tuple[str, str]:
        claimed = reminders.claim(register, _due(m, "opnieuw"), "<2@example.nl>", TODAY)
        later = datetime.now() + reminders.STALE_CLAIM * 2
        assert reminders.interrupted(register, later) == 1
        return "reminders", str(claimed.reminder_id)

    def record_export(m: Made) -> tuple[str, str]:
        sharing.record_export(register, m.client.id, "pdf")
        return "clients", str(m.client.id)

    def extend_retention(m: Made) -> tuple[str, str]:
        kees = m.ids["kees"].id
        _closed_long_ago(register, kees)
        erasure.extend_retention(register, kees, date(2040, 1, 1), "Lopende rechtszaak.", TODAY)
        return "clients", str(kees)

    def erase_client(m: Made) -> tuple[str, str]:
        kees = m.ids["kees"]
        erasure.erase_client(
            register, kees.id, confirm_number=kees.number, reason="Verzoek van de cliënt.",
            override="Verzoek gegrond.", today=TODAY,
        )  # fmt: skip
        return "clients", str(kees.id)

    def import_caseload(_m: Made) -> tuple[str, str]:
        imported = ImportedClient(
            "test.csv, rij 2", ClientInput("Ria Ingelezen", OPENED), external_id="X-1"
        )
        intake.import_caseload(register, [imported], "test.csv", TODAY)
        with register.read() as session:
            ria = session.scalars(select(Client.id).where(Client.external_id == "X-1")).one()
        return "clients", str(ria)

    def add_user(_m: Made) -> tuple[str, str]:
        users.add_user(register, "cem", Role.MEDEWERKER)
        return "users", "cem"

    def set_phone(_m: Made) -> tuple[str, str]:
        users.set_phone(register, "cem", "06-12345678")
        return "users", "cem"

    def add_absence(m: Made) -> tuple[str, str]:
        made = absences.add_absence(register, "cem", TODAY, None, cover="anna", today=TODAY)
        m.ids["absence"] = made
        return "absences", str(made.id)

    def end_absence(m: Made) -> tuple[str, str]:
        absences.end_absence(register, "cem", TODAY)
        return "absences", str(m.ids["absence"].id)

    def summary_seen(_m: Made) -> tuple[str, str]:
        made = absences.add_absence(register, "anna", TODAY, TODAY, cover=None, today=TODAY)
        absences.summary_seen(register, made.id, TODAY + timedelta(days=1))
        return "absences", str(made.id)

    def set_email(_m: Made) -> tuple[str, str]:
        users.set_email(register, "cem", "cem@example.nl")
        return "users", "cem"

    def grant_access(m: Made) -> tuple[str, str]:
        made = grants.grant_access(
            register, m.client.number, "cem", until_on=None, reason="overdracht", today=TODAY
        )
        return "access_grants", str(made.id)

    def end_grant(m: Made) -> tuple[str, str]:
        grants.end_grant(register, m.client.number, "cem", TODAY)
        return "access_grants", ""

    def open_emergency(m: Made) -> tuple[str, str]:
        users.add_user(register, "dirk", Role.MEDEWERKER, passphrase="dirk zijn wachtwoord")
        current, version = edit.team_settings_for_edit(register)
        settings.update_team_settings(register, version, replace(current, access="werk"))
        dirk = open_register(register.location, "dirk", "dirk zijn wachtwoord")
        try:
            grants.open_emergency(dirk, m.client.id, "De dochter belt in paniek", TODAY)
        finally:
            dirk.close()
        return "emergency_access", ""

    def record_assessment(m: Made) -> tuple[str, str]:
        data = assessments.AssessmentInput(AssessmentKind.ZRM, TODAY, {"financien": 3})
        m.ids["zrm"] = assessments.record_assessment(register, m.client.id, data, TODAY)
        return "assessments", str(m.ids["zrm"].moment_id)

    def update_assessment(m: Made) -> tuple[str, str]:
        made = m.ids["zrm"].moment_id
        data = assessments.AssessmentInput(AssessmentKind.ZRM, TODAY, {"financien": 2})
        assessments.update_assessment(register, made, 1, data, TODAY)
        return "assessments", str(made)

    def _link_id() -> str:
        with register.read() as session:
            return str(session.scalars(select(MemberLink.id)).one())

    def decide_match(m: Made) -> tuple[str, str]:
        other = services.create_client(
            register, ClientInput("Jan Buur", OPENED, casemanager_id=register.user.id), TODAY
        )
        data = MemberInput("Ayşe Yılmaz", MemberKind.INFORMAL)
        m.ids["buur"] = services.add_member(register, other.id, data, TODAY).id
        links.decide_match(register, m.member.id, m.ids["buur"], same=True)
        m.ids["link"] = _link_id()
        return "member_links", m.ids["link"]

    def part_member(m: Made) -> tuple[str, str]:
        links.part_member(register, m.member.id)
        return "member_links", m.ids["link"]

    def forget_member(m: Made) -> tuple[str, str]:
        links.forget_member(register, m.member.id)
        return "member_links", m.ids["link"]

    def reset_passphrase(_m: Made) -> tuple[str, str]:
        users.reset_passphrase(register, "cem")
        return "users", "cem"

    def deactivate_user(_m: Made) -> tuple[str, str]:
        users.deactivate_user(register, "cem")
        return "users", "cem"

    steps = [
        create_client, update_client, add_member, update_member, stop_reminding, add_resource,
        update_resource, add_agreement, update_agreement, snooze_agreement, end_agreement,
        end_member, log_contact, record_assessment, update_assessment, decide_match,
        part_member, forget_member,
        add_signal, update_signal, move_signal, record_observation, confirm_alert,
        resolve_alert, set_threshold, clear_threshold, change_phase, request_sign_off,
        decide_sign_off, refusals_seen, daily_sweep, evaluate_stale_clients, reassign_clients,
        update_team_settings, set_mail, set_text, set_sensitive_words, claim, record,
        interrupted, record_export, extend_retention, erase_client,
        import_caseload, add_user, set_phone, set_email, add_absence, end_absence,
        summary_seen, grant_access, end_grant, open_emergency, reset_passphrase,
        deactivate_user,
    ]  # fmt: skip
    return [(step.__name__, step) for step in steps]


def _closed_long_ago(register, client_id: int) -> None:
    """Close a file in 2000, so that its retention term is over."""
    with register.write() as session:
        session.get(Client, client_id).opened_on = date(2000, 1, 3)
    services.change_phase(
        register, client_id, Phase.CLOSED, "Afgerond.", TODAY, on=date(2000, 6, 1)
    )


def _public(module: ModuleType) -> set[str]:
    short = module.__name__.rsplit(".", 1)[-1]
    return {
        f"{short}.{name}"
        for name, value in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == module.__name__
    }


def test_every_public_write_service_leaves_an_event_naming_its_object(register, fatima):
    client, member, visit = fatima
    made = Made(client, member, visit)
    steps = _steps(register)
    exercised = {
        f"{module.__name__.rsplit('.', 1)[-1]}.{name}"
        for name, _ in steps
        for module in MODULES
        if name in vars(module)
    }
    public = set().union(*(_public(module) for module in MODULES))
    assert public - exercised - NOT_LOGGED_SERVICES == set(), "a write service without a step"
    assert exercised | NOT_LOGGED_SERVICES <= public, "a step for a function that is gone"

    unlogged = []
    for name, step in steps:
        before = log.head_count(register)
        object_type, object_id = step(made)
        new = [e for e in log.events(register) if e.seq > before]
        if not any(
            e.object_type == object_type and (not object_id or e.object_id == object_id)
            for e in new
        ):
            unlogged.append(f"{name}: {[(e.action, e.object_type, e.object_id) for e in new]}")
    assert unlogged == [], "\n".join(unlogged)
    assert log.verify(register).ok


def test_a_change_flushed_by_the_commit_itself_is_logged(register, fatima):
    """A change made after the log's before_commit hook ran (here by a listener that comes
    after it, as a later extension might) is flushed by the commit itself; its event is
    still written, in the same transaction."""
    client, *_ = fatima
    data = ObservationInput(client.id, SignalPhase.ORANGE, TODAY, observed_by="buurvrouw")
    services.record_observation(register, data, TODAY)
    alert_id = _open_alert(register, client.id)

    def confirm_late(session) -> None:
        alert = session.get(Alert, alert_id)
        if alert is not None and alert.status is AlertStatus.OPEN:
            alert.status = AlertStatus.CONFIRMED

    sessions = register._write_sessions
    event.listen(sessions, "before_commit", confirm_late)
    try:
        before = log.head_count(register)
        with register.write(client=client.id) as session:
            chain.note(session, chain.Event("read", "clients", str(client.id), client.id))
    finally:
        event.remove(sessions, "before_commit", confirm_late)
    new = [(e.action, e.object_type, e.object_id) for e in log.events(register) if e.seq > before]
    assert ("update", "alerts", str(alert_id)) in new
    assert log.verify(register).ok
