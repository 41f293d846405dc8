"""Acting on alerts (confirming, resolving) and setting the thresholds that raise them,
re-evaluating at once the alerts a changed threshold governs."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.terms import AlertStatus, Phase, ThresholdRule
from wijkteam_tui.domain.thresholds import (
    DEFAULT_THRESHOLDS,
    FINGERPRINT_PREFIX,
    ThresholdSetting,
    describe,
    effective_thresholds,
    limit_days,
    threshold_changed_note,
)
from wijkteam_tui.errors import ConflictError, ValidationError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.due import silent_past
from wijkteam_tui.store.models import Alert, Client, Threshold
from wijkteam_tui.store.records import Reevaluation
from wijkteam_tui.store.refresh import refresh_client, thresholds_for
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import (
    acting_teamleider,
    acting_user,
    evaluate_again,
    existing_client,
    optional_text,
    record_change,
    required_text,
    team_settings,
)


def _alert(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise ValidationError(f"Aandachtspunt {alert_id} bestaat niet.", "alert")
    return alert


def confirm_alert(register: Register, alert_id: int, note: str = "") -> None:
    """A medewerker has seen the alert and acts on it (open → bevestigd), with what they do."""
    user_id = acting_user(register)
    note = optional_text(note, "note", "De notitie", 2000)
    with register.write(of=(Alert, alert_id)) as session:
        alert = _alert(session, alert_id)
        if alert.status is AlertStatus.RESOLVED:
            raise ConflictError("Dit aandachtspunt is intussen al opgelost.")
        if alert.status is AlertStatus.OPEN:
            alert.status = AlertStatus.CONFIRMED
            alert.confirmed_by_id = user_id
            alert.confirmed_at = utc_now()
        if note:
            alert.confirmation_note = note


def resolve_alert(register: Register, alert_id: int, note: str, today: date) -> None:
    """Resolve an alert by hand, saying what was done. The episode stays resolved while its
    condition lasts; when the condition returns later, that is a new alert."""
    user_id = acting_user(register)
    note = required_text(note, "note", "Wat er is gedaan", 2000)
    with register.write(of=(Alert, alert_id)) as session:
        alert = _alert(session, alert_id)
        if alert.status is AlertStatus.RESOLVED:
            raise ConflictError("Dit aandachtspunt is intussen al opgelost.")
        alert.status = AlertStatus.RESOLVED
        alert.resolved_on = today
        alert.resolution_note = note
        alert.resolved_by_id = user_id
        if alert.confirmed_by_id is None:
            alert.confirmed_by_id = user_id
            alert.confirmed_at = utc_now()


def set_threshold(
    register: Register,
    client_id: int | None,
    rule: ThresholdRule,
    *,
    enabled: bool = True,
    days: int | None = None,
    count: int | None = None,
    reason: str = "",
    today: date,
) -> Reevaluation:
    """Set a team default (client_id None, teamleider only) or a client's override, which
    needs a reason. The open alerts the threshold governs are re-evaluated at once (see
    `_reevaluate`): those that no longer hold resolve with a note that names the change."""
    acting = (
        acting_teamleider(register, "Alleen een teamleider stelt de teamgrenzen in.")
        if client_id is None
        else None
    )
    reason = optional_text(reason, "reason", "De reden", 500)
    if client_id is not None and not reason:
        raise ValidationError(
            "Geef een reden waarom deze cliënt een eigen signaalgrens heeft.", "reason"
        )
    if days is not None and not 1 <= days <= 366:
        raise ValidationError("Het aantal dagen is 1 tot 366.", "days")
    if count is not None and not 1 <= count <= 50:
        raise ValidationError("Het aantal is 1 tot 50.", "count")
    with register.write(client=client_id) as session:
        row = _threshold_row(session, client_id, rule)
        before = _threshold_text(rule, row)
        if client_id is None and before != describe(ThresholdSetting(rule, enabled, days, count)):
            # Every client's next change of state may come sooner (the clients governed now are
            # evaluated at once below; the others by the next sweep).
            evaluate_again(session)
        client = existing_client(session, client_id) if client_id is not None else None
        team = ThresholdSetting(rule, enabled, days, count) if client is None else None
        governed = _governed(session, rule, today, client=client, team=team)
        if row is None:
            row = Threshold(client_id=client_id, rule=rule)
            session.add(row)
        row.enabled, row.days, row.count, row.reason = enabled, days, count, reason
        if acting is not None and _threshold_text(rule, row) != before:
            record_change(
                session, acting, f"teamgrens {rule.label}", before, _threshold_text(rule, row)
            )
        session.flush()
        return _reevaluate(session, rule, governed, today)


def _threshold_text(rule: ThresholdRule, row: Threshold | None) -> str:
    """A team threshold in words, for the settings' history ("na 42 dagen zonder contact");
    without a row of its own, the built-in default."""
    if row is None:
        return describe(DEFAULT_THRESHOLDS[rule])
    enabled = True if row.enabled is None else row.enabled
    return describe(ThresholdSetting(rule, enabled, row.days, row.count))


def clear_threshold(
    register: Register, client_id: int, rule: ThresholdRule, today: date
) -> Reevaluation:
    """Remove a client's override: the team's threshold applies again, and the client's
    alerts are re-evaluated at once."""
    with register.write(client=client_id) as session:
        client = existing_client(session, client_id)
        governed = _governed(session, rule, today, client=client)
        row = _threshold_row(session, client_id, rule)
        if row is not None:
            session.delete(row)
            session.flush()
        return _reevaluate(session, rule, governed, today)


def _governed(
    session: Session,
    rule: ThresholdRule,
    today: date,
    *,
    client: Client | None = None,
    team: ThresholdSetting | None = None,
) -> dict[Client, ThresholdSetting]:
    """The clients whose alerts a threshold change can change at once, each with the threshold
    that applies to them before the change: the one `client`, or for a new `team` threshold
    every open client with an unresolved alert of its rule and, for uit beeld, every open
    client silent longer than the new limit (a lowered limit raises their alerts today)."""
    if client is not None:
        clients: list[Client] = [client]
    else:
        candidates: list[Any] = [
            exists().where(
                Alert.client_id == Client.id,
                Alert.rule == rule,
                Alert.status != AlertStatus.RESOLVED,
            )
        ]
        if rule is ThresholdRule.OUT_OF_VIEW and team is not None and team.enabled:
            candidates.append(silent_past(today, limit_days(effective_thresholds([team])[rule])))
        clients = list(
            session.scalars(select(Client).where(Client.phase != Phase.CLOSED, or_(*candidates)))
        )
    return {c: thresholds_for(session, c.id)[rule] for c in clients}


def _reevaluate(
    session: Session,
    rule: ThresholdRule,
    governed: dict[Client, ThresholdSetting],
    today: date,
) -> Reevaluation:
    """Re-evaluate the clients whose threshold for `rule` changed, in the change's own
    transaction; alerts that stop holding get a note that names the change."""
    settings = team_settings(session)
    prefix = FINGERPRINT_PREFIX[rule]
    evaluated = resolved = raised = 0
    for client, before in governed.items():
        after = thresholds_for(session, client.id)[rule]
        if after == before:
            continue
        result = refresh_client(
            session, client, today, settings, notes={prefix: threshold_changed_note(before, after)}
        )
        evaluated += 1
        resolved += len(result.resolved)
        raised += len(result.raised)
    return Reevaluation(clients=evaluated, resolved=resolved, raised=raised)


def _threshold_row(
    session: Session, client_id: int | None, rule: ThresholdRule
) -> Threshold | None:
    return session.scalars(
        select(Threshold).where(
            Threshold.client_id.is_(None)
            if client_id is None
            else Threshold.client_id == client_id,
            Threshold.rule == rule,
        )
    ).one_or_none()
