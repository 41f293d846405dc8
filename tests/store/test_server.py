"""What only a register on a team server has: the address and its TLS rule, a PostgreSQL role
per person, the key slots in a table, the write lock, NOTIFY, and the database closed to
everyone else on the server. All on a real PostgreSQL server (tests/pg.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import run_cli
from tests.pg import BOOTSTRAP_PASSWORD, Cluster
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AuthenticationError,
    KeyFileError,
    RegisterError,
    RoleError,
    UsageError,
    WrongPassphraseError,
)
from wijkteam_tui.store import services
from wijkteam_tui.store.address import VERIFIED_TLS, ServerAddress, location, server_address
from wijkteam_tui.store.freshness import watch
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.server.connection import WRITE_LOCK, login_secret
from wijkteam_tui.store.server.keystore import ServerKeys
from wijkteam_tui.store.users import add_user

TODAY = date(2026, 11, 22)
BRAM = "bram zijn wachtwoord"


@pytest.fixture
def backend() -> str:
    return "postgresql"


@pytest.fixture(scope="module")
def pg16() -> Iterator[Cluster]:
    """PostgreSQL 16 beside Debian's own version (15 on Debian 12, the oldest the README
    allows): from 16 on a role that may create roles works differently."""
    import shutil

    from tests import pg

    binaries = pg.bundled_bin_dir()
    cluster = pg.start_cluster(bin_dir=binaries)
    yield cluster
    cluster.stop()
    shutil.rmtree(binaries.parents[2], ignore_errors=True)


@pytest.fixture(params=["debian", "16"])
def cluster(request: pytest.FixtureRequest, postgres: Cluster) -> Cluster:
    """The attacks run on both versions of PostgreSQL."""
    return postgres if request.param == "debian" else request.getfixturevalue("pg16")


@pytest.fixture
def team_on(cluster: Cluster) -> Iterator[ServerAddress]:
    """A register with teamleider anna and medewerker bram on `cluster`, closed again."""
    address = server_address(cluster.address(cluster.new_register_database()))
    made, _ = create_register(address, "anna", PASSPHRASE, server_password=BOOTSTRAP_PASSWORD)
    add_user(made, "bram", Role.MEDEWERKER, passphrase=BRAM)
    made.close()
    yield address
    cluster.drop(address.database)


def test_a_server_elsewhere_is_reached_only_over_verified_tls():
    remote = server_address("postgresql://db.gemeente.example/wijkteam")
    assert remote.url.query["sslmode"] == VERIFIED_TLS
    with pytest.raises(UsageError, match="sslmode=require"):
        server_address("postgresql://db.gemeente.example/wijkteam?sslmode=require")
    with pytest.raises(UsageError, match="sslmode=disable"):
        server_address("postgresql://10.0.0.5:5432/wijkteam?sslmode=disable")
    for here in (
        "postgresql://localhost/wijkteam",
        "postgresql://127.0.0.1:5433/wijkteam",
        "postgresql://[::1]/wijkteam",
        "postgresql:///wijkteam?host=/var/run/postgresql",
    ):
        assert "sslmode" not in server_address(here).url.query, here
    with pytest.raises(UsageError, match="geen wachtwoord"):
        server_address("postgresql://anna:geheim@localhost/wijkteam")
    with pytest.raises(UsageError, match="database"):
        server_address("postgresql://localhost")
    assert not isinstance(location("~/register.db"), type(remote))


def test_the_tls_rule_holds_for_a_server_named_by_the_environment(monkeypatch):
    """`postgresql:///db` goes wherever libpq's environment says: that host decides."""
    monkeypatch.setenv("PGSSLMODE", "disable")
    monkeypatch.setenv("PGHOST", "db.gemeente.example")
    assert server_address("postgresql:///wijkteam").url.query["sslmode"] == VERIFIED_TLS
    monkeypatch.delenv("PGHOST")
    monkeypatch.setenv("PGHOSTADDR", "10.0.0.5")
    assert server_address("postgresql:///wijkteam").url.query["sslmode"] == VERIFIED_TLS
    monkeypatch.delenv("PGHOSTADDR")
    monkeypatch.setenv("PGHOST", "/var/run/postgresql")
    assert "sslmode" not in server_address("postgresql:///wijkteam").url.query
    monkeypatch.delenv("PGHOST")
    monkeypatch.setenv("PGSERVICE", "wijkteam")
    with pytest.raises(UsageError, match="PGSERVICE"):
        server_address("postgresql:///wijkteam")


