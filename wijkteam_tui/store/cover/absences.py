"""Recording absences and reading who covers whom.

A teamleider records anyone's absence, a medewerker their own: from a day, until a day or
open-ended, and the colleague who covers meanwhile. An absence counts on a day from its first
day to its last (`until_on`), unless it was ended earlier (`ended_on`: back that day). One
person has one absence at a time: a second that overlaps is refused. Ending it early, or
before it began, keeps it in the record (the Team screen and the audit log say what it was).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.errors import ConflictError, ValidationError
from wijkteam_tui.store.cover.current import away_on, not_called_off
from wijkteam_tui.store.cover.models import Absence, AbsenceCover
from wijkteam_tui.store.models import Client, User
from wijkteam_tui.store.read.common import user_name
from wijkteam_tui.store.records import Created
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import acting_user

REFUSAL = "Alleen een teamleider legt de afwezigheid van een ander vast."


@dataclass(frozen=True, slots=True)
class AbsenceRow:
    absence_id: int
    user_name: str
    name: str
    from_on: date
    until_on: date | None
    cover: str
    ended_on: date | None
    #: Covers by client: "100042 → cem".
    by_client: tuple[str, ...] = ()

    def until_text(self) -> str:
        """Until when, in words: "t/m di 15 dec 2026", "tot nader bericht", "terug sinds …"."""
        if self.ended_on is not None:
            return f"terug sinds {format_date(self.ended_on)}"
        if self.until_on is None:
            return "tot nader bericht"
        return f"t/m {format_date(self.until_on)}"


def user_named(session: Session, name: str, what: str) -> User:
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None or not user.active:
        raise ValidationError(f"{name.strip()!r} is geen gebruiker van het register.", what)
    return user


def _may_record(register: Register, name: str) -> None:
    """A person records their own absence; only a teamleider someone else's."""
    assert register.user is not None
    if name.strip() != register.user.name:
        register.require_teamleider(REFUSAL)


def add_absence(
    register: Register,
    name: str,
    from_on: date,
    until_on: date | None,
    *,
    cover: str | None,
    today: date,
    by_client: Mapping[str, str] | None = None,
) -> Created:
    """Record that `name` is away from `from_on` (until `until_on`, or open-ended), with `cover`
    covering their clients, and `by_client` (client number → colleague) covering some of them
    instead; refused when it overlaps one of theirs already recorded."""
    acting = acting_user(register)
    _may_record(register, name)
    if until_on is not None and until_on < from_on:
        raise ValidationError("De laatste dag ligt voor de eerste.", "until")
    if until_on is not None and until_on < today:
        raise ValidationError("Deze afwezigheid is al voorbij.", "until")
    with register.write() as session:
        away = user_named(session, name, "user")
        covering = user_named(session, cover, "cover") if cover else None
        if covering is not None and covering.id == away.id:
            raise ValidationError("Iemand neemt niet zijn eigen werk waar.", "cover")
        if covering is not None:
            _not_away_throughout(session, covering, from_on, until_on)
        overlapping = session.scalar(
            select(Absence).where(
                Absence.user_id == away.id,
                not_called_off(),
                or_(Absence.until_on.is_(None), Absence.until_on >= from_on),
                or_(Absence.ended_on.is_(None), Absence.ended_on > from_on),
                *([Absence.from_on <= until_on] if until_on is not None else []),
            )
        )
        if overlapping is not None:
            raise ConflictError(
                f"{away.name} is dan al afwezig ({format_date(overlapping.from_on)}"
                + (f" t/m {format_date(overlapping.until_on)}" if overlapping.until_on else "")
                + "); pas die afwezigheid aan of beëindig haar eerst."
            )
        absence = Absence(
            user_id=away.id,
            from_on=from_on,
            until_on=until_on,
            cover_id=covering.id if covering else None,
            created_by_id=acting,
        )
        session.add(absence)
        session.flush()
        for number, colleague in (by_client or {}).items():
            client = session.scalar(select(Client).where(Client.number == number.strip()))
            if client is None or client.casemanager_id != away.id:
                raise ValidationError(
                    f"{number.strip()} is geen cliënt van {away.name}.", "by_client"
                )
            taker = user_named(session, colleague, "by_client")
            if taker.id == away.id:
                raise ValidationError("Iemand neemt niet zijn eigen werk waar.", "by_client")
            _not_away_throughout(session, taker, from_on, until_on)
            session.add(AbsenceCover(absence_id=absence.id, client_id=client.id, cover_id=taker.id))
        session.flush()
        return Created(absence.id, absence.version)


