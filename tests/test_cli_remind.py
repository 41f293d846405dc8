"""`wijkteam remind` as cron runs it, against a real SMTP server on loopback with STARTTLS and a
login (a certificate from the test's own CA): the dry run sends nothing, the run sends what the
dry run listed, a refused address fails alone with exit 1 and goes the next time, and a run
killed (kill -9) between sending and recording never sends its reminder twice."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests import mail_server
from tests.helpers import run_cli, start_cli_process
from tests.test_cli_import import ANNA, BRAM, _new_team
from wijkteam_tui.domain.terms import Channel, MemberKind
from wijkteam_tui.store import services
from wijkteam_tui.store.mail.models import Reminder
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.edit import member_for_edit
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.users import set_phone

pytestmark = pytest.mark.local_only


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory):
    return mail_server.make_certificates(tmp_path_factory.mktemp("mail-tls"))


@pytest.fixture
def server(certificates) -> Iterator[mail_server.MailServer]:
    started = mail_server.start(certificates[1])
    yield started
    started.stop()


def _wijkteam(db: Path, *args: str, ca: Path, user: str = "anna", **env: str):
    environment = {"WIJKTEAM_PASSPHRASE": ANNA if user == "anna" else BRAM, **env}
    environment["SSL_CERT_FILE"] = str(ca)
    return run_cli(*args, "--db", str(db), "--user", user, env=environment)


def _team(tmp_path: Path, port: int, ca: Path) -> Path:
    """Anna's team with mail set, and two clients whose network members consented to be
    reminded, each with a moment tomorrow: Fenna (calls Kees weekly), Anton (visits Mia)."""
    db = _new_team(tmp_path / "wijk" / "register.db")
    done = _wijkteam(
        db, "mail", "set", "--host", "localhost", "--port", str(port),
        "--login", mail_server.LOGIN, "--from", "team@wijkteam.example",
        "--from-name", "Wijkteam Oost", ca=ca, WIJKTEAM_MAIL_PASSWORD=mail_server.PASSWORD,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    today = date.today()
    register = open_register(db, "anna", ANNA)
    try:
        set_phone(register, "anna", "0611112222")
        for client, member, address, channel, days in (
            ("Kees Bakker", "Fenna de Vries", "fenna@example.nl", Channel.PHONE, 7),
            ("Mia Jansen", "Anton Smit", "anton@example.nl", Channel.VISIT, 14),
        ):
            made = services.create_client(
                register,
                ClientInput(client, today - timedelta(days=60), casemanager_id=register.user.id),
                today,
            )
            helper = services.add_member(
                register,
                made.id,
                MemberInput(member, MemberKind.INFORMAL, email=address, remind_by_mail=True),
                today,
            )
            start = today + timedelta(days=1 - days)
            services.add_agreement(
                register,
                made.id,
                AgreementInput(channel, start, member_id=helper.id, interval_days=days),
                today,
            )
    finally:
        register.close()
    return db


def test_dry_run_lists_then_the_run_sends_exactly_that(tmp_path, server, certificates):
    ca = certificates[0]
    db = _team(tmp_path, server.port, ca)
    dry = _wijkteam(db, "remind", "--dry-run", "--format", "json", ca=ca, user="bram")
    assert dry.returncode == 0, dry.stderr
    listed = json.loads(dry.stdout)["reminders"]
    assert sorted(r["to"] for r in listed) == ["anton@example.nl", "fenna@example.nl"]
    assert {r["status"] for r in listed} == {"gaat"}
    assert server.inbox.messages == []

    sent = _wijkteam(db, "remind", ca=ca)
    assert sent.returncode == 0, sent.stderr
    assert "2 verzonden, 0 mislukt." in sent.stdout
    mails = server.inbox.read()
    assert sorted(m["To"] for m in mails) == ["anton@example.nl", "fenna@example.nl"]
    subjects = {m["To"]: m["Subject"] for m in mails}
    assert subjects["anton@example.nl"].startswith("Langsgaan met Mia: ")
    # Cron may run it again: nothing twice.
    again = _wijkteam(db, "remind", ca=ca)
    assert again.returncode == 0 and "0 te versturen" in again.stdout
    assert len(server.inbox.messages) == 2


def test_a_refused_address_exits_1_and_goes_the_next_time(tmp_path, server, certificates):
    ca = certificates[0]
    db = _team(tmp_path, server.port, ca)
    server.inbox.refuse.add("anton@example.nl")
    first = _wijkteam(db, "remind", ca=ca)
    assert first.returncode == 1
    assert "1 verzonden, 1 mislukt." in first.stdout
    assert "adres geweigerd" in first.stdout and "550" in first.stdout
    assert "1 herinnering(en) mislukt; de volgende keer opnieuw." in first.stderr
    server.inbox.refuse.clear()
    second = _wijkteam(db, "remind", ca=ca)
    assert second.returncode == 0, second.stderr
    assert sorted(m["To"] for m in server.inbox.read()) == [
        "anton@example.nl",
        "fenna@example.nl",
    ]


def test_a_wrong_password_fails_every_reminder_in_dutch(tmp_path, server, certificates):
    ca = certificates[0]
    db = _team(tmp_path, server.port, ca)
    wrong = _wijkteam(
        db, "mail", "set", "--host", "localhost", "--port", str(server.port),
        "--login", mail_server.LOGIN, "--from", "team@wijkteam.example", ca=ca,
        WIJKTEAM_MAIL_PASSWORD="fout",
    )  # fmt: skip
    assert wrong.returncode == 0, wrong.stderr
    run = _wijkteam(db, "remind", ca=ca)
    assert run.returncode == 1
    assert run.stdout.count("weigert de aanmelding") == 2
    assert server.inbox.messages == []


def test_killed_between_sending_and_recording_it_never_sends_twice(tmp_path, server, certificates):
    ca = certificates[0]
    db = _team(tmp_path, server.port, ca)
    register = open_register(db, "anna", ANNA)
    try:
        anton = 2
        services.stop_reminding(register, anton, member_for_edit(register, anton)[2])
    finally:
        register.close()
    server.inbox.hold = hold = threading.Event()
    process = start_cli_process(
        "remind", "--db", str(db), "--user", "anna",
        env={"WIJKTEAM_PASSPHRASE": ANNA, "SSL_CERT_FILE": str(ca)},
    )  # fmt: skip
    try:
        assert server.inbox.arrived.wait(60), "the message never reached the server"
        process.send_signal(signal.SIGKILL)
        process.wait(60)
    finally:
        hold.set()
        server.inbox.hold = None
    assert process.returncode == -signal.SIGKILL
    assert len(server.inbox.messages) == 1  # it went out; the run never heard so
    register = open_register(db, "anna", ANNA)
    try:
        with register.read() as session:
            assert session.query(Reminder).one().status == "bezig"
    finally:
        register.close()
    after = _wijkteam(db, "remind", ca=ca)
    assert after.returncode == 0, after.stderr
    assert "0 te versturen" in after.stdout
    assert len(server.inbox.messages) == 1