def test_each_person_signs_in_with_a_role_of_their_own(new_register: NewRegister, postgres):
    register = new_register.register
    address = new_register.path
    add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    logins = [address.login_role("anna"), address.login_role("bram")]
    with postgres.admin() as admin:
        roles = dict(
            admin.execute(
                "SELECT rolname, rolcreaterole FROM pg_roles WHERE rolname = ANY(%s)", (logins,)
            ).fetchall()
        )
        stored = dict(
            admin.execute(
                "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY(%s)", (logins,)
            ).fetchall()
        )
    # Logins are named per register, and no daily login may create roles, a teamleider's
    # neither: she adds colleagues through the register's own checked function.
    assert roles == {f"anna@{address.database}": False, f"bram@{address.database}": False}
    for name, verifier in stored.items():
        assert verifier.startswith("SCRAM-SHA-256$4096:"), name
    assert PASSPHRASE not in str(stored) and BRAM not in str(stored)
    # The operator's one-time password of the set-up role no longer signs anyone in.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            str(address.url.set(drivername="postgresql", username=address.setup_role)),
            password=BOOTSTRAP_PASSWORD,
        ).close()
    opened = open_register(new_register.path, "bram", BRAM)
    try:
        assert opened.user is not None and opened.user.role is Role.MEDEWERKER
    finally:
        opened.close()
    with pytest.raises(WrongPassphraseError, match="Wachtwoord onjuist"):
        open_register(new_register.path, "bram", "niet het wachtwoord van bram")


def test_nobody_else_on_the_server_can_connect(new_register: NewRegister, postgres: Cluster):
    with postgres.admin() as admin:
        admin.execute("CREATE ROLE buurman LOGIN PASSWORD 'buurman-wachtwoord'")
    url = new_register.path.url.set(drivername="postgresql", username="buurman")
    with pytest.raises(psycopg.OperationalError, match="permission denied"):
        psycopg.connect(str(url), password="buurman-wachtwoord").close()


def test_the_key_slots_live_in_a_table_and_an_edit_is_refused(
    new_register: NewRegister, postgres: Cluster
):
    """Someone with the server's keys (the operator) edits a slot's role: refused, since the
    role is signed, and an edit of the document breaks its MAC."""
    register = new_register.register
    add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    register.close()
    with postgres.superuser(new_register.path.database) as admin:
        raw = bytes(admin.execute("SELECT document FROM wijkteam.key_store").fetchone()[0])
        assert b"bram" in raw and BRAM.encode() not in raw and PASSPHRASE.encode() not in raw
        edited = raw.replace(b'"role": "medewerker"', b'"role": "teamleider"')
        admin.execute("UPDATE wijkteam.key_store SET document = %s", (edited,))
    with pytest.raises(KeyFileError):
        open_register(new_register.path, "bram", BRAM)


def test_a_write_waits_for_a_colleagues_write_and_says_so(new_register: NewRegister):
    register = new_register.register
    waited: list[float] = []
    register.on_wait = lambda: waited.append(time.monotonic())
    holder = register.engine.raw_connection()
    holder.dbapi_connection.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
    release = threading.Timer(2.6, holder.dbapi_connection.rollback)
    started = time.monotonic()
    release.start()
    try:
        client = services.create_client(register, ClientInput("Wacht Even", TODAY), TODAY)
    finally:
        release.join()
        holder.close()
    took = time.monotonic() - started
    # Not before the notice's delay (how soon after it is a figure for benchmarks/, not here).
    assert client.id and took >= 2.5
    assert len(waited) == 1 and waited[0] - started >= 1.9


def test_a_colleagues_commit_is_announced_and_a_read_is_not(new_register: NewRegister):
    register = new_register.register
    add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    watcher = watch(register)
    try:
        assert not watcher.changed()
        bram = open_register(new_register.path, "bram", BRAM)
        try:
            deadline = time.monotonic() + 30  # a bound, not a figure (benchmarks/freshness)
            while not watcher.changed():  # bram's login is written to the audit log
                assert time.monotonic() < deadline
                time.sleep(0.05)
            services.create_client(bram, ClientInput("Nieuw Gezicht", TODAY), TODAY)
            deadline = time.monotonic() + 30  # a bound, not a figure (benchmarks/freshness)
            while not watcher.changed():
                assert time.monotonic() < deadline
                time.sleep(0.05)
            with bram.read_connection() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM clients").scalar()
            time.sleep(0.2)
            assert not watcher.changed()
        finally:
            bram.close()
    finally:
        watcher.close()


def test_making_a_register_twice_or_without_rights_changes_nothing(
    server_database: str, postgres: Cluster
):
    address = server_address(server_database)
    with postgres.admin() as admin:
        admin.execute(f'ALTER ROLE "{address.setup_role}" NOCREATEROLE')
    with pytest.raises(RegisterError, match="CREATEROLE"):
        create_register(address, "anna", PASSPHRASE, server_password=BOOTSTRAP_PASSWORD)
    with postgres.admin() as admin:
        admin.execute(f'ALTER ROLE "{address.setup_role}" CREATEROLE')
        assert admin.execute(
            "SELECT count(*) FROM pg_roles WHERE rolname = %s", (address.team_role,)
        ).fetchone() == (0,)
    register, _ = create_register(address, "anna", PASSPHRASE, server_password=BOOTSTRAP_PASSWORD)
    register.close()
    with pytest.raises(AuthenticationError, match="eenmalig wachtwoord"):
        create_register(address, "anna", PASSPHRASE)  # the set-up role's password was used
    postgres.give_setup_password(address.database)
    with pytest.raises(RegisterError, match="Er staat al een register"):
        create_register(address, "anna", PASSPHRASE, server_password=BOOTSTRAP_PASSWORD)


