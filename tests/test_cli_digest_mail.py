"""`wijkteam user email` and `wijkteam digest --mail` against a relay on loopback: each colleague
with an address gets their week (a medewerker only their own figures, the teamleider the
team's), never a client's name; a refused address fails alone with exit 1; only a teamleider
sends them; each mail is in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests import mail_server
from tests.helpers import run_cli
from tests.test_cli_import import ANNA, BRAM, _new_team
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.store import services
from wijkteam_tui.store.models import User
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.users import add_user

pytestmark = pytest.mark.local_only


@pytest.fixture
def relay() -> Iterator[mail_server.MailServer]:
    started = mail_server.start_relay()
    yield started
    started.stop()


def _wijkteam(db: Path, *args: str, user: str = "anna"):
    passphrase = {"anna": ANNA, "bram": BRAM}[user]
    return run_cli(*args, "--db", str(db), "--user", user, env={"WIJKTEAM_PASSPHRASE": passphrase})


def _team(tmp_path: Path, port: int) -> Path:
    db = _new_team(tmp_path / "wijk" / "register.db")
    today = date.today()
    register = open_register(db, "anna", ANNA)
    try:
        add_user(register, "cem", Role.MEDEWERKER, passphrase="cem heeft een lange zin")
        for name, casemanager in (("Kees Geheim", "anna"), ("Truus Verborgen", "bram")):
            with register.read() as session:
                user_id = session.query(User.id).filter_by(name=casemanager).scalar()
            services.create_client(
                register, ClientInput(name, today - timedelta(days=90), casemanager_id=user_id),
                today,
            )  # fmt: skip
    finally:
        register.close()
    assert _wijkteam(db, "mail", "set", "--host", "localhost", "--port", str(port), "--plain",
                     "--from", "team@wijk.example").returncode == 0  # fmt: skip
    return db


def test_user_email_is_set_shown_and_cleared(tmp_path, relay):
    db = _team(tmp_path, relay.port)
    assert "geen e-mailadres" in _wijkteam(db, "user", "email", user="bram").stdout
    assert _wijkteam(db, "user", "email", "bram@", user="bram").returncode != 0
    done = _wijkteam(db, "user", "email", "bram@wijk.example", user="bram")
    assert done.returncode == 0 and "bram@wijk.example" in done.stdout
    assert _wijkteam(db, "user", "email", user="bram").stdout.strip() == "bram@wijk.example"
    other = _wijkteam(db, "user", "email", "x@wijk.example", "--of", "anna", user="bram")
    assert other.returncode == 4
    assert "verwijderd" in _wijkteam(db, "user", "email", "", user="bram").stdout


def test_each_colleague_gets_their_own_week_and_no_names(tmp_path, relay):
    db = _team(tmp_path, relay.port)
    for user, address in (("anna", "anna@wijk.example"), ("bram", "bram@wijk.example")):
        assert _wijkteam(db, "user", "email", address, user=user).returncode == 0
    refused = _wijkteam(db, "digest", "--mail", user="bram")
    assert refused.returncode == 4 and "Alleen een teamleider" in refused.stderr

    sent = _wijkteam(db, "digest", "--mail")
    assert sent.returncode == 0, sent.stderr
    assert "2 verzonden, 0 mislukt." in sent.stdout
    mails = {m["To"]: m for m in relay.inbox.read()}
    assert sorted(mails) == ["anna@wijk.example", "bram@wijk.example"]  # cem has no address
    bram = mails["bram@wijk.example"].get_content()
    anna = mails["anna@wijk.example"].get_content()
    assert mails["bram@wijk.example"]["Subject"].startswith("Weekoverzicht Wijkteam Oost, week ")
    assert "bram: 1 cliënt" in bram and "anna:" not in bram and "Team: " not in bram
    assert "Team: 2 cliënten" in anna and "anna: 1 cliënt" in anna and "bram: 1 cliënt" in anna
    for text in (anna, bram):
        assert "Geheim" not in text and "Verborgen" not in text
    audit = _wijkteam(db, "audit", "show")
    assert "weekoverzicht week" in audit.stdout and "naar bram@wijk.example" in audit.stdout


def test_a_refused_address_fails_alone(tmp_path, relay):
    db = _team(tmp_path, relay.port)
    for user, address in (("anna", "anna@wijk.example"), ("bram", "bram@wijk.example")):
        assert _wijkteam(db, "user", "email", address, user=user).returncode == 0
    relay.inbox.refuse = {"bram@wijk.example"}
    sent = _wijkteam(db, "digest", "--mail")
    assert sent.returncode == 1
    assert "1 verzonden, 1 mislukt." in sent.stdout
    assert "weigert bram@wijk.example (550" in sent.stdout
    assert [m["To"] for m in relay.inbox.read()] == ["anna@wijk.example"]
