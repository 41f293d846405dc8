"""Access that follows the work, enforced by the team server itself (store/cover/access.py says
the rules; this is the same rule in SQL, for a login that reads the tables with a tool of its
own).

Row-level security on every table with a `client_id`, and on `clients`, switched on while the
team chose "werk": a row is visible and writable for a medewerker when `visible_clients()`
holds its client; a teamleider's and the operator's policies are plainly true. That function
is `SECURITY DEFINER` (its owner reads past the policies) and reads the same rules as the
program: the client's casemanager, the performer of an active agreement, the cover of an
absence today (as a whole or by client), a grant that counts today, noodtoegang that lasts now.
Policies call it as `(SELECT visible_clients())`, so PostgreSQL evaluates it once per
statement, not per row.

What a medewerker could otherwise give themselves is closed too: noodtoegang is stamped by the
server with now and the team's hours in their own name, and never changed; a grant, the team's
settings (but for the key generation that every opening keeps) and another's user row change
only by a teamleider; an absence (and its covers) only by a teamleider or for oneself, a cover
by client only for a client of the one away; a client's casemanager (and deleting a client)
only by a teamleider, and one is made the performer of an agreement only by the client's
casemanager (`work_kept`), so that no access outlasts its reason. The audit tables and the
key slots have their own rules (store/server/roles.py) and no policy here.
"""

from __future__ import annotations

