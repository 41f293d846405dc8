"""An open register with teamleider anna, for the export tests."""

from __future__ import annotations

import pytest

from tests.conftest import NewRegister


@pytest.fixture
def register(new_register: NewRegister):
    return new_register.register
