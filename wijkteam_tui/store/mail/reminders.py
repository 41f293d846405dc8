"""The reminders to the network as the register keeps them: which are due today, claiming one
before it is sent, recording how it went, the team's wording and sensitive words, and what
went out (store side of mail/remind.py).

At most once: a reminder is claimed (a row "bezig", unique per agreement, moment and kind) in a
committed transaction before it is sent, and recorded as sent or failed afterwards. A run that
stops in between leaves it "bezig"; the next run marks it "onderbroken" (it may have gone out)
and never sends it again. A failed one ("mislukt": the server, the login, the address) is tried
again by the next run while its moment lasts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from wijkteam_tui.domain.phrases import schedule_text
from wijkteam_tui.domain.reminders import (
    BEFORE,
    RETRY,
    RETRY_DAYS,
    TEXT_KEYS,
    Filling,
    Text,
    TextError,
    before_is_due,
    check_text,
    default_text,
    retry_is_due,
    sensitive_words,
)
from wijkteam_tui.domain.terms import Channel, Outcome, Phase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.cover.access import open_ids
from wijkteam_tui.store.cover.current import away_today
from wijkteam_tui.store.mail.config import REFUSAL
from wijkteam_tui.store.mail.models import MailSettings, MailText, Reminder
from wijkteam_tui.store.models import (
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    TeamSettings,
    User,
)
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import acting_teamleider

#: A candidate row (agreement, member, client) with (kind, moment, niet-bereikt date).
Found = tuple[Any, tuple[str, date, date | None]]
#: The statuses of a reminder.
CLAIMED, SENT, FAILED, INTERRUPTED = "bezig", "verzonden", "mislukt", "onderbroken"
#: The most days before a moment a reminder goes (store/write/agreements.py MAX_REMIND_DAYS).
_WINDOW = 14
#: A claim older than this with no outcome was left by a run that stopped.
STALE_CLAIM = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Due:
    """A reminder that goes out today: to whom, for which moment, and what it may say."""

    client_id: int
    client_number: str
    agreement_id: int
    member_id: int
    address: str
    kind: str
    due_on: date
    channel: Channel
    filling: Filling
    casemanager_id: int | None
    #: A failed earlier try of this very reminder (id, version), tried again.
    earlier: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Claimed:
    reminder_id: int
    version: int


def due_reminders(register: Register, today: date, *, casemanager: int | None = None) -> list[Due]:
    """Every reminder that should go out today and has not gone (nor is going) out; with
    `casemanager`, only for that medewerker's clients."""
    with register.read() as session:
        team = session.get(TeamSettings, 1)
        assert team is not None
        found = [*_before(session, today, casemanager), *_retries(session, today, casemanager)]
        # A medewerker whom the team lets open only the clients he works for sends (and sees)
        # only theirs; a teamleider's run, or a timer's as one, sends the team's.
        mine = open_ids(register, session.connection(), today)
        if mine is not None:
            found = [(row, when) for row, when in found if row.client_id in mine]
        if not found:
            return []
        done = _done(session, found)
        # A casemanager away today: the message names whoever covers them.
        covers = {
            away.user_id: away.cover_id
            for away in away_today(session.connection(), today)
            if away.cover_id is not None
        }
        users = _users(session, {row.casemanager_id for row, _ in found} | set(covers.values()))
    due = []
    for row, (kind, due_on, attempt_on) in found:
        earlier = done.get((row.agreement_id, due_on, kind))
        if earlier is not None and earlier[0] != FAILED:
            continue
        name, phone = users.get(covers.get(row.casemanager_id, row.casemanager_id), ("", ""))
        filling = Filling(
            member_name=row.member_name,
            client_name=row.client_name,
            how_often=schedule_text(row.interval_days, row.rrule),
            due_on=due_on,
            casemanager=name or f"het {team.team_name}",
            phone=phone or team.office_phone,
            team=team.team_name,
            attempt_on=attempt_on,
        )
        due.append(
            Due(
                row.client_id,
                row.client_number,
                row.agreement_id,
                row.member_id,
                row.address,
                kind,
                due_on,
                row.channel,
                filling,
                row.casemanager_id,
                earlier[1:] if earlier is not None else None,
            )
        )
    return sorted(due, key=lambda d: (d.due_on, d.client_number, d.agreement_id, d.kind))


