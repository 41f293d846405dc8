"""Realistic, fictitious registers for the demo, the tests and the benchmarks.

Deterministic from a seed and `today`: the same arguments give the same register. Names are
Dutch and multicultural as found in Dutch neighbourhoods; streets, postcodes and the town are
invented. Each client gets a network, about three contact agreements, about twenty contact
moments spread over up to two years, a signaleringsplan and some signaleringen; the stored
state (`last_contact_on`, `next_due`, search text, alerts) is computed with the same domain
rules the services use, and written with bulk inserts in batches.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain import thresholds as rules
from wijkteam_tui.domain.search import fold
from wijkteam_tui.domain.terms import (
    Role,
)
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.demo.fictitious import FIRST_NAMES, LAST_NAMES, RESOURCES, STREETS, TOWN
from wijkteam_tui.store.demo.generated_client import Ids, Rows, add_client
from wijkteam_tui.store.demo.generated_neighbourhood import AREAS
from wijkteam_tui.store.history import DailySnapshot
from wijkteam_tui.store.models import Client, Resource, TeamSettings, User
from wijkteam_tui.store.read.team import snapshot_counts
from wijkteam_tui.store.register import Register

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class GeneratedSummary:
    clients: int
    medewerkers: int
    agreements: int
    contact_moments: int
    open_alerts: int
    seconds: float


def generate(
    register: Register,
    clients: int,
    today: date,
    *,
    seed: int = 2026,
    batch: int = 1000,
    progress: Progress | None = None,
    medewerkers: int | None = None,
) -> GeneratedSummary:
    """Fill an empty register with `clients` fictitious clients, and medewerkers for them (one
    per 250 clients unless `medewerkers` says how many)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    with register.write() as session:
        if session.scalar(select(func.count()).select_from(Client)):
            raise ValueError("the generator fills only an empty register")
        user_names = _medewerkers(
            session, rng, medewerkers or max(3, round(clients / 250)), register
        )
        resource_ids = _resources(session, today)
        settings = session.get(TeamSettings, 1)
        assert settings is not None
        settings.wijk = "Middelwijk"
        settings.out_of_hours_name = "Crisisdienst Middelwijk (fictief)"
        settings.out_of_hours_phone = "0900-1234567"
        settings.out_of_hours_hours = "24/7"
        # The team's (fictitious) office: printed for a casemanager without a number of their own.
        settings.office_phone = "0800-555 0100"
        grace = settings.grace_days
    ids = Ids()
    totals = {"agreements": 0, "moments": 0, "alerts": 0}
    thresholds = rules.effective_thresholds([])
    done = 0
    while done < clients:
        size = min(batch, clients - done)
        rows = Rows()
        for _ in range(size):
            add_client(rng, rows, ids, today, user_names, resource_ids, thresholds, grace)
        with register.write() as session:
            rows.write(session)
        totals["agreements"] += len(rows.agreements)
        totals["moments"] += len(rows.moments)
        totals["alerts"] += len(rows.alerts)
        done += size
        if progress:
            progress(done, clients)
    if register.server is not None:
        # Lazy: psycopg and the server's code only for a register on a team server.
        from wijkteam_tui.store.server.setup import after_bulk_load

        # The rows came with their ids: the server's id sequences go on after them.
        after_bulk_load(register.engine)
    _trend_history(register, rng, today)
    if register.server is not None:
        # Lazy: psycopg and the server's code only for a register on a team server.
        from wijkteam_tui.store.server.setup import analyze

        analyze(register.engine)
    else:
        with register.raw() as raw:
            raw.execute("ANALYZE")  # statistics, so that the planner picks the selective index
    return GeneratedSummary(
        clients=clients,
        medewerkers=len(user_names),
        agreements=totals["agreements"],
        contact_moments=totals["moments"],
        open_alerts=totals["alerts"],
        seconds=time.perf_counter() - started,
    )


def _trend_history(register: Register, rng: random.Random, today: date, days: int = 84) -> None:
    """Twelve weeks of daily snapshots before today, so that the demo's Team screen shows a
    trend at once: each medewerker's figures of today, walked back with a random drift (as
    fictitious as the rest). A real register builds its history one sweep a day."""
    with register.write() as session:
        counts = snapshot_counts(session, today)
        for user_id, (caseload, overdue, alerts, urgent, out_of_view) in counts.items():
            factor = 1.0
            for back in range(1, days + 1):
                factor = min(2.0, max(0.3, factor + rng.uniform(-0.08, 0.1)))
                session.add(
                    DailySnapshot(
                        day=today - timedelta(days=back),
                        user_id=user_id,
                        caseload=caseload,
                        overdue=round(overdue * factor),
                        open_alerts=round(alerts * factor),
                        urgent_alerts=round(urgent * factor),
                        out_of_view=round(out_of_view * factor),
                    )
                )


def _medewerkers(
    session: Session, rng: random.Random, count: int, register: Register
) -> dict[int, str]:
    """The `count` medewerkers who are casemanager of the generated clients (the register's
    own user among them): id → display name."""
    names: dict[int, str] = {}
    if register.user is not None:
        user = session.get(User, register.user.id)
        assert user is not None
        names[user.id] = user.display_name or user.name
    now = utc_now()
    used = set()
    for index in range(count - len(names)):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        login = fold(f"{first}.{last}".replace(" ", "").replace("'", ""))[:40] + f"{index}"
        while login in used:
            login += "x"
        used.add(login)
        user = User(
            name=login,
            display_name=f"{first} {last}",
            role=Role.MEDEWERKER,
            # The wijkteam's (fictitious) numbers, one extension each.
            phone=f"0800-555 {index + 100:04d}",
            created_at=now,
        )
        session.add(user)
        session.flush()
        names[user.id] = user.display_name
    return names


def _resources(session: Session, today: date) -> list[int]:
    """The sociale kaart of Middelwijk, each in one of its postcode areas; most were checked
    this year, a few long ago."""
    ids = []
    for index, (name, category) in enumerate(RESOURCES):
        resource = Resource(
            name=name,
            category=category,
            address=f"{STREETS[index]} {index + 1}, {AREAS[index % len(AREAS)]} AB {TOWN}",
            opening_hours="ma-vr 9:00-17:00",
            reviewed_on=today - timedelta(days=60 + 170 * index),
        )
        session.add(resource)
        session.flush()
        ids.append(resource.id)
    return ids
