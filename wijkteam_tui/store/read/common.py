"""What the read models share: a user's name as the lists show it, the aliases for who
performs an agreement and who asked for a sign-off, and the open alerts and waiting
requests for sign-off of a set of clients (Vandaag, the client file and the Team screen
show them alike)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import aliased

from wijkteam_tui.domain.terms import AlertStatus, SignOffStatus
from wijkteam_tui.domain.thresholds import reason_shown
from wijkteam_tui.store.models import Alert, Client, SignOffRequest, User
from wijkteam_tui.store.records import AlertItem, RefusalItem, SignOffItem

Responsible = aliased(User, name="responsible")
Requester = aliased(User, name="requester")
Decider = aliased(User, name="decider")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a large view is built. Tens of thousands of rows
    become small objects without cycles; each of the collections they set off would walk every
    object of the program (the Buurt view at 100,000 clients: 1,080 ms, 840 ms paused). Whoever
    paused it first starts it again; what is garbage is collected then."""
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()


def contains(column: Any, word: str) -> Any:
    """`column` holds `word` (LIKE, with its wildcards escaped)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def user_name(user: Any) -> Any:
    """A user's display name, or their login name when they have none."""
    return func.coalesce(func.nullif(user.display_name, ""), user.name)


def sign_offs(conn: Connection, condition: Any) -> list[SignOffItem]:
    """The requests for 'duurzaam in beeld' of the clients in `condition` waiting for a
    teamleider, oldest first."""
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
            user_name(Requester),
        )
        .join(Client, Client.id == SignOffRequest.client_id)
        .join(Requester, Requester.id == SignOffRequest.requested_by_id)
        .where(condition, SignOffRequest.status == SignOffStatus.PENDING)
        .order_by(SignOffRequest.requested_on, SignOffRequest.id)
    ).all()
    return [SignOffItem(*row) for row in rows]


def refusals(conn: Connection, user_id: int) -> list[RefusalItem]:
    """The requests of `user_id` that a teamleider refused and whose client they have not
    opened since, newest first."""
    rows = conn.execute(
        select(
            SignOffRequest.id,
            Client.id,
            Client.name,
            SignOffRequest.decided_on,
            user_name(Decider),
            SignOffRequest.decision_reason,
        )
        .join(Client, Client.id == SignOffRequest.client_id)
        .join(Decider, Decider.id == SignOffRequest.decided_by_id)
        .where(
            SignOffRequest.requested_by_id == user_id,
            SignOffRequest.status == SignOffStatus.REFUSED,
            SignOffRequest.decision_seen_at.is_(None),
        )
        .order_by(SignOffRequest.decided_on.desc(), SignOffRequest.id.desc())
    ).all()
    return [RefusalItem(*row) for row in rows]


def open_alerts(conn: Connection, condition: Any, today: date) -> list[AlertItem]:
    """The open and confirmed alerts of the clients in `condition`, oldest first, each reason
    as it reads on `today` (`domain.thresholds.reason_shown`)."""
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
            func.coalesce(Client.last_contact_on, Client.opened_on),
        )
        .join(Client, Client.id == Alert.client_id)
        .where(condition, Alert.status != AlertStatus.RESOLVED)
        .order_by(Alert.raised_on, Client.name, Alert.id)
    ).all()
    return [
        AlertItem(
            alert_id,
            client_id,
            number,
            name,
            rule,
            reason_shown(rule, reason, last_seen, today),
            raised_on,
            status,
        )
        for alert_id, client_id, number, name, rule, reason, raised_on, status, last_seen in rows
    ]
