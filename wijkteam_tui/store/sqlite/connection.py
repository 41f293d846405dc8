"""SQLCipher connections: keying, pragmas, the engine and its transactions, and copies.

Everything SQLite- and SQLCipher-specific about talking to the database lives here, so that the
rest of `store/` runs on a team server (store/server/) with the same models and migrations.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from wijkteam_tui.errors import RegisterError
from wijkteam_tui.store import files
from wijkteam_tui.store.sqlite import faults
from wijkteam_tui.store.transactions import (
    BEGIN_OPTION,
    BUSY_TIMEOUT_MS,
    WAIT_NOTICE_MS,
    WAITING_OPTION,
)

# Decrypted pages kept per connection: SQLCipher decrypts on every cache miss, so a cache that
# holds the working set (agreements, clients, network of a 20,000-client register) keeps reads
# close to plain SQLite. Allocated only as pages are read; the pool keeps connections few.
# 32 MiB: at 48 the whole process peaked at 200 MB (the limit) with the same timings.
CACHE_KIB = 32 * 1024
# The WAL grows while a reader holds an old snapshot (a slow export, a colleague's long query):
# every commit must be kept until that reader is done. Once it is, the automatic checkpoint
# starts the WAL over; this limit then truncates the file, so it does not stay at its peak.
WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024
_SQLITE_BUSY = 5


def connect_keyed(
    path: Path, db_key: bytes, *, wal: bool = True, new: bool = False, read_only: bool = False
) -> sqlcipher.Connection:
    """A SQLCipher connection keyed with the raw database key and set up for safe writing.

    The key is checked by reading the schema before anything is written. Unless the database is
    `new` (being created or copied into), a database without any table is refused: SQLCipher
    accepts any key for an empty file, and setting WAL mode would then write a header to it.
    `read_only` opens it so that nothing in it can change (for `db check`). SQLCipher's own
    logging is switched off before anything else, so it never writes to the terminal.
    """
    target = str(path)
    if read_only:
        # On a location nobody can write (a read-only mount, a folder without write rights)
        # SQLite cannot make the -shm it needs for a WAL database; with no -wal to read, the
        # file cannot change under us there, so it is read as immutable.
        wal_file = path.with_name(path.name + "-wal")
        frozen = not os.access(path.parent, os.W_OK) and not wal_file.exists()
        target = f"file:{path}?{'immutable=1' if frozen else 'mode=ro'}"
    try:
        conn = sqlcipher.connect(
            target,
            uri=read_only,
            isolation_level=None,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
    except sqlcipher.Error as exc:
        raise faults.from_sqlite(exc, path) or faults.no_permission(path) from exc
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{db_key.hex()}'\"")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if not tables and not new:
            raise faults.not_a_register(path, "het bestand bevat geen tabellen")
        if wal and not read_only:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES}").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted rows are overwritten with zeros, not left in free pages (erasure, AVG 17).
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except sqlcipher.Error as exc:
        conn.close()
        raise faults.from_sqlite(exc, path) or faults.damaged(path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


_DAMAGED_PAGE = re.compile(r"page (\d+)")


def integrity_problems(conn: sqlcipher.Connection) -> list[str]:
    """What SQLite and SQLCipher find wrong with a database; empty when it is sound.

    Damaged pages (SQLCipher's check of every page's authentication code) are listed one by
    one; SQLite's own checks run only when every page is intact, since they stop at the first
    page they cannot decrypt."""
    problems = []
    for (row,) in conn.execute("PRAGMA cipher_integrity_check").fetchall()[:50]:
        page = _DAMAGED_PAGE.search(str(row))
        problems.append(f"pagina {page.group(1)} is beschadigd" if page else str(row))
    if problems:
        return problems
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            problems += [f"integrity_check: {row[0]}" for row in rows[:10]]
        problems += [
            f"foreign_key_check: {row[0]} rij {row[1]}"
            for row in conn.execute("PRAGMA foreign_key_check").fetchall()[:10]
        ]
    except sqlcipher.DatabaseError as exc:
        problems.append(f"de structuur is beschadigd ({exc})")
    return problems


def copy_database(source: sqlcipher.Connection, dest_path: Path, db_key: bytes) -> None:
    """Copy an open register to `dest_path`, encrypted with the same key, and check the copy.

    The copy is a single file (rollback journal, no WAL) so that it can be moved as one. It is
    made under a name nobody can guess (files.temporary_beside) and moved into place only while
    that name still leads to it.
    """
    fd, made = files.temporary_beside(dest_path)
    os.close(fd)  # SQLite opens it by its name
    tmp_path = made.path
    try:
        dest = connect_keyed(tmp_path, db_key, wal=False, new=True)
    except BaseException:
        made.remove()
        raise
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE").fetchone()
        problems = integrity_problems(dest)
    except sqlcipher.Error as exc:
        dest.close()
        made.remove()
        # The driver's backup() carries no SQLite error code: ask the disk what it lacks.
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        page_size = source.execute("PRAGMA page_size").fetchone()[0]
        needed = int(pages) * int(page_size)
        raise faults.from_sqlite(exc, tmp_path) or faults.write_failed(dest_path, needed) from exc
    finally:
        dest.close()
    if problems:
        made.remove()
        raise RegisterError(f"De kopie van het register is niet in orde: {problems[0]}")
    try:
        made.move_to(dest_path)
    except BaseException:
        made.remove()
        raise


def keyed_engine(path: Path, db_key: bytes, *, new: bool = False) -> Engine:
    return make_engine(lambda: connect_keyed(path, db_key, new=new))


def make_engine(connect: Callable[[], sqlcipher.Connection]) -> Engine:
    """An engine over connections made by `connect`, with our pool and transaction rules."""
    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher,
        creator=connect,
        poolclass=QueuePool,
        # Few connections: each keeps its own page cache (CACHE_KIB), so memory stays bounded.
        pool_size=2,
        max_overflow=2,
        # Reuse the most recently used connection: its page cache is the warm one.
        pool_use_lifo=True,
        pool_timeout=30,
        hide_parameters=True,
    )
    event.listen(engine, "begin", _begin)
    return engine


def _begin(conn: Connection) -> None:
    # pysqlite's own BEGIN is off (isolation_level=None); we issue ours so that writers take
    # the write lock up front (IMMEDIATE) and wait in busy_timeout instead of failing later.
    options = conn.get_execution_options()
    mode = options.get(BEGIN_OPTION, "DEFERRED")
    waiting = options.get(WAITING_OPTION)
    if mode != "IMMEDIATE" or waiting is None:
        conn.exec_driver_sql(f"BEGIN {mode}")
        return
    # A writer that waits for a colleague's write lock longer than WAIT_NOTICE_MS is told so
    # (the screen or the terminal says it is waiting), then waits out the rest of the timeout.
    raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.execute(f"PRAGMA busy_timeout = {WAIT_NOTICE_MS}")
    try:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlcipher.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF != _SQLITE_BUSY:
                raise
        waiting()
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS - WAIT_NOTICE_MS}")
        raw.execute("BEGIN IMMEDIATE")
    finally:
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
