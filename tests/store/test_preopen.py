"""Opening a register for a command with the store imported beside the key derivation
(store/preopen.py): it opens as `open_register` does, on both backends, and what goes wrong on
either thread is said, not lost."""

from __future__ import annotations

import sys
import threading

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from wijkteam_tui.errors import RegisterError, WrongPassphraseError
from wijkteam_tui.store.preopen import open_while_loading


def _loading_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "wijkteam-laden"]


def test_it_opens_as_open_register_does_with_what_the_command_needs(new_register: NewRegister):
    new_register.register.close()
    sys.modules.pop("wijkteam_tui.export.overdue", None)
    register = open_while_loading(
        new_register.path, "anna", PASSPHRASE, loading=("wijkteam_tui.export.overdue",)
    )
    try:
        assert register.user is not None and register.user.name == "anna"
        assert "wijkteam_tui.export.overdue" in sys.modules
    finally:
        register.close()
    assert _loading_threads() == []


def test_a_wrong_passphrase_is_said_and_the_loading_ends(new_register: NewRegister):
    new_register.register.close()
    with pytest.raises(WrongPassphraseError):
        open_while_loading(new_register.path, "anna", "niet het wachtwoord")
    assert _loading_threads() == []


def test_a_module_that_fails_to_load_is_raised_not_lost(new_register: NewRegister):
    new_register.register.close()
    with pytest.raises(ModuleNotFoundError, match="bestaat_niet"):
        open_while_loading(
            new_register.path, "anna", PASSPHRASE, loading=("wijkteam_tui.bestaat_niet",)
        )


@pytest.mark.local_only
def test_a_missing_register_is_said_before_any_key_is_read(tmp_path):
    with pytest.raises(RegisterError, match="register"):
        open_while_loading(tmp_path / "nergens.db", "anna", PASSPHRASE)
    assert _loading_threads() == []
