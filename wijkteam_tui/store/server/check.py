"""`wijkteam db check` on a team server: what can be found wrong, found by reading only.

A teamleider signs in with their own passphrase (only they may read the audit log and the key
slots' history). Nothing is written: not even a login event, the users are not synced and
the structure is not brought up to date. Checked: the key slots (their MAC and signatures, as
at an unlock, and their history), the structure's version, that the server still enforces what
store/server/roles.py sets up (nothing but inserts into the audit log for the team, no login
that may create roles or is a member of the owner, the audit trigger on, every function with a
fixed search path), and the whole audit chain.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import RoleError
from wijkteam_tui.store.address import ServerAddress
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.migrate import head_revision, stored_revision
from wijkteam_tui.store.register import CurrentUser, Register
from wijkteam_tui.store.server.keystore import unseal_audit_key
from wijkteam_tui.store.server.signin import unlock
from wijkteam_tui.store.sqlite.check import CheckReport

REFUSAL = "Alleen een teamleider controleert een register op de server."

#: What the team role must never be allowed on these tables.
_FORBIDDEN = (
    ("audit_events", ("UPDATE", "DELETE", "TRUNCATE", "SELECT")),
    ("audit_event_clients", ("UPDATE", "DELETE", "TRUNCATE", "SELECT")),
    ("audit_checkpoints", ("UPDATE", "DELETE", "TRUNCATE")),
    ("key_store", ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")),
    ("key_history", ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")),
    ("alembic_version", ("INSERT", "UPDATE", "DELETE", "TRUNCATE")),
)


def check_server_register(address: ServerAddress, user: str, passphrase: str) -> CheckReport:
    """Check the register on `address` as `user` (a teamleider), reading only."""
    engine, keys, unlocked = unlock(address, user, passphrase)
    report = CheckReport(address, head=head_revision())
    try:
        if unlocked.role is not Role.TEAMLEIDER:
            raise RoleError(REFUSAL)
        report.warnings += unlocked.warnings
        report.revision = stored_revision(engine) or ""
        if report.revision != report.head:
            report.warnings.append(
                f"Structuurversie {report.revision}; de beheerder brengt die naar"
                f" {report.head} met 'wijkteam db upgrade'."
            )
        with engine.connect() as conn:
            report.problems += grant_problems(conn, address)
            versions = conn.exec_driver_sql("SELECT count(*) FROM key_history").scalar_one()
            user_id = conn.execute(
                text("SELECT id FROM users WHERE name = :n"), {"n": user}
            ).scalar()
        report.warnings.append(f"De sleutels hebben {versions} eerdere versies ('db keys').")
        register = Register(
            address,
            engine,
            unlocked,
            CurrentUser(int(user_id or 0), user, Role.TEAMLEIDER),
            None,
            audit_key=unseal_audit_key(unlocked.key_file, unlocked.db_key),
            keys=keys,
        )
        verdict = log.verify(register)
        if not verdict.ok:
            report.problems.append(
                f"Auditlog: bij volgnummer {verdict.broken_at}: {verdict.reason}."
            )
    finally:
        unlocked.forget()
        engine.dispose()
    return report


def grant_problems(conn: Connection, address: ServerAddress) -> list[str]:
    """What the server allows beyond what store/server/roles.py sets up."""
    problems = []
    for table, rights in _FORBIDDEN:
        for right in rights:
            allowed = conn.execute(
                text("SELECT has_table_privilege(:role, :table, :right)"),
                {"role": address.team_role, "table": f"wijkteam.{table}", "right": right},
            ).scalar()
            if allowed:
                problems.append(f"De teamrol mag {right} op {table}; dat hoort niet.")
    suffix = f"%@{address.database}"
    for (name,) in conn.execute(
        text(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE :s"
            " AND (rolcreaterole OR rolsuper OR rolcreatedb OR rolbypassrls)"
        ),
        {"s": suffix},
    ):
        problems.append(f"De login {name} mag rollen of databases maken; dat hoort niet.")
    for (name,) in conn.execute(
        text(
            "SELECT rolname FROM pg_roles"
            " WHERE rolname LIKE :s AND pg_has_role(rolname, :o, 'MEMBER')"
        ),
        {"s": suffix, "o": address.owner_role},
    ):
        problems.append(f"De login {name} is lid van de eigenaarsrol; dat hoort niet.")
    for trigger, what in (
        ("audit_event_check", "nieuwe auditgebeurtenissen"),
        ("audit_event_client_check", "de cliënten van nieuwe auditgebeurtenissen"),
    ):
        enabled = conn.exec_driver_sql(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = %(name)s", {"name": trigger}
        ).scalar()
        if enabled != "O":
            problems.append(f"De controle van {what} staat uit of ontbreekt.")
    for (name,) in conn.exec_driver_sql(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = 'wijkteam' AND p.prosecdef"
        " AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=wijkteam, pg_temp']"
    ):
        problems.append(f"De functie {name} heeft geen vast zoekpad; dat hoort niet.")
    public = conn.execute(
        text("SELECT has_database_privilege('public', :d, 'CONNECT')"), {"d": address.database}
    ).scalar()
    if public:
        problems.append("Iedereen op de server mag met de database verbinden; dat hoort niet.")
    return problems
