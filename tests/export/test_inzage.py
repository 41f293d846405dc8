"""Inzage (AVG art. 15): every record of the client, in every table that refers to clients,
nothing of another client, the access history in date order, a JSON file that follows its
published schema and a readable summary, both 0600; a teamleider's task."""

from __future__ import annotations

import json
import stat
from datetime import date

import jsonschema
import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import run_cli
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome, Role, SignalPhase
from wijkteam_tui.errors import RoleError
from wijkteam_tui.export.inzage import SCHEMA_FILE, to_markdown
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store import services, sharing
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.audit.models import AuditEvent, AuditEventClient
from wijkteam_tui.store.models import Base
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.inzage import SECTIONS, client_inzage
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    ContactInput,
    MemberInput,
    ObservationInput,
    SignalInput,
)

TODAY = date(2026, 11, 22)
OPENED = date(2026, 9, 1)


@pytest.fixture
def truus(register):
    """Truus with a member, an agreement, a contact, a plan row, a signalering (which raises
    an alert), a shared export and a read of her file; and Piet, another client."""
    client = services.create_client(
        register, ClientInput("Truus Smit", OPENED, street="Lindelaan"), TODAY
    ).id
    member = services.add_member(
        register, client, MemberInput("Fenna de Vries", MemberKind.INFORMAL, relation="buur"), TODAY
    ).id
    agreement = services.add_agreement(
        register, client, AgreementInput(Channel.VISIT, OPENED, member_id=member, interval_days=7),
        TODAY,
    ).id  # fmt: skip
    services.log_contact(
        register,
        ContactInput(client, TODAY, Channel.VISIT, Outcome.GOOD, agreement, member, "Koffie."),
        TODAY,
    )
    services.add_signal(register, client, SignalInput(SignalPhase.RED, "Eet niet"))
    services.record_observation(
        register, ObservationInput(client, SignalPhase.RED, TODAY, note="Slaapt slecht"), TODAY
    )
    sharing.record_export(register, client, "md")
    log.record(register, chain.Event("read", "clients", str(client), client))
    services.create_client(register, ClientInput("Piet Anders", OPENED), TODAY)
    return client


def test_every_table_that_refers_to_clients_is_in_the_inzage():
    referring = {
        table.name
        for table in Base.metadata.sorted_tables
        if "client_id" in table.c
        # The access history: events about the client, alone or in a list.
        and table.name not in (AuditEvent.__tablename__, AuditEventClient.__tablename__)
    }
    assert referring == {key for key, _model, _title in SECTIONS}


def test_the_inzage_holds_every_record_and_the_access_history(register, truus):
    inzage = client_inzage(register, truus)
    doc = inzage.document
    jsonschema.validate(doc, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    with register.raw() as raw:
        for key, _model, _title in SECTIONS:
            stored = raw.execute(f"SELECT count(*) FROM {key} WHERE client_id = ?", (truus,))
            assert len(doc[key]) == stored.fetchone()[0], key
    assert doc["client"]["name"] == "Truus Smit" and doc["client"]["street"] == "Lindelaan"
    assert doc["contact_moments"][0]["note"] == "Koffie."
    assert doc["alerts"], "the signalering raised an alert"
    assert "Piet" not in json.dumps(doc)
    access = doc["access"]
    assert [e["seq"] for e in access] == sorted(e["seq"] for e in access)
    whats = [e["what"] for e in access]
    assert whats[0] == "cliënt aangemaakt"
    assert "cliënt ingezien" in whats and "cliënt geëxporteerd" in whats
    assert {(e["user"], e["role"]) for e in access} == {("anna", "teamleider")}
    summary = to_markdown(inzage)
    assert summary.startswith("# Inzage: Truus Smit (cliënt ")
    assert "## Wie uw gegevens heeft ingezien of gewijzigd" in summary
    assert "anna (teamleider): cliënt ingezien" in summary
    # Making it is logged too, after the history it shows.
    assert log.events(register)[-1].detail == "inzage (AVG art. 15)"


def test_a_medewerker_is_refused(new_register: NewRegister, truus):
    crypto.add_user_slot(
        new_register.path,
        crypto.unlock(new_register.path, "anna", PASSPHRASE),
        "bram",
        Role.MEDEWERKER,
        "bram zijn wachtwoord",
    )
    bram = open_register(new_register.path, "bram", "bram zijn wachtwoord")
    try:
        with pytest.raises(RoleError):
            client_inzage(bram, truus)
    finally:
        bram.close()


def test_the_command_writes_both_files_0600_and_never_overwrites_unasked(
    new_register: NewRegister, truus, tmp_path
):
    number = sharing.sharing_facts(new_register.register, truus).client_number
    new_register.register.close()
    target = tmp_path / "inzage.json"
    args = ["export", "client", number, "-o", str(target), "--db", str(new_register.path)]
    env = {"WIJKTEAM_PASSPHRASE": PASSPHRASE, "WIJKTEAM_USER": "anna"}
    done = run_cli(*args, env=env)
    assert done.returncode == 0, done.stderr
    assert "onversleutelde documenten met alle gegevens van de cliënt" in done.stderr
    summary = tmp_path / "inzage.md"
    for path in (target, summary):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["client"]["number"] == number
    again = run_cli(*args, env=env)
    assert again.returncode == 2 and "bestaat al" in again.stderr
    assert not list(tmp_path.glob(".*wijkteam-tmp"))
