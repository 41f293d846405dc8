from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister, parametrise_backends
from tests.helpers import make_client
from wijkteam_tui.store.address import Location

WRITER = Path(__file__).with_name("writer.py")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The reliability tests about concurrency, crashes and the clock run on both backends;
    those about files, SQLCipher and the terminal are marked local_only."""
    parametrise_backends(metafunc)


@pytest.fixture
def shared_register(new_register: NewRegister) -> Location:
    """A closed register holding the shared counter client."""
    with new_register.register.write() as session:
        session.add(make_client("SHARED", "Gedeelde teller", house_number="0"))
    new_register.register.close()
    return new_register.path


def start_writer(db: Location, tag: str, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "WIJKTEAM_KDF": "test"}
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), "anna", PASSPHRASE, tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
