"""The audit log (NEN 7513): every change is logged in its own transaction, naming fields and
never their contents; logins and the failed tries before them; and `verify` catches an edited,
deleted, swapped or inserted event and a cut-off tail, found by editing the database directly
with the real key."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.conftest import PASSPHRASE, NewRegister, execute_raw
from tests.helpers import run_cli
from wijkteam_tui.domain.terms import Channel, Outcome, ThresholdRule
from wijkteam_tui.errors import ConflictError, RoleError, WrongPassphraseError
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store import services, sharing
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.records import ClientInput, ContactInput

TODAY = date(2026, 11, 22)


def _renamed(register) -> ClientInput:
    return ClientInput(
        name="Fatima Geheimnaam",
        opened_on=date(2026, 9, 1),
        casemanager_id=register.user.id,
        street="Vlierhof",
        house_number="12",
    )


def _kinds(register) -> set[tuple[str, str]]:
    return {(e.action, e.object_type) for e in log.events(register)}


def test_every_change_is_logged_with_its_fields_and_never_their_contents(register, fatima):
    client, neighbour, visit = fatima
    services.log_contact(
        register,
        ContactInput(client.id, TODAY, Channel.VISIT, Outcome.GOOD, visit.id, neighbour.id,
                     note="Geheime notitie over de schulden"),
        TODAY,
    )  # fmt: skip
    file = services.update_client(register, client.id, client.version, _renamed(register), TODAY)
    services.set_threshold(
        register, client.id, ThresholdRule.OUT_OF_VIEW, days=10, reason="Op vakantie.", today=TODAY
    )
    services.clear_threshold(register, client.id, ThresholdRule.OUT_OF_VIEW, TODAY)
    sharing.record_export(register, client.id, "pdf")
    kinds = _kinds(register)
    for kind in [
        ("create", "register"),
        ("login", "users"),
        ("create", "clients"),
        ("create", "network_members"),
        ("create", "contact_moments"),
        ("update", "clients"),
        ("create", "thresholds"),
        ("delete", "thresholds"),
        ("export", "clients"),
    ]:
        assert kind in kinds
    shown = log.events(register, client_number=file.number)
    renamed = [e for e in shown if e.action == "update" and e.object_type == "clients"]
    assert any("name" in e.detail.split("velden: ")[-1].split(", ") for e in renamed)
    export = next(e for e in shown if e.action == "export")
    assert (export.code, export.detail) == ("E", "gedeelde afspraken, formaat pdf, versie 1")
    assert {e.user_name for e in shown} == {"anna"} and {e.role for e in shown} == {"teamleider"}
    text = repr(log.events(register))
    for secret in ("Geheim", "schulden", "Ayşe", "Fatima", "Vlierhof"):
        assert secret not in text
    assert log.verify(register).ok


def test_a_failed_change_leaves_no_event(register, fatima):
    client, *_ = fatima
    before = len(log.events(register))
    with pytest.raises(ConflictError):
        services.update_client(register, client.id, client.version + 5, _renamed(register), TODAY)
    assert len(log.events(register)) == before


@pytest.mark.local_only  # a server refuses a wrong password itself, before wijkteam counts it
def test_failed_logins_are_logged_at_the_next_login(new_register: NewRegister):
    path = new_register.path
    new_register.register.close()
    for _ in range(2):
        with pytest.raises(WrongPassphraseError):
            crypto.unlock(path, "anna", "fout wachtwoord")
    register = open_register(path, "anna", PASSPHRASE)
    try:
        last = log.events(register)[-3:]
        assert [(e.action, e.outcome) for e in last] == [
            ("login-failed", "mislukt"),
            ("login-failed", "mislukt"),
            ("login", "ok"),
        ]
        assert last[0].detail.startswith("mislukte poging 1 van 2 op rij, de laatste op ")
    finally:
        register.close()


def test_only_a_teamleider_reads_or_checks_the_log(bram):
    with pytest.raises(RoleError):
        log.events(bram)
    with pytest.raises(RoleError):
        log.verify(bram)


@pytest.fixture
def logged(new_register: NewRegister, fatima):
    """A register with a dozen or more events, closed (the head is in the key file) and opened
    again."""
    register = new_register.register
    client, neighbour, visit = fatima
    for day in range(1, 6):
        services.log_contact(
            register,
            ContactInput(client.id, date(2026, 11, day), Channel.VISIT, Outcome.GOOD,
                         visit.id, neighbour.id),
            TODAY,
        )  # fmt: skip
    register.close()
    opened = open_register(new_register.path, "anna", PASSPHRASE)
    yield opened
    opened.close()


def _tamper(register, *statements: str) -> None:
    execute_raw(register, *statements)


def _count(register) -> int:
    with register.raw() as raw:
        return int(raw.execute("SELECT max(seq) FROM audit_events").fetchone()[0])


def test_verify_passes_an_untouched_log(logged):
    verdict = log.verify(logged)
    assert verdict.ok and verdict.events == _count(logged) >= 12


def test_verify_catches_an_edited_field(logged):
    _tamper(logged, "UPDATE audit_events SET user_name = 'bram' WHERE seq = 7")
    verdict = log.verify(logged)
    assert (verdict.broken_at, verdict.events) == (7, 6)
    assert "past niet in de keten" in verdict.reason


def test_verify_catches_a_deleted_event(logged):
    _tamper(logged, "DELETE FROM audit_events WHERE seq = 9")
    verdict = log.verify(logged)
    assert verdict.broken_at == 9 and verdict.reason == "volgnummer 9 ontbreekt"


def test_verify_catches_two_swapped_events(logged):
    _tamper(
        logged,
        "UPDATE audit_events SET seq = -1 WHERE seq = 10",
        "UPDATE audit_events SET seq = 10 WHERE seq = 11",
        "UPDATE audit_events SET seq = 11 WHERE seq = -1",
    )
    assert log.verify(logged).broken_at == 10


def test_verify_catches_an_inserted_event(logged):
    newest = _count(logged)
    _tamper(
        logged,
        *[
            f"UPDATE audit_events SET seq = {seq + 1} WHERE seq = {seq}"
            for seq in range(newest, 11, -1)
        ],
        "INSERT INTO audit_events (seq, at, user_name, role, code, action, object_type,"
        " object_id, client_id, client_number, outcome, detail, mac) SELECT 12, at, user_name,"
        " role, code, action, object_type, object_id, client_id, client_number, outcome,"
        " detail, mac FROM audit_events WHERE seq = 11",
    )
    assert log.verify(logged).broken_at == 12


def test_verify_catches_the_last_ten_events_cut_off(logged, new_register: NewRegister):
    newest = _count(logged)
    # The events of opening this time come after the head kept at the last close.
    kept = logged.keys.current().extra[chain.HEAD_KEY][0]
    assert kept == newest - 1
    _tamper(logged, f"DELETE FROM audit_events WHERE seq > {kept - 10}")
    verdict = log.verify(logged)
    assert verdict.broken_at == kept - 9
    assert verdict.reason.startswith("de laatste 10 gebeurtenissen ontbreken")


def test_a_cut_off_tail_stays_visible_after_closing_and_opening_again(
    logged, new_register: NewRegister
):
    kept = logged.keys.current().extra[chain.HEAD_KEY]
    _tamper(logged, f"DELETE FROM audit_events WHERE seq > {kept[0] - 10}")
    said_at_closing = logged.close()
    env = {"WIJKTEAM_PASSPHRASE": PASSPHRASE, "WIJKTEAM_USER": "anna"}
    for _ in range(2):  # checking, and the closing after it, do not heal what was found
        checked = run_cli("audit", "verify", "--db", str(new_register.path), env=env)
        assert checked.returncode == 1, checked.stdout + checked.stderr
        assert "gebeurtenissen ontbreken" in checked.stdout
        assert f"het sleutelbestand kent volgnummer {kept[0]}" in checked.stdout
        assert "Let op: Het auditlog eindigt bij volgnummer" in checked.stderr
    reopened = open_register(new_register.path, "anna", PASSPHRASE)
    try:
        assert reopened.keys.current().extra[chain.HEAD_KEY] == kept
        assert not log.verify(reopened).ok
        assert any(f"kent volgnummer {kept[0]}" in w for w in reopened.warnings)
    finally:
        reopened.close()
    assert any(f"kent volgnummer {kept[0]}" in w for w in said_at_closing)


def test_the_command_says_ok_or_where_it_broke(logged, new_register: NewRegister):
    env = {"WIJKTEAM_PASSPHRASE": PASSPHRASE, "WIJKTEAM_USER": "anna"}
    db = ["--db", str(new_register.path)]
    _tamper(logged, "UPDATE audit_events SET detail = 'velden: name' WHERE seq = 5")
    logged.close()
    broken = run_cli("audit", "verify", *db, env=env)
    assert broken.returncode == 1
    assert broken.stdout.startswith("Auditlog: BREUK bij volgnummer 5: de gebeurtenis past niet")
    shown = run_cli("audit", "show", "--medewerker", "anna", "--last", "3", *db, env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count("anna (teamleider)") == 3


def test_events_past_five_years_are_pruned_behind_a_verifiable_checkpoint(tmp_path, monkeypatch):
    from datetime import datetime

    from wijkteam_tui.store.opening import create_register

    monkeypatch.setattr(chain, "now", lambda: datetime(2020, 3, 1, 10, 0))
    register, _ = create_register(tmp_path / "register.db", "anna", PASSPHRASE)
    try:
        services.create_client(register, ClientInput("Oud Mens", date(2020, 3, 1)), TODAY)
        old = log.events(register)
        monkeypatch.setattr(chain, "now", lambda: datetime(2026, 11, 20, 10, 0))
        services.create_client(register, ClientInput("Nieuw Mens", date(2026, 11, 1)), TODAY)
        assert log.prune(register, TODAY) == len(old)
        assert log.prune(register, TODAY) == 0, "once"
        after = log.events(register)
        assert after[0].seq == old[-1].seq + 1
        assert after[-1].action == "prune" and after[-1].object_id == str(old[-1].seq)
        assert log.verify(register).ok
        with register.raw() as raw:
            raw.execute("UPDATE audit_checkpoints SET through_mac = ?", ("00" * 32,))
        verdict = log.verify(register)
        assert verdict.broken_at == old[-1].seq + 1 and "past niet" in verdict.reason
        with register.raw() as raw:
            raw.execute("DELETE FROM audit_events WHERE action = 'prune'")
        assert "controlepunt" in log.verify(register).reason
    finally:
        register.close()


def test_the_daily_sweep_is_one_event_not_one_per_alert(register, fatima):
    from datetime import timedelta

    before = len(log.events(register))
    later = TODAY + timedelta(days=60)
    assert services.daily_sweep(register, later) >= 1
    new = log.events(register)[before:]
    assert [(e.action, e.object_type) for e in new] == [("sweep", "register")]
    assert new[0].detail.endswith("cliënten opnieuw beoordeeld")
    assert log.verify(register).ok


def test_an_events_detail_is_shown_in_dutch_words_and_kept_as_written():
    from wijkteam_tui.store.audit.log import detail_text

    assert detail_text("velden: birth_date, name, display_name") == "velden: geboortedatum, naam"
    assert detail_text("velden: decided_by_id, decided_on, status") == (
        "velden: besloten door, besloten op, status"
    )
    assert detail_text("velden: some_new_field") == "velden: some new field"
    assert detail_text("lijst te late contactmomenten (table)") == (
        "lijst te late contactmomenten (tabel)"
    )
    assert detail_text("gedeelde afspraken, formaat pdf, versie 1") == (
        "gedeelde afspraken, formaat pdf, versie 1"
    )


def _import_events(register, tmp_path, monkeypatch, batch: int, first: int, *, fail: bool = False):
    """The events an import of 6 clients (numbers from `first` on) with 2 network members
    each appends, with the chain appending each time `batch` events wait; with `fail`, the
    last client is refused (after several batches were appended): nothing comes in."""
    from tests.caseload.files import workbook
    from wijkteam_tui.caseload.plan import plan_import
    from wijkteam_tui.caseload.reading import read_caseload
    from wijkteam_tui.store.write.intake import ImportRowError, import_caseload

    monkeypatch.setattr(chain, "_BATCH", batch)
    waiting: list[int] = []
    write = chain._write

    def spied(session) -> None:
        waiting.append(len(session.info.get(chain._PENDING, ())))
        write(session)

    monkeypatch.setattr(chain, "_write", spied)
    clients = [["Cliëntnummer", "Naam", "Geboortedatum", "Startdatum"]]
    network = [["Cliëntnummer", "Naam", "Relatie"]]
    for n in range(first, first + 6):
        clients.append([str(n), f"Cliënt {n}", f"{n % 28 + 1}-1-1950", "1-9-2026"])
        network += [[str(n), f"Buur {n}", "buurman"], [str(n), f"Kind {n}", "zoon"]]
    path = workbook(tmp_path / f"c{first}.xlsx", {"Cliënten": clients, "Netwerk": network})
    plan = plan_import(register, read_caseload(path), TODAY)
    before = len(log.events(register))
    items = list(plan.clients)
    if fail:
        # The last client's first member names one that is not theirs: refused at the end.
        last = items[-1]
        member = replace(last.members[0], member_id=-1)
        items = [*items[:-1], replace(last, members=(member, *last.members[1:]))]
        with pytest.raises(ImportRowError):
            import_caseload(register, items, path.name, TODAY)
    else:
        import_caseload(register, items, path.name, TODAY)
    # Never more than a batch waits (a flush adds at most one client's few events to it).
    assert max(waiting) < batch + 8
    return log.events(register)[before:]


def test_a_large_transaction_appends_its_events_as_it_goes(register, tmp_path, monkeypatch):
    """Appended a batch at a time (here every 4 events) the chain holds the same events as
    when the commit appends them all, verifies, and a rollback leaves none of them."""
    at_commit = _import_events(register, tmp_path, monkeypatch, 1_000, 901)
    as_it_goes = _import_events(register, tmp_path, monkeypatch, 4, 801)
    assert len(at_commit) == 6 * 5 + 1  # client, phase, 2 members, an alert; the import
    assert sorted((e.action, e.object_type) for e in as_it_goes) == sorted(
        (e.action, e.object_type) for e in at_commit
    )
    assert {e.client_number for e in as_it_goes if e.client_number} == {
        str(n) for n in range(801, 807)
    }
    assert log.verify(register).ok

    assert _import_events(register, tmp_path, monkeypatch, 4, 701, fail=True) == []
    assert search_clients(register, "Cliënt 701") == []
    assert log.verify(register).ok