def test_the_command_line_on_a_server(server_database: str):
    env = {
        "WIJKTEAM_USER": "anna",
        "WIJKTEAM_PASSPHRASE": PASSPHRASE,
        "PGPASSWORD": BOOTSTRAP_PASSWORD,
    }
    db = ["--db", server_database]
    made = run_cli("init", "--name", "Wijkteam Noord", *db, env=env)
    assert made.returncode == 0, made.stderr
    assert "HERSTELSLEUTEL" in made.stdout
    env.pop("PGPASSWORD")
    added = run_cli(
        "user", "add", "bram", "--role", "medewerker", *db,
        env={**env, "WIJKTEAM_NEW_PASSPHRASE": BRAM},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    bram = {"WIJKTEAM_USER": "bram", "WIJKTEAM_PASSPHRASE": BRAM}
    changed = run_cli(
        "passwd", *db, env={**bram, "WIJKTEAM_NEW_PASSPHRASE": "bram kiest een eigen zin"}
    )
    assert changed.returncode == 0, changed.stderr
    old = run_cli("overdue", *db, env=bram)
    assert old.returncode == 3 and "Wachtwoord onjuist" in old.stderr
    new = run_cli("overdue", *db, env={**bram, "WIJKTEAM_PASSPHRASE": "bram kiest een eigen zin"})
    assert new.returncode == 0, new.stderr
    refused = run_cli(
        "backup", "-o", "/tmp/nergens.db", *db,
        env={**bram, "WIJKTEAM_PASSPHRASE": "bram kiest een eigen zin"},
    )  # fmt: skip
    assert refused.returncode == 4 and not Path("/tmp/nergens.db").exists()
    listed = run_cli("user", "list", *db, env=env)
    assert "bram" in listed.stdout and "medewerker" in listed.stdout


def test_switching_someone_off_renews_the_key_and_closes_their_login(new_register: NewRegister):
    from wijkteam_tui.errors import AuthenticationError
    from wijkteam_tui.store.audit import log
    from wijkteam_tui.store.keys.rekey import renew_key
    from wijkteam_tui.store.users import deactivate_user

    register = new_register.register
    add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    old_key = bytes(register.unlocked.db_key)
    deactivate_user(register, "bram")
    assert register.keys.current().rekey_due == ["bram"]
    same, pending = renew_key(register, "na het uitschakelen van bram")
    assert same is register and pending is None
    assert bytes(register.unlocked.db_key) != old_key
    assert register.keys.current().rekey_due == []
    with pytest.raises(AuthenticationError, match="geen toegang"):
        open_register(new_register.path, "bram", BRAM)
    # The register works on with the new key, and the chain still verifies after a reopen.
    services.create_client(register, ClientInput("Na De Sleutel", TODAY), TODAY)
    register.close()
    again = open_register(new_register.path, "anna", PASSPHRASE)
    try:
        assert log.verify(again).ok
        assert log.events(again)[-4].detail.startswith("registersleutel vernieuwd")
    finally:
        again.close()


def _digest(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_register_moves_to_the_server_and_back_unchanged(
    tmp_path, server_database: str, postgres: Cluster
):
    from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome
    from wijkteam_tui.errors import AuthenticationError
    from wijkteam_tui.store import keys as crypto
    from wijkteam_tui.store.audit import log
    from wijkteam_tui.store.copies.transfer import copy_register
    from wijkteam_tui.store.records import AgreementInput, ContactInput, MemberInput
    from wijkteam_tui.store.users import reset_passphrase

    here = tmp_path / "team" / "register.db"
    local, _ = create_register(here, "anna", PASSPHRASE, team_name="Wijkteam Oost")
    add_user(local, "bram", Role.MEDEWERKER, passphrase=BRAM)
    client = services.create_client(local, ClientInput("Fatima El Amrani", TODAY), TODAY)
    member = services.add_member(
        local, client.id, MemberInput(name="Ayşe Yılmaz", kind=MemberKind.INFORMAL), TODAY
    )
    visit = services.add_agreement(
        local,
        client.id,
        AgreementInput(
            channel=Channel.VISIT, start_on=TODAY, member_id=member.id, interval_days=14
        ),
        TODAY,
    )
    services.log_contact(
        local,
        ContactInput(client.id, TODAY, Channel.VISIT, Outcome.GOOD, visit.id, member.id),
        TODAY,
    )
    local.close()
    before = {p.name: _digest(p) for p in (here, crypto.key_file_path(here))}

    address = server_address(server_database)
    done = copy_register(here, "anna", PASSPHRASE, address, server_password=BOOTSTRAP_PASSWORD)
    assert done.counts["clients"] == 1 and done.counts["contact_moments"] == 1
    assert done.closed_logins == ["bram"] and done.events > 5
    assert {p.name: _digest(p) for p in (here, crypto.key_file_path(here))} == before

    on_server = open_register(address, "anna", PASSPHRASE)
    try:
        assert log.verify(on_server).ok
        assert log.events(on_server)[-2].detail.startswith("register gekopieerd van ")
        # New ids go on after the copied ones.
        second = services.create_client(on_server, ClientInput("Tweede Client", TODAY), TODAY)
        assert second.id > client.id
        with pytest.raises(AuthenticationError):
            open_register(address, "bram", BRAM)  # no login until a teamleider resets
        given = reset_passphrase(on_server, "bram")
    finally:
        on_server.close()
    from wijkteam_tui.store.opening import replace_one_time

    replace_one_time(address, "bram", given, "bram op de server")
    open_register(address, "bram", "bram op de server").close()

    back = tmp_path / "terug" / "register.db"
    returned = copy_register(address, "anna", PASSPHRASE, back)
    assert returned.counts["clients"] == 2
    opened = open_register(back, "bram", "bram op de server")
    opened.close()
    again = open_register(back, "anna", PASSPHRASE)
    try:
        assert log.verify(again).ok
    finally:
        again.close()
    postgres.give_setup_password(address.database)
    with pytest.raises(RegisterError, match="Er staat al een register"):
        copy_register(here, "anna", PASSPHRASE, address, server_password=BOOTSTRAP_PASSWORD)


def _as_role(address, name: str, passphrase: str) -> psycopg.Connection:
    """A connection of one's own, with one's own credentials: what anyone with a passphrase
    could do with a tool other than wijkteam."""
    url = address.url.set(drivername="postgresql", username=address.login_role(name))
    return psycopg.connect(
        str(url), password=login_secret(name, passphrase), options="-c search_path=wijkteam"
    )


def test_no_login_can_edit_the_log_the_structure_roles_or_others_keys(team_on: ServerAddress):
    """bram (medewerker) and anna (teamleider) each with their own credentials in a tool of
    their own: what the program's checked operations do not do, the server refuses to both."""
    address = team_on
    owner, setup = address.owner_role, address.setup_role
    refused_to_both = [
        "UPDATE audit_events SET detail = 'niets gebeurd'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "DELETE FROM audit_checkpoints",
        "UPDATE audit_checkpoints SET pruned = 0",
        "DELETE FROM key_store",
        "UPDATE key_store SET generation = generation + 1",
        "DELETE FROM key_history",
        "UPDATE alembic_version SET version_num = '0001'",
        "DROP TABLE clients",
        "ALTER TABLE audit_events DISABLE TRIGGER audit_event_check",
        "DELETE FROM audit_event_clients",
        "UPDATE audit_event_clients SET clients = '1:100001'",
        "ALTER TABLE audit_event_clients DISABLE TRIGGER audit_event_client_check",
        "ALTER TABLE clients ADD COLUMN geheim TEXT",
        "DROP FUNCTION keys_write(bytea, integer)",
        "CREATE OR REPLACE FUNCTION caller_leads() RETURNS boolean LANGUAGE sql AS 'SELECT true'",
        f'SET ROLE "{owner}"',
        f'GRANT "{owner}" TO "{address.login_role("bram")}"',
        f'ALTER ROLE "{address.login_role("bram")}" CREATEROLE',
        f"ALTER ROLE \"{setup}\" PASSWORD 'overgenomen'",
        "CREATE ROLE handlanger LOGIN",
        # Young events do not go, not even through the sweep's own way out.
        "SELECT prune_audit(1000000)",
    ]
    refused_to_bram = [
        "SELECT count(*) FROM audit_events",
        "SELECT count(*) FROM audit_event_clients",
        "SELECT count(*) FROM key_history",
        f"SELECT login_close('{address.login_role('anna')}')",
        f"SELECT login_set('{address.login_role('anna')}', 'SCRAM-SHA-256$4096:x', NULL, true)",
        f"SELECT login_set('{address.login_role('cem')}', 'SCRAM-SHA-256$4096:x', true, true)",
        f"SELECT login_set('{address.login_role('bram')}', 'SCRAM-SHA-256$4096:x', true, true)",
        # The team's settings are a teamleider's (store/server/access.py).
        "UPDATE team_settings SET team_name = team_name",
    ]
    for name, passphrase in (("bram", BRAM), ("anna", PASSPHRASE)):
        with _as_role(address, name, passphrase) as conn:
            for statement in refused_to_both + (refused_to_bram if name == "bram" else []):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
                conn.rollback()
            # What the work needs stays allowed (and is logged by the program that does it).
            conn.execute("UPDATE clients SET name = name")
            conn.execute("UPDATE team_settings SET key_generation = key_generation")
            conn.rollback()
    with _as_role(address, "anna", PASSPHRASE) as conn:
        assert conn.execute("SELECT count(*) FROM audit_events").fetchone()[0] >= 4
    opened = open_register(address, "bram", BRAM)
    try:
        services.create_client(opened, ClientInput("Gewoon Werk", TODAY), TODAY)
    finally:
        opened.close()


def test_an_audit_event_is_in_the_name_of_whoever_writes_it(new_register: NewRegister):
    """bram cannot write an event as anna, as a teamleider, or out of the chain's order; the
    program's own events in his name go in."""
    register = new_register.register
    add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    register.close()
    address = new_register.path
    columns = "seq, at, user_name, role, code, action, object_type, object_id, outcome, detail, mac"
    with _as_role(address, "bram", BRAM) as conn:
        newest = conn.execute("SELECT seq FROM audit_head()").fetchone()[0]
        for seq, user, role in (
            (newest + 1, "anna", "teamleider"),  # in someone else's name
            (newest + 1, "bram", "teamleider"),  # in a role that is not his
            (newest + 5, "bram", "medewerker"),  # out of order
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    f"INSERT INTO audit_events ({columns}) VALUES"
                    " (%s, now(), %s, %s, 'R', 'read', 'clients', '1', 'ok', '', 'ff')",
                    (seq, user, role),
                )
            conn.rollback()
        # A client hung on an older event than the one just written (a list names its own).
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO audit_event_clients (seq, bucket, clients) VALUES (%s, 0, '1:100001')",
                (newest - 1,),
            )
        conn.rollback()
    opened = open_register(address, "bram", BRAM)
    opened.close()
    again = open_register(address, "anna", PASSPHRASE)
    try:
        from wijkteam_tui.store.audit import log

        assert log.verify(again).ok
        assert {e.user_name for e in log.events(again, user_name="bram")} == {"bram"}
    finally:
        again.close()


def test_a_medewerker_changes_only_his_own_key_slot_and_every_version_is_kept(
    new_register: NewRegister,
):
    from wijkteam_tui.store import keys as crypto

    register = new_register.register
    add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    register.close()
    address = new_register.path
    bram = open_register(address, "bram", BRAM)
    try:
        key = bytes(bram.unlocked.db_key)
        keys = bram.keys
        assert isinstance(keys, ServerKeys)
        # Without anna's slot and the recovery slot: refused by the server, nothing changed.
        with pytest.raises(RoleError, match="eigen sleutel"):
            keys.rewrite(key, lambda kf: kf.without_user("anna"))
        with pytest.raises(RoleError, match="eigen sleutel"):
            keys.rewrite(
                key,
                lambda kf: crypto.KeyFile(
                    kf.register_id, kf.created_at, kf.signer,
                    tuple(s for s in kf.slots if s.kind != crypto.RECOVERY_KIND), kf.extra,
                ),
            )  # fmt: skip
        assert keys.current().user_slot("anna") is not None
        # His own passphrase he changes; the version before it is kept.
        before = keys.current().generation
        crypto.set_user_passphrase(keys, bram.unlocked, "bram", "bram kiest een eigen zin")
    finally:
        bram.close()
    with _as_role(address, "anna", PASSPHRASE) as conn:
        kept = [g for (g,) in conn.execute("SELECT generation FROM key_history ORDER BY 1")]
    assert before in kept
    open_register(address, "bram", "bram kiest een eigen zin").close()


def _slots_as_read(conn: psycopg.Connection) -> dict[str | None, dict]:
    import json

    document = bytes(conn.execute("SELECT document FROM keys_read()").fetchone()[0])
    return {slot["user"]: slot for slot in json.loads(document)["slots"]}


def test_a_medewerker_cannot_read_what_guessing_a_colleagues_passphrase_needs(
    cluster: Cluster, team_on: ServerAddress
):
    """With his own credentials in a tool of his own, bram gets anna's slot without its
    encrypted keys (the SHA-256 in their place), on both PostgreSQL versions; his own slot and
    the recovery slot (a random key, not guessable) whole; nothing through the table, its
    history or the planner's statistics. The program still opens, checks and changes the
    document he sees; anna, who makes the back-ups, reads it whole."""
    address = team_on
    with _as_role(address, "bram", BRAM) as conn:
        for statement in (
            "SELECT document FROM key_store",
            "SELECT document FROM key_history",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
        stats = "SELECT count(*) FROM pg_stats WHERE tablename IN ('key_store', 'key_history')"
        assert conn.execute(stats).fetchone()[0] == 0
        slots = _slots_as_read(conn)
    assert "secret" not in slots["anna"] and len(slots["anna"]["secret_sha256"]) == 64
    assert "secret" in slots["bram"] and "secret" in slots[None]
    with _as_role(address, "anna", PASSPHRASE) as conn:
        assert all("secret" in slot for slot in _slots_as_read(conn).values())
    # What he sees opens, is checked whole (its MAC), and his own change goes through: anna's
    # slot comes back from the server as it was, and she still opens the register.
    bram = open_register(address, "bram", BRAM)
    try:
        assert bram.unlocked.key_file.user_slot("anna").withheld
        from wijkteam_tui.store import keys as crypto

        crypto.set_user_passphrase(bram.keys, bram.unlocked, "bram", "bram kiest een eigen zin")
    finally:
        bram.close()
    open_register(address, "anna", PASSPHRASE).close()
    open_register(address, "bram", "bram kiest een eigen zin").close()


def test_a_key_document_of_version_2_is_withheld_from_its_first_change_on(
    team_on: ServerAddress, cluster: Cluster
):
    """A register made before version 3 keeps a document whose MAC covers the secrets
    themselves: shown whole (else nobody could check it) until the first change, which any
    colleague's closing makes, writes it as version 3."""
    from tests.helpers import as_version_2

    anna = open_register(team_on, "anna", PASSPHRASE)
    db_key = bytes(anna.unlocked.db_key)
    anna.close()
    with cluster.superuser(team_on.database) as admin:
        raw = bytes(admin.execute("SELECT document FROM key_store").fetchone()[0])
        admin.execute(
            "UPDATE key_store SET document = %s, generation = generation + 1",
            (as_version_2(raw, db_key),),
        )
    with _as_role(team_on, "bram", BRAM) as conn:
        assert "secret" in _slots_as_read(conn)["anna"]
    bram = open_register(team_on, "bram", BRAM)
    bram.close()
    with _as_role(team_on, "bram", BRAM) as conn:
        assert "secret" not in _slots_as_read(conn)["anna"]
    open_register(team_on, "anna", PASSPHRASE).close()


def test_two_registers_on_one_server_are_strangers(cluster: Cluster):
    """anna is teamleider of two registers on one cluster, with one name in both: what her
    login of one may do touches nothing of the other."""
    postgres = cluster
    first = server_address(postgres.address(postgres.new_register_database()))
    second = server_address(postgres.address(postgres.new_register_database()))
    try:
        for address in (first, second):
            made, _ = create_register(
                address, "anna", PASSPHRASE, server_password=BOOTSTRAP_PASSWORD
            )
            add_user(made, "bram", Role.MEDEWERKER, passphrase=BRAM)
            made.close()
        other_anna = second.login_role("anna")
        with _as_role(first, "anna", PASSPHRASE) as conn:
            for statement in (
                f"ALTER ROLE \"{other_anna}\" PASSWORD 'overgenomen'",
                f'ALTER ROLE "{other_anna}" NOLOGIN',
                f'GRANT "{second.owner_role}" TO "{first.login_role("anna")}"',
                f'GRANT "{second.lead_role}" TO "{first.login_role("bram")}"',
                f'SET ROLE "{second.team_role}"',
                f"SELECT login_set('{other_anna}', 'SCRAM-SHA-256$4096:x', true, true)",
                f"SELECT login_close('{second.login_role('bram')}')",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
                conn.rollback()
        # Her login of the first register does not open the second database.
        url = second.url.set(drivername="postgresql", username=first.login_role("anna"))
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(str(url), password=login_secret("anna", PASSPHRASE)).close()
        open_register(second, "bram", BRAM).close()
    finally:
        postgres.drop(first.database)
        postgres.drop(second.database)


def test_switching_someone_off_ends_their_open_sessions(team_on: ServerAddress):
    from wijkteam_tui.store.users import deactivate_user

    register = open_register(team_on, "anna", PASSPHRASE)
    try:
        with _as_role(team_on, "bram", BRAM) as open_session:
            open_session.execute("SELECT 1")
            deactivate_user(register, "bram")
            with pytest.raises(psycopg.OperationalError):
                open_session.execute("SELECT 1")
    finally:
        register.close()


def test_an_erased_client_leaves_the_servers_statistics(new_register: NewRegister, postgres):
    from wijkteam_tui.store.erasure import erase_client

    register = new_register.register
    for other in ("Anders Een", "Anders Twee", "Anders Drie"):
        services.create_client(register, ClientInput(other, TODAY, street="Dorpsstraat"), TODAY)
    client = services.create_client(
        register,
        ClientInput("Zzyzx Vergeetmij", TODAY, street="Wisstraat", house_number="9"),
        TODAY,
    )
    database = new_register.path.database
    with postgres.superuser(database) as admin:
        admin.execute("ANALYZE wijkteam.clients")
        sampled = admin.execute("SELECT string_agg(pg_stats::text, ' ') FROM pg_stats").fetchone()
        assert "Vergeetmij" in sampled[0]
    erase_client(
        register,
        client.id,
        confirm_number=client.number,
        reason="verzoek van de cliënt",
        today=TODAY,
        override="De cliënt trekt de hulp in; geen wettelijke plicht meer.",
    )
    with postgres.superuser(database) as admin:
        sampled = admin.execute("SELECT string_agg(pg_stats::text, ' ') FROM pg_stats").fetchone()
    assert "Vergeetmij" not in (sampled[0] or "") and "Wisstraat" not in (sampled[0] or "")


def test_only_the_operator_brings_the_structure_up_to_date(
    new_register: NewRegister, postgres: Cluster
):
    from wijkteam_tui.errors import MigrationError

    register = new_register.register
    add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    register.close()
    address = new_register.path
    with postgres.superuser(address.database) as admin:
        head = admin.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        admin.execute("UPDATE alembic_version SET version_num = '0016'")
    for name, passphrase in (("bram", BRAM), ("anna", PASSPHRASE)):
        with pytest.raises(MigrationError, match="beheerder"):
            open_register(address, name, passphrase)
    # The operator's set-up role signs in with a one-time password (the real migration as the
    # owner is what `init` runs); afterwards that password opens nothing.
    with postgres.superuser(address.database) as admin:
        admin.execute("UPDATE alembic_version SET version_num = %s", (head,))
        # What an older wijkteam made differently: `db upgrade` makes the server's own
        # functions and triggers anew, also when the tables are up to date.
        admin.execute("DROP TRIGGER audit_event_check ON audit_events")
    postgres.give_setup_password(address.database)
    env = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}
    upgraded = run_cli(
        "db", "upgrade", "--db", str(address), env={**env, "PGPASSWORD": BOOTSTRAP_PASSWORD}
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert "al bijgewerkt" in upgraded.stdout
    with postgres.superuser(address.database) as admin:
        assert admin.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_event_check'"
        ).fetchone() == (1,)
    open_register(address, "bram", BRAM).close()
    again = run_cli(
        "db", "upgrade", "--db", str(address), env={**env, "PGPASSWORD": BOOTSTRAP_PASSWORD}
    )
    assert again.returncode != 0 and "eenmalig wachtwoord" in again.stderr


@pytest.fixture(scope="module")
def tls_cluster():
    from tests import pg

    cluster = pg.start_cluster(tls=True)
    yield cluster
    cluster.stop()


def test_a_verified_tls_connection_and_certificates_that_do_not_fit(tls_cluster, tmp_path):
    from tests.pg import make_ca

    database = tls_cluster.new_register_database()
    try:
        ca = tls_cluster.tls_dir / "ca.crt"
        port = tls_cluster.port
        verified = server_address(
            f"postgresql://localhost:{port}/{database}?sslmode=verify-full&sslrootcert={ca}"
        )
        register, _ = create_register(
            verified, "anna", PASSPHRASE, server_password=BOOTSTRAP_PASSWORD
        )
        try:
            with register.raw() as raw:
                assert raw.pgconn.ssl_in_use
        finally:
            register.close()
        stranger = make_ca(tmp_path, "vreemd")
        wrong = [
            # A certificate from another CA: not this server's.
            f"postgresql://localhost:{port}/{database}?sslmode=verify-full&sslrootcert={stranger}",
            # The right CA, but the certificate is for 'localhost', not for this address.
            f"postgresql://127.0.0.1:{port}/{database}?sslmode=verify-full&sslrootcert={ca}",
        ]
        for text in wrong:
            with pytest.raises(RegisterError, match="certificaat van de server"):
                open_register(server_address(text), "anna", PASSPHRASE)
    finally:
        tls_cluster.drop(database)


def test_models_and_migrations_agree_on_the_server(new_register: NewRegister):
    from alembic import command

    from wijkteam_tui.store.migrate import migration_config, run_alembic_on
    from wijkteam_tui.store.transactions import BEGIN_OPTION

    register = new_register.register
    writing = register.engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
    with writing.connect() as conn, conn.begin():
        # Raises AutogenerateDiffsDetected when the server's tables differ from the models.
        run_alembic_on(conn, migration_config(), command.check)


def test_a_forgotten_passphrase_comes_back_with_the_recovery_key(
    new_register: NewRegister, postgres: Cluster
):
    """The only teamleider forgot her passphrase: the operator gives her role a temporary
    password, and the recovery key gives her slot and login a new passphrase."""
    new_register.register.close()
    address = new_register.path
    env = {
        "WIJKTEAM_USER": "anna",
        "WIJKTEAM_RECOVERY_KEY": new_register.recovery_key,
        "WIJKTEAM_NEW_PASSPHRASE": "anna weet het weer",
    }
    db = ["--db", str(address)]
    without = run_cli("recover", *db, env=env)
    assert without.returncode != 0 and "tijdelijk wachtwoord" in without.stderr
    with postgres.admin() as admin:
        admin.execute(
            f"ALTER ROLE \"{address.login_role('anna')}\" PASSWORD 'tijdelijk-van-de-beheerder-2'"
        )
    wrong = run_cli(
        "recover", *db,
        env={**env, "PGPASSWORD": "tijdelijk-van-de-beheerder-2",
             "WIJKTEAM_RECOVERY_KEY": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"},
    )  # fmt: skip
    assert wrong.returncode != 0
    done = run_cli("recover", *db, env={**env, "PGPASSWORD": "tijdelijk-van-de-beheerder-2"})
    assert done.returncode == 0, done.stderr
    open_register(address, "anna", "anna weet het weer").close()
    with pytest.raises(WrongPassphraseError):
        open_register(address, "anna", PASSPHRASE)
    url = address.url.set(drivername="postgresql", username=address.login_role("anna"))
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(str(url), password="tijdelijk-van-de-beheerder-2").close()


def test_a_damaged_key_document_is_put_back_by_a_teamleider_with_wijkteam(
    new_register: NewRegister, postgres: Cluster
):
    """Someone with the server's own tools overwrites the key slots: nobody can open the
    register, and a teamleider puts the version before back with `db keys --restore`."""
    register = new_register.register
    add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    register.close()
    address = new_register.path
    with postgres.superuser(address.database) as admin:
        admin.execute("UPDATE key_store SET document = 'kapot'::bytea")
    with pytest.raises(KeyFileError):
        open_register(address, "anna", PASSPHRASE)
    db = ["--db", str(address)]
    anna = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}
    refused = run_cli("db", "keys", *db, env={"WIJKTEAM_USER": "bram", "WIJKTEAM_PASSPHRASE": BRAM})
    assert refused.returncode == 4 and "Alleen een teamleider" in refused.stderr
    listed = run_cli("db", "keys", *db, env=anna)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()[1:]
    assert "nu in gebruik" in lines[0] and "anna" not in lines[0]  # the damaged one
    good = int(lines[1].split()[0])
    assert "anna, bram" in lines[1]
    restored = run_cli("db", "keys", "--restore", str(good), *db, env=anna)
    assert restored.returncode == 0, restored.stderr
    open_register(address, "bram", BRAM).close()
    again = open_register(address, "anna", PASSPHRASE)
    try:
        from wijkteam_tui.store.audit import log

        assert log.verify(again).ok
        assert any("sleutels teruggezet" in e.detail for e in log.events(again))
    finally:
        again.close()


def test_db_check_on_a_server_reads_only_and_names_what_the_server_allows_too_much(
    new_register: NewRegister, postgres: Cluster
):
    register = new_register.register
    add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
    register.close()
    address = new_register.path
    db = ["--db", str(address)]
    anna = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}
    with postgres.superuser(address.database) as admin:
        events = admin.execute("SELECT count(*) FROM audit_events").fetchone()
    sound = run_cli("db", "check", *db, env=anna)
    assert sound.returncode == 0, sound.stdout + sound.stderr
    assert "in orde" in sound.stdout
    medewerker = run_cli(
        "db", "check", *db, env={"WIJKTEAM_USER": "bram", "WIJKTEAM_PASSPHRASE": BRAM}
    )
    assert medewerker.returncode == 4
    with postgres.superuser(address.database) as admin:
        assert admin.execute("SELECT count(*) FROM audit_events").fetchone() == events
        admin.execute(f'GRANT UPDATE ON audit_events TO "{address.team_role}"')
        admin.execute(f'ALTER ROLE "{address.login_role("bram")}" CREATEROLE')
        admin.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_event_check")
    found = run_cli("db", "check", *db, env=anna)
    assert found.returncode == 1
    assert "UPDATE op audit_events" in found.stdout
    assert f"bram@{address.database} mag rollen" in found.stdout
    assert "controle van nieuwe auditgebeurtenissen staat uit" in found.stdout


def test_a_planted_event_is_named_and_the_chain_after_it_stays_checkable(team_on: ServerAddress):
    """bram plants an event of his own with a MAC that is not the chain's; the program goes
    on writing after it. `audit verify` names the planted event, and only that one."""
    from wijkteam_tui.store.audit import log

    columns = "seq, at, user_name, role, code, action, object_type, object_id, outcome, detail, mac"
    with _as_role(team_on, "bram", BRAM) as conn:
        newest = conn.execute("SELECT seq FROM audit_head()").fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(  # not a MAC: the next writer could not chain to it
                f"INSERT INTO audit_events ({columns}) VALUES"
                " (%s, now(), 'bram', 'medewerker', 'R', 'read', 'clients', '1', 'ok', '', 'x')",
                (newest + 1,),
            )
        conn.rollback()
        conn.execute(
            f"INSERT INTO audit_events ({columns}) VALUES"
            " (%s, now(), 'bram', 'medewerker', 'R', 'read', 'clients', '1', 'ok', '', %s)",
            (newest + 1, "ab" * 32),
        )
        conn.commit()
    bram = open_register(team_on, "bram", BRAM)
    try:
        services.create_client(bram, ClientInput("Na Het Geplante", TODAY), TODAY)
    finally:
        bram.close()
    anna = open_register(team_on, "anna", PASSPHRASE)
    try:
        verdict = log.verify(anna)
    finally:
        anna.close()
    assert verdict.broken_at == newest + 1 and verdict.later == ()
    assert "past niet in de keten" in verdict.reason
    assert verdict.events == newest


def test_a_server_backup_is_restored_into_a_fresh_cluster(team_on: ServerAddress, tmp_path):
    """`wijkteam backup` of a server register writes an encrypted register file with the key
    slots (no client data in plaintext); `db copy --to` puts it in an empty database of
    another server, where the same passphrases open it and the audit chain verifies."""
    from tests import pg
    from wijkteam_tui.store.audit import log

    anna = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}
    register = open_register(team_on, "anna", PASSPHRASE)
    try:
        services.create_client(register, ClientInput("Teun Terugzetbaar", TODAY), TODAY)
    finally:
        register.close()
    backup = tmp_path / "reserve" / "noord.db"
    made = run_cli("backup", "-o", str(backup), "--db", str(team_on), env=anna)
    assert made.returncode == 0, made.stderr
    logged = open_register(team_on, "anna", PASSPHRASE)
    try:
        assert "backup" in [e.action for e in log.events(logged)[-4:]]
    finally:
        logged.close()
    for written in backup.parent.iterdir():
        assert b"Terugzetbaar" not in written.read_bytes(), written
        assert b"SQLite format 3" not in written.read_bytes()[:16], written
    fresh = pg.start_cluster()
    try:
        target = server_address(fresh.address(fresh.new_register_database()))
        without = run_cli("db", "copy", "--db", str(backup), "--to", str(target), env=anna)
        assert without.returncode != 0
        assert "eenmalig wachtwoord nodig, in $PGPASSWORD" in without.stderr, without.stderr
        assert "Er is niets gewijzigd" in without.stderr
        assert "$PGPASSWORD" in run_cli("db", "copy", "--help").stdout
        put_back = run_cli(
            "db", "copy", "--db", str(backup), "--to", str(target),
            env={**anna, "PGPASSWORD": pg.BOOTSTRAP_PASSWORD},
        )  # fmt: skip
        assert put_back.returncode == 0, put_back.stderr
        restored = open_register(target, "anna", PASSPHRASE)
        try:
            assert log.verify(restored).ok
            assert [hit.name for hit in search_clients(restored, "Terugzetbaar")] == [
                "Teun Terugzetbaar"
            ]
        finally:
            restored.close()
    finally:
        fresh.stop()
