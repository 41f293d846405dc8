"""Fixtures of the store tests: an open register with teamleider anna, a client with a
neighbour who visits, and a second user (medewerker bram).

Every store test that uses a register runs twice: on a local SQLCipher file and on a real
PostgreSQL server (tests/pg.py), unless its module is about what only a local register has
(`pytestmark = pytest.mark.local_only`: the key file, files beside it, SQLCipher itself).

`accounts` and `shared` are the real Unix accounts and the register they share on one host
(tests/accounts.py), for test_shared_host.py and test_planted_files.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.accounts import (
    ANNA,
    BRAM,
    CEM,
    GROUP,
    Account,
    can_make_accounts,
    make_accounts,
    passable_folder,
)
from tests.conftest import NewRegister, parametrise_backends
from tests.helpers import run_cli
from wijkteam_tui.domain.terms import Channel, MemberKind, Role
from wijkteam_tui.store import services
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.users import add_user


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrise_backends(metafunc)


TODAY = date(2026, 11, 22)
OPENED = date(2026, 9, 1)


@pytest.fixture
def register(new_register: NewRegister):
    return new_register.register


@pytest.fixture
def fatima(register):
    client = services.create_client(
        register,
        ClientInput(
            name="Fatima El Amrani",
            opened_on=OPENED,
            casemanager_id=register.user.id,
            street="Vlierhof",
            house_number="12",
        ),
        TODAY,
    )
    neighbour = services.add_member(
        register,
        client.id,
        MemberInput(
            name="Ayşe Yılmaz", kind=MemberKind.INFORMAL, relation="buurvrouw", supports="PG"
        ),
        TODAY,
    )
    visit = services.add_agreement(
        register,
        client.id,
        AgreementInput(
            channel=Channel.VISIT, start_on=OPENED, member_id=neighbour.id, interval_days=14
        ),
        TODAY,
    )
    return client, neighbour, visit


@pytest.fixture
def bram(new_register):
    """A second user of the same register: a medewerker."""
    add_user(new_register.register, "bram", Role.MEDEWERKER, passphrase="bram zijn wachtwoord")
    opened = open_register(new_register.path, "bram", "bram zijn wachtwoord")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def accounts() -> dict[str, Account]:
    reason = can_make_accounts()
    if reason:
        pytest.skip(reason)
    return make_accounts()


@pytest.fixture
def shared(accounts) -> Iterator[Path]:
    """A register made with `wijkteam init --group`, with medewerkers bram and cem."""
    with passable_folder() as folder:
        path = folder / "zuid" / "register.db"
        made = run_cli(
            "init", "--db", str(path), "--user", "anna", "--group", GROUP,
            env={"WIJKTEAM_PASSPHRASE": ANNA},
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        assert f"Gedeeld met de groep '{GROUP}'" in made.stdout
        register = open_register(path, "anna", ANNA)
        try:
            add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
            add_user(register, "cem", Role.MEDEWERKER, passphrase=CEM)
        finally:
            register.close()
        yield path
