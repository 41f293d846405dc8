"""Opening a client beyond one's work, when the team lets medewerkers open only the clients
they work for (store/cover/access.py): a teamleider's grant (one medewerker, one client, from
today until a day or until it is ended) and noodtoegang (a medewerker's own, with a reason, for
the team's number of hours). Both stay in the record; the client's inzage shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import aliased

from wijkteam_tui.domain.access import emergency_reason
from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.fields import FieldError, clean_text
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import ConflictError, ValidationError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.cover.absences import user_named
from wijkteam_tui.store.cover.access import granted_on, local_time, may_open, named, team_access
from wijkteam_tui.store.cover.models import AccessGrant, EmergencyAccess
from wijkteam_tui.store.models import Client, User
from wijkteam_tui.store.read.common import user_name
from wijkteam_tui.store.records import Created
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import acting_teamleider, acting_user

REFUSAL = "Alleen een teamleider geeft een medewerker toegang tot een cliënt."


@dataclass(frozen=True, slots=True)
class GrantRow:
    grant_id: int
    number: str
    client: str
    user_name: str
    user: str
    from_on: date
    until_on: date | None
    reason: str
    granted_by: str


def grant_text(until_on: date | None) -> str:
    return f"t/m {format_date(until_on)}" if until_on else "tot de teamleider het beëindigt"


def grant_access(
    register: Register,
    number: str,
    name: str,
    *,
    until_on: date | None,
    reason: str,
    today: date,
) -> Created:
    """Let medewerker `name` open client `number` from today, until `until_on` (or until it is
    ended). Refused when such a grant already counts, or for a teamleider (who opens every
    client anyway)."""
    granter = acting_teamleider(register, REFUSAL)
    if until_on is not None and until_on < today:
        raise ValidationError("De laatste dag ligt voor vandaag.", "until")
    try:
        why = clean_text(" ".join((reason or "").split()), 200)
    except FieldError as error:
        raise ValidationError(str(error), "reason") from error
    with register.write() as session:
        client = session.scalar(select(Client).where(Client.number == number.strip()))
        if client is None:
            raise ValidationError(f"Er is geen cliënt met nummer {number.strip()}.", "client")
        user = user_named(session, name, "user")
        if user.role is Role.TEAMLEIDER:
            raise ValidationError(f"{user.name} is teamleider en opent elke cliënt al.", "user")
        if session.scalar(
            select(AccessGrant.id).where(
                granted_on(user.id, today), AccessGrant.client_id == client.id
            )
        ):
            raise ConflictError(
                f"{user.name} heeft al toegang tot {client.number}; beëindig die eerst om een"
                " andere einddatum te geven."
            )
        grant = AccessGrant(
            client_id=client.id,
            user_id=user.id,
            from_on=today,
            until_on=until_on,
            reason=why,
            granted_by_id=granter,
        )
        session.add(grant)
        session.flush()
        return Created(grant.id, grant.version)


def end_grant(register: Register, number: str, name: str, today: date) -> int:
    """End `name`'s grants for client `number` that count today (from today on); how many."""
    acting_teamleider(register, REFUSAL)
    with register.write() as session:
        found = session.scalars(
            select(AccessGrant)
            .join(Client, Client.id == AccessGrant.client_id)
            .join(User, User.id == AccessGrant.user_id)
            .where(Client.number == number.strip(), User.name == name.strip(), _not_over(today))
        ).all()
        if not found:
            raise ValidationError(
                f"{name.strip()} heeft geen toegang tot {number.strip()} die nog loopt.", "user"
            )
        for grant in found:
            grant.ended_on = today
        return len(found)


def grants(register: Register, today: date) -> list[GrantRow]:
    """The grants that count today or later, by client number (teamleider)."""
    acting_teamleider(register, REFUSAL)
    _By = aliased(User)
    with register.read_connection() as conn:
        rows = conn.execute(
            select(
                AccessGrant.id,
                Client.number,
                Client.name,
                User.name,
                user_name(User),
                AccessGrant.from_on,
                AccessGrant.until_on,
                AccessGrant.reason,
                user_name(_By),
            )
            .join(Client, Client.id == AccessGrant.client_id)
            .join(User, User.id == AccessGrant.user_id)
            .join(_By, _By.id == AccessGrant.granted_by_id)
            .where(_not_over(today))
            .order_by(Client.number, User.name)
        ).all()
    return [GrantRow(*row) for row in rows]


def _not_over(today: date) -> ColumnElement[bool]:
    """A grant that counts today or will: not past its last day, not ended."""
    return and_(
        or_(AccessGrant.until_on.is_(None), AccessGrant.until_on >= today),
        or_(AccessGrant.ended_on.is_(None), AccessGrant.ended_on > today),
    )


@dataclass(frozen=True, slots=True)
class Opened:
    """Noodtoegang given: to whom, until when (UTC)."""

    client_id: int
    until_at: datetime

    def until_text(self) -> str:
        """Until when, in local time as a person reads it: "tot 17:40"."""
        return f"tot {local_time(self.until_at)}"


def open_emergency(
    register: Register, client_id: int, reason: str, today: date, now: datetime | None = None
) -> Opened:
    """Give the acting medewerker noodtoegang to `client_id` for the team's number of hours,
    with `reason` (required, a sentence). Refused when it is not needed."""
    user_id = acting_user(register)
    moment = now or utc_now()
    try:
        cleaned = emergency_reason(reason)
    except FieldError as error:
        raise ValidationError(str(error), "reason") from error
    with register.read_connection() as conn:
        if named(conn, client_id) is None:
            raise ValidationError("Deze cliënt bestaat niet (meer).")
        if may_open(register, conn, client_id, today, moment):
            raise ValidationError("U mag dit dossier al openen; noodtoegang is niet nodig.")
        _, hours = team_access(conn)
    with register.write(client=client_id) as session:
        opening = EmergencyAccess(
            client_id=client_id,
            user_id=user_id,
            reason=cleaned,
            opened_at=moment,
            until_at=moment + timedelta(hours=hours),
        )
        session.add(opening)
        session.flush()
        # A team server stamps it with its own clock (store/server/access.py).
        session.refresh(opening)
        return Opened(client_id, opening.until_at)
