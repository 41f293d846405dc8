"""The incremental daily sweep: each client carries the day on which the passing of time alone
changes its alerts, due dates or agreements (`reevaluate_on`), and the sweep evaluates exactly
the clients whose day has come.

Checked two ways: hand-computed cases (which client is evaluated on which day, and why), and a
generated register swept day by day and after 30 untouched days, where evaluating every open
client afterwards must change nothing (the sweep missed no change) and every client the sweep
evaluated must have changed (it evaluated nobody for nothing). Both backends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import PASSPHRASE
from tests.store.conftest import TODAY
from wijkteam_tui.domain.terms import (
    Channel,
    MemberKind,
    Outcome,
    Phase,
    SignalPhase,
    ThresholdRule,
)
from wijkteam_tui.store import services, sweep
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.models import Alert, Client, ContactAgreement
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.edit import team_settings_for_edit
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    ContactInput,
    MemberInput,
    ObservationInput,
)
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.write.common import team_settings
from wijkteam_tui.store.write.settings import update_team_settings

DAY = timedelta(days=1)


@contextmanager
def _evaluated(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The ids of the clients the sweep evaluates while the block runs, in order."""
    seen: list[int] = []
    real = sweep.refresh_clients

    def spy(session, clients, today, settings, notes=None):  # type: ignore[no-untyped-def]
        seen.extend(client.id for client in clients)
        return real(session, clients, today, settings, notes)

    with monkeypatch.context() as patch:
        patch.setattr(sweep, "refresh_clients", spy)
        yield seen


def _client(register, name: str, on: date = TODAY) -> Any:  # type: ignore[no-untyped-def]
    client = services.create_client(
        register, ClientInput(name=name, opened_on=on, casemanager_id=register.user.id), on
    )
    services.log_contact(register, ContactInput(client.id, on, Channel.PHONE, Outcome.GOOD), on)
    return client


def _agreement(register, client_id: int, **schedule: Any) -> Any:  # type: ignore[no-untyped-def]
    member = services.add_member(
        register, client_id, MemberInput(name="Fenna de Vries", kind=MemberKind.INFORMAL), TODAY
    )
    return services.add_agreement(
        register,
        client_id,
        AgreementInput(
            Channel.PHONE, schedule.pop("start_on", TODAY), member_id=member.id, **schedule
        ),
        TODAY,
    )


def _day_of(register, client_id: int) -> date | None:  # type: ignore[no-untyped-def]
    with register.read() as session:
        return session.get(Client, client_id).reevaluate_on


def test_each_client_is_evaluated_on_the_day_its_state_changes_and_on_no_other(
    register, monkeypatch
):
    # Contact today, nothing agreed: uit beeld after 42 days, on day 43.
    quiet = _client(register, "Henk Bakker")
    # Weekly with a neighbour since today, grace 0: due on +7, +14, +21, …; the third missed
    # moment counts on +22 (missed contacts, limit 3), and each one after it a week later (the
    # alert counts them).
    weekly = _client(register, "Ria Smit")
    _agreement(register, weekly.id, interval_days=7)
    # An agreement that ends on +10 (its due date on +7 is missed, but one is not a run).
    ending = _client(register, "Kees Jansen")
    _agreement(register, ending.id, interval_days=7, end_on=TODAY + 10 * DAY)
    # Put aside through +5: its due date counts again for the client from +6.
    snoozed = _client(register, "Joke de Boer")
    pause = _agreement(register, snoozed.id, interval_days=30)
    services.snooze_agreement(register, pause.id, TODAY + 5 * DAY, "Op vakantie", TODAY)
    # Three oranje signaleringen within 14 days (the frequency rule): the first leaves the
    # window on +13, two remain and the alert resolves; the others leaving on +14 change
    # nothing more (oranje stays until a groen one).
    busy = _client(register, "Sem Visser")
    for back in (1, 0, 0):
        services.record_observation(
            register, ObservationInput(busy.id, SignalPhase.ORANGE, TODAY - back * DAY), TODAY
        )
    # Closed: never again.
    closed = _client(register, "Wim Post")
    services.change_phase(register, closed.id, Phase.CLOSED, "Verhuisd.", TODAY)

    days = {c.name: _day_of(register, c.id) for c in (quiet, weekly, ending, snoozed, busy, closed)}
    assert days == {
        "Henk Bakker": TODAY + 43 * DAY,
        "Ria Smit": TODAY + 22 * DAY,
        "Kees Jansen": TODAY + 10 * DAY,
        "Joke de Boer": TODAY + 6 * DAY,
        "Sem Visser": TODAY + 13 * DAY,
        "Wim Post": None,
    }
    everyone_open = [quiet.id, weekly.id, ending.id, snoozed.id, busy.id]
    expected = {
        6: [snoozed.id],
        10: [ending.id],
        13: [busy.id],
        22: [weekly.id],
        29: [weekly.id],
        36: [weekly.id],
        # Uit beeld for all of them (the contact today was the last), and the weekly one's
        # sixth missed moment.
        43: everyone_open,
    }
    for offset in range(1, 50):
        with _evaluated(monkeypatch) as seen:
            services.evaluate_stale_clients(register, TODAY + offset * DAY)
        assert seen == expected.get(offset, []), f"day +{offset}"
    with register.read() as session:
        busy_alerts = session.scalars(select(Alert).where(Alert.client_id == busy.id)).all()
        frequency = [a for a in busy_alerts if a.rule is ThresholdRule.OBSERVATION_FREQUENCY]
        assert [(a.raised_on, a.resolved_on) for a in frequency] == [(TODAY, TODAY + 13 * DAY)]


