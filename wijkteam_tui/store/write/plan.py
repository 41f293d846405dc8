"""The signaleringsplan (its rows and their order) and the signaleringen recorded against
it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.terms import SignalPhase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.models import Observation, Signal
from wijkteam_tui.store.records import ContactResult, Created, ObservationInput, SignalInput
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import (
    acting_user,
    check_version,
    existing_client,
    required_text,
    team_settings,
)


def record_observation(register: Register, data: ObservationInput, today: date) -> ContactResult:
    """Record a signalering (a signal seen on a date) and re-evaluate the client's alerts."""
    user_id = acting_user(register)
    if data.observed_on > today:
        raise ValidationError("Een signalering kan niet in de toekomst liggen.", "observed_on")
    with register.write(client=data.client_id) as session:
        client = existing_client(session, data.client_id)
        if data.signal_id is not None:
            signal = session.get(Signal, data.signal_id)
            if signal is None or signal.client_id != client.id:
                raise ValidationError("Dit signaal hoort niet bij deze cliënt.", "signal")
        observation = Observation(
            client_id=client.id,
            signal_id=data.signal_id,
            phase=data.phase,
            observed_on=data.observed_on,
            observed_by=data.observed_by.strip(),
            member_id=data.member_id,
            user_id=user_id,
            note=data.note.strip(),
        )
        session.add(observation)
        session.flush()
        result = refresh_client(session, client, today, team_settings(session))
        return ContactResult(
            moment_id=observation.id,
            agreement_next_due=None,
            client_next_due=client.next_due,
            raised=result.raised,
            resolved=result.resolved,
        )


def _apply_signal(signal: Signal, data: SignalInput) -> None:
    signal.phase = data.phase
    signal.signs = required_text(data.signs, "signs", "De signalen", 2000)
    signal.own_actions = data.own_actions.strip()
    signal.network_actions = data.network_actions.strip()
    signal.professional_actions = data.professional_actions.strip()
    signal.whom_to_call = data.whom_to_call.strip()


def _last_position(session: Session, client_id: int, phase: SignalPhase) -> int:
    highest = session.scalar(
        select(func.max(Signal.position)).where(
            Signal.client_id == client_id, Signal.phase == phase
        )
    )
    return -1 if highest is None else highest


def add_signal(register: Register, client_id: int, data: SignalInput) -> Created:
    """Add a row to the client's signaleringsplan (last in its phase unless a position is
    given)."""
    with register.write(client=client_id) as session:
        client = existing_client(session, client_id)
        position = data.position or _last_position(session, client.id, data.phase) + 1
        signal = Signal(client_id=client.id, position=position)
        _apply_signal(signal, data)
        session.add(signal)
        session.flush()
        return Created(signal.id)


def _signal(session: Session, signal_id: int) -> Signal:
    signal = session.get(Signal, signal_id)
    if signal is None:
        raise ValidationError(f"Signaal {signal_id} bestaat niet.", "signal")
    return signal


def update_signal(register: Register, signal_id: int, version: int, data: SignalInput) -> Created:
    """Change a row of the signaleringsplan; refused when someone else changed it first. A row
    moved to another phase goes last in that phase."""
    with register.write(of=(Signal, signal_id)) as session:
        signal = _signal(session, signal_id)
        check_version(signal.version, version)
        if data.phase is not signal.phase:
            signal.position = _last_position(session, signal.client_id, data.phase) + 1
        _apply_signal(signal, data)
        signal.version += 1
        return Created(signal.id, signal.version)


def move_signal(register: Register, signal_id: int, step: int) -> None:
    """Move a row up (-1) or down (+1) within its phase."""
    with register.write(of=(Signal, signal_id)) as session:
        signal = _signal(session, signal_id)
        rows = list(
            session.scalars(
                select(Signal)
                .where(Signal.client_id == signal.client_id, Signal.phase == signal.phase)
                .order_by(Signal.position, Signal.id)
            )
        )
        index = rows.index(signal)
        other = index + step
        if not 0 <= other < len(rows):
            return
        rows[index], rows[other] = rows[other], rows[index]
        for position, row in enumerate(rows):
            if row.position != position:
                row.position = position
                row.version += 1