def _reminded(today: date, casemanager: int | None) -> list[Any]:
    """The conditions every reminder meets: an agreement going on, a member who consented to
    be reminded (not past its review date) with an address, a file not closed."""
    conditions: list[Any] = [
        ContactAgreement.active.is_(True),
        ContactAgreement.remind_days_before.is_not(None),
        or_(ContactAgreement.snoozed_until.is_(None), ContactAgreement.snoozed_until < today),
        or_(ContactAgreement.end_on.is_(None), ContactAgreement.end_on >= today),
        NetworkMember.remind_by_mail.is_(True),
        NetworkMember.active.is_(True),
        NetworkMember.email != "",
        or_(NetworkMember.remind_review_on.is_(None), NetworkMember.remind_review_on >= today),
        Client.phase != Phase.CLOSED,
    ]
    if casemanager is not None:
        conditions.append(ContactAgreement.casemanager_id == casemanager)
    return conditions


def _columns() -> tuple[Any, ...]:
    return (
        ContactAgreement.id.label("agreement_id"),
        ContactAgreement.client_id,
        ContactAgreement.member_id,
        ContactAgreement.channel,
        ContactAgreement.interval_days,
        ContactAgreement.rrule,
        ContactAgreement.next_due,
        ContactAgreement.remind_days_before,
        ContactAgreement.casemanager_id,
        NetworkMember.name.label("member_name"),
        NetworkMember.email.label("address"),
        Client.name.label("client_name"),
        Client.number.label("client_number"),
    )


def _before(session: Session, today: date, casemanager: int | None) -> list[Found]:
    rows = session.execute(
        select(*_columns())
        .join(NetworkMember, NetworkMember.id == ContactAgreement.member_id)
        .join(Client, Client.id == ContactAgreement.client_id)
        .where(
            ContactAgreement.next_due >= today,
            ContactAgreement.next_due <= today + timedelta(days=_WINDOW),
            *_reminded(today, casemanager),
        )
    ).all()
    return [
        (row, (BEFORE, row.next_due, None))
        for row in rows
        if before_is_due(row.next_due, row.remind_days_before, today)
    ]


def _retries(session: Session, today: date, casemanager: int | None) -> list[Found]:
    """Agreements whose latest contact was niet bereikt, at most RETRY_DAYS ago."""
    later = aliased(ContactMoment)
    rows = session.execute(
        select(*_columns(), ContactMoment.occurred_on)
        .join(ContactAgreement, ContactAgreement.id == ContactMoment.agreement_id)
        .join(NetworkMember, NetworkMember.id == ContactAgreement.member_id)
        .join(Client, Client.id == ContactAgreement.client_id)
        .where(
            ContactMoment.outcome == Outcome.NOT_REACHED,
            # Their own attempt: not the casemanager's, nor one before the agreement moved.
            ContactMoment.member_id == ContactAgreement.member_id,
            ContactMoment.occurred_on >= today - timedelta(days=RETRY_DAYS),
            ContactMoment.occurred_on <= today,
            ~select(later.id)
            .where(
                later.agreement_id == ContactMoment.agreement_id,
                or_(
                    later.occurred_on > ContactMoment.occurred_on,
                    and_(
                        later.occurred_on == ContactMoment.occurred_on,
                        later.id > ContactMoment.id,
                    ),
                ),
            )
            .exists(),
            *_reminded(today, casemanager),
        )
    ).all()
    return [
        (row, (RETRY, row.occurred_on, row.occurred_on))
        for row in rows
        if retry_is_due(row.occurred_on, today)
    ]


def _done(
    session: Session, found: Sequence[Found]
) -> dict[tuple[int, date, str], tuple[str, int, int]]:
    """(agreement, moment, kind) → (status, id, version) of the reminders already there."""
    ids = sorted({row.agreement_id for row, _ in found})
    done: dict[tuple[int, date, str], tuple[str, int, int]] = {}
    for start in range(0, len(ids), 500):
        for r in session.execute(
            select(
                Reminder.agreement_id,
                Reminder.due_on,
                Reminder.kind,
                Reminder.status,
                Reminder.id,
                Reminder.version,
            ).where(Reminder.agreement_id.in_(ids[start : start + 500]))
        ):
            done[(r.agreement_id, r.due_on, r.kind)] = (r.status, r.id, r.version)
    return done


