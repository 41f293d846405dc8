"""Load benchmark: a team of simulated people working on one register at once.

`python -m benchmarks --only load [--backend postgresql|sqlite] [--people N] [--seconds S]
[--clients N]`

Each simulated person is a process of its own (as each colleague runs their own wijkteam),
signed in under their own user (on a server: their own PostgreSQL role), working their own
caseload with a realistic mix and a think time between steps:

- open Vandaag (30 %), search a client (25 %), open a client file (25 %),
- log a contact (12 %), record a signalering (8 %).

For the time given it measures every step (p50, p95, p99 in ms), counts errors and "locked"
(a write that had to give up waiting), and afterwards checks every write each person believes
it made against the register: a contact or signalering that is missing, or differs, is a lost
write. The register is built first with the demo generator (the time is reported), in a
temporary folder; a PostgreSQL server is started for the run (`tests/pg.py`, durable settings).

Then the writer ceiling: 1, 2, 4, 8 and 16 people logging contacts back to back, without
thinking, for WRITER_SECONDS each: commits per second, the p50/p95 of one write, errors and
lost writes (the same check). Last, as the teamleider on the same register: the team's overdue
overview and a search for a rare fragment (`lists`), the domain benchmark's figures there.

Figures to reach (issue 13): 100,000 clients built in ≤ 10 min; 30 people for 5 min on
PostgreSQL with p95 ≤ 50 ms for every step, 0 errors, 0 lost writes; 8 people on SQLCipher
on one host with p95 ≤ 50 ms and 0 "locked". Issue 27: on PostgreSQL ≥ 100 commits/s with
4 writers, and 30 people's write p95 ≤ 50 ms.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.results_file import save_section
from benchmarks.smoke import scaled

#: The day the register is built for and worked on: today, so that the `overdue` processes
#: (which take the date from the clock) see the same day as the simulated people.
TODAY = date.today()
PASSPHRASE = "benchmark wachtwoord"
PEOPLE_PASSPHRASE = "een collega van het wijkteam"
MIX = (
    ("vandaag", 30),
    ("zoeken", 25),
    ("dossier", 25),
    ("contact", 12),
    ("signalering", 8),
)
THINK_SECONDS = (0.5, 3.0)
TARGET_P95_MS = 50.0
#: The writer ceiling: how many write back to back, and for how long each.
WRITER_COUNTS = (1, 2, 4, 8, 16)
WRITER_SECONDS = 20.0


@dataclass
class Outcome:
    """What one simulated person measured and believes it wrote."""

    name: str
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    locked: int = 0
    contacts: list[tuple[int, int]] = field(default_factory=list)  # (moment id, client id)
    observations: list[tuple[int, int]] = field(default_factory=list)  # (id, client id)


@dataclass(frozen=True)
class Job:
    location: Any
    name: str
    start_at: float
    seconds: float
    seed: int
    #: Only writing contacts, back to back (the writer ceiling), instead of the day's mix.
    writer: bool = False


def _person(job: Job, out: Any) -> None:
    """One colleague: sign in, then work until the time is up."""
    from wijkteam_tui.errors import RegisterError
    from wijkteam_tui.store.opening import open_register

    rng = random.Random(job.seed)
    outcome = Outcome(job.name)
    register = open_register(job.location, job.name, PEOPLE_PASSPHRASE)
    try:
        work = _Work(register, rng, outcome)
        steps = ["contact"] if job.writer else [step for step, weight in MIX for _ in range(weight)]
        think = (0.0, 0.0) if job.writer else THINK_SECONDS
        time.sleep(max(0.0, job.start_at - time.time()))
        until = job.start_at + job.seconds
        while time.time() < until:
            step = rng.choice(steps)
            started = time.perf_counter()
            try:
                work.do(step)
            except RegisterError as error:
                if "collega" in str(error) or "bezet" in str(error):
                    outcome.locked += 1
                else:
                    outcome.errors.append(f"{step}: {error}")
            except Exception as error:
                outcome.errors.append(f"{step}: {type(error).__name__}: {error}")
            else:
                elapsed = (time.perf_counter() - started) * 1000
                outcome.times.setdefault(step, []).append(elapsed)
            time.sleep(rng.uniform(*think))
    finally:
        register.close()
        out.put(outcome)


class _Work:
    """The steps of one person, on their own caseload."""

    def __init__(self, register: Any, rng: random.Random, outcome: Outcome) -> None:
        from sqlalchemy import select

        from wijkteam_tui.store.models import Client, ContactAgreement

        self.register, self.rng, self.outcome = register, rng, outcome
        self.me = register.user.id
        with register.read_connection() as conn:
            self.caseload = [
                (row[0], row[1])
                for row in conn.execute(
                    select(Client.id, Client.name).where(Client.casemanager_id == self.me)
                )
            ]
            self.agreements: dict[int, list[tuple[int, Any, int | None]]] = {}
            for client_id, agreement_id, channel, member_id in conn.execute(
                select(
                    ContactAgreement.client_id,
                    ContactAgreement.id,
                    ContactAgreement.channel,
                    ContactAgreement.member_id,
                ).where(ContactAgreement.user_id == self.me, ContactAgreement.active.is_(True))
            ):
                self.agreements.setdefault(client_id, []).append((agreement_id, channel, member_id))
        self.with_agreement = [c for c, _n in self.caseload if c in self.agreements]

    def do(self, step: str) -> None:
        from wijkteam_tui.domain.terms import Outcome as Result
        from wijkteam_tui.domain.terms import SignalPhase
        from wijkteam_tui.store.read.client_file import client_file
        from wijkteam_tui.store.read.search import search_clients
        from wijkteam_tui.store.read.today import today_list
        from wijkteam_tui.store.records import ContactInput, ObservationInput
        from wijkteam_tui.store.write.contacts import log_contact
        from wijkteam_tui.store.write.plan import record_observation

        register, name = self.register, self.outcome.name
        client_id, client_name = self.rng.choice(self.caseload)
        if step == "vandaag":
            today_list(register, self.me, TODAY)
        elif step == "zoeken":
            search_clients(register, client_name.split()[-1][:4])
        elif step == "dossier":
            client_file(register, client_id, TODAY)
        elif step == "contact":
            client_id = self.rng.choice(self.with_agreement)
            agreement_id, channel, member_id = self.rng.choice(self.agreements[client_id])
            note = f"belasting {name}"
            data = ContactInput(
                client_id, TODAY, channel, Result.GOOD, agreement_id, member_id, note=note
            )
            done = log_contact(register, data, TODAY)
            self.outcome.contacts.append((done.moment_id, client_id))
        else:
            data = ObservationInput(client_id, SignalPhase.GREEN, TODAY, note=f"belasting {name}")
            done = record_observation(register, data, TODAY)
            self.outcome.observations.append((done.moment_id, client_id))


def _lost(location: Any, outcomes: list[Outcome]) -> int:
    """Writes someone believes they made that the register does not hold (as they made them)."""
    from sqlalchemy import select

    from wijkteam_tui.store.models import ContactMoment, Observation
    from wijkteam_tui.store.opening import open_register

    register = open_register(location, "bench", PASSPHRASE)
    try:
        with register.read_connection() as conn:
            moments = dict(
                conn.execute(
                    select(ContactMoment.id, ContactMoment.client_id).where(
                        ContactMoment.note.like("belasting %")
                    )
                ).all()
            )
            observations = dict(
                conn.execute(
                    select(Observation.id, Observation.client_id).where(
                        Observation.note.like("belasting %")
                    )
                ).all()
            )
    finally:
        register.close()
    lost = 0
    for outcome in outcomes:
        lost += sum(moments.get(m) != c for m, c in outcome.contacts)
        lost += sum(observations.get(o) != c for o, c in outcome.observations)
    return lost


def build(location: Any, clients: int, people: int) -> tuple[float, list[str]]:
    """A register of `clients` with `people` medewerkers who can sign in: (seconds, names)."""
    from sqlalchemy import select

    from tests import pg
    from wijkteam_tui.domain.terms import Role
    from wijkteam_tui.store.demo.generator import generate
    from wijkteam_tui.store.models import User
    from wijkteam_tui.store.opening import create_register
    from wijkteam_tui.store.users import add_user

    register, _ = create_register(
        location, "bench", PASSPHRASE, server_password=pg.BOOTSTRAP_PASSWORD
    )
    try:
        started = time.perf_counter()
        made = generate(
            register, clients, TODAY, seed=13, medewerkers=max(people + 1, clients // 250)
        )
        built = time.perf_counter() - started
        print(
            f"{made.clients:,} cliënten, {made.agreements:,} afspraken,"
            f" {made.contact_moments:,} contactmomenten, {made.medewerkers} medewerkers",
            flush=True,
        )
        with register.read() as session:
            names = list(
                session.scalars(
                    select(User.name).where(User.name != "bench").order_by(User.id).limit(people)
                )
            )
        for name in names:
            add_user(register, name, Role.MEDEWERKER, passphrase=PEOPLE_PASSPHRASE)
    finally:
        register.close()
    return built, names


def _work(location: Any, names: list[str], seconds: float, *, writer: bool) -> list[Outcome]:
    """Everyone in `names` at work at once for `seconds` (signed in before the clock runs)."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    start_at = time.time() + scaled(15, 3) + len(names) * 0.6
    workers = [
        context.Process(
            target=_person, args=(Job(location, name, start_at, seconds, i, writer), out)
        )
        for i, name in enumerate(names)
    ]
    for worker in workers:
        worker.start()
    outcomes = [out.get(timeout=start_at - time.time() + seconds + 300) for _ in workers]
    for worker in workers:
        worker.join()
    return outcomes