#: Who the caller is in the `users` table, which clients they may open (NULL: every one), and
#: the highest client number of the whole team (a new client's number, which a medewerker who
#: sees only their own clients could not find).
ACCESS = r"""
CREATE OR REPLACE FUNCTION caller_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    SELECT id FROM users WHERE name = caller_user()
$$;

CREATE OR REPLACE FUNCTION visible_clients() RETURNS integer[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
DECLARE
    me integer;
    today date := (now() AT TIME ZONE 'Europe/Amsterdam')::date;
    moment timestamp := now() AT TIME ZONE 'UTC';
BEGIN
    IF caller_leads() OR caller_operates() THEN
        RETURN NULL;
    END IF;
    IF COALESCE((SELECT access FROM team_settings WHERE id = 1), 'team') <> 'werk' THEN
        RETURN NULL;
    END IF;
    me := caller_id();
    IF me IS NULL THEN
        RETURN '{}';
    END IF;
    RETURN ARRAY(
        SELECT id FROM clients WHERE casemanager_id = me
        UNION
        SELECT client_id FROM contact_agreements WHERE user_id = me AND active
        UNION
        SELECT client_id FROM access_grants
        WHERE user_id = me AND from_on <= today
          AND (until_on IS NULL OR until_on >= today) AND (ended_on IS NULL OR ended_on > today)
        UNION
        SELECT client_id FROM emergency_access
        WHERE user_id = me AND opened_at <= moment AND until_at > moment
        UNION
        SELECT c.id FROM absences a JOIN clients c ON c.casemanager_id = a.user_id
        WHERE a.cover_id = me AND a.from_on <= today
          AND (a.until_on IS NULL OR a.until_on >= today)
          AND (a.ended_on IS NULL OR a.ended_on > today)
          AND NOT EXISTS (
              SELECT 1 FROM absence_covers o
              WHERE o.absence_id = a.id AND o.client_id = c.id AND o.cover_id <> me)
        UNION
        SELECT o.client_id FROM absence_covers o JOIN absences a ON a.id = o.absence_id
        -- (only a client of the one who is away)
        JOIN clients c ON c.id = o.client_id AND c.casemanager_id = a.user_id
        WHERE o.cover_id = me AND a.from_on <= today
          AND (a.until_on IS NULL OR a.until_on >= today)
          AND (a.ended_on IS NULL OR a.ended_on > today)
    );
END $$;

-- What anyone finds of a client they may not open: the name and number (and whom to ask), by
-- every word of a search in them (folded: the first part of the search text is the name),
-- or by the client's id.
CREATE OR REPLACE FUNCTION clients_named(words text[], lim integer)
RETURNS TABLE (id integer, number text, name text, casemanager text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = wijkteam, pg_temp SET enable_seqscan = on SET enable_indexscan = on
SET enable_indexonlyscan = on AS $$
DECLARE
    -- The folded name and the number: what ix_clients_name_trigrams indexes.
    named text := 'split_part(c.search_text, '' | '', 1) || '' | '' || c.number';
    matching text := 'true';
    word text;
    plan json;
BEGIN
    -- Never the whole list: at least one word, and no more than a screen's worth.
    IF words IS NULL OR NOT EXISTS (SELECT 1 FROM unnest(words) w WHERE length(w) >= 2) THEN
        RETURN;
    END IF;
    lim := LEAST(GREATEST(COALESCE(lim, 0), 0), 200);
    FOREACH word IN ARRAY words LOOP
        matching := matching || format(' AND %s LIKE %L', named,
            '%' || replace(replace(replace(word, '\', '\\'), '%', '\%'), '_', '\_') || '%');
    END LOOP;
    -- As the search itself does (store/read/search.py, _holding): when few clients hold the
    -- long words, the trigram index names them (the planner's own cost for it is too high);
    -- the settings return to what they were when this function ends.
    IF EXISTS (SELECT 1 FROM unnest(words) w WHERE length(w) >= 3) THEN
        EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM clients c WHERE ' || matching INTO plan;
        IF (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric < 500 THEN
            PERFORM set_config('enable_seqscan', 'off', true);
            PERFORM set_config('enable_indexscan', 'off', true);
            PERFORM set_config('enable_indexonlyscan', 'off', true);
        END IF;
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT c.id, c.number::text, c.name::text,'
        ' COALESCE(NULLIF(u.display_name, %L), u.name)::text'
        ' FROM clients c LEFT JOIN users u ON u.id = c.casemanager_id'
        ' WHERE %s ORDER BY c.name, c.id LIMIT %s', '', matching, lim);
END $$;

CREATE OR REPLACE FUNCTION client_named(wanted integer)
RETURNS TABLE (number text, name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    SELECT number::text, name::text FROM clients WHERE id = wanted
$$;

CREATE OR REPLACE FUNCTION highest_client_number() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    SELECT number FROM clients ORDER BY length(number) DESC, number DESC LIMIT 1
$$;

-- Noodtoegang in the caller's own name, from now, for the team's hours: what a row written
-- with a tool of one's own says is what the program would have written.
CREATE OR REPLACE FUNCTION emergency_access_stamped() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
BEGIN
    IF NOT (caller_leads() OR caller_operates()) THEN
        IF length(trim(COALESCE(NEW.reason, ''))) < 10 THEN
            PERFORM refuse('noodtoegang vraagt een reden van ten minste een paar woorden');
        END IF;
        NEW.user_id := caller_id();
        NEW.opened_at := date_trunc('second', now() AT TIME ZONE 'UTC');
        NEW.until_at := NEW.opened_at + make_interval(
            hours => COALESCE((SELECT emergency_hours FROM team_settings WHERE id = 1), 8));
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER emergency_access_stamped BEFORE INSERT ON emergency_access
    FOR EACH ROW EXECUTE FUNCTION emergency_access_stamped();

-- In a team that chose "werk", a medewerker cannot make a client his own (a noodtoegang or a
-- cover would otherwise last): a client changes casemanager only by a teamleider, and one is
-- made the performer of an agreement only by its client's casemanager or a teamleider.
CREATE OR REPLACE FUNCTION work_kept() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
BEGIN
    IF caller_leads() OR caller_operates()
       OR COALESCE((SELECT access FROM team_settings WHERE id = 1), 'team') <> 'werk' THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'clients' THEN
        IF NEW.casemanager_id IS DISTINCT FROM OLD.casemanager_id THEN
            PERFORM refuse('in dit team draagt de teamleider een cliënt over');
        END IF;
    ELSIF NEW.user_id = caller_id()
          AND (TG_OP = 'INSERT' OR NEW.user_id IS DISTINCT FROM OLD.user_id)
          AND NOT EXISTS (SELECT 1 FROM clients c
                          WHERE c.id = NEW.client_id AND c.casemanager_id = NEW.user_id) THEN
        PERFORM refuse('alleen de casemanager of de teamleider maakt u uitvoerder');
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER clients_work_kept BEFORE UPDATE OF casemanager_id ON clients
    FOR EACH ROW EXECUTE FUNCTION work_kept();
CREATE OR REPLACE TRIGGER agreements_work_kept
    BEFORE INSERT OR UPDATE OF user_id ON contact_agreements
    FOR EACH ROW EXECUTE FUNCTION work_kept();

CREATE OR REPLACE FUNCTION client_numbered(wanted text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
    SELECT id FROM clients WHERE number = wanted
$$;
"""

