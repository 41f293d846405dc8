"""A caseload brought in (issue 28), on both backends: planned against the register, written in
one transaction (all or nothing), a second import of the same file changing nothing, and what
only the register can refuse named by sheet, row and column."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.caseload.files import workbook
from tests.store.conftest import TODAY
from wijkteam_tui.caseload import plan as plan_module
from wijkteam_tui.caseload.plan import plan_import
from wijkteam_tui.caseload.reading import read_caseload
from wijkteam_tui.domain.terms import Channel, MemberKind, Phase
from wijkteam_tui.errors import ConflictError, RoleError
from wijkteam_tui.store import services
from wijkteam_tui.store.audit.log import events as audit_events
from wijkteam_tui.store.imported import ImportedAgreement, ImportedClient
from wijkteam_tui.store.read.client_file import client_file, client_timeline
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.write.intake import ImportRowError, import_caseload

CLIENTS = [
    ["Cliëntnummer", "Naam", "Geboortedatum", "Straat", "Huisnummer", "Casemanager", "Fase",
     "Startdatum"],
    ["7", "Truus Bakker", "3-12-1950", "Kerkstraat", "12", "anna", "duurzaam in beeld",
     "1-9-2026"],
    ["8", "Henk Çelik", "4-2-1948", "Dorpsweg", "3a", "", "", "1-10-2026"],
]  # fmt: skip
NETWORK = [
    ["Cliëntnummer", "Naam", "Relatie", "Soort", "Steun", "Toestemming", "Toestemming op"],
    ["7", "Bram Bakker", "zoon", "informeel", "praktisch", "ja", "1-9-2026"],
    ["7", "Els Visser", "buurvrouw", "informeel", "G", "nee", ""],
]
AGREEMENTS = [
    ["Cliëntnummer", "Wie", "Kanaal", "Hoe vaak", "Laatste contact"],
    ["7", "Bram Bakker", "telefoon", "elke zondag", "15-11-2026"],
    ["7", "Els Visser", "bezoek", "elke 14 dagen", ""],
    ["8", "", "bezoek", "elke maand", "2-11-2026"],
]


def _file(path: Path, **sheets: list[list[object]]) -> Path:
    return workbook(path, sheets)


def _caseload(tmp_path: Path) -> Path:
    return _file(
        tmp_path / "caseload.xlsx", Cliënten=CLIENTS, Netwerk=NETWORK, Afspraken=AGREEMENTS
    )


def _plan(register, path: Path):
    return plan_import(register, read_caseload(path), TODAY)


def test_a_caseload_comes_in_once(register, tmp_path):
    path = _caseload(tmp_path)
    plan = _plan(register, path)
    assert [str(p) for p in plan.problems] == []
    assert (plan.new, plan.updated, plan.unchanged, plan.members, plan.agreements) == (
        2, 0, 0, 2, 3,
    )  # fmt: skip
    counts = import_caseload(register, plan.clients, path.name, TODAY)
    assert (counts.clients_new, counts.members, counts.agreements, counts.contacts) == (2, 2, 3, 2)

    (truus,) = search_clients(register, "truus bakker")
    assert (truus.number, truus.phase, truus.casemanager) == ("7", Phase.IN_VIEW, "anna")
    file = client_file(register, truus.id, TODAY)
    assert sorted(m.name for m in file.members) == ["Bram Bakker", "Els Visser"]
    bram = next(m for m in file.members if m.name == "Bram Bakker")
    assert bram.consent_to_share and bram.supports == "P"
    calls = next(a for a in file.agreements if a.channel is Channel.PHONE)
    assert calls.last_contact_on == date(2026, 11, 15)
    # Where the client came from is on their timeline and in the audit log.
    assert any("Geïmporteerd uit caseload.xlsx (Cliënten, rij 2)" in e.text
               for e in client_timeline(register, truus.id))  # fmt: skip
    events = [e for e in audit_events(register) if e.action == "import"]
    assert [e.detail for e in events] == [
        "caseload.xlsx: 2 nieuw, 0 bijgewerkt, 2 netwerkleden, 3 afspraken, 2 contactmomenten,"
        " 0 metingen"
    ]
    # Henk's agreement is with his casemanager (none): the client's casemanager performs it.
    (henk,) = search_clients(register, "henk")
    assert henk.number == "8" and henk.casemanager == ""

    # The same file again changes nothing.
    again = _plan(register, path)
    assert (list(again.clients), again.unchanged, again.problems) == ([], 2, [])


def test_a_changed_row_updates_only_what_differs(register, tmp_path):
    path = _caseload(tmp_path)
    import_caseload(register, _plan(register, path).clients, path.name, TODAY)
    changed = [row[:] for row in CLIENTS]
    changed[1][3] = "Molenweg"  # Truus moved
    changed[1][6] = "intensief"  # a phase is not changed by an import
    later = _file(tmp_path / "later.xlsx", Cliënten=changed, Afspraken=AGREEMENTS[:2])
    plan = _plan(register, later)
    assert (plan.new, plan.updated, plan.unchanged, plan.problems) == (0, 1, 1, [])
    assert plan.remarks == [
        "Cliënten, rij 2: Truus Bakker blijft in fase duurzaam in beeld; een fase verander je in"
        " het dossier, niet met een import."
    ]
    import_caseload(register, plan.clients, later.name, TODAY)
    (truus,) = search_clients(register, "truus")
    assert (truus.street, truus.phase) == ("Molenweg", Phase.IN_VIEW)
    file = client_file(register, truus.id, TODAY)
    assert len(file.members) == 2 and len(file.agreements) == 2


def test_what_only_the_register_can_refuse(register, fatima, bram, tmp_path):
    clients = [
        ["Cliëntnummer", "Naam", "Geboortedatum", "Casemanager"],
        [fatima[0].number, "Iemand Anders", "1-1-1960", ""],
        ["", "Fatima El Amrani", "", "bram"],
        ["", "Piet Paulusma", "1-1-1970", "Piet"],
        ["", "Kees de Vries", "1-1-1950", ""],
    ]
    network = [
        ["Cliëntnummer", "Naam", "Toestemming"],
        ["999", "Onbekend", "nee"],
    ]
    agreements = [
        ["Cliëntnummer", "Wie", "Kanaal", "Hoe vaak"],
        [fatima[0].number, "Mevrouw Niemand", "bezoek", "elke week"],
    ]
    path = _file(tmp_path / "fout.xlsx", Cliënten=clients, Netwerk=network, Afspraken=agreements)
    plan = _plan(register, path)
    assert [str(p) for p in plan.problems] == [
        f"Cliënten, rij 2, Cliëntnummer: cliëntnummer {fatima[0].number} is in het register"
        " Fatima El Amrani, niet Iemand Anders.",
        # The file's rows for a client number go with the file's client of that number.
        "Afspraken, rij 2, Wie: 'Mevrouw Niemand' staat niet in het netwerk van deze cliënt en"
        " is geen medewerker; zet hem of haar op het blad Netwerk of in deze rij.",
        "Cliënten, rij 3, Naam: Fatima El Amrani (geboren onbekend) staat al in het register"
        f" als cliënt {fatima[0].number}, met andere gegevens; zet dat cliëntnummer in het"
        " bestand om deze cliënt bij te werken, of verbeter naam of geboortedatum.",
        "Cliënten, rij 4, Casemanager: 'Piet' is geen gebruiker van het register.",
        "Netwerk, rij 2, Cliëntnummer: er is geen cliënt met cliëntnummer 999, niet in dit"
        " bestand en niet in het register.",
    ]
    assert [c.data.name for c in plan.clients] == ["Kees de Vries"]


def test_an_unknown_casemanager_and_consent_without_a_date(register, tmp_path):
    path = _file(
        tmp_path / "c.xlsx",
        Cliënten=[["Naam", "Casemanager"], ["Kees", "Piet"]],
        Plat=[["Naam", "Wie", "Kanaal", "Hoe vaak"], ["Ria", "Ans", "bezoek", "elke week"]],
        Netwerk=[["Extern id", "Naam", "Toestemming"], ["X1", "Ans", "ja"]],
    )
    plan = _plan(register, path)
    assert [str(p) for p in plan.problems] == [
        "Cliënten, rij 2, Casemanager: 'Piet' is geen gebruiker van het register.",
        "Netwerk, rij 2, Extern id: er is geen cliënt met extern id X1, niet in dit bestand en"
        " niet in het register.",
    ]


def test_consent_to_be_reminded_comes_in_with_its_date_and_an_address(register, tmp_path):
    header = ["Cliëntnummer", "Naam", "E-mail", "Herinneren per mail", "Herinneren sinds"]
    path = _file(
        tmp_path / "c.xlsx",
        Cliënten=CLIENTS,
        Netwerk=[
            header,
            ["7", "Bram Bakker", "bram@example.nl", "ja", "1-9-2026"],
            ["7", "Els Visser", "", "ja", "1-9-2026"],
            ["8", "Ans Çelik", "ans@example.nl", "ja", ""],
        ],
    )
    plan = _plan(register, path)
    assert [str(p) for p in plan.problems] == [
        "Netwerk, rij 3, E-mail: herinneren per mail kan alleen met een e-mailadres van Els"
        " Visser.",
        "Netwerk, rij 2: hoort bij Truus Bakker (Cliënten, rij 2), die niet wordt geïmporteerd.",
        "Netwerk, rij 4, Herinneren sinds: toestemming van Ans Çelik zonder datum: wanneer is"
        " die gegeven?",
    ]
    fixed = _file(
        tmp_path / "d.xlsx",
        Cliënten=CLIENTS,
        Netwerk=[header, ["7", "Bram Bakker", "bram@example.nl", "ja", "1-9-2026"]],
    )
    plan = _plan(register, fixed)
    import_caseload(register, plan.clients, fixed.name, TODAY)
    (truus,) = search_clients(register, "truus bakker")
    (bram,) = client_file(register, truus.id, TODAY).members
    assert (bram.remind_by_mail, bram.remind_review_on) == (True, date(2027, 9, 1))


def test_the_import_is_all_or_nothing(register, tmp_path):
    path = _caseload(tmp_path)
    first = import_caseload(register, [_plan(register, path).clients[0]], path.name, TODAY)
    assert first.clients_new == 1
    # Truus moved, says the file, and Henk is new; between the dry run and the apply someone
    # changes Truus: the whole import is refused, Henk included.
    changed = [row[:] for row in CLIENTS]
    changed[1][3] = "Molenweg"
    later = _file(tmp_path / "later.xlsx", Cliënten=changed)
    plan = _plan(register, later)
    assert (plan.new, plan.updated) == (1, 1)
    (truus,) = search_clients(register, "truus")
    services.update_client(
        register,
        truus.id,
        client_file(register, truus.id, TODAY).version,
        ClientInput("Truus Bakker", date(2026, 9, 1), street="Elders"),
        TODAY,
    )
    with pytest.raises(ConflictError):
        import_caseload(register, plan.clients, later.name, TODAY)
    assert search_clients(register, "henk") == []
    assert search_clients(register, "truus")[0].street == "Elders"


def test_a_last_contact_long_before_the_file_opened_is_refused(register, tmp_path):
    path = _file(
        tmp_path / "oud.xlsx",
        Plat=[
            ["Naam", "Startdatum", "Kanaal", "Hoe vaak", "Laatste contact"],
            ["Ria Smit", "1-9-2026", "bezoek", "elke week", "1-1-2020"],
        ],
    )
    plan = _plan(register, path)
    assert [str(p) for p in plan.problems] == [
        "Plat, rij 2, Laatste contact: ligt ver voor de start van het dossier (di 1 sep 2026); een"
        " contact kan tot een jaar ervoor."
    ]
    # The write refuses it too, whatever plans it.
    sneaked = ImportedClient(
        "Plat, rij 2",
        ClientInput("Ria Smit", date(2026, 9, 1)),
        agreements=(
            ImportedAgreement(
                AgreementInput(Channel.VISIT, date(2026, 9, 1), interval_days=7),
                last_contact=date(2020, 1, 1),
            ),
        ),
    )
    with pytest.raises(ImportRowError, match="Plat, rij 2: het laatste contact ligt ver voor"):
        import_caseload(register, [sneaked], path.name, TODAY)
    assert search_clients(register, "ria") == []


def test_a_medewerker_may_not_import(register, bram, tmp_path):
    path = _caseload(tmp_path)
    plan = _plan(register, path)
    with pytest.raises(RoleError):
        import_caseload(bram, plan.clients, path.name, TODAY)


def test_namesakes_with_numbers_of_their_own(register, fatima, tmp_path):
    """Two rows of one name and birth date with numbers of their own are two clients (said,
    not refused); a row whose number is not the register's namesake's is refused, never
    merged with them."""
    number = fatima[0].number
    clients = [
        ["Cliëntnummer", "Naam", "Geboortedatum"],
        ["200001", "Kees de Vries", "1-1-1950"],
        ["200002", "Kees de Vries", "1-1-1950"],
        ["200003", "Fatima El Amrani", ""],
    ]
    plan = _plan(register, _file(tmp_path / "c.xlsx", Cliënten=clients))
    assert [str(p) for p in plan.problems] == [
        "Cliënten, rij 4, Cliëntnummer: Fatima El Amrani (geboren onbekend) staat al in het"
        f" register als cliënt {number}; is dit die cliënt, zet dan dat nummer in het bestand"
        " in plaats van 200003."
    ]
    assert plan.remarks == [
        "Cliënten, rij 3: Kees de Vries heeft dezelfde naam en geboortedatum als Cliënten, rij"
        " 2, maar een ander cliëntnummer of extern id: het zijn twee cliënten."
    ]
    assert [(c.number, c.data.name) for c in plan.clients] == [
        ("200001", "Kees de Vries"), ("200002", "Kees de Vries")
    ]  # fmt: skip
    # With the register's number in the file too, the other row is another client.
    clients.append([number, "Fatima El Amrani", ""])
    plan = _plan(register, _file(tmp_path / "d.xlsx", Cliënten=clients))
    assert plan.problems == [] and plan.new == 3 and plan.unchanged == 1


def test_a_colleague_named_like_someone_in_the_network(register, fatima, bram, tmp_path):
    """'bram (medewerker)' is the colleague, also where the client's network has a Bram."""
    client, _neighbour, _visit = fatima
    services.add_member(register, client.id, MemberInput("Bram", MemberKind.INFORMAL), TODAY)
    agreements = [
        ["Cliëntnummer", "Wie", "Kanaal", "Hoe vaak"],
        [client.number, "Bram", "bezoek", "elke week"],
        [client.number, "bram (Medewerker)", "telefoon", "elke week"],
    ]
    plan = _plan(register, _file(tmp_path / "a.xlsx", Afspraken=agreements))
    assert plan.problems == []
    (planned,) = plan.clients
    assert [(a.member_name, a.data.user_id) for a in planned.agreements] == [
        ("Bram", None), ("", bram.user.id)
    ]  # fmt: skip


