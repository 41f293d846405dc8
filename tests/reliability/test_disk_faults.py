"""A read-only location, a full disk and a permission problem each get their own message, and
none of them loses a committed row or is called damage.

The faults are real: a small tmpfs mounted for the test (filled to the brim, or remounted
read-only), and the command line run as another account (`nobody`). Mounting needs root, as
the test machine and CI have; elsewhere these tests are skipped and say why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.helpers import fingerprint, run_cli
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.copies.backup import write_backup
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sqlite import faults
from wijkteam_tui.store.write.clients import create_client

ENV = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}
TODAY = date(2026, 11, 23)


def _mount(where: Path, size_kib: int) -> None:
    where.mkdir(parents=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"kan geen tmpfs aankoppelen (root nodig): {done.stderr.decode().strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB file system of its own, unmounted afterwards (room for a write-ahead log
    of up to 1,000 pages beside a small register, before a test fills it)."""
    where = tmp_path / "schijf"
    _mount(where, 8192)
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path, leave_kib: int) -> Path:
    """Fill `disk` until only `leave_kib` is free; the filler file is returned."""
    filler = disk / "opvulling"
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave_kib * 1024))
    return filler


def _client(number: int) -> ClientInput:
    return ClientInput(
        name=f"Fictieve Persoon {number}",
        opened_on=date(2026, 1, 5),
        street="Lange Voorbeeldstraat",
        house_number=str(number),
        postcode="1234 AB",
        own_words="Ik wil graag zelf blijven koken en mijn kleinkinderen zien. " * 4,
    )


def _names(register: Register) -> set[str]:
    return {hit.name for hit in search_clients(register, "fictieve", limit=10_000)}


def test_a_full_disk_during_writes_says_so_and_keeps_every_committed_row(small_disk: Path):
    path = small_disk / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    filler = _fill(small_disk, leave_kib=300)
    saved = []
    with pytest.raises(faults.DiskFullError, match="is vol"):
        for number in range(10_000):
            create_client(register, _client(number), TODAY)
            saved.append(f"Fictieve Persoon {number}")
    assert saved, "some writes fit before the disk was full"
    register.close()
    filler.unlink()
    reopened = open_register(path, "anna", PASSPHRASE)
    try:
        assert _names(reopened) == set(saved)
        assert reopened.check() == []
    finally:
        reopened.close()


def test_a_full_disk_during_restore_is_not_called_a_damaged_back_up(
    small_disk: Path, tmp_path: Path
):
    source, _ = create_register(tmp_path / "bron" / "register.db", "anna", PASSPHRASE)
    for number in range(40):
        create_client(source, _client(number), TODAY)
    bundle = tmp_path / "zondag.wkb"
    write_backup(source, bundle)
    source.close()
    path = small_disk / "team" / "register.db"
    live, _ = create_register(path, "anna", PASSPHRASE)
    live.close()
    _fill(small_disk, leave_kib=64)
    before = fingerprint(*sorted(path.parent.iterdir()))
    result = run_cli("restore", str(bundle), "--force", "--db", str(path), env=ENV)
    assert result.returncode == 1
    assert "is vol" in result.stderr and "beschadigd" not in result.stderr
    assert fingerprint(*sorted(path.parent.iterdir())) == before, "no temp files left"


def test_a_back_up_onto_a_full_disk_says_so_and_leaves_no_part(small_disk: Path, tmp_path: Path):
    register, _ = create_register(tmp_path / "team" / "register.db", "anna", PASSPHRASE)
    for number in range(40):
        create_client(register, _client(number), TODAY)
    register.close()
    _fill(small_disk, leave_kib=32)
    target = small_disk / "zondag.wkb"
    result = run_cli("backup", "-o", str(target), "--db", str(register.path), env=ENV)
    assert result.returncode == 1
    assert "is vol" in result.stderr and "onverwachte" not in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["opvulling"]


