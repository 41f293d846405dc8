"""The shared agreements of one client as a document model: only what may be shared.

- Network members appear only with consent to be shared that is not past its review date. The
  others are left out of every field of every format. That includes free text of the
  signaleringsplan and the relations of members who are shown: wherever such text names them
  (any spelling of name, initials, number or e-mail; `domain.mentions`) it says "(niet
  gedeeld)" instead. The person exporting is told how many were left out, and why, and which
  of them were named where.
- Only agreements marked shared, with who performs them. A member left out is "iemand uit
  het netwerk".
- The signaleringsplan per phase (groen, oranje, rood), the casemanager and how to reach them
  (their own number, else the team's office number),
  the team's out-of-hours contact, the date and the export's version number.
- Never internal notes, alerts, observations or anything of another client.

Ended agreements are kept apart (`ended`): a calendar export cancels them so calendars remove
them; the readable formats leave them out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from wijkteam_tui.domain.agreements import has_ended, performer_text
from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.mentions import Person, find_mentions, replace_mentions
from wijkteam_tui.domain.phrases import schedule_text
from wijkteam_tui.domain.terms import MemberKind, SignalPhase
from wijkteam_tui.store.sharing import AgreementFacts, MemberFacts, SharingFacts

NOT_SHARED = "(niet gedeeld)"
SOMEONE = "iemand uit het netwerk"
#: Said by a form that names a member who may not be shared (`naming_cautions`).
NAMING_CAUTION = f"In de gedeelde afspraken komt daar {NOT_SHARED} te staan."
NOT_YET = "nog niet afgesproken"
OFFICE = "kantoor van het team"
SUPPORT_WORDS = {"P": "praktisch", "G": "gezelschap", "A": "advies", "E": "emotioneel"}


@dataclass(frozen=True)
class SharedMember:
    name: str
    relation: str
    kind: MemberKind
    phone: str
    supports: str
    out_of_hours: bool


@dataclass(frozen=True)
class SharedAgreement:
    id: int
    #: Raised each time the agreement was changed (calendar SEQUENCE).
    version: int
    who: str
    channel: str
    how_often: str
    interval_days: int | None
    rrule: str | None
    start_on: date
    end_on: date | None
    next_due: date | None
    #: The performer may be named (a consented member, a medewerker, the casemanager).
    named: bool


@dataclass(frozen=True)
class PlanLine:
    signs: str
    own_actions: str
    network_actions: str
    professional_actions: str
    whom_to_call: str


@dataclass(frozen=True)
class SharedDocument:
    register_id: str
    client_name: str
    team_name: str
    casemanager: str
    casemanager_phone: str
    out_of_hours_name: str
    out_of_hours_phone: str
    out_of_hours_hours: str
    made_on: date
    version: int
    members: list[SharedMember]
    agreements: list[SharedAgreement]
    ended: list[SharedAgreement]
    plan: dict[SignalPhase, list[PlanLine]]
    #: Why members were left out, one sentence each (told to the person exporting).
    left_out: list[str] = field(default_factory=list)

    @property
    def made_on_text(self) -> str:
        return format_date(self.made_on)


def content_digest(doc: SharedDocument) -> str:
    """SHA-256 of what `doc` says, without the day it was made, its version number and the
    list told to the person exporting: the same for unchanged agreements in every format."""
    said = replace(doc, made_on=date.min, version=0, left_out=[])
    return hashlib.sha256(repr(said).encode("utf-8")).hexdigest()


def may_be_shared(member: MemberFacts, today: date) -> bool:
    """Consent recorded, not past its review date, and still in the network (involvement
    not ended)."""
    return (
        member.active
        and member.ended_on is None
        and member.consent_to_share
        and (member.consent_review_on is None or member.consent_review_on >= today)
    )


def _why_left_out(members: list[MemberFacts], today: date) -> list[str]:
    without = [m for m in members if m.active and not m.consent_to_share]
    lapsed = [m for m in members if m.active and m.consent_to_share and not may_be_shared(m, today)]
    reasons = []
    if without:
        n = len(without)
        reasons.append(
            f"{n} {'netwerklid staat' if n == 1 else 'netwerkleden staan'} er niet in: geen"
            " toestemming om in de gedeelde afspraken te staan."
        )
    if lapsed:
        n = len(lapsed)
        reasons.append(
            f"{n} {'netwerklid staat' if n == 1 else 'netwerkleden staan'} er niet in: de"
            " toestemming moest opnieuw gevraagd worden (vervallen)."
        )
    return reasons


def why_not_named(member: MemberFacts, today: date) -> str:
    """Why `member` (who may not be shared) may not be named: "die niet heeft ingestemd met
    delen", as a form and the person exporting say it."""
    if member.ended_on is not None:  # ending withdraws consent: say the reason that counts
        return "die niet meer bij het netwerk betrokken is"
    if not member.consent_to_share:
        return "die niet heeft ingestemd met delen"
    if member.consent_review_on is not None and member.consent_review_on < today:
        return "van wie de toestemming om te delen is vervallen"
    return "die niet meer in het netwerk is"


def unnamed_people(members: list[MemberFacts], today: date) -> list[tuple[Person, MemberFacts]]:
    """The members free text may not name today, as people to look for."""
    return [(Person(m.name, m.phone, m.email), m) for m in members if not may_be_shared(m, today)]


