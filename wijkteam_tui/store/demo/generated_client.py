"""One fictitious client as rows: the client, their network, about three contact agreements,
about twenty contact moments over up to two years, a signaleringsplan, signaleringen and the
alerts the domain rules raise, with explicit ids so that rows can point to each other before
any insert (store/demo/generator.py writes them in batches).
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from wijkteam_tui.domain import client_facts as known
from wijkteam_tui.domain import thresholds as rules
from wijkteam_tui.domain.agreements import performer_text
from wijkteam_tui.domain.network import CONSENT_REVIEW_DAYS
from wijkteam_tui.domain.reevaluation import next_change
from wijkteam_tui.domain.retention import DEFAULT_TERMS, retention_until
from wijkteam_tui.domain.schedules import REAL_CONTACT, Schedule, next_due
from wijkteam_tui.domain.search import client_search_text, network_search_text
from wijkteam_tui.domain.terms import (
    AlertStatus,
    MemberKind,
    Outcome,
    Phase,
    Regime,
    SignalPhase,
)
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.demo.fictitious import (
    CHANNELS_BY_KIND,
    FIRST_NAMES,
    INTERVALS,
    LAST_NAMES,
    NOTES,
    PLAN_ACTIONS,
    RELATIONS_FORMAL,
    RELATIONS_INFORMAL,
    RESOURCES,
    SIGNALS,
    STREETS,
    TOWN,
    WEEKDAYS,
)
from wijkteam_tui.store.demo.generated_neighbourhood import area_postcode, visits_of
from wijkteam_tui.store.demo.generated_outcomes import outcomes_of
from wijkteam_tui.store.models import (
    Alert,
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    Observation,
    PhaseChange,
    Signal,
)
from wijkteam_tui.store.outcomes.models import Assessment, AssessmentScore


class Ids:
    """Explicit primary keys, so that rows can point to each other before any insert."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def next(self, table: str) -> int:
        value = self.counters.get(table, 0) + 1
        self.counters[table] = value
        return value


class Rows:
    def __init__(self) -> None:
        self.clients: list[dict[str, Any]] = []
        self.members: list[dict[str, Any]] = []
        self.agreements: list[dict[str, Any]] = []
        self.moments: list[dict[str, Any]] = []
        self.signals: list[dict[str, Any]] = []
        self.observations: list[dict[str, Any]] = []
        self.phase_changes: list[dict[str, Any]] = []
        self.alerts: list[dict[str, Any]] = []
        self.assessments: list[dict[str, Any]] = []
        self.assessment_scores: list[dict[str, Any]] = []

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
            (Assessment, self.assessments),
            (AssessmentScore, self.assessment_scores),
        ):
            if rows:
                session.execute(insert(model), rows)


def _address(name: str, member_id: int) -> str:
    """A fictitious address of a demo member: "fenna.de.vries.1234@netwerk.example" (two
    people of the same name are two addresses, as they are two people)."""
    plain = unicodedata.normalize("NFKD", name.lower().replace("ı", "i"))
    words = ("".join(c for c in word if "a" <= c <= "z") for word in plain.split())
    return ".".join(word for word in words if word) + f".{member_id}@netwerk.example"


def add_client(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
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
    # Drawn as before (four digits, two letters); the digits become one of the team's areas.
    postcode = area_postcode(
        rng.randint(1000, 9999),
        f"{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}",
    )

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
        # Drawn in this order: the demo's register stays the same as before.
        phone = f"06-{rng.randint(10000000, 99999999)}"
        availability = rng.choice(("", "doordeweeks", "avonden", "weekend"))
        consent = rng.random() < 0.7
        # Every other informal member who consented to be shared also has an e-mail address
        # and is reminded of their agreements by mail (fictitious: the .example domain).
        reminded = consent and kind is MemberKind.INFORMAL and member_id % 2 == 0
        rows.members.append(
            {
                "id": member_id,
                "client_id": client_id,
                "name": member_name,
                "relation": relation,
                "kind": kind,
                "resource_id": resource_id,
                "supports": supports,
                "phone": phone,
                "email": _address(member_name, member_id) if reminded else "",
                "availability": availability,
                "consent_to_share": consent,
                "consent_recorded_on": opened_on + timedelta(days=14),
                "remind_by_mail": reminded,
                "remind_consent_on": opened_on + timedelta(days=14) if reminded else None,
                "remind_review_on": (
                    opened_on + timedelta(days=14 + CONSENT_REVIEW_DAYS) if reminded else None
                ),
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
    agreement_facts: list[known.AgreementFacts] = []
    client_last: date | None = None
    all_moments: list[known.MomentFacts] = []
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
            all_moments.append(known.MomentFacts(on, outcome, moment_id))
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
                "casemanager_id": casemanager,
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
            known.AgreementFacts(agreement_id, schedule, last_real, active, None, who)
        )

    # A volunteer from the buurt, who visits a few of the team's clients.
    if phase is not Phase.CLOSED and not drifting:
        visits = visits_of(client_id, ids, opened_on, today, casemanager, now)
        if visits.member is not None and visits.agreement and visits.facts:
            rows.members.append(visits.member)
            members.append((visits.member["id"], MemberKind.INFORMAL, visits.member["name"], ""))
            rows.agreements.append(visits.agreement)
            agreement_facts.append(visits.facts)
            rows.moments += visits.moments
            all_moments += visits.moment_facts
            if visits.last_real is not None:
                client_last = max(client_last or visits.last_real, visits.last_real)

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
    observations: list[known.ObservationFacts] = []
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
        observations.append(known.ObservationFacts(observation_id, observed_on, signal_phase))
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
    came_in_view: date | None = None
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
        if step_phase is Phase.IN_VIEW:
            came_in_view = changed_on
    outcomes = outcomes_of(
        client_id, ids, opened_on, closed_on or today, casemanager, now,
        in_view=phase is Phase.IN_VIEW,
    )  # fmt: skip
    rows.assessments += outcomes.assessments
    rows.assessment_scores += outcomes.scores

    # Stored state, computed with the same rules as the services.
    active_dues = [
        a["next_due"] for a in rows.agreements[-len(agreement_facts) :] if a["next_due"] is not None
    ]
    client_due = min(active_dues) if active_dues else None
    facts = known.ClientFacts(
        opened_on=opened_on,
        last_contact_on=client_last,
        agreements=agreement_facts,
        recent_moments=[
            m for m in all_moments if client_last is None or m.occurred_on >= client_last
        ],
        observations=[
            o for o in observations if o.observed_on > today - timedelta(days=rules.MAX_WINDOW_DAYS)
        ],
        closed=phase is Phase.CLOSED,
        zrm=outcomes.zrm,
        last_assessed_on=outcomes.last_assessed_on,
        in_view_since=came_in_view if phase is Phase.IN_VIEW else None,
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
            "reevaluate_on": next_change(facts, today, thresholds, grace),
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
    )
