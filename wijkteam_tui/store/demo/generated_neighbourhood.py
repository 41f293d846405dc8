"""The neighbourhood of a fictitious register: volunteers from the buurt who each visit a few
clients (the Buurt view's steunpersonen), and the postcode areas a wijkteam works in.

One open file in nine gets a volunteer; the volunteers take them in turns of 5, 2, 3, 2, 4 and
2 clients, so that in every 18 such clients one volunteer carries five (a signal) and one four.
A volunteer is the same person in every network: one name, phone number and e-mail address.
Drawn from a random stream of the client's own, so that the rest of the demo stays as it
was."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from wijkteam_tui.domain import client_facts as known
from wijkteam_tui.domain.agreements import performer_text
from wijkteam_tui.domain.schedules import REAL_CONTACT, Schedule, next_due
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome
from wijkteam_tui.store.demo.fictitious import FIRST_NAMES, LAST_NAMES

#: The postcode areas of Middelwijk: a client's four digits become one of these.
AREAS = ("7271", "7272", "7273", "7274", "7275", "7276")
#: One open file in `EVERY` has a volunteer from the buurt.
EVERY = 9
#: Which volunteer takes the k-th such client, in turns of 18: 5, 2, 3, 2, 4 and 2 clients.
_TURNS = (0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 4, 5, 5)
_FIRST = ("Fenna de Vries", "Gerrit Bos", "Samira El Idrissi", "Wim Hoekstra", "Agnes Dijkman")


def area_postcode(drawn: int, letters: str) -> str:
    """A postcode in Middelwijk from the four digits the stream drew (the draw stays)."""
    return f"{AREAS[drawn % len(AREAS)]} {letters}"


def volunteer_of(client_id: int) -> int | None:
    """Which volunteer visits this client (None: none does)."""
    if client_id % EVERY != 4:
        return None
    k = client_id // EVERY
    return len(set(_TURNS)) * (k // len(_TURNS)) + _TURNS[k % len(_TURNS)]


def volunteer(index: int) -> tuple[str, str, str]:
    """The volunteer's name, phone number and e-mail address: the same in every network."""
    if index < len(_FIRST):
        name = _FIRST[index]
    else:
        first = FIRST_NAMES[index * 7 % len(FIRST_NAMES)]
        name = f"{first} {LAST_NAMES[index * 11 % len(LAST_NAMES)]}"
    return name, f"06-41{index:06d}", f"vrijwilliger{index}@buurtwerk.example"


@dataclass
class Visits:
    member: dict[str, Any] | None = None
    agreement: dict[str, Any] | None = None
    moments: list[dict[str, Any]] = field(default_factory=list)
    facts: known.AgreementFacts | None = None
    moment_facts: list[known.MomentFacts] = field(default_factory=list)
    last_real: date | None = None


def visits_of(
    client_id: int,
    ids: Any,
    opened_on: date,
    today: date,
    casemanager: int,
    now: Any,
) -> Visits:
    """The volunteer of an open file, their weekly or fortnightly visit since a few months,
    and the visits made: most, except that the first volunteer of each turn lets more slip in
    the last twelve weeks (the Buurt view shows the kept share falling)."""
    made = Visits()
    index = volunteer_of(client_id)
    if index is None:
        return made
    rng = random.Random(f"buurt-{client_id}-{opened_on.isoformat()}")
    name, phone, email = volunteer(index)
    member_id = int(ids.next("members"))
    made.member = {
        "id": member_id, "client_id": client_id, "name": name, "relation": "vrijwilliger",
        "kind": MemberKind.INFORMAL, "resource_id": None, "supports": "PG", "phone": phone,
        "email": email, "availability": "doordeweeks", "consent_to_share": True,
        "consent_recorded_on": opened_on, "remind_by_mail": False, "remind_consent_on": None,
        "remind_review_on": None, "notes": "Vrijwilliger van het buurtwerk.", "active": True,
        "version": 1,
    }  # fmt: skip
    # The two who carry the most visit weekly, the others every fortnight.
    interval = 7 if index % len(set(_TURNS)) in (0, 4) else 14
    start_on = max(opened_on, today - timedelta(days=170))
    schedule = Schedule(start_on=start_on, interval_days=interval)
    agreement_id = int(ids.next("agreements"))
    slipping = index % len(set(_TURNS)) == 0
    due = next_due(schedule, None)
    while due is not None and due < today:
        recent = (today - due).days < 84
        kept = rng.random() < (0.55 if slipping and recent else 0.95)
        outcome = Outcome.GOOD if kept else Outcome.NOT_REACHED
        moment_id = int(ids.next("moments"))
        made.moments.append(
            {
                "id": moment_id, "client_id": client_id, "agreement_id": agreement_id,
                "member_id": member_id, "user_id": None, "occurred_on": due,
                "channel": Channel.VISIT, "outcome": outcome,
                "note": "Samen boodschappen gedaan." if kept else "Niet thuis.",
                "logged_at": now, "version": 1,
            }
        )  # fmt: skip
        made.moment_facts.append(known.MomentFacts(due, outcome, moment_id))
        if outcome in REAL_CONTACT:
            made.last_real = due
            due = next_due(schedule, due)
        else:
            due += timedelta(days=interval)
    who = performer_text(name, "vrijwilliger", None)
    made.agreement = {
        "id": agreement_id, "client_id": client_id, "member_id": member_id, "user_id": None,
        "casemanager_id": casemanager, "channel": Channel.VISIT,
        "description": f"{Channel.VISIT.label} door {who}", "interval_days": interval,
        "rrule": None,
        "start_on": start_on, "end_on": None, "last_contact_on": made.last_real,
        "next_due": next_due(schedule, made.last_real), "snoozed_until": None,
        "snooze_reason": "", "active": True, "shared": True, "version": 1,
    }  # fmt: skip
    made.facts = known.AgreementFacts(agreement_id, schedule, made.last_real, True, None, who)
    return made
