"""Migrations: one head, reversible, in agreement with the models, and safe when they fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import REPO, fingerprint, make_client
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome, Phase
from wijkteam_tui.errors import MigrationError
from wijkteam_tui.store import services
from wijkteam_tui.store.migrate import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    current_revision,
    head_revision,
    migration_config,
    run_alembic,
)
from wijkteam_tui.store.models import Base, Client
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.client_file import client_file
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.read.today import pending_sign_offs, team_info, unseen_refusals
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput
from wijkteam_tui.store.sqlite.connection import connect_keyed
from wijkteam_tui.store.write.phases import refusals_seen

# Only on a local register: a local register's migration with a backup copy (the server's:
# test_server.py).
pytestmark = pytest.mark.local_only


def _tables(register) -> set[str]:
    with register.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def _extra_revision(tmp_path: Path, body: str) -> Path:
    """A copy of our migrations with one more revision after the head."""
    location = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, location, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    upgrade = textwrap.indent(textwrap.dedent(body).strip(), "    ")
    source = (
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        'revision = "9999"\n'
        f"down_revision = {head!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        f"def upgrade():\n{upgrade}\n\n\n"
        "def downgrade():\n"
        '    op.drop_column("clients", "nickname")\n'
    )
    (location / "versions" / "9999_extra.py").write_text(source)
    return location


def test_there_is_one_head_and_the_program_knows_it_without_alembic():
    assert len(ScriptDirectory.from_config(migration_config()).get_heads()) == 1
    assert head_revision() == HEAD_REVISION, "set migrate.HEAD_REVISION to the new migration"


def test_a_command_on_an_up_to_date_register_does_not_load_alembic(new_register: NewRegister):
    new_register.register.close()
    script = (
        "import sys; from wijkteam_tui.store.opening import open_register;"
        f" r = open_register(__import__('pathlib').Path({str(new_register.path)!r}), 'anna',"
        f" {PASSPHRASE!r}); r.close();"
        " print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "False"


def test_upgrade_downgrade_upgrade(new_register: NewRegister):
    register = new_register.register
    engine = register.engine
    assert _tables(register) >= set(Base.metadata.tables)
    run_alembic(engine, migration_config(), command.downgrade, "base")
    assert _tables(register) <= {"alembic_version"}
    assert current_revision(engine) is None
    run_alembic(engine, migration_config(), command.upgrade, "head")
    assert _tables(register) >= set(Base.metadata.tables)
    assert current_revision(engine) == head_revision()


def test_an_older_register_gets_its_search_text_split_and_a_downgrade_joins_it_again(
    new_register: NewRegister,
):
    register = new_register.register
    today = date(2026, 11, 22)
    client = services.create_client(
        register,
        ClientInput(name="Anna Bakker", opened_on=today, street="Merelpad", house_number="3"),
        today,
    )
    services.add_member(
        register, client.id, MemberInput(name="Kees de Vries", kind=MemberKind.INFORMAL), today
    )

    def texts() -> list[tuple[str, ...]]:
        with register.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("clients")}
            wanted = [c for c in ("search_text", "network_search_text") if c in columns]
            return [
                tuple(row) for row in conn.execute(text(f"SELECT {', '.join(wanted)} FROM clients"))
            ]

    run_alembic(register.engine, migration_config(), command.downgrade, "0003")
    assert texts() == [("anna bakker | 100001 | merelpad 3 | kees de vries",)]
    run_alembic(register.engine, migration_config(), command.upgrade, "head")
    assert texts() == [("anna bakker | 100001 | merelpad 3", "kees de vries")]
    (hit,) = search_clients(register, "vries")
    assert (hit.name, hit.via_member) == ("Anna Bakker", "Kees de Vries")


def test_downgrading_a_register_in_use_keeps_its_clients_networks(new_register: NewRegister):
    register = new_register.register
    today = date(2026, 11, 22)
    client = services.create_client(
        register, ClientInput(name="Anna Bakker", opened_on=today), today
    )
    services.add_member(
        register, client.id, MemberInput(name="Kees de Vries", kind=MemberKind.INFORMAL), today
    )
    run_alembic(register.engine, migration_config(), command.downgrade, "0001")
    with register.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM network_members")).all() == [("Kees de Vries",)]
    run_alembic(register.engine, migration_config(), command.upgrade, "head")
    (hit,) = search_clients(register, "vries")
    assert (hit.name, hit.via_member) == ("Anna Bakker", "Kees de Vries")


def test_the_out_of_hours_line_of_an_older_register_is_kept_whole_and_joined_again(
    new_register: NewRegister,
):
    register = new_register.register
    engine = register.engine
    run_alembic(engine, migration_config(), command.downgrade, "0010")
    with engine.begin() as conn:
        conn.execute(text("UPDATE team_settings SET out_of_hours_contact = 'Crisisdienst 0900-1'"))
    run_alembic(engine, migration_config(), command.upgrade, "head")
    assert team_info(register).out_of_hours_contact == "Crisisdienst 0900-1"
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE team_settings SET out_of_hours_name = 'Crisisdienst',"
                " out_of_hours_phone = '0900-1', out_of_hours_hours = '24/7'"
            )
        )
    run_alembic(engine, migration_config(), command.downgrade, "0010")
    with engine.connect() as conn:
        line = conn.execute(text("SELECT out_of_hours_contact FROM team_settings")).scalar()
    assert line == "Crisisdienst: 0900-1 (24/7)"
    run_alembic(engine, migration_config(), command.upgrade, "head")


def test_models_and_migrations_agree(new_register: NewRegister):
    # Raises AutogenerateDiffsDetected when a model changed without a migration.
    run_alembic(new_register.register.engine, migration_config(), command.check)


def test_opening_an_older_register_migrates_it_after_a_checked_backup(
    new_register: NewRegister, tmp_path: Path
):
    path = new_register.path
    with new_register.register.write() as session:
        session.add(make_client("1001", "Ilse de Boer"))
    new_register.register.close()
    location = _extra_revision(
        tmp_path, 'op.add_column("clients", sa.Column("nickname", sa.String(40)))'
    )

    register = open_register(path, "anna", PASSPHRASE, script_location=location)
    assert register.migration is not None
    assert register.migration.to_revision == "9999"
    backup = register.migration.backup_path
    assert backup is not None and backup.exists()
    with register.read() as session:
        assert session.query(Client).one().name == "Ilse de Boer"
    key = bytes(register.unlocked.db_key)
    register.close()
    assert not any(register.unlocked.db_key), "closing overwrites the key in memory"

    copy = connect_keyed(backup, key, wal=False)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [
        (head_revision(),)
    ]
    assert b"Ilse de Boer" not in backup.read_bytes()
    copy.close()


def test_a_failing_migration_leaves_the_register_as_it_was(
    new_register: NewRegister, tmp_path: Path
):
    path = new_register.path
    with new_register.register.write() as session:
        session.add(make_client("1001", "Ilse de Boer"))
    new_register.register.close()
    before = fingerprint(path)
    location = _extra_revision(
        tmp_path,
        """
        op.add_column("clients", sa.Column("nickname", sa.String(40)))
        op.execute("UPDATE clients SET name = 'KAPOT'")
        raise RuntimeError("deliberate failure")
        """,
    )

    with pytest.raises(MigrationError) as failure:
        open_register(path, "anna", PASSPHRASE, script_location=location)
    assert "mislukt" in failure.value.message
    assert "Er is niets gewijzigd" in failure.value.message
    assert fingerprint(path) == before

    register = open_register(path, "anna", PASSPHRASE)
    assert register.migration is None
    assert current_revision(register.engine) == head_revision()
    columns = {c["name"] for c in inspect(register.engine).get_columns("clients")}
    assert "nickname" not in columns
    with register.read() as session:
        assert session.query(Client).one().name == "Ilse de Boer"
    assert register.check() == []
    register.close()


def test_the_wheel_ships_the_migrations_and_a_plain_install_creates_and_upgrades_a_register(
    tmp_path: Path,
):
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheel_dir),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheel_dir.glob("wijkteam-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "wijkteam_tui/migrations/env.py" in names
    assert any(n.startswith("wijkteam_tui/migrations/versions/0001") for n in names)

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-t", str(site), wheel],
        check=True,
        capture_output=True,
    )
    target = tmp_path / "r" / "register.db"
    script = textwrap.dedent(
        f"""
        import pathlib, wijkteam_tui
        from wijkteam_tui.store.opening import create_register, open_register
        installed = pathlib.Path(wijkteam_tui.__file__)
        assert installed.is_relative_to({str(site)!r}), installed
        target = pathlib.Path({str(target)!r})
        from alembic import command
        from wijkteam_tui.store.migrate import (
            HEAD_REVISION, MIGRATIONS_DIR, migration_config, run_alembic, stored_revision,
        )
        assert MIGRATIONS_DIR.is_relative_to({str(site)!r}), MIGRATIONS_DIR
        register, _ = create_register(target, "anna", "een lang wachtwoord")
        # An older register, upgraded by the installed program when it is opened.
        run_alembic(register.engine, migration_config(), command.downgrade, "0018")
        assert stored_revision(register.engine) == "0018"
        register.close()
        register = open_register(target, "anna", "een lang wachtwoord")
        assert register.migration is not None, "opening migrated it"
        assert stored_revision(register.engine) == HEAD_REVISION
        print(register.check() == [] and "ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={
            "PYTHONPATH": str(site),
            "WIJKTEAM_KDF": "test",
            "PYTEST_CURRENT_TEST": "wheel",
            "PATH": "/usr/bin:/bin",
            "XDG_STATE_HOME": os.environ["XDG_STATE_HOME"],
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_a_monthly_agreement_on_the_31st_stored_by_the_old_engine_is_due_in_february(
    new_register: NewRegister,
):
    register = new_register.register
    opened = date(2026, 1, 1)
    client = services.create_client(
        register, ClientInput(name="Anna Bakker", opened_on=opened), opened
    )
    agreement = services.add_agreement(
        register,
        client.id,
        AgreementInput(
            channel=Channel.PHONE,
            start_on=date(2026, 1, 31),
            rrule="FREQ=MONTHLY;BYMONTHDAY=31",
            shared=True,
        ),
        opened,
    )
    services.log_contact(
        register,
        ContactInput(client.id, date(2026, 1, 31), Channel.PHONE, Outcome.GOOD, agreement.id),
        date(2026, 1, 31),
    )

    def stored() -> tuple[object, ...]:
        with register.engine.connect() as conn:
            return tuple(
                conn.execute(
                    text(
                        "SELECT a.next_due, c.next_due FROM contact_agreements a"
                        " JOIN clients c ON c.id = a.client_id"
                    )
                ).one()
            )

    right = stored()
    assert [str(d) for d in right] == ["2026-02-28", "2026-02-28"]
    run_alembic(register.engine, migration_config(), command.downgrade, "0019")
    # What the engine before 0020 stored: the next month that has a 31st.
    with register.engine.begin() as conn:
        conn.execute(text("UPDATE contact_agreements SET next_due = '2026-03-31'"))
        conn.execute(text("UPDATE clients SET next_due = '2026-03-31'"))
    run_alembic(register.engine, migration_config(), command.upgrade, "head")
    assert stored() == right
    assert [a.next_due for a in client_file(register, client.id, opened).agreements] == [
        date(2026, 2, 28)
    ]


def test_refusals_decided_before_0021_are_not_news_and_new_ones_are(new_register: NewRegister):
    register = new_register.register
    today = date(2026, 3, 1)
    client = services.create_client(register, ClientInput("Anna Bakker", date(2026, 1, 1)), today)
    run_alembic(register.engine, migration_config(), command.downgrade, "0020")
    with register.engine.begin() as conn:
        for status, decided in (("afgewezen", "'2026-02-01'"), ("aangevraagd", "NULL")):
            conn.execute(
                text(
                    "INSERT INTO sign_off_requests (client_id, from_phase, to_phase, reason,"
                    " requested_on, requested_by_id, status, decided_on, decided_by_id,"
                    " decision_reason, recorded_at, version) VALUES (:client, 'intensief',"
                    f" 'duurzaam_in_beeld', 'x', '2026-01-20', 1, '{status}', {decided},"
                    " 1, 'nee', '2026-01-20 10:00:00', 1)"
                ),
                {"client": client.id},
            )
    run_alembic(register.engine, migration_config(), command.upgrade, "head")
    assert unseen_refusals(register) == [], "an old refusal is not news after the upgrade"
    waiting = pending_sign_offs(register)[0]
    services.decide_sign_off(register, waiting.request_id, False, "Nog niet", today)
    assert [r.reason for r in unseen_refusals(register)] == ["Nog niet"]
    assert refusals_seen(register, client.id) == 1
    assert unseen_refusals(register) == []
    assert refusals_seen(register, client.id) == 0, "nothing written a second time"


def test_files_closed_before_0022_offer_the_agreements_that_ended_with_them(
    new_register: NewRegister,
):
    register = new_register.register
    today = date(2026, 11, 22)
    client = services.create_client(register, ClientInput("Anna Bakker", date(2026, 9, 1)), today)
    kept, by_hand = (
        services.add_agreement(
            register,
            client.id,
            AgreementInput(Channel.PHONE, date(2026, 9, 1), interval_days=days),
            today,
        )
        for days in (7, 14)
    )
    services.end_agreement(register, by_hand.id, date(2026, 10, 1), today)
    services.change_phase(register, client.id, Phase.CLOSED, "Klaar", today, on=date(2026, 11, 1))
    run_alembic(register.engine, migration_config(), command.downgrade, "0021")
    run_alembic(register.engine, migration_config(), command.upgrade, "head")
    renewal = {a.id: a.renewal for a in client_file(register, client.id, today).agreements}
    assert renewal == {kept.id: "", by_hand.id: None}


def test_alembic_at_the_root_writes_the_next_numbered_revision_and_refuses_a_register(
    tmp_path: Path,
):
    """`alembic revision --autogenerate` as every Alembic user runs it: against a scratch
    database at the head, numbered after the head, empty while the models agree."""
    shutil.copytree(
        MIGRATIONS_DIR, tmp_path / "migrations", ignore=shutil.ignore_patterns("__pycache__")
    )
    ini = (REPO / "alembic.ini").read_text()
    (tmp_path / "alembic.ini").write_text(ini)
    alembic = [str(Path(sys.executable).parent / "alembic"), "-c", str(tmp_path / "alembic.ini")]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    made = subprocess.run(
        [*alembic, "revision", "--autogenerate", "-m", "nieuwe kolom"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    number = f"{int(HEAD_REVISION) + 1:04d}"
    (written,) = (tmp_path / "migrations" / "versions").glob(f"{number}_*.py")
    source = written.read_text()
    assert f"revision: str = '{number}'" in source
    assert f"down_revision: str | None = '{HEAD_REVISION}'" in source
    assert "op." not in source, "models and migrations agree: nothing to do"

    refused = subprocess.run(
        [*alembic, "upgrade", "head"], capture_output=True, text=True, cwd=tmp_path, env=env,
        check=False,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "wijkteam db upgrade" in refused.stderr
