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
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain import thresholds as rules
from wijkteam_tui.domain.agreements import performer_text
from wijkteam_tui.domain.retention import DEFAULT_TERMS, retention_until
from wijkteam_tui.domain.schedules import REAL_CONTACT, Schedule, next_due
from wijkteam_tui.domain.search import client_search_text, fold, network_search_text
from wijkteam_tui.domain.terms import (
    AlertStatus,
    Channel,
    MemberKind,
    Outcome,
    Phase,
    Regime,
    Role,
    SignalPhase,
)
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.models import (
    Alert,
    Client,
    ContactAgreement,
    ContactMoment,
    DailySnapshot,
    NetworkMember,
    Observation,
    PhaseChange,
    Resource,
    Signal,
    TeamSettings,
    User,
)
from wijkteam_tui.store.read.team import snapshot_counts
from wijkteam_tui.store.register import Register

FIRST_NAMES = (
    "Anna Bram Cor Daan Els Fenna Gerrit Henk Ilse Joke Kees Lotte Marieke Niels Ria Sanne Tom"
    " Wim Yvonne Fatima Mohamed Yasmina Khalid Said Nadia Ayşe Mehmet Emine Hasan Zeynep Mustafa"
    " Priya Rajesh Sharmila Roshni Dewi Wayan Sri Agnieszka Piotr Katarzyna Tomasz Ahmad Rania"
    " Omar Layla Samir Aster Yonas Senait Tesfay Shirley Marlon Ingrid Ernesto Mei Wei Joāo Ana"
    " Lucía Thi Minh Olena Dmytro Kofi Ama Kwame Efua Gert-Jan Hanneke Truus Sjoerd Femke"
).split()
LAST_NAMES = (
    "de Vries|Jansen|van den Berg|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos"
    "|Peters|Hendriks|van Dijk|Dekker|Brouwer|El Amrani|Bouzid|Ait Taleb|El Idrissi|Benali"
    "|Yılmaz|Kaya|Demir|Şahin|Öztürk|Çelik|Ramdin|Sewnarain|Mahabier|Jagessar|Soekhoe|Wijngaarde"
    "|Kowalski|Nowak|Wiśniewska|Al-Hassan|Haddad|Khalil|Tesfamariam|Gebremedhin|Mensah|Owusu"
    "|Nguyen|Tran|Wong|Martina|Pietersz|Hoogvliet|Kruithof|Doornbos|van 't Hof|Schreuder"
).split("|")
STREETS = (
    "Vlierhof Klaproosstraat Merelpad Zilverschoonlaan Lijsterbeshof Kastanjeplein Wilgenkade"
    " Hazelaarstraat Duizendbladweg Boterbloemlaan Kievitstraat Zwaluwhof Reigerpad Ijsvogelhof"
    " Rietgorsstraat Lavendelhof Tijmstraat Korenbloempad Akkerwindelaan Brem-erf Heidepad"
).split()
TOWN = "Middelwijk"
RELATIONS_INFORMAL = (
    ("dochter", "PGAE"),
    ("zoon", "PA"),
    ("buurvrouw", "PG"),
    ("buurman", "P"),
    ("vriendin", "GE"),
    ("vriend", "GE"),
    ("nicht", "GA"),
    ("broer", "AE"),
    ("zus", "GE"),
    ("vrijwilliger", "PG"),
    ("maatje", "GE"),
    ("kerkgenoot", "G"),
)
RELATIONS_FORMAL = (
    ("huisarts", "A"),
    ("wijkverpleegkundige", "PA"),
    ("schuldhulpmaatje", "A"),
    ("POH-GGZ", "AE"),
    ("jongerenwerker", "AG"),
)
RESOURCES = (
    ("Buurthuis De Vlier", "buurthuis"),
    ("Inloop Het Kompas", "inloop"),
    ("Moskee Al-Amal", "kerk/moskee"),
    ("Protestantse Gemeente Middelwijk", "kerk/moskee"),
    ("Wandelclub De Stappers", "vereniging"),
    ("Lotgenotengroep Rouw", "lotgenotengroep"),
    ("Taalcafé Middelwijk", "inloop"),
    ("Voedselbank Middelwijk", "voorziening"),
)
SIGNALS = {
    SignalPhase.GREEN: (
        "Doet zelf boodschappen en gaat naar de inloop",
        "Slaapt goed en houdt het huis bij",
    ),
    SignalPhase.ORANGE: (
        "Blijft binnen, neemt de telefoon niet op",
        "Post blijft liggen, rekeningen onbetaald",
        "Slaapt slecht, piekert veel",
    ),
    SignalPhase.RED: (
        "Eet niet meer, zegt dat het niet meer hoeft",
        "Deurwaarder aan de deur",
    ),
}
#: What the client, the network and the professional do in each phase of the plan.
PLAN_ACTIONS = {
    SignalPhase.GREEN: {
        "own_actions": "Ik houd mijn weekritme aan en ga op dinsdag naar de inloop.",
        "network_actions": "Even langsgaan en samen koffie drinken.",
        "professional_actions": "Eens per kwartaal een belafspraak.",
    },
    SignalPhase.ORANGE: {
        "own_actions": "Ik bel mijn dochter of de buurvrouw.",
        "network_actions": "Vaker langsgaan, samen boodschappen doen.",
        "professional_actions": "Casemanager belt binnen twee werkdagen.",
    },
    SignalPhase.RED: {
        "own_actions": "Ik bel de huisarts.",
        "network_actions": "Dezelfde dag langsgaan en de casemanager bellen.",
        "professional_actions": "Casemanager komt dezelfde dag; zo nodig de crisisdienst.",
    },
}
NOTES = (
    "Ging goed, samen koffie gedronken.",
    "Wat somber door het weer, wel aanspreekbaar.",
    "Vertelde over de kleinkinderen.",
    "Had vragen over een brief van de gemeente.",
    "Afspraak bij huisarts gemaakt.",
    "",
    "",
    "",
)
INTERVALS = (7, 14, 14, 14, 21, 28, 28, 42)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
CHANNELS_BY_KIND = {
    MemberKind.INFORMAL: (Channel.VISIT, Channel.PHONE, Channel.APP),
    MemberKind.FORMAL: (Channel.VISIT, Channel.PHONE, Channel.VIDEO),
    MemberKind.RESOURCE: (Channel.WALK_IN,),
}

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
        resource_ids = _resources(session)
        settings = session.get(TeamSettings, 1)
        assert settings is not None
        settings.wijk = "Middelwijk"
        settings.out_of_hours_name = "Crisisdienst Middelwijk (fictief)"
        settings.out_of_hours_phone = "0900-1234567"
        settings.out_of_hours_hours = "24/7"
        # The team's (fictitious) office: printed for a casemanager without a number of their own.
        settings.office_phone = "0800-555 0100"
        grace = settings.grace_days
    ids = _Ids()
    totals = {"agreements": 0, "moments": 0, "alerts": 0}
    thresholds = rules.effective_thresholds([])
    done = 0
    while done < clients:
        size = min(batch, clients - done)
        rows = _Rows()
        for _ in range(size):
            _client(rng, rows, ids, today, user_names, resource_ids, thresholds, grace)
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


