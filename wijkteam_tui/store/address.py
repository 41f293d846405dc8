"""Where a register is: a file on this computer, or a database on a team server.

`--db` (or $WIJKTEAM_DB) is a path for a local register and a `postgresql://host/database`
address for a register on a PostgreSQL server (store/server/). A server on another machine is
reached only over TLS with a verified certificate (`sslmode=verify-full`); over the local socket
or loopback the connection never leaves this computer, so there it may go without TLS.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wijkteam_tui.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

SCHEMES = ("postgresql://", "postgres://")
#: The one sslmode accepted for a server that is not this computer.
VERIFIED_TLS = "verify-full"
#: PostgreSQL cuts longer role names off, which could make two logins one.
MAX_ROLE_BYTES = 63
_PARAMETERS = {"sslmode", "sslrootcert", "sslcert", "sslkey", "host", "port", "connect_timeout"}


@dataclass(frozen=True)
class ServerAddress:
    """A register on a PostgreSQL server: the address without user or password (every person
    signs in as their own role, with a password derived from their passphrase)."""

    url: URL

    @property
    def database(self) -> str:
        return str(self.url.database)

    @property
    def team_role(self) -> str:
        """The role whose rights everyone has: read and change the register's rows, only add
        to its audit log."""
        return f"{self.database}_team"

    @property
    def lead_role(self) -> str:
        """The teamleiders' role: the team's rights, reading the audit log, and the functions
        that add, reset and switch off colleagues."""
        return f"{self.database}_lead"

    @property
    def owner_role(self) -> str:
        """The role that owns the schema, its tables and its functions: nobody logs in as it
        and no colleague is a member of it (only the operator's set-up role is)."""
        return f"{self.database}_owner"

    @property
    def setup_role(self) -> str:
        """The operator's role that makes the register and brings its structure up to date:
        `$PGUSER`, else `<database>_beheer` (README, "A team on a PostgreSQL server")."""
        return os.environ.get("PGUSER") or f"{self.database}_beheer"

    def login_role(self, user: str) -> str:
        """The PostgreSQL role `user` signs in as: `<user>@<database>`, so that user names
        are per register (anna may be in two registers on one server) and one register's
        logins are recognisably its own."""
        role = f"{user}@{self.database}"
        if len(role.encode("utf-8")) > MAX_ROLE_BYTES:
            raise UsageError(
                f"De gebruikersnaam '{user}' is te lang voor het register {self}: met de naam"
                f" van de database erbij mag die samen {MAX_ROLE_BYTES} tekens zijn."
            )
        return role

    def __str__(self) -> str:
        hosts = self.url.host or self.url.query.get("host") or "lokale socket"
        port = f":{self.url.port}" if self.url.port else ""
        return f"postgresql://{hosts}{port}/{self.database}"


Location = Path | ServerAddress


def is_server(text: str) -> bool:
    return text.strip().lower().startswith(SCHEMES)


def location(text: str) -> Location:
    """A path, or a server address checked by `server_address`."""
    return server_address(text) if is_server(text) else Path(text).expanduser()


def server_address(text: str) -> ServerAddress:
    """The server address in `text`, refused (UsageError, in Dutch) when it would send the
    register over the network without a verified TLS connection, or carries a password."""
    # Lazy: SQLAlchemy only once a server address is used; a path is all the unlock screen
    # needs before its first frame.
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text.strip())
    except ArgumentError:
        raise UsageError(
            f"'{text}' is geen geldig serveradres (postgresql://server/database)."
        ) from None
    if url.password is not None:
        raise UsageError(
            "Zet geen wachtwoord in het serveradres: wijkteam leidt het wachtwoord van de"
            " databaserol af van uw eigen wachtwoord."
        )
    if not url.database:
        raise UsageError(f"In '{text}' ontbreekt de database (postgresql://server/database).")
    unknown = set(url.query) - _PARAMETERS
    if unknown:
        raise UsageError(
            f"Onbekende instelling in het serveradres: {', '.join(sorted(unknown))}."
            f" wijkteam kent {', '.join(sorted(_PARAMETERS))}."
        )
    url = url.set(drivername="postgresql+psycopg", username=None)
    hosts = _hosts(url)
    if not all(_on_this_computer(host) for host in hosts):
        # An sslmode in the address overrides $PGSSLMODE; without one the rule adds the only
        # mode accepted, so the environment cannot weaken it.
        mode = url.query.get("sslmode")
        if mode is None:
            url = url.update_query_dict({"sslmode": VERIFIED_TLS})
        elif mode != VERIFIED_TLS:
            raise UsageError(
                f"De server {', '.join(hosts)} staat niet op deze computer: wijkteam verbindt"
                f" daar alleen via TLS met een gecontroleerd certificaat (sslmode={VERIFIED_TLS}),"
                f" niet met sslmode={mode}. Er is geen verbinding gemaakt."
            )
    return ServerAddress(url)


def _hosts(url: URL) -> list[str]:
    """Every host the connection will go to, as libpq resolves it: the URL's host or `?host=`
    (a socket folder or names), else what the environment gives libpq ($PGHOST, $PGHOSTADDR,
    a service from $PGSERVICE), else the local socket."""
    named = url.query.get("host")
    extra = [named] if isinstance(named, str) else list(named or ())
    hosts = [h for part in [url.host or "", *extra] for h in part.split(",") if h]
    if hosts:
        return hosts
    defaults = _libpq_defaults()
    if defaults.get("service"):
        # A service file may name any host and sslmode: refused rather than guessed at.
        raise UsageError(
            "Een PostgreSQL-service ($PGSERVICE) kan wijkteam niet controleren: zet de server"
            " in het adres (postgresql://server/database). Er is geen verbinding gemaakt."
        )
    found = [h for key in ("host", "hostaddr") for h in (defaults.get(key) or "").split(",") if h]
    return found or [""]  # libpq's default: the local socket


def _libpq_defaults() -> dict[str, str | None]:
    """libpq's own defaults for a connection, the environment's $PG… variables included."""
    from psycopg import pq  # Lazy: psycopg only once a server address is used

    return {
        item.keyword.decode(): item.val.decode() if item.val is not None else None
        for item in pq.Conninfo.get_defaults()
    }


def _on_this_computer(host: str) -> bool:
    """A local socket (no host, or a folder), `localhost` or a loopback address."""
    if not host or host.startswith("/") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
