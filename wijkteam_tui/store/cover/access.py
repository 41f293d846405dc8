"""Who may open which client: access that follows the work.

The team chooses (Teaminstellingen): every medewerker opens every client of the team (`TEAM`,
the default, as before), or only the clients they work for (`WORK`): as casemanager, as the one
who carries out an active agreement, as cover during a colleague's absence, or by a
teamleider's grant. Outside that a medewerker opens a client with noodtoegang: a reason, for
the team's number of hours; the teamleider sees it on Team, the client in their inzage, the
audit log has it. A teamleider opens every client; every opening is logged alike.

Locally the program enforces this: whoever can unlock a local register holds the key to all of
it (README). On a team server the database enforces it too, with row-level security that reads
the same rules (store/server/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select, text, true

from wijkteam_tui.domain.access import ACCESS_LABELS, TEAM, limited_to_work
from wijkteam_tui.domain.search import by_name_or_number
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import NotWorkingForError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.cover.current import covering
from wijkteam_tui.store.cover.models import AccessGrant, EmergencyAccess
from wijkteam_tui.store.models import Client, ContactAgreement, TeamSettings, User
from wijkteam_tui.store.read.common import contains, user_name
from wijkteam_tui.store.register import Register


def team_access(conn: Connection) -> tuple[str, int]:
    """The team's setting and how many hours noodtoegang lasts."""
    row = conn.execute(select(TeamSettings.access, TeamSettings.emergency_hours)).one()
    return (row.access if row.access in ACCESS_LABELS else TEAM), int(row.emergency_hours)


def limited_user(register: Register, conn: Connection) -> int | None:
    """The acting medewerker's id when the team lets them open only the clients they work for;
    None when they may open every client (a teamleider, or a team that chose `TEAM`)."""
    user = register.user
    return None if user is None else limited_to_work(user.id, user.role, team_access(conn)[0])


def granted_on(user_id: int, today: date) -> ColumnElement[bool]:
    """The grants of `user_id` that count on `today`."""
    return and_(
        AccessGrant.user_id == user_id,
        AccessGrant.from_on <= today,
        or_(AccessGrant.until_on.is_(None), AccessGrant.until_on >= today),
        or_(AccessGrant.ended_on.is_(None), AccessGrant.ended_on > today),
    )


def emergency_at(user_id: int, now: datetime) -> ColumnElement[bool]:
    """The noodtoegang of `user_id` that lasts at `now` (UTC)."""
    return and_(
        EmergencyAccess.user_id == user_id,
        EmergencyAccess.opened_at <= now,
        EmergencyAccess.until_at > now,
    )


def working_for(conn: Connection, user_id: int, today: date, now: datetime) -> ColumnElement[bool]:
    """The condition on `Client.id` of the clients `user_id` may open in a team that chose
    `WORK`: casemanager, performer of an active agreement, cover today, a grant, noodtoegang."""
    performing = select(ContactAgreement.client_id).where(
        ContactAgreement.user_id == user_id, ContactAgreement.active.is_(True)
    )
    return or_(
        Client.casemanager_id == user_id,
        Client.id.in_(performing),
        Client.id.in_(select(AccessGrant.client_id).where(granted_on(user_id, today))),
        Client.id.in_(select(EmergencyAccess.client_id).where(emergency_at(user_id, now))),
        *(cover.condition() for cover in covering(conn, user_id, today)),
    )


def open_ids(
    register: Register, conn: Connection, today: date, now: datetime | None = None
) -> set[int] | None:
    """The ids of the clients the acting person may open (a few hundred), or None: every one.
    On a team server the server's own set (`visible_clients()`: the rows its policies let
    through, by the same rules and the server's clock), in one look-up; asked client by client
    through the policies, a list would read them all."""
    user_id = limited_user(register, conn)
    if user_id is None:
        return None
    if conn.dialect.name == "postgresql":
        return set(conn.execute(select(func.unnest(func.visible_clients()))).scalars())
    condition = working_for(conn, user_id, today, now or utc_now())
    return set(conn.execute(select(Client.id).where(condition)).scalars())


def may_open(
    register: Register, conn: Connection, client_id: int, today: date, now: datetime | None = None
) -> bool:
    """Whether the acting person may open this client on `today`, at `now` (UTC)."""
    user_id = limited_user(register, conn)
    if user_id is None:
        return True
    condition = working_for(conn, user_id, today, now or utc_now())
    return bool(conn.execute(select(Client.id).where(Client.id == client_id, condition)).first())


def refusal(number: str, name: str) -> str:
    return (
        f"U werkt niet voor {name} ({number}), en in dit team opent een medewerker alleen de"
        " cliënten waarvoor hij werkt. Openen kan met noodtoegang: geef een reden; de"
        " teamleider en de cliënt zien dat u het dossier opende."
    )


def require_access(
    register: Register, conn: Connection, client_id: int, today: date, now: datetime | None = None
) -> None:
    """NotWorkingForError when the acting medewerker may not open this client (it exists)."""
    if may_open(register, conn, client_id, today, now):
        return
    row = named(conn, client_id)
    if row is None:
        return  # gone: the reader itself says so
    raise NotWorkingForError(refusal(*row), client_id)


