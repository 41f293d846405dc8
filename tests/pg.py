"""A real PostgreSQL server for the tests: Debian's `postgresql` package, started by the test
set-up itself in a temporary folder (`initdb`, `pg_ctl`), one per test process, listening on
loopback and a socket folder of its own. Run as root (as CI is), the server runs under the
`postgres` account that the package makes; `initdb` refuses root.

Each test gets a database of its own and its first teamleider's role, made the way the README
tells a server's operator to (`new_register_database`), and both are dropped afterwards, with
every role the test's register made."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

SUPERUSER = "postgres"
#: The first teamleider's password as the operator hands it out, used once by `init`.
BOOTSTRAP_PASSWORD = "tijdelijk-van-de-beheerder"


MISSING = (
    "PostgreSQL ontbreekt: de tests draaien ook op een echte PostgreSQL-server. Installeer het"
    " met: sudo apt-get install postgresql (make test doet dat zelf als root)"
)


def available() -> bool:
    """Whether a PostgreSQL server program is installed here."""
    return bool(list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) or shutil.which("initdb"))


def _bin_dir() -> Path:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError(MISSING)


def bundled_bin_dir() -> Path:
    """PostgreSQL 16's binaries as the `pgserver` package bundles them: the team-server tests
    also run there, since CREATEROLE and role grants work differently from 16 on."""
    import importlib.util

    spec = importlib.util.find_spec("pgserver")
    if spec is None or spec.origin is None:
        raise RuntimeError("Het pakket 'pgserver' (PostgreSQL 16 voor de tests) ontbreekt.")
    # Copied to /tmp: the `postgres` account that runs the server may not be able to reach
    # the virtual environment (a checkout under /root).
    # The binaries find their libraries at $ORIGIN/../../../pgserver.libs: both are copied.
    copy = Path(tempfile.gettempdir()) / f"wijkteam-pg16-{os.getuid()}-{os.getpid()}"
    package = Path(spec.origin).parent
    if not copy.exists():
        shutil.copytree(
            package / "pginstall",
            copy / "pgserver" / "pginstall",
            ignore=shutil.ignore_patterns("include", "*.a"),
        )
        shutil.copytree(package.parent / "pgserver.libs", copy / "pgserver.libs")
        for path in (copy, *copy.rglob("*")):
            executable = path.is_dir() or path.parent.name == "bin" or ".so" in path.name
            path.chmod(0o755 if executable else 0o644)
    return copy / "pgserver" / "pginstall" / "bin"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int
    bin_dir: Path
    account: str | None
    #: fsync and synchronous commits as a real server has them (the load benchmark); the
    #: tests go without, which makes no difference to what they check.
    durable: bool = False
    #: TLS with a certificate for `localhost` from a CA of the test's own (`tls_dir/ca.crt`).
    tls: bool = False
    databases: list[str] = field(default_factory=list)
    #: The server's options (`start`), to start it again after `stop_server`.
    options: str = ""

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def _run(self, *command: str) -> None:
        argv = [str(self.bin_dir / command[0]), *command[1:]]
        if self.account:
            argv = ["runuser", "-u", self.account, "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=120, cwd="/")

    def start(self) -> None:
        data = self.folder / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
            " -c max_connections=200"
        )
        if self.tls:
            self._make_certificates()
            options += (
                f" -c ssl=on -c ssl_cert_file={self.tls_dir / 'server.crt'}"
                f" -c ssl_key_file={self.tls_dir / 'server.key'}"
            )
        if self.durable:
            options += " -c shared_buffers=256MB"
        else:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self.options = options
        self.start_server()

    def start_server(self) -> None:
        """Start the server (again, after `stop_server`), with the options it was made with."""
        self._run(
            "pg_ctl", "-D", str(self.folder / "data"), "-o", self.options,
            "-l", str(self.folder / "log"), "-w", "start",
        )  # fmt: skip

    def stop_server(self) -> None:
        """Stop the server as its operator would for a restart (its sessions are ended)."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    @property
    def tls_dir(self) -> Path:
        return self.folder / "tls"

    def _make_certificates(self) -> None:
        """A CA of this test's own and a server certificate it signed for `localhost` only."""
        self.tls_dir.mkdir()
        make_ca(self.tls_dir, "ca")
        ssl = ["openssl"]
        key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        (self.tls_dir / "san.ext").write_text("subjectAltName=DNS:localhost\n")
        run = [
            [*ssl, "req", *key, "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=localhost"],
            [*ssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext"],
        ]  # fmt: skip
        for command in run:
            subprocess.run(command, check=True, capture_output=True, cwd=self.tls_dir)
        if self.account:
            entry = pwd.getpwnam(self.account)
            for path in (self.tls_dir, *self.tls_dir.iterdir()):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        os.chmod(self.tls_dir / "server.key", 0o600)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=SUPERUSER,
            dbname="postgres",
            autocommit=True,
        )

    def address(self, database: str) -> str:
        return f"postgresql://127.0.0.1:{self.port}/{database}"

    def new_register_database(self) -> str:
        """What the operator does for a new register (README): a set-up role `<db>_beheer`
        that may create roles, with a password to use once, and an empty database it owns."""
        database = f"t_{uuid.uuid4().hex[:10]}"
        with self.admin() as admin:
            admin.execute(
                f'CREATE ROLE "{database}_beheer" LOGIN CREATEROLE'
                f" PASSWORD '{BOOTSTRAP_PASSWORD}'"
            )
            admin.execute(f'CREATE DATABASE "{database}" OWNER "{database}_beheer"')
        self.databases.append(database)
        return database

    def give_setup_password(self, database: str, password: str = BOOTSTRAP_PASSWORD) -> None:
        """The operator gives the set-up role a one-time password again (for `db upgrade`)."""
        with self.admin() as admin:
            admin.execute(f"ALTER ROLE \"{database}_beheer\" PASSWORD '{password}'")

    def superuser(self, database: str) -> psycopg.Connection:
        """The server's superuser in `database`: someone who holds the server itself."""
        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=SUPERUSER,
            dbname=database,
            options="-c search_path=wijkteam",
        )

    def drop(self, database: str) -> None:
        """Drop the database and every role its register made (its team role's members)."""
        with self.admin() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (database,),
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            # Every role of this test's register: its set-up role, its three roles and its
            # logins (named after the database; none owns anything once it is gone).
            roles = admin.execute(
                # Logins first, the set-up role last: from PostgreSQL 16 on, a grant made
                # by a role must go before that role.
                "SELECT rolname FROM pg_roles WHERE rolname LIKE %s OR rolname LIKE %s"
                " ORDER BY rolname LIKE '%%@%%' DESC, rolname LIKE '%%\\_owner',"
                " rolname LIKE '%%\\_beheer'",
                (f"{database}\\_%", f"%@{database}"),
            ).fetchall()
            for (role,) in roles:
                admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        if database in self.databases:
            self.databases.remove(database)


