"""The network and agreement rows of an import planned against a client of the register: a
member found by name (each of the client's members stands for one row at most, so two of one
name stay two), written only where the file differs from the form's own keeping; an agreement
with someone of the client's network or a colleague, made unless the client has it already
(the same person, channel and schedule, however the rule is spelled) with that last contact
or a later one."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from wijkteam_tui.caseload.entries import AgreementEntry, ClientEntry, MemberEntry, Where
from wijkteam_tui.domain.dates import CONTACT_BEFORE_OPENING, format_date
from wijkteam_tui.domain.phrases import schedule_text
from wijkteam_tui.domain.search import fold
from wijkteam_tui.domain.terms import MemberKind, Support
from wijkteam_tui.store.imported import ImportedAgreement, ImportedMember
from wijkteam_tui.store.read.caseload import KnownClient, KnownUser
from wijkteam_tui.store.records import AgreementInput, MemberInput

#: "Bram (medewerker)": a colleague, also where the client's network has a Bram (the way
#: `export team` writes a medewerker who makes contact).
MEDEWERKER_SUFFIX = re.compile(r"(.+?)\s*\(medewerker\)", re.IGNORECASE)
#: The fields of a network row: the MemberEntry attribute each is read into, and the
#: MemberInput field it fills.
_MEMBER_FIELDS = {
    "relation": ("relation", "relation"), "member_kind": ("kind", "kind"),
    "ring": ("ring", "ring"), "supports": ("supports", "supports"),
    "member_phone": ("phone", "phone"), "email": ("email", "email"),
    "consent": ("consent", "consent_to_share"), "consent_on": ("consent_on", "consent_on"),
    "consent_review_on": ("consent_review_on", "consent_review_on"),
    "remind": ("remind", "remind_by_mail"), "remind_on": ("remind_on", "remind_on"),
    "remind_review_on": ("remind_review_on", "remind_review_on"),
    "availability": ("availability", "availability"), "member_notes": ("notes", "notes"),
    "out_of_hours": ("out_of_hours", "out_of_hours"),
}  # fmt: skip


class NetworkPlanner:
    """Plans a client's network and agreement rows; `refuse` records a row's problem, `user`
    finds a colleague by user name or full name."""

    def __init__(
        self,
        refuse: Callable[[Where, str, str], None],
        today: date,
        user: Callable[[str], KnownUser | None],
    ) -> None:
        self.refuse, self.today, self.user = refuse, today, user

    def members(self, entry: ClientEntry, found: KnownClient | None) -> list[ImportedMember]:
        taken: set[int] = set()
        return [
            m for member in entry.members if (m := self.member(member, found, taken)) is not None
        ]

    def member(
        self, member: MemberEntry, found: KnownClient | None, taken: set[int]
    ) -> ImportedMember | None:
        """The member to write, None when the register has them like this already (by name:
        each of the client's members stands for one row at most, so two of one name stay
        two)."""
        existing = None
        if found is not None:
            existing = next(
                (
                    m
                    for m in found.members
                    if m.id not in taken and fold(m.data.name) == fold(member.name)
                ),
                None,
            )
            if existing is not None:
                taken.add(existing.id)
        base = (
            _as_the_form_keeps(existing.data)
            if existing is not None
            else MemberInput(name=member.name, kind=MemberKind.INFORMAL)
        )
        changes: dict[str, Any] = {}
        for key, (read, attribute) in _MEMBER_FIELDS.items():
            value = getattr(member, read)
            if key in member.present and value not in ("", None):
                changes[attribute] = value
        data = _as_the_form_keeps(replace(base, **changes))
        for given, on, column in (
            (data.consent_to_share, data.consent_on, "Toestemming op"),
            (data.remind_by_mail, data.remind_on, "Herinneren sinds"),
        ):
            if given and on is None:
                self.refuse(
                    member.where,
                    column,
                    f"toestemming van {member.name} zonder datum: wanneer is die gegeven?",
                )
                return None
            if on is not None and on > self.today:
                self.refuse(member.where, column, "deze datum ligt in de toekomst.")
                return None
        if data.remind_by_mail and not data.email:
            self.refuse(
                member.where,
                "E-mail",
                f"herinneren per mail kan alleen met een e-mailadres van {member.name}.",
            )
            return None
        if existing is not None and data == base:
            return None
        return ImportedMember(data, existing.id if existing is not None else None)

    def agreements(
        self, entry: ClientEntry, found: KnownClient | None, members: list[ImportedMember]
    ) -> list[ImportedAgreement]:
        names = {fold(m.data.name) for m in members}
        if found is not None:
            names |= {fold(m.data.name) for m in found.members}
        start = entry.opened_on or (found.data.opened_on if found is not None else self.today)
        planned = []
        # Which of the client's agreements a row stands for already: each one row at most,
        # so that two alike agreements stay two.
        taken: set[int] = set()
        for agreement in entry.agreements:
            item = self.agreement(agreement, names, found, start, taken)
            if item is not None:
                planned.append(item)
        return planned

    def agreement(
        self,
        agreement: AgreementEntry,
        member_names: set[str],
        found: KnownClient | None,
        start: date,
        taken: set[int],
    ) -> ImportedAgreement | None:
        """The agreement to write (or whose last contact to log), None when the register has
        it like this already."""
        member_name, user_id = "", None
        colleague = MEDEWERKER_SUFFIX.fullmatch(agreement.who)
        if agreement.who and not colleague and fold(agreement.who) in member_names:
            member_name = agreement.who
        elif agreement.who:
            user = self.user(colleague.group(1) if colleague else agreement.who)
            if user is None:
                self.refuse(
                    agreement.where,
                    "Wie",
                    f"'{agreement.who}' staat niet in het netwerk van deze cliënt en is geen"
                    " medewerker; zet hem of haar op het blad Netwerk of in deze rij.",
                )
                return None
            user_id = user.id
        if agreement.last_contact is not None and agreement.last_contact > self.today:
            self.refuse(agreement.where, "Laatste contact", "deze datum ligt in de toekomst.")
            return None
        if agreement.last_contact is not None and agreement.last_contact < (
            start - CONTACT_BEFORE_OPENING
        ):
            self.refuse(
                agreement.where,
                "Laatste contact",
                f"ligt ver voor de start van het dossier ({format_date(start)}); een contact kan"
                " tot een jaar ervoor.",
            )
            return None
        start_on = agreement.start_on or start
        if agreement.end_on is not None and agreement.end_on < start_on:
            self.refuse(
                agreement.where,
                "Einde",
                f"ligt voor de start van de afspraak ({day_text(start_on)}).",
            )
            return None
        data = AgreementInput(
            channel=agreement.channel,
            start_on=start_on,
            end_on=agreement.end_on,
            shared=agreement.shared,
            user_id=user_id,
            interval_days=agreement.how.interval_days,
            rrule=agreement.how.rrule,
            description=agreement.description,
        )
        if found is not None and self._already(found, member_name, data, agreement, taken):
            return None
        return ImportedAgreement(data, member_name, agreement.last_contact)

    def _already(
        self,
        found: KnownClient,
        member_name: str,
        data: AgreementInput,
        entry: AgreementEntry,
        taken: set[int],
    ) -> bool:
        """Whether the client has this agreement (the same person, channel and schedule, not
        taken by an earlier row) with this last contact or a later one."""
        member_id = next(
            (m.id for m in found.members if member_name and fold(m.data.name) == fold(member_name)),
            None,
        )
        user_id = data.user_id
        if member_id is None and user_id is None:
            user_id = found.data.casemanager_id
        schedule = schedule_text(data.interval_days, data.rrule)
        for index, known in enumerate(found.agreements):
            if index in taken:
                continue
            if (known.member_id, known.user_id, known.channel) == (
                member_id,
                user_id,
                data.channel,
            ) and schedule_text(known.interval_days, known.rrule) == schedule:
                taken.add(index)
                last = known.last_contact_on
                return entry.last_contact is None or (
                    last is not None and last >= entry.last_contact
                )
        return False


def _as_the_form_keeps(member: MemberInput) -> MemberInput:
    """A member as the form stores them: each consent's dates only with that consent, the
    support types in their order. What differs only in this is the same member."""
    supports = "".join(s.value for s in Support if s.value in member.supports)
    member = replace(member, supports=supports)
    if not member.consent_to_share:
        member = replace(member, consent_on=None, consent_review_on=None)
    if not member.remind_by_mail:
        member = replace(member, remind_on=None, remind_review_on=None)
    return member


def day_text(value: date | None) -> str:
    return f"{value.day}-{value.month}-{value.year}" if value is not None else "onbekend"