def _cuts(times: list[float]) -> dict[str, Any]:
    times = sorted(times)
    # (One time only, in a short run: it is every percentile.)
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return {
        "count": len(times),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
    }


def run(location: Any, names: list[str], seconds: float) -> dict[str, Any]:
    outcomes = _work(location, names, seconds, writer=False)
    figures: dict[str, Any] = {"people": len(names), "seconds": seconds}
    for step, _weight in MIX:
        times = [t for o in outcomes for t in o.times.get(step, [])]
        if times:
            figures[step] = _cuts(times)
    figures["errors"] = sum(len(o.errors) for o in outcomes)
    figures["error_examples"] = sorted({e for o in outcomes for e in o.errors})[:5]
    figures["locked"] = sum(o.locked for o in outcomes)
    figures["writes"] = sum(len(o.contacts) + len(o.observations) for o in outcomes)
    figures["lost_writes"] = _lost(location, outcomes)
    return figures


def ceiling(location: Any, names: list[str]) -> dict[str, Any]:
    """The writer ceiling: for 1, 2, 4, 8 and 16 writers logging contacts back to back, the
    commits per second, one write's p50/p95, errors and lost writes."""
    figures: dict[str, Any] = {}
    for count in scaled(WRITER_COUNTS, (1, 2)):
        seconds = scaled(WRITER_SECONDS, 2.0)
        outcomes = _work(location, names[:count], seconds, writer=True)
        times = [t for o in outcomes for t in o.times.get("contact", [])]
        figures[str(count)] = {
            **(_cuts(times) if times else {"count": 0}),
            "commits_per_second": round(len(times) / seconds, 1),
            "errors": sum(len(o.errors) for o in outcomes),
            "error_examples": sorted({e for o in outcomes for e in o.errors})[:3],
            "locked": sum(o.locked for o in outcomes),
            "lost_writes": _lost(location, outcomes),
        }
    print(f"\n{'schrijvers':>10} {'commits/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'fouten':>7}")
    for count, f in figures.items():
        print(
            f"{count:>10} {f['commits_per_second']:>10} {f.get('p50_ms', '-'):>8}"
            f" {f.get('p95_ms', '-'):>8} {f['errors'] + f['locked'] + f['lost_writes']:>7}"
        )
        for example in f["error_examples"]:
            print(f"  {example}")
    return figures