def make_ca(folder: Path, name: str) -> Path:
    """A self-signed CA certificate `<name>.crt` (and its key) in `folder`."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.crt", "-days", "2",
         "-subj", f"/CN=wijkteam test {name}"],
        check=True, capture_output=True, cwd=folder,
    )  # fmt: skip
    return folder / f"{name}.crt"


def start_cluster(
    *, durable: bool = False, tls: bool = False, bin_dir: Path | None = None
) -> Cluster:
    """A new server in a folder of its own under /tmp (reachable by the `postgres` account)."""
    account = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            raise RuntimeError(
                "Als root starten de tests PostgreSQL onder het account 'postgres', dat Debian's"
                " pakket 'postgresql' aanmaakt; het ontbreekt."
            ) from None
        account = SUPERUSER
    folder = Path(tempfile.mkdtemp(prefix="wijkteam-pg-", dir="/tmp"))
    (folder / "socket").mkdir()
    if account:
        entry = pwd.getpwnam(account)
        for path in (folder, folder / "socket"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    cluster = Cluster(folder, _free_port(), bin_dir or _bin_dir(), account, durable, tls)
    try:
        cluster.start()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    RUNNING[cluster.port] = cluster
    return cluster


#: The servers this test process started, by port.
RUNNING: dict[int, Cluster] = {}


def cluster_of(url: Any) -> Cluster:
    """The test server a register's address points at."""
    return RUNNING[int(url.port)]