def _resources(session: Session) -> list[int]:
    ids = []
    for index, (name, category) in enumerate(RESOURCES):
        resource = Resource(
            name=name,
            category=category,
            address=f"{STREETS[index]} {index + 1}, {TOWN}",
            opening_hours="ma-vr 9:00-17:00",
        )
        session.add(resource)
        session.flush()
        ids.append(resource.id)
    return ids


class _Ids:
    """Explicit primary keys, so that rows can point to each other before any insert."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def next(self, table: str) -> int:
        value = self.counters.get(table, 0) + 1
        self.counters[table] = value
        return value


class _Rows:
    def __init__(self) -> None:
        self.clients: list[dict[str, Any]] = []
        self.members: list[dict[str, Any]] = []
        self.agreements: list[dict[str, Any]] = []
        self.moments: list[dict[str, Any]] = []
        self.signals: list[dict[str, Any]] = []
        self.observations: list[dict[str, Any]] = []
        self.phase_changes: list[dict[str, Any]] = []
        self.alerts: list[dict[str, Any]] = []

    def write(self, session: Session) -> None:
        for model, rows in (
            (Client, self.clients),
            (NetworkMember, self.members),
            (ContactAgreement, self.agreements),
            (ContactMoment, self.moments),
            (Signal, self.signals),
            (Observation, self.observations),
            (PhaseChange, self.phase_changes),
            (Alert, self.alerts),
        ):
            if rows:
                session.execute(insert(model), rows)


def _client(
    rng: random.Random,
    rows: _Rows,
    ids: _Ids,
    today: date,
    user_names: dict[int, str],
    resource_ids: list[int],
    thresholds: dict[Any, rules.ThresholdSetting],
    grace: int,
) -> None:
    now = utc_now()
    user_ids = list(user_names)
    client_id = ids.next("clients")
    casemanager = rng.choice(user_ids)
    old_file = rng.random() < 0.01
    if old_file:
        opened_on = today - timedelta(days=rng.randint(365 * 12, 365 * 18))
    else:
        opened_on = today - timedelta(days=rng.randint(20, 730))
    roll = rng.random()
    phase = (
        Phase.CLOSED
        if old_file or roll < 0.08
        else Phase.INTENSIVE
        if roll < 0.33
        else Phase.SCALING_BACK
        if roll < 0.53
        else Phase.IN_VIEW
    )
    regime = rng.choices(list(Regime), weights=(70, 20, 10))[0]
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    name = f"{first} {last}"
    street = rng.choice(STREETS)
    house = str(rng.randint(1, 180)) + rng.choice(("", "", "", "a", "b", "-2"))
    postcode = f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"

    # Network.
    members: list[tuple[int, MemberKind, str, str]] = []
    first_call: str | None = None  # whom the plan names to call first
    for _ in range(rng.randint(1, 5)):
        kind = rng.choices(list(MemberKind), weights=(70, 22, 8))[0]
        member_id = ids.next("members")
        resource_id = None
        if kind is MemberKind.INFORMAL:
            relation, supports = rng.choice(RELATIONS_INFORMAL)
            member_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        elif kind is MemberKind.FORMAL:
            relation, supports = rng.choice(RELATIONS_FORMAL)
            member_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        else:
            index = rng.randrange(len(RESOURCES))
            member_name, relation = RESOURCES[index]
            resource_id, supports = resource_ids[index], "G"
        members.append((member_id, kind, member_name, relation))
        rows.members.append(
            {
                "id": member_id,
                "client_id": client_id,
                "name": member_name,
                "relation": relation,
                "kind": kind,
                "resource_id": resource_id,
                "supports": supports,
                "phone": f"06-{rng.randint(10000000, 99999999)}",
                "email": "",
                "availability": rng.choice(("", "doordeweeks", "avonden", "weekend")),
                "consent_to_share": rng.random() < 0.7,
                "consent_recorded_on": opened_on + timedelta(days=14),
                "notes": "",
                "active": True,
                "version": 1,
            }
        )
        if kind is MemberKind.INFORMAL and first_call is None:
            first_call = f"{member_name} ({relation}, {rows.members[-1]['phone']})"
    first_call = first_call or "de casemanager"

    # Contact agreements and the contacts made on them.
    closed_on = None
    if phase is Phase.CLOSED:
        closed_on = min(today - timedelta(days=1), opened_on + timedelta(days=rng.randint(60, 500)))
    horizon = closed_on or today
    # A few clients drift out of view: every contact stopped weeks ago.
    drifting = phase is not Phase.CLOSED and rng.random() < 0.03
    drift_from = horizon - timedelta(days=rng.randint(45, 120))
    agreement_facts: list[rules.AgreementFacts] = []
    client_last: date | None = None
    all_moments: list[rules.MomentFacts] = []
    for _ in range(rng.choice((2, 3, 3, 3, 4))):
        agreement_id = ids.next("agreements")
        informal = [m for m in members if m[1] is MemberKind.INFORMAL]
        use_member = informal and rng.random() < 0.7
        member = rng.choice(informal) if use_member else None
        channel = rng.choice(CHANNELS_BY_KIND[MemberKind.INFORMAL if member else MemberKind.FORMAL])
        interval: int | None = None
        rule: str | None = None
        if rng.random() < 0.75:
            step = interval = rng.choice(INTERVALS)
        else:
            rule = f"FREQ=WEEKLY;INTERVAL={rng.choice((1, 2))};BYDAY={rng.choice(WEEKDAYS)}"
            step = 7 if "INTERVAL=1" in rule else 14
        start_on = max(opened_on, horizon - timedelta(days=step * rng.randint(4, 9)))
        schedule = Schedule(start_on=start_on, interval_days=interval, rrule=rule)
        last_real: date | None = None
        # Walk the schedule: most contacts on time, some late, some missed at the end.
        fate = rng.random()
        # About 4% long overdue, 8% a little behind, the rest on track.
        stop_early = (
            horizon - timedelta(days=rng.randint(step + 3, step * 4))
            if fate < 0.04
            else horizon - timedelta(days=rng.randint(1, step))
            if fate < 0.12
            else horizon
        )
        if drifting:
            start_on = min(start_on, drift_from - timedelta(days=step * 3))
            schedule = Schedule(start_on=start_on, interval_days=interval, rrule=rule)
            stop_early = drift_from
        due = next_due(schedule, None)
        while due is not None and due <= stop_early:
            on = min(stop_early, due + timedelta(days=rng.choice((-1, 0, 0, 0, 1, 2))))
            outcome = rng.choices(list(Outcome), weights=(80, 12, 8))[0]
            moment_id = ids.next("moments")
            rows.moments.append(
                {
                    "id": moment_id,
                    "client_id": client_id,
                    "agreement_id": agreement_id,
                    "member_id": member[0] if member else None,
                    "user_id": None if member else casemanager,
                    "occurred_on": on,
                    "channel": channel,
                    "outcome": outcome,
                    "note": rng.choice(NOTES),
                    "logged_at": now,
                    "version": 1,
                }
            )
            all_moments.append(rules.MomentFacts(on, outcome, moment_id))
            if outcome in REAL_CONTACT:
                last_real = on if last_real is None else max(last_real, on)
                client_last = on if client_last is None else max(client_last, on)
                due = next_due(schedule, last_real)
            else:
                due = due + timedelta(days=2)
        end_on = closed_on
        active = phase is not Phase.CLOSED
        if member:
            who = performer_text(member[2], member[3], None)
        else:
            who = performer_text(None, None, user_names[casemanager])
        stored_due = next_due(schedule, last_real) if active else None
        rows.agreements.append(
            {
                "id": agreement_id,
                "client_id": client_id,
                "member_id": member[0] if member else None,
                "user_id": None if member else casemanager,
                "channel": channel,
                "description": f"{channel.label} door {who}",
                "interval_days": interval,
                "rrule": rule,
                "start_on": start_on,
                "end_on": end_on,
                "last_contact_on": last_real,
                "next_due": stored_due,
                "snoozed_until": None,
                "snooze_reason": "",
                "active": active,
                # Most agreements are on the client's shared agreements (without drawing from
                # the random stream, so the rest of the demo stays as it was).
                "shared": agreement_id % 5 != 0,
                "version": 1,
            }
        )
        agreement_facts.append(
            rules.AgreementFacts(agreement_id, schedule, last_real, active, None, who)
        )

    # Signaleringsplan and signaleringen.
    signal_ids: dict[SignalPhase, list[int]] = {}
    for signal_phase, texts in SIGNALS.items():
        for position, text in enumerate(rng.sample(texts, k=min(2, len(texts)))):
            signal_id = ids.next("signals")
            signal_ids.setdefault(signal_phase, []).append(signal_id)
            rows.signals.append(
                {
                    "id": signal_id,
                    "client_id": client_id,
                    "phase": signal_phase,
                    "position": position,
                    "signs": text,
                    **PLAN_ACTIONS[signal_phase],
                    "whom_to_call": (
                        f"{first_call}; of de casemanager"
                        if signal_phase is not SignalPhase.RED
                        else f"De casemanager, of buiten kantoortijd de crisisdienst; en {first_call}"
                    ),
                    "version": 1,
                }
            )
    observations: list[rules.ObservationFacts] = []
    seen = sorted(
        (
            horizon - timedelta(days=rng.randint(0, 300)),
            rng.choices(list(SignalPhase), weights=(50, 40, 10))[0],
        )
        for _ in range(rng.choice((0, 0, 1, 2, 3)))
    )
    if seen and seen[-1][1] is not SignalPhase.GREEN and (horizon - seen[-1][0]).days > 21:
        # Most worries are followed up: a groen signalering a week or two later.
        seen.append((seen[-1][0] + timedelta(days=rng.randint(7, 20)), SignalPhase.GREEN))
    for observed_on, signal_phase in seen:
        if observed_on < opened_on or observed_on > horizon:
            continue
        observation_id = ids.next("observations")
        observations.append(rules.ObservationFacts(observation_id, observed_on, signal_phase))
        rows.observations.append(
            {
                "id": observation_id,
                "client_id": client_id,
                "signal_id": rng.choice(signal_ids[signal_phase]),
                "phase": signal_phase,
                "observed_on": observed_on,
                "observed_by": rng.choice(("buurvrouw", "dochter", "casemanager", "huisarts")),
                "member_id": None,
                "user_id": casemanager,
                "note": "",
                "created_at": now,
                "version": 1,
            }
        )

    # Phase history.
    path = [Phase.INTENSIVE, Phase.SCALING_BACK, Phase.IN_VIEW]
    if phase is Phase.CLOSED:
        reached = [*path[: rng.randint(1, 3)], Phase.CLOSED]
    else:
        reached = path[: path.index(phase) + 1]
    span = max(1, ((closed_on or today) - opened_on).days)
    previous: Phase | None = None
    for index, step_phase in enumerate(reached):
        changed_on = opened_on + timedelta(days=span * index // len(reached))
        if step_phase is Phase.CLOSED:
            changed_on = closed_on or today
        rows.phase_changes.append(
            {
                "id": ids.next("phase_changes"),
                "client_id": client_id,
                "from_phase": previous,
                "to_phase": step_phase,
                "changed_on": changed_on,
                "changed_by_id": casemanager,
                "signed_off_by_id": user_ids[0] if step_phase is Phase.IN_VIEW else None,
                "reason": "Aangemeld." if previous is None else "Besproken in het teamoverleg.",
                "recorded_at": now,
            }
        )
        previous = step_phase

    # Stored state, computed with the same rules as the services.
    active_dues = [
        a["next_due"] for a in rows.agreements[-len(agreement_facts) :] if a["next_due"] is not None
    ]
    client_due = min(active_dues) if active_dues else None
    facts = rules.ClientFacts(
        opened_on=opened_on,
        last_contact_on=client_last,
        agreements=agreement_facts,
        recent_moments=[
            m for m in all_moments if client_last is None or m.occurred_on >= client_last
        ],
        observations=[o for o in observations if o.observed_on > today - timedelta(days=366)],
        closed=phase is Phase.CLOSED,
    )
    for condition in rules.evaluate(facts, today, thresholds, grace):
        rows.alerts.append(
            {
                "id": ids.next("alerts"),
                "client_id": client_id,
                "rule": condition.rule,
                "fingerprint": condition.fingerprint,
                "status": AlertStatus.OPEN,
                "reason": condition.reason,
                "raised_on": today,
                "confirmed_by_id": None,
                "confirmed_at": None,
                "resolved_on": None,
                "resolution_note": "",
                "version": 1,
            }
        )
    number = str(100000 + client_id)
    member_names = [m[2] for m in members]
    rows.clients.append(
        {
            "id": client_id,
            "number": number,
            "name": name,
            "birth_date": date(
                today.year - rng.randint(19, 92), rng.randint(1, 12), rng.randint(1, 28)
            ),
            "street": street,
            "house_number": house,
            "postcode": postcode,
            "city": TOWN,
            "phone": f"06-{rng.randint(10000000, 99999999)}",
            "casemanager_id": casemanager,
            "phase": phase,
            "regime": regime,
            "own_words": rng.choice(
                (
                    "Ik wil graag zelfstandig blijven wonen.",
                    "Ik wil minder alleen zijn.",
                    "Ik wil mijn geldzaken weer op orde hebben.",
                    "Ik wil weer naar buiten durven.",
                )
            ),
            "strengths": rng.choice(("Humor, doorzetter", "Goede band met de buren", "Muzikaal")),
            "meaningful": rng.choice(("Kleinkinderen", "De moskee", "Tuinieren", "Voetbal kijken")),
            "opened_on": opened_on,
            "closed_on": closed_on,
            "retention_until": retention_until(closed_on, regime, DEFAULT_TERMS)
            if closed_on
            else None,
            "last_contact_on": client_last,
            "next_due": client_due if phase is not Phase.CLOSED else None,
            "search_text": client_search_text(name, number, street, house, postcode),
            "network_search_text": network_search_text(member_names),
            "evaluated_on": today,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
    )
