"""Access that follows the work on a team server, enforced by PostgreSQL itself: a medewerker
who connects with psql (their own login and password, as anyone with a passphrase could) sees
in a team that chose "werk" only the rows of the clients they work for, while the teamleider's
session sees all; what a medewerker could otherwise give themselves (noodtoegang for a long
time or in another's name, a grant, the team's setting, another's absence, their user row's
name) the server refuses or stamps. On a real PostgreSQL server (tests/pg.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import psycopg
import pytest

from tests.conftest import PASSPHRASE
from tests.pg import BOOTSTRAP_PASSWORD, Cluster
from wijkteam_tui.domain.terms import Channel, MemberKind, Role
from wijkteam_tui.errors import NotWorkingForError
from wijkteam_tui.store import services
from wijkteam_tui.store.address import ServerAddress, server_address
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.client_file import client_file
from wijkteam_tui.store.read.edit import team_settings_for_edit
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.read.team import snapshot_written
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.server.connection import login_secret
from wijkteam_tui.store.sharing import client_by_number
from wijkteam_tui.store.sweep import daily_sweep
from wijkteam_tui.store.users import add_user
from wijkteam_tui.store.write.settings import update_team_settings

TODAY = date.today()
BRAM, CEM = "bram zijn wachtwoord", "cem zijn wachtwoord"


@pytest.fixture
def backend() -> str:
    return "postgresql"


@pytest.fixture
def team(postgres: Cluster) -> Iterator[tuple[ServerAddress, dict[str, int]]]:
    """anna (teamleider), bram and cem; Kees (bram's, with Ria) and Lies (cem's, with Truus)."""
    address = server_address(postgres.address(postgres.new_register_database()))
    anna, _ = create_register(address, "anna", PASSPHRASE, server_password=BOOTSTRAP_PASSWORD)
    try:
        add_user(anna, "bram", Role.MEDEWERKER, passphrase=BRAM)
        add_user(anna, "cem", Role.MEDEWERKER, passphrase=CEM)
        ids = {}
        for name, login, member in (
            ("Kees Bakker", "bram", "Ria"),
            ("Lies Vermeer", "cem", "Truus"),
        ):
            with anna.read_connection() as conn:
                user = conn.exec_driver_sql(
                    "SELECT id FROM users WHERE name = %(n)s", {"n": login}
                ).scalar_one()
            client = services.create_client(
                anna, ClientInput(name, TODAY - timedelta(days=60), casemanager_id=user), TODAY
            )
            made = services.add_member(
                anna, client.id, MemberInput(member, MemberKind.INFORMAL), TODAY
            )
            services.add_agreement(
                anna,
                client.id,
                AgreementInput(
                    Channel.VISIT, TODAY - timedelta(days=30), member_id=made.id, interval_days=14
                ),
                TODAY,
            )
            ids[name.split()[0].lower()] = client.id
            ids[login] = user
        current, version = team_settings_for_edit(anna)
        update_team_settings(anna, version, replace(current, access="werk"))
    finally:
        anna.close()
    yield address, ids
    postgres.drop(address.database)


def _psql(address: ServerAddress, name: str, passphrase: str) -> psycopg.Connection:
    url = address.url.set(drivername="postgresql", username=address.login_role(name))
    return psycopg.connect(
        str(url), password=login_secret(name, passphrase), options="-c search_path=wijkteam",
        autocommit=True,
    )  # fmt: skip


def _names(conn: psycopg.Connection, query: str) -> list[str]:
    return sorted(row[0] for row in conn.execute(query))


def test_a_medewerkers_own_session_sees_only_their_clients_the_teamleiders_all(team):
    address, ids = team
    with _psql(address, "bram", BRAM) as bram, _psql(address, "anna", PASSPHRASE) as anna:
        assert _names(bram, "SELECT name FROM clients") == ["Kees Bakker"]
        assert _names(bram, "SELECT name FROM network_members") == ["Ria"]
        assert bram.execute("SELECT count(*) FROM contact_agreements").fetchone() == (1,)
        assert bram.execute(
            "SELECT count(*) FROM alerts WHERE client_id = %s", (ids["lies"],)
        ).fetchone() == (0,)
        assert _names(anna, "SELECT name FROM clients") == ["Kees Bakker", "Lies Vermeer"]
        assert _names(anna, "SELECT name FROM network_members") == ["Ria", "Truus"]
        # Nor can he change what he cannot see.
        assert (
            bram.execute(
                "UPDATE clients SET casemanager_id = %s WHERE id = %s", (ids["bram"], ids["lies"])
            ).rowcount
            == 0
        )
        # Back to "team": everyone sees everything again.
        anna.execute("UPDATE team_settings SET access = 'team'")
        assert _names(bram, "SELECT name FROM clients") == ["Kees Bakker", "Lies Vermeer"]


def test_what_a_medewerker_could_give_himself_is_refused_or_stamped(team):
    address, ids = team
    with _psql(address, "bram", BRAM) as bram:
        for statement, args in (
            ("UPDATE team_settings SET access = 'team'", ()),
            ("UPDATE team_settings SET emergency_hours = 24", ()),
            (
                "INSERT INTO access_grants (client_id, user_id, from_on, reason, granted_by_id,"
                " created_at, version) VALUES (%s, %s, current_date, '', %s, now(), 1)",
                (ids["lies"], ids["bram"], ids["bram"]),
            ),
            ("UPDATE users SET name = 'bram2' WHERE name = 'bram'", ()),
            # Who is the same person in the Buurt view: the teamleider's to decide.
            (
                "INSERT INTO member_links (member_id, other_id, same, decided_by_id, decided_at)"
                " SELECT min(id), max(id), false, %s, now() FROM network_members",
                (ids["bram"],),
            ),
            ("DELETE FROM member_links", ()),
            ("UPDATE users SET role = 'teamleider' WHERE name = 'bram'", ()),
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                bram.execute(statement, args)
        # Another's absence with himself as cover: refused by the policy.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bram.execute(
                "INSERT INTO absences (user_id, from_on, cover_id, created_by_id, created_at,"
                " version) VALUES (%s, current_date, %s, %s, now(), 1)",
                (ids["cem"], ids["bram"], ids["bram"]),
            )
        # Noodtoegang written by hand: in his name, from now, for the team's 8 hours.
        bram.execute(
            "INSERT INTO emergency_access (client_id, user_id, reason, opened_at, until_at)"
            " VALUES (%s, %s, 'zomaar even kijken', '2020-01-01', '2099-01-01')",
            (ids["lies"], ids["cem"]),
        )
        user, hours = bram.execute(
            "SELECT user_id, extract(epoch FROM until_at - opened_at) / 3600 FROM emergency_access"
        ).fetchone()
        assert (user, hours) == (ids["bram"], 8)
        assert _names(bram, "SELECT name FROM clients") == ["Kees Bakker", "Lies Vermeer"]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bram.execute("UPDATE emergency_access SET until_at = '2099-01-01'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bram.execute("DELETE FROM emergency_access")


def test_the_program_as_a_medewerker_on_the_server(team):
    address, ids = team
    bram = open_register(address, "bram", BRAM)
    try:
        assert client_file(bram, ids["kees"], TODAY).name == "Kees Bakker"
        with pytest.raises(NotWorkingForError):
            client_file(bram, ids["lies"], TODAY)
        [hit] = search_clients(bram, "vermeer", today=TODAY)
        assert (hit.name, hit.closed, hit.street) == ("Lies Vermeer", True, "")
        assert search_clients(bram, "truus", today=TODAY) == []
        # Asked by number (`export agreements 100002 --emergency …`), the server says which.
        assert client_by_number(bram, hit.number) == ids["lies"]
        # A new client gets the next number of the whole team, not of what he sees.
        made = services.create_client(
            bram, ClientInput("Piet Jansen", TODAY, casemanager_id=ids["bram"]), TODAY
        )
        assert made.number == "100003"
    finally:
        bram.close()


def test_the_policies_are_on_only_while_the_team_chose_werk(team):
    """In a team that opens every client to everyone nobody's queries pay for the policies;
    while they are on, a teamleider's search plans as without them."""
    address, _ = team
    with _psql(address, "anna", PASSPHRASE) as anna:
        on = "SELECT relrowsecurity FROM pg_class WHERE relname = 'clients'"
        assert anna.execute(on).fetchone() == (True,)
        search = "SELECT id FROM clients WHERE search_text LIKE '%vermeer%'"
        with _psql(address, "bram", BRAM) as bram:
            assert "ANY" in _plan(bram, search)
        # The teamleider's true policy is gone from the plan: nothing stands before the LIKE.
        assert "ANY" not in _plan(anna, search) and "$0" not in _plan(anna, search)
        anna.execute("UPDATE team_settings SET access = 'team'")
        assert anna.execute("SELECT row_security_follow()").fetchone() == (False,)
        assert anna.execute(on).fetchone() == (False,)
    with (
        _psql(address, "bram", BRAM) as bram,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        bram.execute("SELECT row_security_follow()")


def _plan(conn: psycopg.Connection, query: str) -> str:
    with conn.transaction():
        conn.execute("SET LOCAL enable_seqscan = off")
        return "\n".join(row[0] for row in conn.execute("EXPLAIN " + query))


def test_a_medewerkers_sweep_leaves_the_teams_figures_to_one_who_sees_all(team):
    address, _ = team
    bram = open_register(address, "bram", BRAM)
    anna = open_register(address, "anna", PASSPHRASE)
    try:
        daily_sweep(bram, TODAY)
        assert not snapshot_written(anna, TODAY)
        daily_sweep(anna, TODAY)
        assert snapshot_written(anna, TODAY)
    finally:
        bram.close()
        anna.close()


def test_a_medewerker_cannot_make_a_client_his_own_past_the_program(team):
    """The ways a review found to keep a client open: a cover row for a client not of the
    one away, another's absence removed, the client taken over, an agreement performed by
    oneself after noodtoegang, the team's settings rewritten, a client deleted with its
    noodtoegang. Each is refused, or changes nothing."""
    address, ids = team
    with _psql(address, "bram", BRAM) as bram, _psql(address, "anna", PASSPHRASE) as anna:
        (absence,) = bram.execute(
            "INSERT INTO absences (user_id, from_on, created_by_id, created_at, version)"
            " VALUES (%s, current_date, %s, now(), 1) RETURNING id",
            (ids["bram"], ids["bram"]),
        ).fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bram.execute(
                "INSERT INTO absence_covers (absence_id, client_id, cover_id) VALUES (%s, %s, %s)",
                (absence, ids["lies"], ids["bram"]),
            )
        # Even written by a teamleider, a cover row names only a client of the one away.
        anna.execute(
            "INSERT INTO absence_covers (absence_id, client_id, cover_id) VALUES (%s, %s, %s)",
            (absence, ids["lies"], ids["bram"]),
        )
        assert _names(bram, "SELECT name FROM clients") == ["Kees Bakker"]
        (cems,) = anna.execute(
            "INSERT INTO absences (user_id, from_on, created_by_id, created_at, version)"
            " VALUES (%s, current_date, %s, now(), 1) RETURNING id",
            (ids["cem"], ids["cem"]),
        ).fetchone()
        assert bram.execute("DELETE FROM absences WHERE id = %s", (cems,)).rowcount == 0
        assert (
            bram.execute(
                "UPDATE absences SET cover_id = %s WHERE id = %s", (ids["bram"], cems)
            ).rowcount
            == 0
        )
        for statement, args in (
            ("UPDATE clients SET casemanager_id = %s WHERE id = %s", (ids["cem"], ids["kees"])),
            ("DELETE FROM clients WHERE id = %s", (ids["kees"],)),
            ("DELETE FROM team_settings", ()),
            ("INSERT INTO team_settings (id) VALUES (2)", ()),
            ("INSERT INTO emergency_access (client_id, user_id, reason, opened_at, until_at)"
             " VALUES (%s, %s, '', now(), now())", (ids["lies"], ids["bram"])),
        ):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                bram.execute(statement, args)
        bram.execute(
            "INSERT INTO emergency_access (client_id, user_id, reason, opened_at, until_at)"
            " VALUES (%s, %s, 'De dochter belt in paniek', now(), now())",
            (ids["lies"], ids["bram"]),
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bram.execute(
                "INSERT INTO contact_agreements (client_id, user_id, channel, description,"
                " shared, start_on, active, closed_with_file, version)"
                " VALUES (%s, %s, 'bezoek', '', false, current_date, true, false, 1)",
                (ids["lies"], ids["bram"]),
            )
        # Names of the others: only for a word, never the whole list.
        assert bram.execute("SELECT count(*) FROM clients_named('{}', 100000)").fetchone() == (0,)
        assert bram.execute(
            "SELECT count(*) FROM clients_named(ARRAY['vermeer'], 100000)"
        ).fetchone() == (1,)


def test_outcomes_follow_the_work_like_every_table_of_a_client(team):
    """The assessments, their scores and their earlier versions are a client's rows like the
    others: in "werk" bram's own session reads Kees's and none of Lies's; and no table that
    names a client is left without its policy."""
    from wijkteam_tui.domain.terms import AssessmentKind
    from wijkteam_tui.store.outcomes.assessments import (
        AssessmentInput,
        record_assessment,
        update_assessment,
    )

    address, ids = team
    anna = open_register(address, "anna", PASSPHRASE)
    try:
        for client in (ids["kees"], ids["lies"]):
            data = AssessmentInput(AssessmentKind.ZRM, TODAY, {"financien": 3, "huisvesting": 4})
            made = record_assessment(anna, client, data, TODAY).moment_id
            update_assessment(anna, made, 1, replace(data, scores={"financien": 2}), TODAY)
    finally:
        anna.close()
    with _psql(address, "bram", BRAM) as bram, _psql(address, "anna", PASSPHRASE) as lead:
        for table in ("assessments", "assessment_scores", "assessment_revisions"):
            seen = {row[0] for row in bram.execute(f"SELECT client_id FROM {table}")}
            assert seen == {ids["kees"]}, table
            every = {row[0] for row in lead.execute(f"SELECT client_id FROM {table}")}
            assert every == {ids["kees"], ids["lies"]}, table
        unguarded = lead.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'client_id'"
            " WHERE n.nspname = 'wijkteam' AND c.relkind = 'r' AND NOT a.attisdropped"
            " AND c.relname NOT IN ('audit_events', 'audit_event_clients')"
            " AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid"
            " AND p.polname = 'works_for')"
        ).fetchall()
        assert unguarded == []


def test_the_buurt_view_on_the_server_follows_the_work_and_its_decisions_the_lead(team):
    """Ria (Kees, bram's) and Truus (Lies, cem's) share a phone number: anna sees one person
    carrying two clients, and parts them; bram sees Ria with Kees only, and may not decide."""
    from wijkteam_tui.errors import RoleError
    from wijkteam_tui.store.neighbourhood.links import decide_match
    from wijkteam_tui.store.read.neighbourhood import neighbourhood

    address, _ = team
    anna = open_register(address, "anna", PASSPHRASE)
    bram = open_register(address, "bram", BRAM)
    try:
        with anna.write() as session:
            session.connection().exec_driver_sql("UPDATE network_members SET phone = '06-11112222'")
        [person] = neighbourhood(anna, TODAY).supporters
        assert [lean.member_name for lean in person.leaning] == ["Ria", "Truus"]
        assert neighbourhood(bram, TODAY).supporters == ()
        first, second = (lean.member_id for lean in person.leaning)
        with pytest.raises(RoleError):
            decide_match(bram, first, second, same=False)
        decide_match(anna, first, second, same=False)
        assert neighbourhood(anna, TODAY).supporters == ()
    finally:
        bram.close()
        anna.close()