def _users(session: Session, ids: set[int | None]) -> dict[int | None, tuple[str, str]]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return {
        row.id: (row.display_name or row.name, row.phone)
        for row in session.execute(
            select(User.id, User.name, User.display_name, User.phone).where(User.id.in_(wanted))
        )
    }


# --- claiming and recording ------------------------------------------------------------------


def claim(register: Register, due: Due, message_id: str, today: date) -> Claimed | None:
    """Claim `due` before it is sent (committed); None when another run has it or sent it, or
    when it should no longer go (consent withdrawn, the agreement ended or put aside, the file
    closed while the run was under way)."""
    with register.write(client=due.client_id) as session:
        still = session.scalar(
            select(ContactAgreement.id)
            .join(NetworkMember, NetworkMember.id == ContactAgreement.member_id)
            .join(Client, Client.id == ContactAgreement.client_id)
            .where(
                ContactAgreement.id == due.agreement_id,
                NetworkMember.id == due.member_id,
                NetworkMember.email == due.address,
                *_reminded(today, None),
            )
        )
        if still is None:
            return None
        row = session.scalar(
            select(Reminder).where(
                Reminder.agreement_id == due.agreement_id,
                Reminder.due_on == due.due_on,
                Reminder.kind == due.kind,
            )
        )
        if row is None:
            row = Reminder(
                client_id=due.client_id,
                agreement_id=due.agreement_id,
                member_id=due.member_id,
                due_on=due.due_on,
                kind=due.kind,
                address=due.address,
                status=CLAIMED,
                attempts=1,
                message_id=message_id,
                user_id=register.user.id if register.user else None,
            )
            session.add(row)
        elif row.status == FAILED:
            row.status, row.attempts = CLAIMED, row.attempts + 1
            row.address, row.message_id, row.error = due.address, message_id, ""
            row.claimed_at = utc_now()
            row.user_id = register.user.id if register.user else None
        else:
            return None
        session.flush()
        return Claimed(row.id, row.version)


def record(
    register: Register,
    claimed: Claimed,
    client_id: int,
    error: str = "",
    *,
    maybe_sent: bool = False,
) -> None:
    """How a claimed reminder went: sent (no `error`), failed with `error` (in Dutch; tried
    again), or with `maybe_sent` interrupted after the server may have taken it (never again)."""
    with register.write(client=client_id) as session:
        row = session.get(Reminder, claimed.reminder_id)
        if row is None:
            return  # the client was erased meanwhile
        row.status = INTERRUPTED if maybe_sent else FAILED if error else SENT
        row.error = error
        row.sent_at = None if error else utc_now()


def interrupted(register: Register, now: datetime | None = None) -> int:
    """Claims left "bezig" by a run that stopped (older than STALE_CLAIM) marked
    "onderbroken": they may have gone out, so they are never sent again. How many."""
    cutoff = (now or utc_now()) - STALE_CLAIM
    with register.read() as session:
        stale = session.execute(
            select(Reminder.id, Reminder.client_id).where(
                Reminder.status == CLAIMED, Reminder.claimed_at < cutoff
            )
        ).all()
    for reminder_id, client_id in stale:
        with register.write(client=client_id) as session:
            row = session.get(Reminder, reminder_id)
            if row is not None and row.status == CLAIMED:
                row.status = INTERRUPTED
                row.error = "onderbroken: misschien verzonden, daarom niet opnieuw"
    return len(stale)


# --- the team's wording ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Wording:
    """The text per key (the team's own, else the default), the team's sensitive words, and
    the register's id (in each calendar entry's UID)."""

    texts: dict[str, Text]
    sensitive: list[str]
    register_id: str


