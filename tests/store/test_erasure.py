"""Erasure (AVG art. 17): a typed confirmation, a reason, an explicit override while a legal
retention term runs; afterwards no name, note or phone number of the client or their members
in any page of the database, its write-ahead log, the key file or a copy beside it (each page
decrypted with the key, free pages included), while another client's data is still there and
the audit chain still verifies. And the retention list."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import decrypted_pages, run_cli
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome, Phase
from wijkteam_tui.errors import RoleError, ValidationError
from wijkteam_tui.store import erasure, services
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput
from wijkteam_tui.store.sqlite.connection import copy_database

TODAY = date(2026, 11, 22)
OPENED = date(2024, 11, 1)
GONE = ["Zeldzaammarkeer", "Lidmarkeer", "0611223344", "Notitiemarkeer", "Straatmarkeer"]
KEPT = "Blijvendmarkeer"


def _client(register, name: str, street: str) -> int:
    client = services.create_client(
        register, ClientInput(name, OPENED, street=street, phone="0611223344"), TODAY
    ).id
    for i in range(15):
        member = services.add_member(
            register,
            client,
            MemberInput(f"Lidmarkeer {i}", MemberKind.INFORMAL, relation="buur",
                        phone=f"06112233{i:02d}", notes="Notitiemarkeer"),
            TODAY,
        ).id  # fmt: skip
        if i < 2:
            agreement = services.add_agreement(
                register, client,
                AgreementInput(Channel.VISIT, OPENED, member_id=member, interval_days=14), TODAY,
            ).id  # fmt: skip
            for day in (date(2025, 3, 1), date(2025, 9, 1), date(2026, 3, 1)):
                services.log_contact(
                    register,
                    ContactInput(client, day, Channel.VISIT, Outcome.GOOD, agreement, member,
                                 "Notitiemarkeer"),
                    TODAY,
                )  # fmt: skip
    return client


@pytest.fixture
def marked(new_register: NewRegister):
    register = new_register.register
    other = services.create_client(register, ClientInput(f"{KEPT} Anders", OPENED), TODAY).id
    client = _client(register, "Zeldzaammarkeer Truus", "Straatmarkeer")
    if register.server is not None:
        return client, other  # a server has no copies beside it (its operator's backups)
    with register.raw() as raw:
        copy_database(
            raw,
            new_register.path.with_name("register-voor-bijwerken-20261101T090000.db"),
            bytes(register.unlocked.db_key),
        )
    return client, other


def test_a_running_term_a_wrong_number_or_no_reason_erases_nothing(register, marked):
    client, _ = marked
    facts = erasure.erasure_facts(register, client, TODAY)
    assert (facts.members, facts.kept_because.startswith("Het dossier is nog open")) == (15, True)
    number = facts.number
    attempts = [
        {"confirm_number": "999", "reason": "Verzoek.", "override": "Verzoek."},
        {"confirm_number": number, "reason": " ", "override": "Verzoek."},
        {"confirm_number": number, "reason": "Verzoek.", "override": ""},
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            erasure.erase_client(register, client, today=TODAY, **attempt)
    assert erasure.erasure_facts(register, client, TODAY).members == 15


@pytest.mark.local_only  # the files beside a local register
def test_after_erasure_nothing_of_the_client_is_in_any_file(new_register: NewRegister, marked):
    register = new_register.register
    client, _other = marked
    number = erasure.erasure_facts(register, client, TODAY).number
    done = erasure.erase_client(
        register, client, confirm_number=number, reason="Verzoek van de cliënt.",
        override="De cliënt trekt de hulp in; geen wettelijke plicht meer.", today=TODAY,
    )  # fmt: skip
    assert done.log_emptied and len(done.copies) == 1 and not done.copies_not_cleaned
    erased = [e for e in log.events(register, client_number=number)]
    assert erased[-1].action == "erase" and erased[-1].code == "D"
    assert erased[0].action == "create", "the earlier events stay, by number"
    assert log.verify(register).ok
    key = bytes(register.unlocked.db_key)
    register.close()
    folder = new_register.path.parent
    files = sorted(p for p in folder.iterdir() if p.is_file())
    assert any(p.name.startswith("register-voor-bijwerken-") for p in files)
    seen_kept = False
    for path in files:
        raw = path.read_bytes()
        readable = raw
        if path.suffix == ".db" or path.name.endswith("-wal"):
            readable = decrypted_pages(path, key)
        seen_kept |= KEPT.encode() in readable
        for marker in GONE:
            assert marker.encode() not in readable, (marker, path.name)
            assert marker.encode() not in raw
    assert seen_kept, "the pages were read correctly: the other client is still there"


def test_only_a_teamleider_erases(bram, marked):
    client, _ = marked
    with pytest.raises(RoleError):
        erasure.erasure_facts(bram, client, TODAY)


@pytest.mark.local_only  # `db check` reads a local register's files
def test_the_retention_list_and_the_command(new_register: NewRegister):
    register = new_register.register
    old = services.create_client(register, ClientInput("Oud Dossier", date(2000, 1, 3)), TODAY)
    services.change_phase(register, old.id, Phase.CLOSED, "Afgerond.", TODAY, on=date(2005, 6, 1))
    past = erasure.past_retention(register, TODAY)
    assert [(p.number, p.name) for p in past] == [(old.number, "Oud Dossier")]
    register.close()
    env = {"WIJKTEAM_PASSPHRASE": PASSPHRASE, "WIJKTEAM_USER": "anna"}
    db = ["--db", str(new_register.path)]
    listed = run_cli("retention", "list", *db, env=env)
    assert listed.returncode == 0 and old.number in listed.stdout
    checked = run_cli("db", "check", *db, env=env)
    assert "1 dossier is voorbij de bewaartermijn (de oudste sinds 2020-06-01)" in checked.stdout
    done = run_cli(
        "erase", old.number, "--reason", "Bewaartermijn verstreken.", "--confirm", old.number,
        *db, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"Cliënt {old.number} is gewist" in done.stdout
    again = run_cli("retention", "list", *db, env=env)
    assert "Geen dossiers voorbij hun bewaartermijn." in again.stdout
    assert "bewaartermijn" not in run_cli("db", "check", *db, env=env).stdout
    reopened = open_register(new_register.path, "anna", PASSPHRASE)
    try:
        assert log.verify(reopened).ok
    finally:
        reopened.close()


def test_a_file_past_retention_is_kept_longer_only_with_a_reason(register):
    old = services.create_client(register, ClientInput("Oud Dossier", date(2000, 1, 3)), TODAY)
    services.change_phase(register, old.id, Phase.CLOSED, "Afgerond.", TODAY, on=date(2005, 6, 1))
    open_file = services.create_client(register, ClientInput("Open Dossier", OPENED), TODAY)
    with pytest.raises(ValidationError, match="reden"):
        erasure.extend_retention(register, old.id, date(2030, 1, 1), " ", TODAY)
    with pytest.raises(ValidationError, match="Kies een datum na"):
        erasure.extend_retention(register, old.id, date(2026, 1, 1), "Rechtszaak.", TODAY)
    with pytest.raises(ValidationError, match="nog open"):
        erasure.extend_retention(register, open_file.id, date(2030, 1, 1), "x", TODAY)
    erasure.extend_retention(register, old.id, date(2030, 1, 1), "Lopende rechtszaak.", TODAY)
    assert erasure.past_retention(register, TODAY) == []
    kept = {e.action: e for e in log.events(register, client_number=old.number)[-2:]}
    assert kept["update"].detail == "velden: retention_until"
    assert kept["retention"].detail == "bewaren tot en met 2030-01-01; reden: Lopende rechtszaak."


def test_erasing_names_the_exports_made_of_the_client_earlier(register, marked, tmp_path):
    """Documents made of the client live outside the register: the erasure says which, so
    that the person can find and destroy them."""
    from wijkteam_tui.export.to_disk import export_agreements

    client, other = marked
    export_agreements(register, client, "md", tmp_path / "afspraken.md", TODAY)
    export_agreements(register, other, "md", tmp_path / "ander.md", TODAY)
    number = erasure.erasure_facts(register, client, TODAY).number
    done = erasure.erase_client(
        register,
        client,
        confirm_number=number,
        reason="Verzoek van de cliënt.",
        override="De cliënt trekt de hulp in; geen wettelijke plicht meer.",
        today=TODAY,
    )
    assert len(done.exports) == 1
    assert "gedeelde afspraken, formaat md, versie 1" in done.exports[0]
    assert "(anna)" in done.exports[0]
