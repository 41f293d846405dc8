"""The daily sweep: re-evaluating the clients whose alerts, due dates or agreements the
passing of time alone changes by today, followed once a day by the Team screen's daily
snapshot and the audit log's pruning. Run in the background (the app, a timer), never before
a screen is shown."""

from __future__ import annotations

import threading
import weakref
from contextlib import AbstractContextManager, nullcontext
from datetime import date

from sqlalchemy import ColumnElement, and_, select

from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.cover.access import limited_user
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.read.team import snapshot_written, write_daily_snapshot
from wijkteam_tui.store.refresh import refresh_clients
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import team_settings


def evaluate_stale_clients(
    register: Register, today: date, batch: int = 500, stop: threading.Event | None = None
) -> int:
    """Re-evaluate the clients whose alerts, due dates or agreements the passing of time alone
    changes by today, so that uit beeld, missed contacts, lapsed frequency windows, ended
    agreements and snoozes are current today.

    Each client carries the day that happens (`Client.reevaluate_on`, stored whenever it is
    evaluated), so only the clients whose day has come are read, through that column's index;
    a client nothing happened to since its last evaluation is not touched. Runs in batches of
    short transactions, in id order, so that others can write in between and no client is
    evaluated twice in one sweep. Returns how many clients were evaluated.

    The system's upkeep, not a person's action: each batch is one audit event (in its own
    transaction, as every change is), not one per alert it raises or resolves.

    `stop`, once set, ends the sweep after the batch it is in (the register is being locked or
    closed); the clients not reached stay due for the next sweep."""
    with register.read_connection() as conn:
        if conn.scalar(select(Client.id).where(_due_for_evaluation(today)).limit(1)) is None:
            return 0  # nothing due: no write transaction, no lock taken
    done = 0
    after = 0
    while stop is None or not stop.is_set():
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
    return done


def _due_for_evaluation(today: date) -> ColumnElement[bool]:
    """The open clients whose stored state the passing of time changes by `today`."""
    return and_(Client.reevaluate_on <= today, Client.phase != Phase.CLOSED)


class _Day:
    """The day an opened register had its once-a-day upkeep here, and the lock that makes
    screens and timers asking at the same moment share one sweep."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept_on: date | None = None


# Per opened register, for as long as it is open (a register reopened asks anew: cheap when
# today's snapshot is there).
_days: weakref.WeakKeyDictionary[Register, _Day] = weakref.WeakKeyDictionary()
_days_lock = threading.Lock()


def _day_of(register: Register) -> _Day:
    with _days_lock:
        day = _days.get(register)
        if day is None:
            day = _days[register] = _Day()
        return day


def daily_sweep(register: Register, today: date, stop: threading.Event | None = None) -> int:
    """Bring the register up to `today`: every client whose day of change has come is evaluated
    (`evaluate_stale_clients`; one indexed read when none has), and once a calendar day the
    Team screen's snapshot is written and the audit log pruned. Returns how many clients this
    call evaluated.

    It never stands between a person and their screen: the app runs it in the background after
    unlocking, past midnight and after a changed team threshold, and the screens show what is
    stored meanwhile; `wijkteam sweep` runs it from a timer. Whoever asks while a sweep runs
    waits for it and then finds nothing left to do: in one process by a lock, and on a team
    server by an advisory lock, so that one process sweeps and the others wait for its result
    instead of evaluating the same clients again. `stop`: see `evaluate_stale_clients`."""
    day = _day_of(register)
    with day.lock, _one_sweeper(register):
        done = evaluate_stale_clients(register, today, stop=stop)
        if stop is not None and stop.is_set():
            return done
        if day.kept_on != today and _sees_part(register):
            # On a team server that lets this medewerker read only the clients they work for,
            # they evaluated those; the team's figures wait for whoever reads them all.
            return done
        if day.kept_on != today:
            if not snapshot_written(register, today):
                # The Team screen's trend: today's figures per casemanager, once a day, right
                # after the sweep, by whoever sweeps first (a colleague, a timer).
                write_daily_snapshot(register, today)
                # Audit events past their term (5 years) go, behind a verifiable checkpoint.
                log.prune(register, today)
            day.kept_on = today
        return done


def _sees_part(register: Register) -> bool:
    """Whether the database shows this person only part of the register (a team server's
    row-level security, store/server/access.py)."""
    if register.server is None:
        return False
    with register.read_connection() as conn:
        return limited_user(register, conn) is not None


def _one_sweeper(register: Register) -> AbstractContextManager[None]:
    if register.server is None:
        # Locally each batch reads what is due inside its write transaction, which waits for
        # any other process's: a second sweeper finds the first one's clients done.
        return nullcontext()
    # Lazy: psycopg and the server's code only for a register on a team server.
    from wijkteam_tui.store.server.connection import sweep_lock

    return sweep_lock(register.engine)
