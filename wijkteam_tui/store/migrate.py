"""The register's structure: the Alembic migrations, their revisions, and bringing a local
register up to date with a checked backup copy first (a team server's: store/server/setup.py).

Alembic is imported only when a register's structure must change: a register at HEAD_REVISION
opens without loading it or reading the migration scripts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from wijkteam_tui.errors import MigrationError
from wijkteam_tui.store import files
from wijkteam_tui.store.sqlite.connection import copy_database, integrity_problems
from wijkteam_tui.store.transactions import BEGIN_OPTION

if TYPE_CHECKING:  # Alembic is imported only when a register's structure must change
    from alembic.config import Config
    from alembic.script import ScriptDirectory

#: The Alembic migrations: `migrations/` at the project's root, where `alembic.ini` finds them;
#: an installed wheel carries the folder inside the package (pyproject.toml maps it there).
_PACKAGED_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
MIGRATIONS_DIR = (
    _PACKAGED_MIGRATIONS
    if (_PACKAGED_MIGRATIONS / "env.py").is_file()
    else Path(__file__).resolve().parent.parent.parent / "migrations"
)
#: The newest revision in `migrations/versions` (a test keeps the two in step). A register at
#: this revision opens without loading Alembic or reading the migration scripts: a command
#: such as `wijkteam overdue` starts that much faster.
HEAD_REVISION = "0038"


@dataclass(frozen=True)
class MigrationReport:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None


def migration_config(script_location: Path | None = None) -> Config:
    """An Alembic configuration pointing at our migrations (or a test's own copy)."""
    # Lazy: Alembic loads only when the structure is looked at.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(script_location or MIGRATIONS_DIR))
    return cfg


def head_revision(script_location: Path | None = None) -> str:
    # Lazy: Alembic loads only when the structure is looked at.
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(migration_config(script_location)).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    # Lazy: Alembic loads only when the structure is looked at.
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def stored_revision(engine: Engine) -> str | None:
    """The register's revision, read without Alembic (None for a register being made)."""
    try:
        with engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    except DBAPIError:
        return None
    return None if row is None else str(row[0])


def run_alembic(engine: Engine, cfg: Config, action: Any, *args: Any) -> None:
    """Run an Alembic command over the keyed connection inside one write transaction."""
    with (
        engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).connect() as conn,
        conn.begin(),
    ):
        run_alembic_on(conn, cfg, action, *args)


def run_alembic_on(conn: Connection, cfg: Config, action: Any, *args: Any) -> None:
    """Run an Alembic command on `conn`, inside the transaction it is in."""
    cfg.attributes["connection"] = conn
    action(cfg, *args)


def run_migrations(
    engine: Engine, path: Path, db_key: bytes, script_location: Path | None
) -> MigrationReport | None:
    if script_location is None and stored_revision(engine) == HEAD_REVISION:
        return None
    # Lazy: Alembic loads only when the structure is looked at.
    from alembic import command

    head = head_revision(script_location)
    before = current_revision(engine)
    if before == head:
        return None
    backup_path = None
    if before is not None:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            problems = integrity_problems(raw)
            if problems:
                raise MigrationError(
                    "Het register is beschadigd en wordt daarom niet bijgewerkt: "
                    f"{problems[0]}. Zet een back-up terug met 'wijkteam restore'."
                )
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            backup_path = path.with_name(f"{path.stem}-voor-bijwerken-{stamp}{path.suffix}")
            copy_database(raw, backup_path, db_key)
    try:
        run_alembic(engine, migration_config(script_location), command.upgrade, "head")
    except Exception as exc:
        after = current_revision(engine)
        if after != before and backup_path is not None:
            engine.dispose()
            restore_file(backup_path, path)
        where = f" De reservekopie staat in {backup_path}." if backup_path else ""
        raise MigrationError(
            f"Het bijwerken van het register naar versie {head} is mislukt ({type(exc).__name__})."
            f" Er is niets gewijzigd: het register werkt zoals voorheen.{where}"
        ) from exc
    return MigrationReport(before, head, backup_path)


def restore_file(copy: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    files.copy_beside(copy, path)


def known(script: ScriptDirectory, revision: str) -> bool:
    return revision in {rev.revision for rev in script.walk_revisions()}