def _not_away_throughout(
    session: Session, cover: User, from_on: date, until_on: date | None
) -> None:
    """A cover who is away on the first day cannot cover."""
    if session.scalar(select(Absence.id).where(Absence.user_id == cover.id, away_on(from_on))):
        raise ValidationError(
            f"{cover.name} is op {format_date(from_on)} zelf afwezig; kies een ander.", "cover"
        )


def end_absence(register: Register, name: str, today: date) -> AbsenceRow:
    """`name` is back today: their current absence ends (or the next one, not yet begun, is
    called off). ValidationError when they have none."""
    acting_user(register)
    _may_record(register, name)
    with register.write() as session:
        away = user_named(session, name, "user")
        absence = session.scalar(
            select(Absence)
            .where(
                Absence.user_id == away.id,
                or_(Absence.until_on.is_(None), Absence.until_on >= today),
                Absence.ended_on.is_(None),
            )
            .order_by(Absence.from_on)
        )
        if absence is None:
            raise ValidationError(f"{away.name} is niet afwezig.", "user")
        absence.ended_on = max(today, absence.from_on)
        session.flush()
        cover = session.get(User, absence.cover_id) if absence.cover_id else None
        return AbsenceRow(
            absence.id, away.name, away.display_name or away.name, absence.from_on,
            absence.until_on, (cover.display_name or cover.name) if cover else "",
            absence.ended_on,
        )  # fmt: skip


def summary_seen(register: Register, absence_id: int, today: date) -> None:
    """The person back saw the summary of their absence: it is not shown again."""
    user = acting_user(register)
    with register.write() as session:
        absence = session.get(Absence, absence_id)
        if absence is None or absence.user_id != user or absence.summary_seen_on is not None:
            return
        absence.summary_seen_on = today


def absences(register: Register, today: date) -> list[AbsenceRow]:
    """Absences now and to come, and those that ended in the last 14 days, by first day."""
    _Away, _Cover = aliased(User), aliased(User)
    recent = date.fromordinal(today.toordinal() - 14)
    with register.read_connection() as conn:
        rows = conn.execute(
            select(
                Absence.id,
                _Away.name,
                user_name(_Away),
                Absence.from_on,
                Absence.until_on,
                user_name(_Cover),
                Absence.ended_on,
            )
            .join(_Away, _Away.id == Absence.user_id)
            .outerjoin(_Cover, _Cover.id == Absence.cover_id)
            .where(
                or_(Absence.until_on.is_(None), Absence.until_on >= recent),
                or_(Absence.ended_on.is_(None), Absence.ended_on >= recent),
            )
            .order_by(Absence.from_on, _Away.name)
        ).all()
        given: dict[int, list[str]] = {}
        for absence_id, number, colleague in conn.execute(
            select(AbsenceCover.absence_id, Client.number, user_name(_Cover))
            .join(Client, Client.id == AbsenceCover.client_id)
            .join(_Cover, _Cover.id == AbsenceCover.cover_id)
            .where(AbsenceCover.absence_id.in_([row[0] for row in rows]))
            .order_by(Client.number)
        ):
            given.setdefault(absence_id, []).append(f"{number} → {colleague}")
    return [
        AbsenceRow(i, u, n, f, t, c or "", e, tuple(given.get(i, ())))
        for i, u, n, f, t, c, e in rows
    ]