def named(conn: Connection, client_id: int) -> tuple[str, str] | None:
    """A client's number and name, whether or not the person may open them (on a team server
    the row itself is hidden from a medewerker who does not work for them: the server's
    `client_named` says it); None when there is no such client."""
    if conn.dialect.name == "postgresql":
        found = conn.execute(text("SELECT * FROM client_named(:id)"), {"id": client_id}).first()
    else:
        found = conn.execute(
            select(Client.number, Client.name).where(Client.id == client_id)
        ).first()
    return None if found is None else (found[0], found[1])


def by_name(
    conn: Connection, words: list[str], limit: int, among: list[int] | None = None
) -> list[tuple[int, str, str, str]]:
    """(id, number, name, casemanager) of the clients whose name or number holds every word,
    by name, whether or not the person may open them: what a search shows of the others. On a
    team server the policies hide those rows: the server's `clients_named` reads them.
    Locally only `among` are read, when given (the few the search index says hold the
    words)."""
    if not words:
        return []
    if conn.dialect.name == "postgresql":
        named_rows = conn.execute(
            text("SELECT * FROM clients_named(:words, :limit)"), {"words": words, "limit": limit}
        ).all()
        return [(r[0], r[1], r[2], r[3] or "") for r in named_rows]
    found = conn.execute(
        select(Client.id, Client.number, Client.name, user_name(User))
        .outerjoin(User, User.id == Client.casemanager_id)
        .where(*(contains(Client.search_text, word) for word in words))
        .where(Client.id.in_(among) if among is not None else true())
        .order_by(Client.name, Client.id)
        .execution_options(stream_results=True)
    )
    rows: list[tuple[int, str, str, str]] = []
    try:
        for row in found:
            if by_name_or_number(words, row[2], row[1]):
                rows.append((row[0], row[1], row[2], row[3] or ""))
                if len(rows) == limit:
                    break
    finally:
        found.close()
    return rows


def emergency_until(
    register: Register, client_id: int, now: datetime | None = None
) -> datetime | None:
    """Until when (UTC) the acting person's noodtoegang to this client lasts; None: none now."""
    if register.user is None:
        return None
    with register.read_connection() as conn:
        return conn.execute(
            select(func.max(EmergencyAccess.until_at)).where(
                emergency_at(register.user.id, now or utc_now()),
                EmergencyAccess.client_id == client_id,
            )
        ).scalar()


def local_day(moment: datetime) -> date:
    """The local day of a stored (naive UTC) moment."""
    return moment.replace(tzinfo=UTC).astimezone().date()


def local_time(moment: datetime) -> str:
    """A stored (naive UTC) moment as the local clock shows it: "17:40"."""
    return f"{moment.replace(tzinfo=UTC).astimezone():%H:%M}"


@dataclass(frozen=True, slots=True)
class EmergencyRow:
    """One noodtoegang, as the Team screen and `access list` show it."""

    opened_at: datetime
    until_at: datetime
    user: str
    number: str
    client: str
    reason: str


def emergencies_since(register: Register, since: datetime) -> list[EmergencyRow]:
    """Every noodtoegang opened from `since` (UTC) on, newest first: a teamleider every one, a
    medewerker their own."""
    user = register.user
    if user is None:
        return []
    own = EmergencyAccess.user_id == user.id if user.role is not Role.TEAMLEIDER else None
    with register.read_connection() as conn:
        rows = conn.execute(
            select(
                EmergencyAccess.opened_at,
                EmergencyAccess.until_at,
                user_name(User),
                Client.number,
                Client.name,
                EmergencyAccess.reason,
            )
            .join(User, User.id == EmergencyAccess.user_id)
            .join(Client, Client.id == EmergencyAccess.client_id)
            .where(EmergencyAccess.opened_at >= since, own if own is not None else true())
            .order_by(EmergencyAccess.opened_at.desc())
        ).all()
    return [EmergencyRow(*row) for row in rows]


def emergency_count(conn: Connection, since: datetime) -> int:
    """How many times noodtoegang was opened from `since` on (the Team screen's count)."""
    return int(
        conn.execute(select(func.count()).where(EmergencyAccess.opened_at >= since)).scalar_one()
    )


def week_start(today: date) -> date:
    """Monday of `today`'s week: "deze week" on the Team screen."""
    return today - timedelta(days=today.weekday())


#: What a medewerker is told who asks what only a teamleider sees.
TEAM_ONLY = "Alleen een teamleider ziet hoe vaak noodtoegang werd gebruikt."


def emergencies_this_week(register: Register, today: date) -> int:
    """How many times a medewerker opened a client with noodtoegang since Monday (teamleider:
    the Team screen says it)."""
    register.require_teamleider(TEAM_ONLY)
    monday = datetime.combine(week_start(today), time())
    with register.read_connection() as conn:
        return emergency_count(conn, monday.astimezone(UTC).replace(tzinfo=None))
