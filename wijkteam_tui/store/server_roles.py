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

SCHEMA = "wijkteam"
#: Every function below has its search path fixed to the schema, then temporary objects last
#: (so that a temporary table or function of the caller's cannot stand in for one of ours).


def quoted(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


#: Who calls: the wijkteam user behind `session_user` when it is a login of this register.
_CALLER = """
CREATE OR REPLACE FUNCTION caller_user() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    SELECT CASE WHEN right(session_user, length(current_database()) + 1)
                     = '@' || current_database()
                THEN left(session_user, length(session_user) - length(current_database()) - 1)
           END
$$;
CREATE OR REPLACE FUNCTION caller_leads() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    SELECT pg_has_role(session_user, current_database() || '_lead', 'MEMBER')
$$;
CREATE OR REPLACE FUNCTION caller_operates() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    SELECT pg_has_role(session_user, current_database() || '_owner', 'MEMBER')
$$;
CREATE OR REPLACE FUNCTION refuse(message text) RETURNS void
LANGUAGE plpgsql SET search_path = wijkteam, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '%', message USING ERRCODE = 'insufficient_privilege';
END $$;
"""

#: A login of this register: made, given a new password, (re)opened or closed, and its role.
#: `lead` NULL leaves the role as it is; only a teamleider (or the operator) may change
#: someone else's login, and anyone their own password.
_LOGINS = """
CREATE OR REPLACE FUNCTION login_set(login text, verifier text, lead boolean, may_login boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
DECLARE
    team text := current_database() || '_team';
    leads text := current_database() || '_lead';
    owner text := current_database() || '_owner';
    allowed boolean := caller_leads() OR caller_operates();
BEGIN
    IF right(login, length(current_database()) + 1) <> '@' || current_database() THEN
        PERFORM refuse('alleen logins van dit register: ' || login);
    END IF;
    IF NOT allowed AND NOT (login = session_user AND lead IS NULL AND may_login) THEN
        PERFORM refuse('alleen een teamleider wijzigt de login van een ander');
    END IF;
    IF verifier IS NULL OR verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
        PERFORM refuse('een login krijgt alleen een SCRAM-verificatie, nooit een wachtwoord');
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        IF NOT pg_has_role(login, team, 'MEMBER') THEN
            RAISE EXCEPTION 'de rol % hoort niet bij dit register', login
                USING ERRCODE = 'duplicate_object';
        END IF;
        EXECUTE format('ALTER ROLE %I %s PASSWORD %L', login,
                       CASE WHEN may_login THEN 'LOGIN' ELSE 'NOLOGIN' END, verifier);
    ELSE
        IF NOT allowed OR lead IS NULL THEN
            PERFORM refuse('alleen een teamleider voegt een collega toe');
        END IF;
        EXECUTE format('CREATE ROLE %I %s NOCREATEROLE NOCREATEDB PASSWORD %L', login,
                       CASE WHEN may_login THEN 'LOGIN' ELSE 'NOLOGIN' END, verifier);
        -- So that the owner may end the login's sessions when it is switched off.
        EXECUTE format('GRANT %I TO %I', login, owner);
    END IF;
    IF lead IS NOT NULL THEN
        EXECUTE format('GRANT %I TO %I', team, login);
        IF lead THEN
            EXECUTE format('GRANT %I TO %I', leads, login);
        ELSE
            EXECUTE format('REVOKE %I FROM %I', leads, login);
        END IF;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION login_close(login text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
DECLARE
    ended integer := 0;
    session integer;
BEGIN
    IF NOT (caller_leads() OR caller_operates()) THEN
        PERFORM refuse('alleen een teamleider schakelt een collega uit');
    END IF;
    IF right(login, length(current_database()) + 1) <> '@' || current_database()
       OR NOT pg_has_role(login, current_database() || '_team', 'MEMBER') THEN
        PERFORM refuse('alleen logins van dit register: ' || login);
    END IF;
    EXECUTE format('ALTER ROLE %I NOLOGIN', login);
    FOR session IN
        SELECT pid FROM pg_stat_activity WHERE usename = login AND pid <> pg_backend_pid()
    LOOP
        IF pg_terminate_backend(session) THEN
            ended := ended + 1;
        END IF;
    END LOOP;
    RETURN ended;
END $$;
"""

#: The key slots: the current signed document, and every earlier one.
_KEYS = """
CREATE TABLE IF NOT EXISTS key_store (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    document BYTEA NOT NULL,
    generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS key_history (
    generation INTEGER PRIMARY KEY,
    document BYTEA NOT NULL,
    replaced_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    replaced_by TEXT NOT NULL DEFAULT session_user
);

CREATE OR REPLACE FUNCTION slots_but(document jsonb, who text) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = wijkteam, pg_temp AS $$
    SELECT coalesce(jsonb_agg(s ORDER BY s::text), '[]'::jsonb)
    FROM jsonb_array_elements(document -> 'slots') AS s
    WHERE s ->> 'user' IS DISTINCT FROM who
$$;
CREATE OR REPLACE FUNCTION slot_role(document jsonb, who text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = wijkteam, pg_temp AS $$
    SELECT string_agg(coalesce(s ->> 'kind', '') || ':' || coalesce(s ->> 'role', ''), ',')
    FROM jsonb_array_elements(document -> 'slots') AS s
    WHERE s ->> 'user' = who
$$;

-- What keys_read shows a medewerker: their own slot and the recovery slot whole, a
-- colleague's slot without its encrypted private keys (their SHA-256 instead), so nobody
-- guesses a colleague's passphrase offline. The document's checksum and MAC cover the slots in
-- exactly that form (version 3, store/keys/keyfile.py), so the medewerker still checks it whole.
-- Teamleiders read the whole document (they make the back-ups); a version-2 document, whose
-- MAC covers the secrets themselves, is shown whole until its first change makes it version 3.
CREATE OR REPLACE FUNCTION slots_withheld(document jsonb, who text) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = wijkteam, pg_temp AS $$
    SELECT jsonb_set(document, '{slots}', coalesce(jsonb_agg(
        CASE WHEN s ->> 'kind' = 'user' AND s ->> 'user' IS DISTINCT FROM who AND s ? 'secret'
             THEN (s - 'secret') || jsonb_build_object('secret_sha256',
                  encode(sha256(decode(s ->> 'secret', 'base64')), 'hex'))
             ELSE s END ORDER BY n), '[]'::jsonb))
    FROM jsonb_array_elements(document -> 'slots') WITH ORDINALITY AS e(s, n)
$$;

CREATE OR REPLACE FUNCTION keys_read() RETURNS TABLE (document bytea, generation integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
DECLARE
    whole jsonb;
BEGIN
    SELECT k.document, k.generation INTO document, generation FROM key_store k WHERE k.id = 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF NOT (caller_leads() OR caller_operates()) THEN
        BEGIN
            whole := convert_from(document, 'UTF8')::jsonb;
            IF whole ->> 'version' IS DISTINCT FROM '2' THEN
                document := convert_to(slots_withheld(whole, caller_user())::text, 'UTF8');
            END IF;
        EXCEPTION WHEN others THEN
            document := NULL;  -- not a key document: nothing of it is shown
        END;
    END IF;
    RETURN NEXT;
END $$;

-- A withheld slot in a new document is the slot as it is now: its secret is put back from
-- the current document, where its SHA-256 matches; a withheld slot that matches nothing is
-- refused (nobody can replace a colleague's secret without knowing it).
CREATE OR REPLACE FUNCTION slots_filled(document jsonb, source jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = wijkteam, pg_temp AS $$
DECLARE
    filled jsonb := '[]'::jsonb;
    s jsonb;
    found text;
BEGIN
    FOR s IN SELECT e FROM jsonb_array_elements(document -> 'slots') AS e LOOP
        IF s ? 'secret_sha256' THEN
            SELECT o ->> 'secret' INTO found
                FROM jsonb_array_elements(source -> 'slots') AS o
                WHERE o ->> 'kind' IS NOT DISTINCT FROM s ->> 'kind'
                  AND o ->> 'user' IS NOT DISTINCT FROM s ->> 'user'
                  AND o ? 'secret'
                  AND encode(sha256(decode(o ->> 'secret', 'base64')), 'hex')
                      = s ->> 'secret_sha256'
                LIMIT 1;
            IF found IS NULL THEN
                PERFORM refuse('de sleutel van een collega is gewijzigd');
            END IF;
            s := (s - 'secret_sha256') || jsonb_build_object('secret', found);
        END IF;
        filled := filled || jsonb_build_array(s);
    END LOOP;
    RETURN jsonb_set(document, '{slots}', filled);
END $$;

CREATE OR REPLACE FUNCTION keys_write(new_document bytea, new_generation integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
DECLARE
    old_document bytea;
    old_generation integer;
    before jsonb;
    after jsonb;
    me text := caller_user();
    kept text[] := ARRAY['slots', 'extra', 'checksum', 'mac', 'version'];
    moving text[] := ARRAY['audit_head', 'generation'];
BEGIN
    SELECT document, generation INTO old_document, old_generation
        FROM key_store WHERE id = 1 FOR UPDATE;
    IF new_generation IS DISTINCT FROM old_generation + 1 THEN
        RAISE EXCEPTION 'de sleutels zijn intussen gewijzigd (generatie %)', old_generation
            USING ERRCODE = 'serialization_failure';
    END IF;
    BEGIN
        before := convert_from(old_document, 'UTF8')::jsonb;
    EXCEPTION WHEN others THEN
        before := NULL;
    END;
    BEGIN
        after := convert_from(new_document, 'UTF8')::jsonb;
        IF jsonb_typeof(after -> 'slots') IS DISTINCT FROM 'array' THEN
            RAISE EXCEPTION 'no slots';
        END IF;
    EXCEPTION WHEN others THEN
        PERFORM refuse('de nieuwe sleutels zijn geen sleuteldocument');
    END;
    IF EXISTS (SELECT FROM jsonb_array_elements(after -> 'slots') AS s
               WHERE s ? 'secret_sha256') THEN
        IF before IS NULL THEN
            PERFORM refuse('de sleutels op de server zijn onleesbaar');
        END IF;
        after := slots_filled(after, before);
        new_document := convert_to(after::text, 'UTF8');
    END IF;
    IF NOT (caller_leads() OR caller_operates()) THEN
        IF me IS NULL OR before IS NULL
           OR (before - kept) IS DISTINCT FROM (after - kept)
           OR NOT (after -> 'version' = before -> 'version'
                   OR (before ->> 'version' = '2' AND after ->> 'version' = '3'))
           OR slots_but(before, me) IS DISTINCT FROM slots_but(after, me)
           OR slot_role(after, me) IS DISTINCT FROM slot_role(before, me)
           OR ((before -> 'extra') - moving) IS DISTINCT FROM ((after -> 'extra') - moving)
           OR (after -> 'extra' -> 'audit_head' ->> 0)::bigint
              < (before -> 'extra' -> 'audit_head' ->> 0)::bigint
        THEN
            PERFORM refuse('een medewerker wijzigt alleen zijn eigen sleutel');
        END IF;
    END IF;
    UPDATE key_store SET document = new_document, generation = new_generation WHERE id = 1;
END $$;

-- Whoever replaces the document (keys_write, or someone with the server's own tools), the
-- one it replaces is kept; a generation already kept stays as it was first kept.
CREATE OR REPLACE FUNCTION key_store_kept() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
BEGIN
    INSERT INTO key_history (generation, document) VALUES (OLD.generation, OLD.document)
        ON CONFLICT (generation) DO NOTHING;
    RETURN coalesce(NEW, OLD);
END $$;
CREATE OR REPLACE TRIGGER key_store_kept BEFORE UPDATE OR DELETE ON key_store
    FOR EACH ROW EXECUTE FUNCTION key_store_kept();
"""

#: The audit log: its head for every writer, what pruning may remove, and the check of every
#: event as it is inserted.
_AUDIT = """
CREATE OR REPLACE FUNCTION audit_head() RETURNS TABLE (seq integer, mac text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    SELECT seq, mac FROM audit_events ORDER BY seq DESC LIMIT 1
$$;

CREATE OR REPLACE FUNCTION audit_mac(wanted integer) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    SELECT mac FROM audit_events WHERE seq = wanted
$$;

CREATE OR REPLACE FUNCTION audit_prunable(cutoff timestamp)
RETURNS TABLE (first_seq integer, through_seq integer, through_mac text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    WITH bounds AS (
        SELECT min(seq) AS first_seq,
               coalesce(min(seq) FILTER (WHERE at >= cutoff) - 1, max(seq)) AS through_seq
        FROM audit_events
    )
    SELECT b.first_seq, b.through_seq, e.mac
    FROM bounds b JOIN audit_events e ON e.seq = b.through_seq
    WHERE b.through_seq >= b.first_seq
      AND (SELECT at FROM audit_events ORDER BY seq LIMIT 1) < cutoff
$$;

CREATE OR REPLACE FUNCTION prune_audit(through INTEGER) RETURNS INTEGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
DECLARE
    removed INTEGER;
BEGIN
    IF EXISTS (
        SELECT 1 FROM audit_events
        WHERE seq <= through AND at >= (now() AT TIME ZONE 'UTC') - INTERVAL '5 years'
    ) THEN
        PERFORM refuse('alleen gebeurtenissen ouder dan vijf jaar gaan uit het auditlog');
    END IF;
    DELETE FROM audit_events WHERE seq <= through;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;

CREATE OR REPLACE FUNCTION audit_event_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
DECLARE
    newest integer;
BEGIN
    IF caller_operates() THEN
        RETURN NEW;  -- the operator's set-up role: making or copying the register
    END IF;
    IF NEW.user_name IS DISTINCT FROM caller_user() THEN
        PERFORM refuse('een auditgebeurtenis staat op naam van wie haar schrijft');
    END IF;
    IF NEW.role IS DISTINCT FROM
       (CASE WHEN caller_leads() THEN 'teamleider' ELSE 'medewerker' END) THEN
        PERFORM refuse('een auditgebeurtenis noemt de rol van wie haar schrijft');
    END IF;
    IF NEW.mac IS NULL OR NEW.mac !~ '^[0-9a-f]{64}$' THEN
        -- The next writer chains to it: something that is not a MAC would stop every write.
        PERFORM refuse('een auditgebeurtenis heeft een MAC van 64 hexadecimale tekens');
    END IF;
    SELECT max(seq) INTO newest FROM audit_events;
    IF newest IS NULL THEN
        SELECT max(through_seq) INTO newest FROM audit_checkpoints;
    END IF;
    IF NEW.seq IS DISTINCT FROM coalesce(newest, 0) + 1 THEN
        PERFORM refuse('een auditgebeurtenis volgt op de laatste');
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER audit_event_check BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_event_check();
"""

#: Statistics anew (only a table's owner may ANALYZE it): after an erasure, so that
#: `pg_stats` no longer samples the client's values; after a bulk load, for the planner.
_UPKEEP = """
CREATE OR REPLACE FUNCTION analyze_tables(client_tables_only boolean) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
DECLARE
    name text;
    done integer := 0;
BEGIN
    FOR name IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'wijkteam' AND c.relkind = 'r'
          AND (NOT client_tables_only OR c.relname = 'clients' OR EXISTS (
              SELECT 1 FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attname = 'client_id' AND NOT a.attisdropped))
        ORDER BY c.relname
    LOOP
        EXECUTE format('ANALYZE wijkteam.%I', name);
        done := done + 1;
    END LOOP;
    RETURN done;
END $$;
"""

#: Functions every colleague may call, and those for teamleiders only.
_FOR_TEAM = (
    "caller_user()",
    "caller_leads()",
    "caller_operates()",
    "login_set(text, text, boolean, boolean)",
    "keys_read()",
    "keys_write(bytea, integer)",
    "audit_head()",
    "audit_mac(integer)",
    "audit_prunable(timestamp)",
    "prune_audit(integer)",
    "analyze_tables(boolean)",
)
_FOR_LEADS = ("login_close(text)",)


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


def make_server_objects(conn: Connection) -> None:
    """The key slots' tables and the functions and triggers above, made (or, by `db
    upgrade`, made anew) as the owner, after the register's tables, in the schema."""
    raw = conn.connection.driver_connection
    assert raw is not None
    for block in (_CALLER, _LOGINS, _KEYS, _AUDIT, _UPKEEP):
        # On the driver's connection (the same transaction): without parameters, psycopg
        # leaves the functions' own % signs alone.
        raw.execute(block)


def grant_work(conn: Connection, address: ServerAddress) -> None:
    """What the team and the teamleiders may do, after the structure was made or brought up
    to date (as the owner): rows read and changed; the audit log and its checkpoints only
    added to (the log read by teamleiders); the key slots only read (changed through `keys_write`);
    the structure's version only read; functions as listed above."""
    team, lead = quoted(address.team_role), quoted(address.lead_role)
    audit = "audit_events, audit_checkpoints"
    statements = [
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {SCHEMA} TO {team}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {team}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {team}",
        # The checkpoints hold numbers and MACs only: every writer reads the newest.
        f"REVOKE SELECT ON audit_events FROM {team}",  # noqa: S608 (quoted names of ours)
        f"GRANT SELECT ON {audit} TO {lead}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {team}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON key_store, key_history FROM {team}",
        # A colleague's slot is read through keys_read, without what guessing needs.
        f"REVOKE SELECT ON key_store, key_history FROM {team}",  # noqa: S608 (quoted names)
        f"GRANT SELECT ON key_store, key_history TO {lead}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {SCHEMA} FROM PUBLIC",
    ]
    statements += [f"GRANT EXECUTE ON FUNCTION {f} TO {team}" for f in _FOR_TEAM]
    statements += [f"GRANT EXECUTE ON FUNCTION {f} TO {lead}" for f in _FOR_LEADS]
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
