from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import make_client

WRITER = Path(__file__).with_name("writer.py")


@pytest.fixture
def shared_register(new_register: NewRegister) -> Path:
    """A closed register holding the shared counter client."""
    with new_register.register.write() as session:
        session.add(make_client("SHARED", "Gedeelde teller", house_number="0"))
    new_register.register.close()
    return new_register.path


def start_writer(db: Path, tag: str, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "WIJKTEAM_KDF": "test"}
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), "anna", PASSPHRASE, tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
