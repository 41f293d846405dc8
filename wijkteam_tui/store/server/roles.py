"""Who may do what on a team server, enforced by PostgreSQL itself.

A register in database D has three roles nobody logs in as, and one login per person:

- `D_team`: the rights every colleague has. Read and change the register's rows; only add to
  the audit log and its checkpoints; read the key slots through `keys_read`, which withholds
  what a colleague's passphrase could be guessed from; nothing else.
- `D_lead`: the teamleiders. The team's rights, reading the audit log, the key slots whole
  and their history, and the functions below that add, reset and switch off colleagues.
- `D_owner`: owns the schema, every table and every function, and may create roles
  (CREATEROLE) for those functions. No colleague is a member of it; only the operator's set-up
  role is, which makes the register and brings its structure up to date (README).
- `<user>@D`: a person's login, a member of `D_team` (and of `D_lead` for a teamleider),
  without CREATEROLE and owning nothing.

What a teamleider does beyond rows goes through `SECURITY DEFINER` functions owned by `D_owner`,
with `search_path` fixed to the schema and then `pg_temp`; each checks who calls it
(`session_user`) and touches only this register's logins. The key slots change only through
`keys_write`, which keeps every earlier version in `key_history` and lets a medewerker change
nothing but their own slot and the audit log's head. Every audit event is checked as it is
inserted: it is in the name of the login that writes it, in that login's role, and it follows
the newest event. The names of the roles are derived from `current_database()` inside the SQL,
so nothing here names a register.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import AuthenticationError, UsageError
from wijkteam_tui.store.address import ServerAddress
from wijkteam_tui.store.server.access import grants as access_grants
from wijkteam_tui.store.server.functions import FOR_LEADS, FOR_TEAM, FUNCTIONS

SCHEMA = "wijkteam"
#: Every function below has its search path fixed to the schema, then temporary objects last
#: (so that a temporary table or function of the caller's cannot stand in for one of ours).


def quoted(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def make_roles(conn: Connection, address: ServerAddress) -> None:
    """The register's three roles, made by the operator's set-up role (which may create
    roles and owns the database) at `init`: the owner may create roles and grant the team's
    and the teamleiders' roles; the set-up role stays a member of the owner (to bring the
    structure up to date later)."""
    team, lead, owner = (
        quoted(address.team_role),
        quoted(address.lead_role),
        quoted(address.owner_role),
    )
    for statement in (
        f"CREATE ROLE {team} NOLOGIN",
        f"CREATE ROLE {lead} NOLOGIN",
        f"CREATE ROLE {owner} NOLOGIN CREATEROLE",
        f"GRANT {team} TO {lead}",
        f"GRANT {team}, {lead} TO {owner} WITH ADMIN OPTION",
        f"GRANT {owner} TO CURRENT_USER",
    ):
        conn.exec_driver_sql(statement)
    database = quoted(address.database)
    conn.exec_driver_sql(f"REVOKE ALL ON DATABASE {database} FROM PUBLIC")
    conn.exec_driver_sql(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {team}")
    conn.exec_driver_sql(f"CREATE SCHEMA {SCHEMA} AUTHORIZATION {owner}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {team}")


#: The trigram indexes of the client search on a server (locally an FTS5 table, migration
#: 0025): with them PostgreSQL finds the clients a fragment matches without reading the others,
#: for the same LIKE. Made when the server has the pg_trgm extension (PostgreSQL's contrib,
#: in Debian's postgresql package); without it the search reads every client, as before.
SEARCH_INDEXES = (
    ("ix_clients_search_trigrams", "search_text"),
    ("ix_clients_network_search_trigrams", "network_search_text"),
)


def make_extensions(conn: Connection) -> None:
    """pg_trgm in the register's schema, when the server has it, as the operator's set-up
    role (which owns the database; the owner role may not create extensions), before `SET
    ROLE` to the owner."""
    available = conn.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    ).first()
    if available is not None:
        conn.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA {SCHEMA}")


def make_search_indexes(conn: Connection) -> bool:
    """The trigram indexes of the search, as the owner, when pg_trgm is there (whether it
    is)."""
    # In whichever schema it was made (the operator may have made it before, elsewhere).
    found = conn.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'pg_trgm'"
    ).first()
    if found is None:
        return False
    for name, column in SEARCH_INDEXES:
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {name} ON clients"
            f" USING gin ({column} {quoted(found[0])}.gin_trgm_ops)"
        )
    # The folded name and number (the search text's first part): what a medewerker who may
    # open only the clients they work for finds of the others (store/server/access.py).
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_clients_name_trigrams ON clients USING gin"
        f" ((split_part(search_text, ' | ', 1) || ' | ' || number) {quoted(found[0])}.gin_trgm_ops)"
    )
    return True


def make_server_objects(conn: Connection) -> None:
    """The key slots' tables and the functions and triggers above, made (or, by `db
    upgrade`, made anew) as the owner, after the register's tables, in the schema."""
    raw = conn.connection.driver_connection
    assert raw is not None
    for block in FUNCTIONS:
        # On the driver's connection (the same transaction): without parameters, psycopg
        # leaves the functions' own % signs alone.
        raw.execute(block)
    make_search_indexes(conn)


def grant_work(conn: Connection, address: ServerAddress) -> None:
    """What the team and the teamleiders may do, after the structure was made or brought up
    to date (as the owner): rows read and changed; the audit log and its checkpoints only
    added to (the log read by teamleiders); the key slots only read (changed through `keys_write`);
    the structure's version only read; functions as listed above."""
    team, lead = quoted(address.team_role), quoted(address.lead_role)
    audit = "audit_events, audit_event_clients, audit_checkpoints"
    statements = [
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {SCHEMA} TO {team}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {team}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {team}",
        # The checkpoints hold numbers and MACs only: every writer reads the newest.
        f"REVOKE SELECT ON audit_events, audit_event_clients FROM {team}",  # noqa: S608
        f"GRANT SELECT ON {audit} TO {lead}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {team}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON key_store, key_history FROM {team}",
        # A colleague's slot is read through keys_read, without what guessing needs.
        f"REVOKE SELECT ON key_store, key_history FROM {team}",  # noqa: S608 (quoted names)
        f"GRANT SELECT ON key_store, key_history TO {lead}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {SCHEMA} FROM PUBLIC",
    ]
    statements += access_grants(team, lead)
    statements += [f"GRANT EXECUTE ON FUNCTION {f} TO {team}" for f in FOR_TEAM]
    statements += [f"GRANT EXECUTE ON FUNCTION {f} TO {lead}" for f in FOR_LEADS]
    for statement in statements:
        conn.exec_driver_sql(statement)


def set_login(
    conn: Connection,
    address: ServerAddress,
    user: str,
    verifier: str,
    *,
    role: Role | None = None,
    may_login: bool = True,
) -> None:
    """Give `user`'s login the password whose SCRAM `verifier` is given: made when new (with
    `role`), (re)opened unless `may_login` is False. Through `login_set`, which the server
    refuses to a medewerker for anyone but themselves."""
    try:
        conn.execute(
            text("SELECT login_set(:login, :verifier, :lead, :may_login)"),
            {
                "login": address.login_role(user),
                "verifier": verifier,
                "lead": None if role is None else role is Role.TEAMLEIDER,
                "may_login": may_login,
            },
        )
    except Exception as exc:
        if getattr(getattr(exc, "orig", None), "sqlstate", None) == "42710":
            raise UsageError(
                f"Op de server bestaat al een databaserol '{address.login_role(user)}' die niet"
                " bij dit register hoort. Kies een andere gebruikersnaam; er is niets gewijzigd."
            ) from None
        raise


def close_login(conn: Connection, address: ServerAddress, user: str) -> int:
    """Switch `user`'s login off and end their open sessions; returns how many were ended."""
    ended = conn.execute(
        text("SELECT login_close(:login)"), {"login": address.login_role(user)}
    ).scalar()
    return int(ended or 0)


def no_role(user: str) -> AuthenticationError:
    return AuthenticationError(f"Gebruiker '{user}' heeft geen rol op de server.")