def lists(location: Any, db: str) -> dict[str, Any]:
    """On the built register, as the teamleider: the team's overdue overview (counts per
    casemanager and its first page; median of 15) and a search for a fragment that matches
    few clients or none (median and p95 of 100), as the domain benchmark measures them
    locally; and `overdue --format json` as a process of its own, as the team benchmark
    times it (`db` is the register's file or address, as the command line takes it)."""
    from benchmarks.domain import rare_search_ms
    from benchmarks.overdue import overdue_figures
    from wijkteam_tui.store.opening import open_register
    from wijkteam_tui.store.read.today import team_overview

    register = open_register(location, "bench", PASSPHRASE)
    try:
        team_overview(register, TODAY)  # warm-up
        spent = []
        for _ in range(15):
            started = time.perf_counter()
            team_overview(register, TODAY)
            spent.append((time.perf_counter() - started) * 1000)
        figures = {"team_overview_ms": round(statistics.median(spent), 1)}
        figures |= rare_search_ms(register)
    finally:
        register.close()
    figures |= overdue_figures(db, PASSPHRASE)
    print(
        f"teamoverzicht {figures['team_overview_ms']} ms; zoeken, zeldzaam: mediaan"
        f" {figures['search_rare_median_ms']} ms, p95 {figures['search_rare_p95_ms']} ms;"
        f" overdue --format json ({figures['overdue_json_items']} te laat):"
        f" {figures['overdue_json_process_seconds']} s, voorbij de sleutel"
        f" {figures['overdue_json_beyond_kdf_seconds']} s"
    )
    return figures