def wording(register: Register) -> Wording:
    with register.read() as session:
        own = {row.key: Text(row.subject, row.body) for row in session.scalars(select(MailText))}
        settings = session.get(MailSettings, 1)
        words = sensitive_words(settings.sensitive_words) if settings else []
        team = session.get(TeamSettings, 1)
        assert team is not None
    texts = {key: _usable(own.get(key), key, words) for key in TEXT_KEYS}
    return Wording(texts, words, team.register_id)


def _usable(text: Text | None, key: str, words: list[str]) -> Text:
    """The team's own text when it passes the checks set_text makes, else the default: a row
    written past the program (psql on a team server) with an unknown placeholder or a
    sensitive word never reaches a message, nor stops the run."""
    if text is None:
        return default_text(key)
    try:
        return check_text(text, words)
    except TextError:
        return default_text(key)


def set_text(register: Register, key: str, text: Text | None) -> None:
    """The team's wording for `key` (teamleider); None goes back to the default."""
    acting_teamleider(register, "Alleen een teamleider kan de teksten van herinneringen wijzigen.")
    if key not in TEXT_KEYS:
        raise ValidationError("Kies een kanaal (" + ", ".join(TEXT_KEYS) + ").", "key")
    words = wording(register).sensitive
    cleaned = None
    if text is not None:
        try:
            cleaned = check_text(text, words)
        except TextError as error:
            raise ValidationError(str(error), "text") from None
    with register.write() as session:
        row = session.get(MailText, key)
        if cleaned is None:
            if row is not None:
                session.delete(row)
            return
        row = row or MailText(key=key)
        row.subject, row.body = cleaned.subject, cleaned.body
        session.add(row)


def set_sensitive_words(register: Register, words: list[str]) -> None:
    """The words no subject and no sender name may hold (teamleider; after `mail set`)."""
    acting_teamleider(register, REFUSAL)
    cleaned = sorted({word.strip() for word in words if word.strip()}, key=str.lower)
    if any(len(word) > 80 or "\n" in word for word in cleaned):
        raise ValidationError("Een gevoelig woord is één regel van hoogstens 80 tekens.", "words")
    texts = wording(register).texts
    with register.write() as session:
        settings = session.get(MailSettings, 1)
        if settings is None:
            raise ValidationError("Stel eerst de mailserver in: wijkteam mail set.", "words")
        for key, text in texts.items():
            try:
                check_text(text, cleaned)
            except TextError:
                raise ValidationError(
                    f"De tekst voor {key} heeft een van deze woorden in het onderwerp; pas die"
                    " eerst aan (wijkteam mail text).",
                    "words",
                ) from None
        settings.sensitive_words = "\n".join(cleaned)


# --- what went out ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SentRow:
    """A reminder that went out, failed or was interrupted, as lists show it."""

    reminder_id: int
    client_id: int
    client_number: str
    client_name: str
    member_name: str
    address: str
    kind: str
    due_on: date
    status: str
    error: str
    attempts: int
    claimed_at: datetime


def reminders_sent(
    register: Register, *, since: date, casemanager: int | None = None, client: int | None = None
) -> list[SentRow]:
    """The reminders claimed since `since`, newest first: for one medewerker's clients, one
    client, or the whole team."""
    query = (
        select(
            Reminder.id.label("reminder_id"),
            Reminder.client_id,
            Client.number.label("client_number"),
            Client.name.label("client_name"),
            func.coalesce(NetworkMember.name, "").label("member_name"),
            Reminder.address,
            Reminder.kind,
            Reminder.due_on,
            Reminder.status,
            Reminder.error,
            Reminder.attempts,
            Reminder.claimed_at,
        )
        .join(Client, Client.id == Reminder.client_id)
        .outerjoin(NetworkMember, NetworkMember.id == Reminder.member_id)
        .where(Reminder.claimed_at >= datetime.combine(since, datetime.min.time()))
        .order_by(Reminder.claimed_at.desc(), Reminder.id.desc())
    )
    if casemanager is not None:
        query = query.where(Client.casemanager_id == casemanager)
    if client is not None:
        query = query.where(Reminder.client_id == client)
    with register.read() as session:
        return [SentRow(**row._asdict()) for row in session.execute(query)]
