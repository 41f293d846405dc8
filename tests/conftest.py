"""Shared fixtures. The suite runs with the one documented test setting, WIJKTEAM_KDF=test
(very light Argon2id for new key slots); tests that need production parameters unset it."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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
# What people saw of registers (store/last_seen.py) is never kept in the real state folder:
# this one serves registers made before a test starts (session fixtures); each test gets its
# own (`own_state_folder`).
_STATE = tempfile.mkdtemp(prefix="wijkteam-state-")
atexit.register(shutil.rmtree, _STATE, True)
os.environ["XDG_STATE_HOME"] = _STATE
os.environ["WIJKTEAM_STATE_DIR"] = os.path.join(_STATE, "wijkteam")

from tests import pg  # noqa: E402

# Hypothesis: no per-example deadline and no "too slow" check. A loaded CI machine is slow;
# how fast the code is, is measured in benchmarks/, not here.
settings.register_profile("wijkteam", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("wijkteam")
from wijkteam_tui.store import keys as crypto  # noqa: E402
from wijkteam_tui.store.address import Location, server_address  # noqa: E402
from wijkteam_tui.store.keys import Unlocked  # noqa: E402
from wijkteam_tui.store.opening import create_register  # noqa: E402
from wijkteam_tui.store.register import Register  # noqa: E402
from wijkteam_tui.store.server import signin  # noqa: E402

PASSPHRASE = "correct paard batterij"
#: The two places a register can be: a SQLCipher file here, or a PostgreSQL server.
BACKENDS = ("sqlite", "postgresql")


@dataclass
class NewRegister:
    #: The register's location: a path (sqlite) or a server address (postgresql).
    path: Location
    register: Register
    recovery_key: str


def unlock_as(
    location: Location, user: str, passphrase: str, *, one_time_ok: bool = False
) -> Unlocked:
    """Open `user`'s key slot (signing in, on a server) without opening the register."""
    if isinstance(location, Path):
        return crypto.unlock(location, user, passphrase, one_time_ok=one_time_ok)
    engine, _keys, unlocked = signin.unlock(location, user, passphrase, one_time_ok=one_time_ok)
    engine.dispose()
    return unlocked


def execute_raw(register: Register, *statements: str) -> None:
    """Change the database behind the program's back, as someone who holds it could: the
    owner of a local file; on a server its superuser (no colleague's login may change the
    audit log or the structure at all: tests/store/test_server.py)."""
    if register.server is not None:
        with pg.cluster_of(register.server.url).superuser(register.server.database) as admin:
            for statement in statements:
                admin.execute(statement)
        return
    with register.raw() as raw:
        for statement in statements:
            raw.execute(statement)


@pytest.fixture(autouse=True)
def own_state_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """What each person last saw of a register (store/last_seen.py) is kept in a folder of
    the test's own, also by the program run as a separate process: that one is given a clean
    environment without WIJKTEAM_ variables, and finds the same folder through platformdirs."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setenv("WIJKTEAM_STATE_DIR", str(state / "wijkteam"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "team" / "register.db"


def parametrise_backends(metafunc: pytest.Metafunc) -> None:
    """Run each test that uses a register on both backends, unless it is about what only a
    local register has (`pytest.mark.local_only`) or its module chose (a `backend` fixture)."""
    both = not metafunc.definition.get_closest_marker("local_only")
    if "backend" in metafunc.fixturenames and both and not hasattr(metafunc.module, "backend"):
        metafunc.parametrize("backend", BACKENDS)


@pytest.fixture
def backend() -> str:
    """Where `new_register` makes its register: a local file, unless the tests of a folder
    run on both backends (tests/store/conftest.py)."""
    return "sqlite"


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg.Cluster]:
    """A real PostgreSQL server for this test process, started in a temporary folder; without
    PostgreSQL installed the tests that need it are skipped, saying how to bring it."""
    if not pg.available():
        pytest.skip(pg.MISSING)
    cluster = pg.start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def server_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty database on the test server, prepared as the README tells the operator: its
    address (its set-up role may create roles and owns it; BOOTSTRAP_PASSWORD signs in once)."""
    cluster: pg.Cluster = request.getfixturevalue("postgres")
    database = cluster.new_register_database()
    yield cluster.address(database)
    cluster.drop(database)


@pytest.fixture
def register_location(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Location:
    if backend == "postgresql":
        return server_address(request.getfixturevalue("server_database"))
    return db_path


@pytest.fixture
def new_register(register_location: Location) -> Iterator[NewRegister]:
    """A fresh register with teamleider 'anna', open (on the test's backend)."""
    register, recovery_key = create_register(
        register_location,
        "anna",
        PASSPHRASE,
        team_name="Wijkteam Testwijk",
        server_password=pg.BOOTSTRAP_PASSWORD,
    )
    yield NewRegister(register_location, register, recovery_key)
    register.close()
