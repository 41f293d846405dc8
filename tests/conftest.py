"""Shared fixtures. The suite runs with the one documented test setting, WIJKTEAM_KDF=test
(very light Argon2id for new key slots); tests that need production parameters unset it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ["WIJKTEAM_KDF"] = "test"
for _name in (
    "WIJKTEAM_DB",
    "WIJKTEAM_USER",
    "WIJKTEAM_PASSPHRASE",
    "WIJKTEAM_NEW_PASSPHRASE",
    "WIJKTEAM_RECOVERY_KEY",
    "WIJKTEAM_DEBUG",
):
    os.environ.pop(_name, None)

from wijkteam_tui.store.engine import Register, create_register  # noqa: E402

PASSPHRASE = "correct paard batterij"


@dataclass
class NewRegister:
    path: Path
    register: Register
    recovery_key: str


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "team" / "register.db"


@pytest.fixture
def new_register(db_path: Path) -> Iterator[NewRegister]:
    """A fresh register with teamleider 'anna', open."""
    register, recovery_key = create_register(
        db_path, "anna", PASSPHRASE, team_name="Wijkteam Testwijk"
    )
    yield NewRegister(db_path, register, recovery_key)
    register.close()