@pytest.mark.parametrize("chunk", [2, 500])
def test_network_rows_for_clients_the_register_has(register, tmp_path, monkeypatch, chunk):
    """A file of network and agreement rows only, for clients the register holds, named by
    number or by external id (one client by both), planned `chunk` clients at a time: one
    update per client whatever the chunk, and a row for nobody named."""
    monkeypatch.setattr(plan_module, "CHUNK", chunk)
    first = [["Cliëntnummer", "Extern id", "Naam", "Geboortedatum", "Startdatum"]]
    first += [[str(n), f"E{n}", f"Cliënt {n}", f"{n}-3-1950", "1-9-2026"] for n in range(11, 16)]
    path = _file(tmp_path / "eerst.xlsx", Cliënten=first)
    import_caseload(register, _plan(register, path).clients, path.name, TODAY)

    network = [["Cliëntnummer", "Extern id", "Naam", "Relatie"]]
    network += [[str(n), "", f"Buur {n}", "buurman"] for n in range(11, 16)]
    network += [["", "E13", "Dochter 13", "dochter"], ["", "E99", "Niemand", "zoon"]]
    agreements = [["Cliëntnummer", "Extern id", "Wie", "Kanaal", "Hoe vaak"]]
    agreements += [["", "E13", "Dochter 13", "telefoon", "elke week"]]
    agreements += [["12", "", "Buur 12", "bezoek", "elke maand"]]
    later = _file(tmp_path / "netwerk.xlsx", Netwerk=network, Afspraken=agreements)
    plan = _plan(register, later)
    assert [str(p) for p in plan.problems] == [
        "Netwerk, rij 8, Extern id: er is geen cliënt met extern id E99, niet in dit bestand"
        " en niet in het register."
    ]
    ids = {c.number: c.id for c in search_clients(register, "Cliënt")}
    planned = {number: c for c in plan.clients for number, i in ids.items() if i == c.client_id}
    assert len(plan.clients) == 5 and sorted(planned) == ["11", "12", "13", "14", "15"]
    assert sorted(m.data.name for m in planned["13"].members) == ["Buur 13", "Dochter 13"]
    assert [a.member_name for a in planned["13"].agreements] == ["Dochter 13"]
    assert [a.member_name for a in planned["12"].agreements] == ["Buur 12"]
    import_caseload(register, plan.clients, later.name, TODAY)
    (thirteen,) = search_clients(register, "Cliënt 13")
    file = client_file(register, thirteen.id, TODAY)
    assert sorted(m.name for m in file.members) == ["Buur 13", "Dochter 13"]
    assert list(_plan(register, later).clients) == []