#: The policies, made anew at every `db upgrade`: on `clients` and every table with a
#: `client_id` (but the audit log's), whatever tables a later version adds. A teamleider's
#: policy is plainly true, so that their queries plan as without policies (PostgreSQL drops a
#: policy that is true; any other keeps a LIKE from using the search's trigram index). They
#: are switched on only while the team lets medewerkers open only the clients they work for
#: (a trigger on the setting switches them, `row_security_apply`): in a team that opens every
#: client to everyone, nobody's queries pay for them.
ROW_SECURITY = """
CREATE OR REPLACE FUNCTION row_security_tables() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = wijkteam, pg_temp AS $$
    SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'wijkteam' AND c.relkind = 'r'
      AND c.relname NOT IN ('audit_events', 'audit_event_clients')
      AND (c.relname IN ('clients', 'absences', 'users') OR EXISTS (
          SELECT 1 FROM pg_attribute a
          WHERE a.attrelid = c.oid AND a.attname = 'client_id' AND NOT a.attisdropped))
    ORDER BY 1
$$;

CREATE OR REPLACE FUNCTION row_security_apply() RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
DECLARE
    enforced boolean := COALESCE((SELECT access FROM team_settings WHERE id = 1), 'team') = 'werk';
    tab text;
BEGIN
    FOR tab IN SELECT row_security_tables() LOOP
        EXECUTE format('ALTER TABLE %I %s ROW LEVEL SECURITY', tab,
                       CASE WHEN enforced THEN 'ENABLE' ELSE 'DISABLE' END);
    END LOOP;
    RETURN enforced;
END $$;

CREATE OR REPLACE FUNCTION row_security_follow() RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
BEGIN
    IF NOT (caller_leads() OR caller_operates()) THEN
        PERFORM refuse('alleen een teamleider kiest wie welke cliënten opent');
    END IF;
    RETURN row_security_apply();
END $$;

-- However the setting changes (the program, or a teamleider's psql), the policies follow it
-- in the same transaction; only a teamleider may change it (store/server/access.py grants).
CREATE OR REPLACE FUNCTION team_access_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = wijkteam, pg_temp AS $$
BEGIN
    PERFORM row_security_apply();
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER team_access_changed AFTER UPDATE OF access ON team_settings
    FOR EACH ROW WHEN (OLD.access IS DISTINCT FROM NEW.access)
    EXECUTE FUNCTION team_access_changed();

DO $$
DECLARE
    team text := current_database() || '_team';
    lead text := current_database() || '_lead';
    owner text := current_database() || '_owner';
    -- One look-up per statement (NULL, for a teamleider or a team that opens every client,
    -- lets nothing through: their policies are the true ones, or none are on).
    visible text := '%s = ANY (CAST((SELECT visible_clients()) AS integer[]))';
    leads text := '(SELECT caller_leads()) OR (SELECT caller_operates())';
    me text := '(SELECT caller_id())';
    tab text;
BEGIN
    FOR tab IN SELECT row_security_tables() LOOP
        EXECUTE format('DROP POLICY IF EXISTS works_for ON %I', tab);
        EXECUTE format('DROP POLICY IF EXISTS own ON %I', tab);
        EXECUTE format('DROP POLICY IF EXISTS leads ON %I', tab);
        EXECUTE format('DROP POLICY IF EXISTS operator ON %I', tab);
        EXECUTE format('CREATE POLICY operator ON %I TO %I USING (true) WITH CHECK (true)',
                       tab, owner);
        EXECUTE format('CREATE POLICY leads ON %I TO %I USING (true) WITH CHECK (true)',
                       tab, lead);
        IF tab = 'clients' THEN
            -- A client one registers oneself is one's own before the statement ends.
            EXECUTE format('CREATE POLICY works_for ON clients TO %I'
                           ' USING (%s OR casemanager_id = %s)', team, format(visible, 'id'), me);
        ELSIF tab = 'emergency_access' THEN
            EXECUTE format('CREATE POLICY works_for ON emergency_access TO %I'
                           ' USING (%s OR user_id = %s) WITH CHECK (%s OR user_id = %s)',
                           team, format(visible, 'client_id'), me, leads, me);
        ELSIF tab IN ('absences', 'absence_covers', 'users') THEN
            -- Everyone reads them; one changes only one's own (a teamleider anyone's).
            EXECUTE format('CREATE POLICY works_for ON %I FOR SELECT TO %I USING (true)',
                           tab, team);
            EXECUTE format('CREATE POLICY own ON %I TO %I USING (%s) WITH CHECK (%s)', tab, team,
                           format(CASE tab
                               WHEN 'absences' THEN '%s OR user_id = %s'
                               WHEN 'users' THEN '%s OR id = %s'
                               ELSE '%s OR EXISTS (SELECT 1 FROM absences a'
                                    ' WHERE a.id = absence_id AND a.user_id = %s)' END,
                                  leads, me),
                           format(CASE tab
                               WHEN 'absences' THEN '%s OR user_id = %s'
                               WHEN 'users' THEN '%s OR id = %s'
                               -- a client covered by another is one of the absent person's
                               ELSE '%s OR EXISTS (SELECT 1 FROM absences a JOIN clients c'
                                    ' ON c.id = client_id AND c.casemanager_id = a.user_id'
                                    ' WHERE a.id = absence_id AND a.user_id = %s)' END,
                                  leads, me));
        ELSE
            -- client_id NULL: a team-wide row (a team threshold).
            EXECUTE format('CREATE POLICY works_for ON %I TO %I USING (client_id IS NULL OR %s)',
                           tab, team, format(visible, 'client_id'));
        END IF;
    END LOOP;
    PERFORM row_security_apply();
END $$;
"""


