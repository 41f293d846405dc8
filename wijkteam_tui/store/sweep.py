"""The daily sweep: re-evaluating the clients whose alerts the passing of time alone can
change, once a calendar day per opened register, followed by the Team screen's daily
snapshot and the audit log's pruning."""

from __future__ import annotations

import threading
import weakref
from datetime import date

from sqlalchemy import ColumnElement, and_, select

from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.read.team import snapshot_written, write_daily_snapshot
from wijkteam_tui.store.refresh import refresh_clients
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import team_settings


def evaluate_stale_clients(register: Register, today: date, batch: int = 500) -> int:
    """Re-evaluate the clients whose alerts, due dates or agreements the passing of time alone
    changes by today, so that uit beeld, missed contacts, lapsed frequency windows, ended
    agreements and snoozes are current today.

    Each client carries the day that happens (`Client.reevaluate_on`, stored whenever it is
    evaluated), so only the clients whose day has come are read, through that column's index;
    a client nothing happened to since its last evaluation is not touched. Runs in batches of
    short transactions, in id order, so that others can write in between and no client is
    evaluated twice in one sweep. Returns how many clients were evaluated.

    The system's upkeep, not a person's action: each batch is one audit event (in its own
    transaction, as every change is), not one per alert it raises or resolves."""
    done = 0
    after = 0
    while True:
        with register.write() as session:
            chain.quiet(session)
            settings = team_settings(session)
            clients = session.scalars(
                select(Client)
                .where(_due_for_evaluation(today), Client.id > after)
                .order_by(Client.id)
                .limit(batch)
            ).all()
            if not clients:
                return done
            refresh_clients(session, clients, today, settings)
            chain.note(
                session,
                chain.Event(
                    "sweep", "register", detail=f"{len(clients)} cliënten opnieuw beoordeeld"
                ),
            )
            done += len(clients)
            after = clients[-1].id


def _due_for_evaluation(today: date) -> ColumnElement[bool]:
    """The open clients whose stored state the passing of time changes by `today`."""
    return and_(Client.reevaluate_on <= today, Client.phase != Phase.CLOSED)


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
