"""The team server's own functions, in SQL: who calls (`caller_user`), the logins a teamleider
manages, the key slots (`keys_read`, `keys_write`), the audit log's checks and pruning, and
upkeep. Each is `SECURITY DEFINER`, owned by the register's owner role, with its search path
fixed (store/server/roles.py makes and grants them; its docstring says who may do what).
"""

from __future__ import annotations

from wijkteam_tui.store.server.access import ACCESS, ROW_SECURITY
from wijkteam_tui.store.server.access import FOR_LEADS as ACCESS_FOR_LEADS
from wijkteam_tui.store.server.access import FOR_TEAM as ACCESS_FOR_TEAM

#: Who calls: the wijkteam user behind `session_user` when it is a login of this register.
CALLER = """
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
LOGINS = """
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
KEYS = """
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
AUDIT = """
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

CREATE OR REPLACE FUNCTION audit_event_client_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
BEGIN
    IF caller_operates() THEN
        RETURN NEW;  -- the operator's set-up role: making or copying the register
    END IF;
    -- Only the event just written (in this transaction, under the write lock) names its
    -- clients; its MAC covers a digest of them.
    IF NEW.seq IS DISTINCT FROM (SELECT max(seq) FROM audit_events) THEN
        PERFORM refuse('alleen de nieuwste auditgebeurtenis krijgt cliënten');
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER audit_event_client_check BEFORE INSERT ON audit_event_clients
    FOR EACH ROW EXECUTE FUNCTION audit_event_client_check();
"""

#: Statistics anew (only a table's owner may ANALYZE it): after an erasure, so that
#: `pg_stats` no longer samples the client's values; after a bulk load, for the planner.
UPKEEP = """
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
FOR_TEAM = (
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
    *ACCESS_FOR_TEAM,
)
FOR_LEADS = ("login_close(text)", *ACCESS_FOR_LEADS)

#: Every function, in the order they are made (later ones call earlier ones); then access that
#: follows the work (store/server/access.py), whose policies call them.
FUNCTIONS = (CALLER, LOGINS, KEYS, AUDIT, UPKEEP, ACCESS, ROW_SECURITY)
