"""What a write transaction promises on both backends (SQLite and the team server).

A write takes the register's write lock when it begins, so that it waits for a colleague's
write up front instead of failing half-way. Each backend's `begin` hook reads the execution
options below; the person is told after WAIT_NOTICE_MS that the program waits, and the write
is given up after BUSY_TIMEOUT_MS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: How long a write waits for another writer before it is given up.
BUSY_TIMEOUT_MS = 30_000
#: Execution options of write transactions, read by each backend's `begin` hook: the mode
#: ("IMMEDIATE" for a write), and what to call when the write waited for a colleague.
BEGIN_OPTION = "wijkteam_begin"
WAITING_OPTION = "wijkteam_waiting"
#: After this long waiting for another writer (locally or on the team server), the person is
#: told that the program waits; after BUSY_TIMEOUT_MS the write is given up.
WAIT_NOTICE_MS = 2_000

# --- what a write may change, and the locks that guard it on a team server -------------------

#: The execution option (and session.info key) that names what a write transaction may change:
#: the whole team (TEAM, the default), the records of one client (the client's id), or only
#: the audit log (LOG: a read, a login, a lock being logged).
SCOPE_OPTION = "wijkteam_scope"
TEAM = "team"
LOG = "log"

# A local register has one writer at a time (`BEGIN IMMEDIATE`), whatever the scope. On a team
# server (store/server/connection.py) the scope decides the advisory locks a write takes when
# it begins, always in this order, so that no two writes wait for each other in a circle:
#: WRITE_LOCK: exclusive for a team write; shared for a client's or the log's;
WRITE_LOCK = 0x77696A6B  # "wijk"
#: then (CLIENT_LOCK, client id) for a client's write, so that two writes for one client
#: (logging a contact while a colleague ends its agreement) take turns;
CLIENT_LOCK = 0x636C6E74  # "clnt"
#: and APPEND_LOCK only from the audit chain's append to the commit, since the chain is one
#: order (store/audit/chain.py).
APPEND_LOCK = 0x61706E64  # "apnd"


class ScopeError(AssertionError):
    """A write changed a record outside its scope: a mistake in the program, never the user's."""


def client_of(row: object) -> int | None:
    """The client a record belongs to: the client itself, or its `client_id` (None: a record
    of the team's, or a client not yet flushed)."""
    value = getattr(
        row, "id" if getattr(row, "__tablename__", "") == "clients" else "client_id", None
    )
    return value if isinstance(value, int) else None


def check_scope(session: Session, *_flush: object) -> None:
    """Refuse a flush that changes a record outside the write's scope (installed on every write
    session, on both backends, so that the tests catch a service that declares too little).
    A record belongs to a client by its `client_id` (the client itself by its id)."""
    scope = session.info.get(SCOPE_OPTION, TEAM)
    if scope == TEAM:
        return
    changed = [
        *session.new,
        *(row for row in session.dirty if session.is_modified(row)),
        *session.deleted,
    ]
    for row in changed:
        owner = client_of(row)
        if scope == LOG or owner != scope:
            raise ScopeError(
                f"een schrijfactie voor {scope!r} wijzigt {row.__tablename__} van {owner!r}"
            )
