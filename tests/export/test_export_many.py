"""All open clients of one medewerker in one go: a file each, 0600, each recorded with its
version, a progress line per tenth when stderr is a log, nothing written when a file is there
already, only one's own clients for a medewerker, and a stop halfway leaves only whole files."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import run_cli
from wijkteam_tui.domain.terms import Phase, Role
from wijkteam_tui.export import document, to_disk
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store import services, sharing
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.edit import list_users
from wijkteam_tui.store.records import ClientInput

TODAY = date(2026, 11, 22)
OPENED = date(2026, 9, 1)
BRAM = "bram zijn wachtwoord"


@pytest.fixture
def bram_clients(new_register: NewRegister) -> list[str]:
    """Nine open clients of medewerker bram, one closed; one client of anna. Returns the
    numbers of bram's open clients."""
    register = new_register.register
    crypto.add_user_slot(
        new_register.path,
        crypto.unlock(new_register.path, "anna", PASSPHRASE),
        "bram",
        Role.MEDEWERKER,
        BRAM,
    )
    open_register(new_register.path, "bram", BRAM).close()  # the first unlock makes the user
    bram_id = next(u.id for u in list_users(register) if u.name == "bram")
    numbers = []
    for i in range(10):
        made = services.create_client(
            register, ClientInput(f"Cliënt {i}", OPENED, casemanager_id=bram_id), TODAY
        )
        numbers.append(made.number)
    services.change_phase(register, made.id, Phase.CLOSED, "Afgesloten.", TODAY)
    services.create_client(
        register, ClientInput("Van Anna", OPENED, casemanager_id=register.user.id), TODAY
    )
    return numbers[:9]


def test_a_medewerker_exports_all_own_open_clients_with_progress(
    new_register: NewRegister, bram_clients: list[str], tmp_path: Path
) -> None:
    new_register.register.close()
    out = tmp_path / "afspraken"
    out.mkdir()
    args = ["export", "agreements", "--medewerker", "bram", "--format", "md", "-o", str(out)]
    env = {"WIJKTEAM_PASSPHRASE": BRAM, "WIJKTEAM_USER": "bram"}
    db = ["--db", str(new_register.path)]
    done = run_cli(*args, *db, env=env)
    assert done.returncode == 0, done.stderr
    assert "leesbaar, onversleuteld document met persoonsgegevens" in done.stderr
    assert done.stderr.count(" bestanden, ") == 9, "a line per tenth of nine files"
    assert "] 9/9 bestanden" in done.stderr
    assert done.stdout.strip() == f"9 bestanden in {out}"
    made = sorted(out.iterdir())
    assert [p.name for p in made] == sorted(f"afspraken-{n}.md" for n in bram_clients)
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "versie 1" in path.read_text(encoding="utf-8")

    before = {p.name: p.read_bytes() for p in made}
    inodes = {p.name: p.stat().st_ino for p in made}
    again = run_cli(*args, *db, env=env)
    assert again.returncode == 2
    assert f"9 van de 9 bestanden bestaan al in {out}" in again.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "nothing written"
    forced = run_cli(*args, "--force", *db, env=env)
    assert forced.returncode == 0, forced.stderr
    # Written anew (each file replaced), with the same agreements: the same version.
    assert all(p.stat().st_ino != inodes[p.name] for p in out.iterdir())
    assert all("versie 1" in p.read_text(encoding="utf-8") for p in out.iterdir())
    assert not list(out.glob(".*")), "no temporary file left behind"

    colleague = run_cli(*args[:3], "anna", *args[4:], *db, env=env)
    assert colleague.returncode == 4
    assert "alleen de afspraken van de eigen cliënten" in colleague.stderr
    both = run_cli("export", "agreements", bram_clients[0], *args[2:], *db, env=env)
    assert both.returncode == 2 and "niet allebei" in both.stderr


def test_a_run_stopped_halfway_leaves_whole_recorded_files_only(
    new_register: NewRegister, bram_clients: list[str], tmp_path: Path
) -> None:
    register = new_register.register
    clients = sharing.clients_to_export(register, "bram")
    assert [c.number for c in clients] == bram_clients

    class Stopped(Exception):
        pass

    def stop_after_three(done: int, _total: int, _name: str) -> None:
        if done == 3:
            raise Stopped

    out = tmp_path / "afspraken"
    out.mkdir()
    with pytest.raises(Stopped):
        to_disk.export_clients(
            register, clients, "pdf", out, TODAY, progress=stop_after_three, workers=2
        )
    assert sorted(p.name for p in out.iterdir()) == [f"afspraken-{n}.pdf" for n in bram_clients[:3]]
    versions = [sharing.sharing_facts(register, c.id).last_version for c in clients]
    assert versions == [1, 1, 1] + [0] * 6, "exactly the files written are recorded"
    for path in out.iterdir():
        assert path.read_bytes().startswith(b"%PDF") and path.read_bytes().rstrip().endswith(
            b"%%EOF"
        )


def test_a_document_drawn_before_a_colleagues_export_is_drawn_again(
    register, tmp_path: Path
) -> None:
    client = services.create_client(register, ClientInput("Truus Smit", OPENED), TODAY).id
    facts = sharing.sharing_facts(register, client)
    early = document.build(facts, TODAY, facts.last_version + 1)
    sharing.record_export(register, client, "md")  # a colleague, meanwhile
    target = tmp_path / "truus.md"
    done = to_disk._export(
        register, facts, "md", target, TODAY, force=False, drawn=(early, b"versie 1")
    )
    assert done.version == 2
    assert "versie 2" in target.read_text(encoding="utf-8")