def test_a_lowered_team_threshold_makes_every_open_client_due_again(register, monkeypatch):
    quiet = _client(register, "Henk Bakker")
    closed = _client(register, "Wim Post")
    services.change_phase(register, closed.id, Phase.CLOSED, "Verhuisd.", TODAY)
    assert _day_of(register, quiet.id) == TODAY + 43 * DAY
    # Lowered to 20 days: nobody is silent that long yet, so nobody is evaluated at once, but
    # the day stored with 42 days would come too late.
    services.set_threshold(register, None, ThresholdRule.OUT_OF_VIEW, days=20, today=TODAY)
    with _evaluated(monkeypatch) as seen:
        services.evaluate_stale_clients(register, TODAY)
    assert seen == [quiet.id]
    assert _day_of(register, quiet.id) == TODAY + 21 * DAY
    assert _day_of(register, closed.id) is None
    # The same for the grace days (missed contacts count from other days).
    data, version = team_settings_for_edit(register)
    update_team_settings(register, version, replace(data, grace_days=3))
    with _evaluated(monkeypatch) as seen:
        services.evaluate_stale_clients(register, TODAY + DAY)
    assert seen == [quiet.id]


# --- a generated register: nothing missed, nobody evaluated for nothing ---------------------


def _state(session) -> dict[int, tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    """What the passing of time can change of each client: its alerts, its next due date and
    its agreements' ends and due dates."""
    state: dict[int, list[Any]] = {}
    for cid, due in session.execute(select(Client.id, Client.next_due)):
        state[cid] = [due]
    for row in session.execute(
        select(
            Alert.client_id,
            Alert.fingerprint,
            Alert.status,
            Alert.reason,
            Alert.resolved_on,
            Alert.resolution_note,
        ).order_by(Alert.id)
    ):
        state[row[0]].append(tuple(row[1:]))
    for row in session.execute(
        select(
            ContactAgreement.client_id,
            ContactAgreement.id,
            ContactAgreement.active,
            ContactAgreement.next_due,
        ).order_by(ContactAgreement.id)
    ):
        state[row[0]].append(tuple(row[1:]))
    return {cid: tuple(rows) for cid, rows in state.items()}


def _days(session) -> dict[int, date | None]:  # type: ignore[no-untyped-def]
    return {cid: day for cid, day in session.execute(select(Client.id, Client.reevaluate_on))}


class _Undo(Exception):
    pass


def _evaluating_everyone_changes(register, day: date) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """Evaluate every open client on `day` in a transaction that is undone: for each client
    whose stored state (or stored day of change) that would change, what changed."""
    found: dict[int, str] = {}
    with pytest.raises(_Undo), register.write() as session:
        before, days_before = _state(session), _days(session)
        settings = team_settings(session)
        for client in session.scalars(select(Client).where(Client.phase != Phase.CLOSED)):
            refresh_client(session, client, day, settings)
        session.flush()
        after, days_after = _state(session), _days(session)
        for cid in before:
            if before[cid] != after[cid]:
                found[cid] = f"state {before[cid]} -> {after[cid]}"
            elif days_before[cid] != days_after[cid]:
                found[cid] = f"day {days_before[cid]} -> {days_after[cid]}"
        raise _Undo
    return found


def _sweep_checked(register, day: date, monkeypatch) -> int:  # type: ignore[no-untyped-def]
    with register.read() as session:
        before = _state(session)
    with _evaluated(monkeypatch) as seen:
        services.evaluate_stale_clients(register, day)
    with register.read() as session:
        after = _state(session)
    unchanged = [cid for cid in seen if before[cid] == after[cid]]
    assert unchanged == [], f"{day}: evaluated, and nothing changed"
    assert _evaluating_everyone_changes(register, day) == {}, f"{day}: the sweep missed these"
    return len(seen)


def test_a_generated_register_swept_day_by_day_misses_nothing_and_wastes_nothing(
    register, monkeypatch
):
    generate(register, 80, TODAY, seed=5)
    assert _evaluating_everyone_changes(register, TODAY) == {}, "as generated"
    evaluated = [_sweep_checked(register, TODAY + n * DAY, monkeypatch) for n in range(1, 31)]
    assert sum(evaluated) > 30, "time changed something on most days"


def test_a_register_untouched_for_30_days_is_swept_once_correctly(register, monkeypatch):
    generate(register, 150, TODAY, seed=6)
    assert _sweep_checked(register, TODAY + 30 * DAY, monkeypatch) > 0


def test_two_processes_sweeping_at_once_evaluate_each_client_once(new_register, monkeypatch):
    """Two openings of one register (two processes, or two colleagues on a team server) that
    sweep at the same moment: one sweeps, the other finds the clients done (on the server it
    waits for the sweep's advisory lock)."""
    import threading

    first = new_register.register
    generate(first, 60, TODAY, seed=8)
    second = open_register(new_register.path, "anna", PASSPHRASE)
    try:
        later = TODAY + 20 * DAY
        with first.read() as session:
            due = set(session.scalars(select(Client.id).where(Client.reevaluate_on <= later)))
        assert due, "time changes some of them"
        start = threading.Barrier(2)
        results: list[int] = []

        def sweeper(register) -> None:  # type: ignore[no-untyped-def]
            start.wait()
            results.append(services.daily_sweep(register, later))

        with _evaluated(monkeypatch) as seen:
            threads = [threading.Thread(target=sweeper, args=(r,)) for r in (first, second)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert sorted(seen) == sorted(due), "each client once"
        assert sum(results) == len(due)
    finally:
        second.close()
