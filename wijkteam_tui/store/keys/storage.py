"""Where a register's key document is kept: the key file beside a local register.

`register.keys` is written atomically (temp file, fsync, rename) and then copied the same way
to `register.keys.bak`, used when the main file turns out damaged; changes are made under
`register.keys.lock`. A team server keeps its document in a table (`store.server.ServerKeys`),
behind the same `KeyStore` protocol.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    KeyFileError,
)
from wijkteam_tui.store.files import NotAPlainFileError, atomic_write, open_beside, read_beside
from wijkteam_tui.store.keys.keyfile import (
    MAX_KEY_FILE_BYTES,
    OLD_VERSION,
    KeyFile,
    UnusableKeyFile,
    key_document,
    mac_ok,
    parse,
)


def key_file_path(db_path: Path) -> Path:
    """`register.db` → `register.keys`."""
    return db_path.with_name(db_path.stem + ".keys")


def backup_key_file_path(db_path: Path) -> Path:
    """`register.db` → `register.keys.bak`."""
    return db_path.with_name(db_path.stem + ".keys.bak")


@dataclass(frozen=True)
class Login:
    """What a change of the key slots means for a person's login to a team server (their own
    PostgreSQL role: store/server/). A local register has no logins of its own: the key
    file beside it ignores this."""

    user: str
    #: The person's passphrase from now on (new, reset or changed).
    secret: str | None = None
    #: Given when the person is new: teamleiders may add people, medewerkers may not.
    role: Role | None = None
    #: False when the person is switched off.
    active: bool = True


class KeyStore(Protocol):
    """Where a register's key slots are kept: the key file beside a local register
    (`FileKeys`), or a table in a team server's database (`store.server.ServerKeys`)."""

    def current(self) -> KeyFile:
        """The slots as they are kept now (checksum checked; authenticity needs the key)."""
        ...

    def write_new(self, key_file: KeyFile, db_key: bytes) -> int:
        """Keep the slots of a register being made; returns the generation written."""
        ...

    def rewrite(
        self,
        db_key: bytes,
        change: Callable[[KeyFile], KeyFile],
        *,
        login: Login | None = None,
    ) -> tuple[KeyFile, int]:
        """Apply `change` to the slots as they are now, one writer at a time, and keep the
        result (with `login`, on a server, in the same step); returns it and its generation."""
        ...


class FileKeys:
    """The key file beside a local register (`register.keys`, and `register.keys.bak`)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def current(self) -> KeyFile:
        return read_key_file(key_file_path(self.db_path))

    def write_new(self, key_file: KeyFile, db_key: bytes) -> int:
        return write_key_file(self.db_path, key_file, db_key)

    def rewrite(
        self,
        db_key: bytes,
        change: Callable[[KeyFile], KeyFile],
        *,
        login: Login | None = None,
    ) -> tuple[KeyFile, int]:
        # Whoever can read the files beside a local register may open it: no login to change.
        return rewrite_key_file(self.db_path, db_key, change)


def keys_at(where: Path | KeyStore) -> KeyStore:
    """The key store of a local register's path, or the store itself."""
    return FileKeys(where) if isinstance(where, Path) else where


def read_key_file(path: Path) -> KeyFile:
    """Parse a key file and check its checksum (not its MAC: that needs the database key)."""
    key_file, problem = try_load(path)
    if key_file is None:
        raise KeyFileError(f"Het sleutelbestand {path} is {problem}.")
    return key_file


def is_legacy_key_file(db_path: Path) -> bool:
    """Whether the register's key file is of version 1 (to be converted by `db upgrade`)."""
    return try_load(key_file_path(db_path))[1] == OLD_VERSION


def key_file_problem(path: Path, db_key: bytes, register_id: str) -> str | None:
    """What is wrong with the key file at `path` as a key file of this register (a Dutch
    phrase), or None when it is sound: readable, intact, of this register and authentic."""
    key_file, problem = try_load(path)
    if key_file is None:
        return problem
    if key_file.register_id != register_id:
        return "van een ander register"
    if not file_mac_ok(path, db_key):
        return "gewijzigd buiten wijkteam om"
    return None


def write_key_file(db_path: Path, key_file: KeyFile, db_key: bytes) -> int:
    """Write the key file and then its backup copy, each atomically, one generation on from
    both this one and the one on disk (generations only go up); returns the new generation."""
    on_disk, _problem = try_load(key_file_path(db_path))
    newest = max(key_file.generation, on_disk.generation if on_disk else 0)
    key_file = key_file.with_extra(generation=newest + 1)
    data = key_document(key_file, db_key)
    atomic_write(key_file_path(db_path), data)
    atomic_write(backup_key_file_path(db_path), data)
    return newest + 1


def key_lock_path(db_path: Path) -> Path:
    """`register.db` → `register.keys.lock`: held while the key file is read and rewritten."""
    return db_path.with_name(db_path.stem + ".keys.lock")


@contextmanager
def key_file_locked(db_path: Path) -> Iterator[None]:
    """Exclusive: one process at a time reads, changes and writes the key file (two people
    changing it at once would otherwise each write over the other's change)."""
    fd = open_beside(key_lock_path(db_path), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # lets go of the lock


def rewrite_key_file(
    db_path: Path, db_key: bytes, change: Callable[[KeyFile], KeyFile]
) -> tuple[KeyFile, int]:
    """Apply `change` to the key file as it is on disk now (not as it was when it was
    unlocked), under the lock, and write it; returns the new file and its generation."""
    with key_file_locked(db_path):
        current, problem = try_load(key_file_path(db_path))
        if current is None or not file_mac_ok(key_file_path(db_path), db_key):
            raise KeyFileError(
                f"Het sleutelbestand is {problem or 'gewijzigd buiten wijkteam om'}; er is niets"
                " gewijzigd. Open het register eerst gewoon (de reservekopie wordt dan gebruikt)."
            )
        changed = change(current)
        generation = write_key_file(db_path, changed, db_key)
    return changed.with_extra(generation=generation), generation


def try_load(path: Path) -> tuple[KeyFile | None, str | None]:
    """(key file, None) or (None, a Dutch description of what is wrong with it)."""
    try:
        return parse(_read_limited(path)), None
    except UnusableKeyFile as unusable:
        return None, unusable.reason


def _read_limited(path: Path) -> bytes:
    try:
        raw = read_beside(path, MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise UnusableKeyFile("niet gevonden") from None
    except NotAPlainFileError:
        # Not read through: its backup copy is used, and the repair replaces the link itself.
        raise UnusableKeyFile("geen gewoon bestand (een symbolische koppeling?)") from None
    except OSError:
        raise UnusableKeyFile("niet leesbaar") from None
    if len(raw) > MAX_KEY_FILE_BYTES:
        raise UnusableKeyFile("te groot voor een sleutelbestand")
    return raw


def file_mac_ok(path: Path, db_key: bytes) -> bool:
    try:
        raw = read_beside(path)
    except (OSError, NotAPlainFileError):
        return False
    return mac_ok(raw, db_key)
