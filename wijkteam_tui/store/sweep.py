"""The daily sweep: re-evaluating the clients whose alerts the passing of time alone can
change, once a calendar day per opened register, followed by the Team screen's daily
snapshot and the audit log's pruning."""

from __future__ import annotations

import threading
import weakref
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.schedules import overdue_cutoff
from wijkteam_tui.domain.terms import AlertStatus, Phase, ThresholdRule
from wijkteam_tui.domain.thresholds import (
    ThresholdSetting,
    effective_thresholds,
    limit_days,
)
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.due import silent_past
from wijkteam_tui.store.models import Alert, Client, ContactAgreement, TeamSettings, Threshold
from wijkteam_tui.store.read.team import snapshot_written, write_daily_snapshot
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import team_settings


def evaluate_stale_clients(register: Register, today: date, batch: int = 500) -> int:
    """Re-evaluate the clients whose alerts the passing of time alone can change, so that
    uit beeld, missed contacts and lapsed frequency windows are current today.

    Only candidates are read: open clients not yet evaluated today that are silent for longer
    than the shortest uit-beeld limit, have an overdue agreement, an agreement whose end date
    came, or a snooze that ended, or have an open frequency alert. Runs in batches of short
    transactions so that others can write in between. Returns how many clients were evaluated.

    The system's upkeep, not a person's action: each batch is one audit event (in its own
    transaction, as every change is), not one per alert it raises or resolves."""
    done = 0
    while True:
        with register.write() as session:
            chain.quiet(session)
            settings = team_settings(session)
            clients = session.scalars(
                select(Client).where(_stale_candidate(session, today, settings)).limit(batch)
            ).all()
            if not clients:
                return done
            for client in clients:
                refresh_client(session, client, today, settings)
            chain.note(
                session,
                chain.Event(
                    "sweep", "register", detail=f"{len(clients)} cliënten opnieuw beoordeeld"
                ),
            )
            done += len(clients)


class _Day:
    """The day an opened register was last swept here, and the lock that makes screens asking
    at the same moment share one sweep."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.swept_on: date | None = None


# Per opened register, for as long as it is open (a register reopened is swept anew: cheap
# when today's snapshot is there).
_days: weakref.WeakKeyDictionary[Register, _Day] = weakref.WeakKeyDictionary()
_days_lock = threading.Lock()


def _day_of(register: Register) -> _Day:
    with _days_lock:
        day = _days.get(register)
        if day is None:
            day = _days[register] = _Day()
        return day


def sweep_if_new_day(register: Register, today: date) -> int:
    """The daily sweep (`evaluate_stale_clients`), run at most once per calendar day for this
    opened register, however many screens ask for it.

    Screens call it from worker threads before they read alerts; whoever comes while the sweep
    runs waits for it, so that nobody reads yesterday's alerts. Returns how many clients this
    call evaluated (0 when the day was already swept)."""
    day = _day_of(register)
    with day.lock:
        if day.swept_on == today:
            return 0
        if snapshot_written(register, today):
            # Another process (a colleague, a cron job) has swept today already.
            day.swept_on = today
            return 0
        done = evaluate_stale_clients(register, today)
        # The Team screen's trend: today's figures per casemanager, written once a day right
        # after the sweep by whoever opens the register first.
        write_daily_snapshot(register, today)
        # Audit events past their term (5 years) go, behind a verifiable checkpoint.
        log.prune(register, today)
        day.swept_on = today
        return done


def _stale_candidate(session: Session, today: date, settings: TeamSettings) -> Any:
    rows = session.scalars(
        select(Threshold).where(Threshold.rule == ThresholdRule.OUT_OF_VIEW)
    ).all()
    team = effective_thresholds(
        ThresholdSetting(r.rule, r.enabled, r.days) for r in rows if r.client_id is None
    )[ThresholdRule.OUT_OF_VIEW]
    # The team's limit counts even when the team switched the rule off: a client may switch it
    # back on for themselves without naming days of their own.
    overrides = [
        r.days for r in rows if r.client_id is not None and r.enabled and r.days is not None
    ]
    shortest = min([limit_days(team), *overrides])
    snooze_ended = exists().where(
        ContactAgreement.client_id == Client.id,
        ContactAgreement.snoozed_until.is_not(None),
        ContactAgreement.snoozed_until < today,
        or_(Client.evaluated_on.is_(None), ContactAgreement.snoozed_until >= Client.evaluated_on),
    )
    # An agreement whose end date came since: it ends, and is due or late no more.
    agreement_ended = exists().where(
        ContactAgreement.client_id == Client.id,
        ContactAgreement.active.is_(True),
        ContactAgreement.end_on <= today,
    )
    frequency_alert = exists().where(
        Alert.client_id == Client.id,
        Alert.rule == ThresholdRule.OBSERVATION_FREQUENCY,
        Alert.status != AlertStatus.RESOLVED,
    )
    return and_(
        Client.phase != Phase.CLOSED,
        or_(Client.evaluated_on.is_(None), Client.evaluated_on < today),
        or_(
            silent_past(today, shortest),
            Client.next_due < overdue_cutoff(today, settings.grace_days),
            snooze_ended,
            agreement_ended,
            frequency_alert,
        ),
    )
