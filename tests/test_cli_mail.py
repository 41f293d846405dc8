"""`wijkteam mail set|show|test` against a real SMTP server on loopback (tests/mail_server.py):
STARTTLS or TLS with a certificate from the test's own CA, a login, a wrong password, a server
that is not there or not trusted, an address refused; the message read back with `email`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import mail_server
from tests.helpers import run_cli
from tests.test_cli_import import ANNA, BRAM, _new_team

pytestmark = pytest.mark.local_only


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory):
    return mail_server.make_certificates(tmp_path_factory.mktemp("mail-tls"))


@pytest.fixture
def server(certificates) -> Iterator[mail_server.MailServer]:
    started = mail_server.start(certificates[1])
    yield started
    started.stop()


def _mail(db: Path, *args: str, ca: Path | None = None, user: str = "anna", **env: str):
    environment = {"WIJKTEAM_PASSPHRASE": ANNA if user == "anna" else BRAM, **env}
    if ca is not None:
        environment["SSL_CERT_FILE"] = str(ca)
    return run_cli("mail", *args, "--db", str(db), "--user", user, env=environment)


def _set(db: Path, port: int, *extra: str, password: str = mail_server.PASSWORD):
    return _mail(
        db, "set", "--host", "localhost", "--port", str(port), "--login", mail_server.LOGIN,
        "--from", "team@wijkteam.example", "--from-name", "Wijkteam Oost",
        "--reply-to", "balie@wijkteam.example", *extra,
        WIJKTEAM_MAIL_PASSWORD=password,
    )  # fmt: skip


def test_a_teamleider_sets_mail_and_a_test_message_arrives(tmp_path, server, certificates):
    ca = certificates[0]
    db = _new_team(tmp_path / "wijk" / "register.db")
    assert "nog geen mailinstellingen" in _mail(db, "show").stdout
    done = _set(db, server.port)
    assert done.returncode == 0, done.stderr
    shown = _mail(db, "show", user="bram").stdout
    assert f"localhost:{server.port}" in shown and "starttls" in shown
    assert "Wachtwoord:      ingesteld" in shown
    assert mail_server.PASSWORD not in shown
    # The password is in the register only sealed.
    assert mail_server.PASSWORD.encode() not in db.read_bytes()

    sent = _mail(db, "test", "ans@voorbeeld.nl", ca=ca, user="bram")
    assert sent.returncode == 0, sent.stderr
    (message,) = server.inbox.read()
    assert message["To"] == "ans@voorbeeld.nl"
    assert message["From"] == "Wijkteam Oost <team@wijkteam.example>"
    assert message["Reply-To"] == "balie@wijkteam.example"
    assert message["Subject"] == "Testbericht"
    assert "de mailinstellingen van het team werken" in message.get_content()
    audit = run_cli(
        "audit", "show", "--db", str(db), "--user", "anna", env={"WIJKTEAM_PASSPHRASE": ANNA}
    )
    assert "naar ans@voorbeeld.nl" in audit.stdout


def test_what_goes_wrong_is_said_per_kind(tmp_path, server, certificates):
    ca = certificates[0]
    db = _new_team(tmp_path / "wijk" / "register.db")
    assert _set(db, server.port).returncode == 0
    # Not trusted: the system's authorities do not know the test's CA.
    untrusted = _mail(db, "test", "ans@voorbeeld.nl")
    assert untrusted.returncode != 0
    assert "certificaat van de mailserver" in untrusted.stderr
    assert "een instantie die deze computer niet kent" in untrusted.stderr
    # A refused address.
    server.inbox.refuse.add("weg@voorbeeld.nl")
    refused = _mail(db, "test", "weg@voorbeeld.nl", ca=ca)
    assert "weigert weg@voorbeeld.nl (550" in refused.stderr
    # A wrong password.
    assert _set(db, server.port, password="fout").returncode == 0
    wrong = _mail(db, "test", "ans@voorbeeld.nl", ca=ca)
    assert "weigert de aanmelding van team@wijkteam.example (535)" in wrong.stderr
    # Nobody there.
    server.stop()
    gone = _mail(db, "test", "ans@voorbeeld.nl", ca=ca)
    assert "is niet bereikbaar" in gone.stderr
    assert server.inbox.messages == []


# aiosmtpd does not count TLS from the first byte as TLS for its login check, and says so.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_tls_from_the_start(tmp_path, certificates):
    ca, context = certificates
    started = mail_server.start(context, implicit_tls=True)
    try:
        db = _new_team(tmp_path / "wijk" / "register.db")
        assert _set(db, started.port, "--tls").returncode == 0
        sent = _mail(db, "test", "ans@voorbeeld.nl", ca=ca)
        assert sent.returncode == 0, sent.stderr
        assert len(started.inbox.messages) == 1
    finally:
        started.stop()


def test_only_a_teamleider_sets_it_and_never_in_the_clear(tmp_path):
    db = _new_team(tmp_path / "wijk" / "register.db")
    bram = _mail(
        db, "set", "--host", "smtp.example.nl", "--from", "a@b.nl", user="bram",
        WIJKTEAM_MAIL_PASSWORD="x",
    )  # fmt: skip
    assert bram.returncode == 4 and "Alleen een teamleider" in bram.stderr
    plain = _mail(db, "set", "--host", "smtp.example.nl", "--plain", "--from", "a@b.nl")
    assert plain.returncode != 0 and "Zonder versleuteling" in plain.stderr
    assert "nog geen mailinstellingen" in _mail(db, "show").stdout