def test_a_read_only_location_is_named_and_still_checked(small_disk: Path):
    path = small_disk / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    register.close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    for command in (["db", "upgrade"], ["backup", "-o", "/dev/null/x.wkb"]):
        result = run_cli(*command, "--db", str(path), env=ENV)
        assert result.returncode == 1
        assert "alleen-lezen" in result.stderr, result.stderr
        assert "beschadigd" not in result.stderr.replace("niet beschadigd", "")
    check = run_cli("db", "check", "--db", str(path), env=ENV)
    assert check.returncode == 0, check.stderr
    assert "in orde" in check.stdout
    with pytest.raises(faults.ReadOnlyError):
        open_register(path, "anna", PASSPHRASE)


def test_init_on_a_read_only_location_says_so(small_disk: Path):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run_cli("init", "--db", str(small_disk / "team" / "register.db"), env=ENV)
    assert result.returncode == 1
    assert "alleen-lezen" in result.stderr and "onverwachte" not in result.stderr


def _as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    env = {"PATH": os.environ["PATH"], "WIJKTEAM_KDF": "test", "PYTEST_CURRENT_TEST": "x", **ENV}
    return subprocess.run(
        [*command, sys.executable, "-m", "wijkteam_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=60,
        check=False,
    )


def test_another_account_is_told_it_has_no_permission(tmp_path: Path):
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("nodig: root en setpriv, om als een ander account te draaien")
    if _as_nobody("--version").returncode != 0:
        pytest.skip("het account nobody kan deze Python-omgeving niet lezen")
    shared = tmp_path / "gedeeld"
    shared.mkdir()
    tmp_path.chmod(0o755)
    shared.chmod(0o755)
    path = shared / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    register.close()
    before = fingerprint(path, crypto.key_file_path(path))
    for command in (["db", "check"], ["db", "upgrade"]):
        result = _as_nobody(*command, "--db", str(path))
        assert result.returncode == 1, result.stderr
        assert "Geen toestemming" in result.stderr, result.stderr
        assert "onverwachte" not in result.stderr
    assert fingerprint(path, crypto.key_file_path(path)) == before


def test_a_full_disk_during_a_rekey_changes_nothing_and_says_so(small_disk: Path):
    from wijkteam_tui.store import keys as crypto
    from wijkteam_tui.store.keys.rekey import renew_key

    path = small_disk / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    for number in range(60):
        create_client(register, _client(number), TODAY)
    old_key = bytes(register.unlocked.db_key)
    with register.raw() as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # Room for the log to fold in, not for a whole second copy of the database.
    _fill(small_disk, leave_kib=path.stat().st_size // 2048)
    register, pending = renew_key(register, "test")
    try:
        assert pending is not None and "vol" in pending and "niet vernieuwd" in pending
        assert bytes(register.unlocked.db_key) == old_key
        assert len(_names(register)) == 60
    finally:
        register.close()
    assert not list(path.parent.glob("wijkteam-herstel-*")), "no staging left behind"
    assert not crypto.backup_key_file_path(path).with_suffix(".nieuw").exists()
    reopened = open_register(path, "anna", PASSPHRASE)
    try:
        assert reopened.check() == []
    finally:
        reopened.close()


def _client_with_agreement(register: Register) -> str:
    import dataclasses

    from wijkteam_tui.domain.terms import Channel, MemberKind
    from wijkteam_tui.store.records import AgreementInput, MemberInput
    from wijkteam_tui.store.write.agreements import add_agreement
    from wijkteam_tui.store.write.network import add_member

    anna = register.user.id
    client = create_client(register, dataclasses.replace(_client(1), casemanager_id=anna), TODAY)
    member = add_member(
        register, client.id, MemberInput("Kees Buurman", MemberKind.INFORMAL), TODAY
    )
    add_agreement(
        register,
        client.id,
        AgreementInput(Channel.PHONE, TODAY, member_id=member.id, interval_days=7, shared=True),
        TODAY,
    )
    return client.number


@pytest.mark.parametrize(
    "what",
    ["md", "pdf", "kaart", "ics", "inzage", "per-medewerker"],
)
def test_every_document_onto_a_full_disk_says_so_and_leaves_no_part(
    what: str, small_disk: Path, tmp_path: Path
):
    """Each kind of document the register writes beside it: 'De schijf … is vol', exit 1,
    not a word of a program error, and nothing of the document left on the full disk."""
    register, _ = create_register(tmp_path / "team" / "register.db", "anna", PASSPHRASE)
    number = _client_with_agreement(register)
    register.close()
    (small_disk / "afspraken").mkdir()
    _fill(small_disk, leave_kib=0)
    if what == "inzage":
        command = ["export", "client", number, "-o", str(small_disk / "inzage.json")]
    elif what == "per-medewerker":
        out = small_disk / "afspraken"
        command = ["export", "agreements", "--medewerker", "anna", "-o", str(out)]
    else:
        command = ["export", "agreements", number, "-o", str(small_disk / f"x.{what}")]
        command += ["--format", what]
    result = run_cli(*command, "--db", str(register.path), env=ENV)
    assert result.returncode == 1, result.stdout
    assert "De schijf van" in result.stderr and "is vol" in result.stderr, result.stderr
    assert "onverwachte" not in result.stderr
    left = sorted(p.name for p in small_disk.rglob("*") if p.is_file())
    assert left == ["opvulling"]


@pytest.mark.parametrize("command", ["passwd", "user add", "init"])
def test_key_and_register_writes_onto_a_full_disk_say_so_and_change_nothing(
    command: str, small_disk: Path, tmp_path: Path
):
    """A new passphrase, a new colleague and a new register: each writes a key file or a
    database onto the full disk; each says so, and what was there still opens as it was."""
    on_disk = small_disk / "team" / "register.db"
    register, _ = create_register(on_disk, "anna", PASSPHRASE)
    register.close()
    env = {**ENV, "WIJKTEAM_NEW_PASSPHRASE": "een heel nieuw wachtwoord"}
    args = {
        "passwd": ["passwd", "--db", str(on_disk)],
        "user add": ["user", "add", "bram", "--role", "medewerker", "--db", str(on_disk)],
        "init": ["init", "--user", "cem", "--db", str(small_disk / "nieuw" / "register.db")],
    }[command]  # fmt: skip
    before = fingerprint(*sorted(on_disk.parent.iterdir()))
    _fill(small_disk, leave_kib=0)
    result = run_cli(*args, env=env)
    assert result.returncode == 1, result.stdout
    assert "De schijf van" in result.stderr and "is vol" in result.stderr, result.stderr
    assert "onverwachte" not in result.stderr
    after = fingerprint(*sorted(on_disk.parent.iterdir()))
    assert {k: v for k, v in after.items() if "keys" in k} == {
        k: v for k, v in before.items() if "keys" in k
    }
    new = small_disk / "nieuw"
    assert not new.exists() or not any(new.iterdir()), "no part of a new register"
    (small_disk / "opvulling").unlink()
    open_register(on_disk, "anna", PASSPHRASE).close()


async def test_a_form_saved_onto_a_full_disk_says_so_and_keeps_what_was_typed(small_disk: Path):
    from textual.widgets import Input, Static

    from tests.views.conftest import make_app, settle
    from wijkteam_tui.views.forms.client import ClientForm

    path = small_disk / "team" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    app = make_app(path, register=register)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        _fill(small_disk, leave_kib=0)
        app.push_screen(ClientForm([]))
        await settle(pilot)
        form = app.screen
        await pilot.press(*"Vol Geschreven")
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = str(form.query_one("#form-message", Static).render())
        assert "De schijf van" in said and "is vol" in said, said
        assert app.screen is form and form.query_one("#name", Input).value == "Vol Geschreven"
    (small_disk / "opvulling").unlink()
    register.close()
    reopened = open_register(path, "anna", PASSPHRASE)
    try:
        assert search_clients(reopened, "Geschreven") == []
    finally:
        reopened.close()