def naming_cautions(
    facts: SharingFacts, today: date, texts: dict[str, str], member_id: int | None = None
) -> dict[str, str]:
    """Per field of `texts` that names a member who may not be shared (other than `member_id`,
    whose own form it is): "noemt Kees Geheim, die niet heeft ingestemd met delen"."""
    hidden = dict(unnamed_people([m for m in facts.members if m.id != member_id], today))
    named = [m.name for m in facts.members if may_be_shared(m, today)]
    named += [facts.client_name, facts.casemanager]
    cautions = {}
    for name, text in texts.items():
        people = dict.fromkeys(m.person for m in find_mentions(text, hidden, named))
        if people:
            cautions[name] = "noemt " + " en ".join(
                f"{person.name}, {why_not_named(hidden[person], today)}" for person in people
            )
    return cautions


#: Free text in a document: (where, the text) → the text to print.
_Clean = Callable[[str, str], str]


def _cleaner(facts: SharingFacts, today: date) -> tuple[_Clean, Callable[[], list[str]]]:
    """A function that replaces mentions of members left out, and one that says afterwards,
    one sentence per member named, where and why."""
    hidden = dict(unnamed_people(facts.members, today))
    named = [m.name for m in facts.members if may_be_shared(m, today)]
    named += [facts.client_name, facts.casemanager]
    places: dict[Person, list[str]] = {}

    def clean(where: str, text: str) -> str:
        text = text.strip()
        mentions = find_mentions(text, hidden, named)
        for mention in mentions:
            seen = places.setdefault(mention.person, [])
            if where not in seen:
                seen.append(where)
        return replace_mentions(text, mentions, NOT_SHARED)

    def told() -> list[str]:
        return [
            f"{person.name}, {why_not_named(hidden[person], today)}, wordt genoemd in"
            f" {'; '.join(where)}: daar staat {NOT_SHARED}."
            for person, where in places.items()
        ]

    return clean, told


def _agreement(
    a: AgreementFacts, members: dict[int, MemberFacts], shared_ids: set[int]
) -> SharedAgreement:
    member = members.get(a.member_id) if a.member_id is not None else None
    if member is not None and member.id not in shared_ids:
        who, named = SOMEONE, False
    else:
        who = performer_text(
            member.name if member else None, member.relation if member else None, a.medewerker
        )
        named = True
    return SharedAgreement(
        id=a.id,
        version=a.version,
        who=who,
        channel=a.channel.label,
        how_often=schedule_text(a.interval_days, a.rrule),
        interval_days=a.interval_days,
        rrule=a.rrule,
        start_on=a.start_on,
        end_on=a.end_on,
        next_due=a.next_due,
        named=named,
    )


def build(facts: SharingFacts, today: date, version: int) -> SharedDocument:
    """The document for `facts` on `today`, as export number `version` of this client."""
    clean, named_where = _cleaner(facts, today)
    shared = [
        replace(m, relation=clean(f"de relatie van {m.name}", m.relation))
        for m in facts.members
        if may_be_shared(m, today)
    ]
    shared_ids = {m.id for m in shared}
    by_id = {m.id: m for m in facts.members} | {m.id: m for m in shared}

    agreements: list[SharedAgreement] = []
    ended: list[SharedAgreement] = []
    for a in facts.agreements:
        if not a.shared:
            continue
        item = _agreement(a, by_id, shared_ids)
        over = not a.active or has_ended(a.end_on, today)
        (ended if over else agreements).append(item)
    plan: dict[SignalPhase, list[PlanLine]] = {phase: [] for phase in SignalPhase}
    for row in facts.plan:
        where = f"het signaleringsplan ({row.phase.label}"
        plan[row.phase].append(
            PlanLine(
                clean(f"{where}, signalen)", row.signs),
                clean(f"{where}, wat ik zelf doe)", row.own_actions),
                clean(f"{where}, wat mijn netwerk doet)", row.network_actions),
                clean(f"{where}, wat de professional doet)", row.professional_actions),
                clean(f"{where}, wie bel ik)", row.whom_to_call),
            )
        )
    return SharedDocument(
        register_id=facts.register_id,
        client_name=facts.client_name,
        team_name=facts.team_name,
        casemanager=facts.casemanager,
        casemanager_phone=phone_to_call(facts),
        out_of_hours_name=facts.out_of_hours_name,
        out_of_hours_phone=facts.out_of_hours_phone,
        out_of_hours_hours=facts.out_of_hours_hours,
        made_on=today,
        version=version,
        members=[
            SharedMember(
                m.name,
                m.relation,
                m.kind,
                m.phone,
                ", ".join(SUPPORT_WORDS[ch] for ch in m.supports if ch in SUPPORT_WORDS),
                m.out_of_hours,
            )
            for m in shared
        ],
        agreements=agreements,
        ended=ended,
        plan=plan,
        left_out=_why_left_out(facts.members, today) + named_where() + _unshared(facts),
    )


def phone_to_call(facts: SharingFacts) -> str:
    """The number printed beside the casemanager: their own, else the team's office number
    (said to be the office's), else none."""
    if facts.casemanager_phone:
        return facts.casemanager_phone
    return f"{facts.office_phone} ({OFFICE})" if facts.office_phone else ""


def _unshared(facts: SharingFacts) -> list[str]:
    n = sum(1 for a in facts.agreements if a.active and not a.shared)
    if not n:
        return []
    return [
        f"{n} {'afspraak is' if n == 1 else 'afspraken zijn'} niet als gedeeld gemarkeerd"
        f" (tab Afspraken, e) en {'staat' if n == 1 else 'staan'} er niet in."
    ]