def show(title: str, figures: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(f"{'stap':<12} {'aantal':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for step, _weight in MIX:
        if step in figures:
            f = figures[step]
            mark = "" if f["p95_ms"] <= TARGET_P95_MS else "  > 50 ms"
            print(
                f"{step:<12} {f['count']:>7} {f['p50_ms']:>8} {f['p95_ms']:>8}"
                f" {f['p99_ms']:>8}{mark}"
            )
    print(
        f"fouten {figures['errors']}, 'vergrendeld' {figures['locked']},"
        f" schrijfacties {figures['writes']}, verloren {figures['lost_writes']}"
    )
    for example in figures["error_examples"]:
        print(f"  {example}")


def main(backend: str, people: int, seconds: float, clients: int) -> dict[str, Any]:
    # Login work is not what is measured: the people's key slots use the production cost,
    # the same as everyone's.
    os.environ.pop("WIJKTEAM_KDF", None)
    with tempfile.TemporaryDirectory(prefix="wijkteam-belasting-") as tmp:
        cluster = None
        if backend == "postgresql":
            from tests import pg
            from wijkteam_tui.store.address import server_address

            cluster = pg.start_cluster(durable=True)
            db = cluster.address(cluster.new_register_database())
            location: Any = server_address(db)
        else:
            location = Path(tmp) / "register.db"
            db = str(location)
        try:
            writers = max(scaled(WRITER_COUNTS, (1, 2)))
            built, names = build(location, clients, max(people, writers))
            print(f"{backend}: {clients:,} cliënten gebouwd in {built:.0f} s")
            figures = run(location, names[:people], seconds)
            figures["writer_ceiling"] = ceiling(location, names)
            figures["lists"] = lists(location, db)
        finally:
            if cluster is not None:
                cluster.stop()
    figures["clients"] = clients
    figures["build_seconds"] = round(built, 1)
    show(f"{backend}, {people} mensen, {seconds:.0f} s, {clients:,} cliënten", figures)
    save_section(f"load_{backend}_{clients}_{people}", figures)
    return figures
