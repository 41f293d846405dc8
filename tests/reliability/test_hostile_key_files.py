"""A hostile or stale key file: parsed with limits, and any failure of the main copy falls back
to `register.keys.bak` as damage does; an old key file put back never wins from a newer one."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.store.test_keyfile import _edit_key_file
from wijkteam_tui.errors import KeyFileError, WrongPassphraseError
from wijkteam_tui.store import keys as crypto

# Only on a local register: the key file beside a local register.
pytestmark = pytest.mark.local_only


def _with_checksum(document: dict[str, Any]) -> str:
    body = {k: v for k, v in document.items() if k not in {"checksum", "mac"}}
    document["checksum"] = crypto.document_checksum(body)
    return json.dumps(document)


def _deeply_nested(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


def _infinity(path: Path) -> None:
    document = json.loads(path.read_text())
    text = _with_checksum(document).replace('"iterations": 1', '"iterations": Infinity', 1)
    path.write_text(text)


def _four_gib_thousand_passes(path: Path) -> None:
    def change(document: dict[str, Any]) -> None:
        document["slots"][0]["kdf"].update(memory_cost=4 * 1024 * 1024, iterations=1000)

    _edit_key_file(path, change, fix_checksum=True)


def _huge(path: Path) -> None:
    path.write_bytes(b" " * (20 * 1024 * 1024) + path.read_bytes())


def _not_an_object(path: Path) -> None:
    path.write_text('"sleutels"')


HOSTILE: dict[str, Callable[[Path], None]] = {
    "diep genest": _deeply_nested,
    "Infinity": _infinity,
    "4 GiB x 1000": _four_gib_thousand_passes,
    "20 MB": _huge,
    "geen object": _not_an_object,
}


@pytest.mark.parametrize("attack", list(HOSTILE), ids=list(HOSTILE))
def test_a_hostile_main_key_file_falls_back_to_the_backup_copy_at_once(
    new_register: NewRegister, attack: str
):
    path = new_register.path
    new_register.register.close()
    HOSTILE[attack](crypto.key_file_path(path))
    started = time.perf_counter()
    unlocked = crypto.unlock(path, "anna", PASSPHRASE)
    assert time.perf_counter() - started < 2
    assert unlocked.warnings and "reservekopie is gebruikt" in unlocked.warnings[0]
    assert crypto.read_key_file(crypto.key_file_path(path)).user_slot("anna") is not None


@pytest.mark.parametrize("attack", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_key_files_in_both_copies_are_refused_at_once(
    new_register: NewRegister, attack: str
):
    path = new_register.path
    new_register.register.close()
    for copy in (crypto.key_file_path(path), crypto.backup_key_file_path(path)):
        HOSTILE[attack](copy)
    started = time.perf_counter()
    with pytest.raises(KeyFileError, match="herstel het uit een back-up"):
        crypto.unlock(path, "anna", PASSPHRASE)
    assert time.perf_counter() - started < 2


def test_an_old_key_file_put_back_over_a_newer_one_brings_no_old_passphrase_back(
    new_register: NewRegister,
):
    path = new_register.path
    new_register.register.close()
    key_path, bak_path = crypto.key_file_path(path), crypto.backup_key_file_path(path)
    old = key_path.read_bytes()
    unlocked = crypto.unlock(path, "anna", PASSPHRASE)
    crypto.set_user_passphrase(path, unlocked, "anna", "een nieuw en beter wachtwoord")
    newer_backup = bak_path.read_bytes()

    key_path.write_bytes(old)  # someone puts the old key file back
    with pytest.raises(WrongPassphraseError):
        crypto.unlock(path, "anna", PASSPHRASE)
    assert bak_path.read_bytes() == newer_backup, "the newer copy is never overwritten"

    again = crypto.unlock(path, "anna", "een nieuw en beter wachtwoord")
    assert "ouder dan de reservekopie" in again.warnings[0]
    assert key_path.read_bytes() == bak_path.read_bytes()
    with pytest.raises(WrongPassphraseError):
        crypto.unlock(path, "anna", PASSPHRASE)