def grants(team: str, lead: str) -> list[str]:
    """What a colleague may not change beyond the policies, and a teamleider may (quoted role
    names): grants, the Buurt view's decisions on who is the same person, and a user's name and
    role only a teamleider, noodtoegang never, and of the team's settings only the key
    generation (every opening records the newest it saw)."""
    return [
        f"REVOKE INSERT, UPDATE, DELETE ON access_grants FROM {team}",
        f"GRANT INSERT, UPDATE, DELETE ON access_grants TO {lead}",
        # Who is the same person in the Buurt view: a teamleider's decision.
        f"REVOKE INSERT, UPDATE, DELETE ON member_links FROM {team}",
        f"GRANT INSERT, UPDATE, DELETE ON member_links TO {lead}",
        f"REVOKE UPDATE, DELETE ON emergency_access FROM {team}",
        # Erasing a client (a teamleider) takes its noodtoegang with it.
        f"GRANT DELETE ON emergency_access TO {lead}",
        f"REVOKE INSERT, UPDATE, DELETE ON team_settings FROM {team}",
        f"GRANT UPDATE (key_generation, version) ON team_settings TO {team}",
        f"GRANT UPDATE ON team_settings TO {lead}",
        # Erasing a client is a teamleider's (and would take its noodtoegang with it).
        f"REVOKE DELETE ON clients FROM {team}",
        f"GRANT DELETE ON clients TO {lead}",
        f"REVOKE INSERT, UPDATE, DELETE ON users FROM {team}",
        f"GRANT UPDATE (display_name, phone, email, version) ON users TO {team}",
        f"GRANT INSERT, UPDATE, DELETE ON users TO {lead}",
    ]


#: Every colleague calls these (the policies do, in their name).
FOR_LEADS = ("row_security_follow()",)
FOR_TEAM = (
    "caller_id()",
    "visible_clients()",
    "clients_named(text[], integer)",
    "client_named(integer)",
    "client_numbered(text)",
    "highest_client_number()",
)
