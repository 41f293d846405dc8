"""Storage benchmark: unlock time and the cost of encryption.

- unlock: opening a user's key slot with the production Argon2id parameters, and opening the
  whole register (unlock + keyed connection + schema check);
- a 50,000-row insert (one transaction, like an import) and 10,000 indexed look-ups (one per
  query, like a screen opening clients), each on an encrypted register and on a plain SQLite
  file written by the same library without a key: the ratio is the price of encryption;
- the same look-ups on a new connection, first with the file in the operating system's page
  cache (every page decrypted once more) and then with it dropped from there (`posix_fadvise`
  DONTNEED: every page read from the disk first, as on the first opening of a day).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from benchmarks.results_file import save_section
from benchmarks.smoke import scaled
from wijkteam_tui.store.keys.primitives import KDF_PROFILE_ENV
from wijkteam_tui.store.keys.unlock import unlock
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.sqlite.connection import CACHE_KIB, connect_keyed

ROWS = 50_000
LOOKUPS = 10_000
PASSPHRASE = "benchmark wachtwoord"


def _plain(path: Path) -> Any:
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # the same cache as the encrypted side
    return conn


def _rows() -> list[tuple[Any, ...]]:
    rng = random.Random(7)
    streets = ["Kerkpad", "Lindelaan", "Molenweg", "Schoolstraat", "Vlierhof"]
    return [
        (
            f"{100000 + i}",
            f"Bewoner {i}",
            f"{rng.choice(streets)}",
            f"{rng.randint(1, 200)}",
            "intensief",
            "wmo",
            "In mijn eigen woorden: " + "x" * rng.randint(20, 200),
            "2026-01-05",
            "2026-01-05 09:00:00",
            "2026-01-05 09:00:00",
        )
        for i in range(scaled(ROWS, 300))
    ]


_INSERT = (
    "INSERT INTO clients (number, name, street, house_number, phase, regime, own_words,"
    " opened_on, created_at, updated_at, postcode, city, phone, strengths, meaningful, version)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', '', '', 1)"
)


def _numbers(seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"{100000 + rng.randrange(scaled(ROWS, 300))}" for _ in range(scaled(LOOKUPS, 100))]


def _lookups(conn: Any, numbers: list[str]) -> float:
    started = time.perf_counter()
    for number in numbers:
        conn.execute("SELECT id, name, street FROM clients WHERE number = ?", (number,)).fetchone()
    return time.perf_counter() - started


def _drop_from_page_cache(path: Path) -> None:
    """Ask the kernel to forget the file's cached pages (they are clean: written and synced),
    so that the next read comes from the disk."""
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            fd = os.open(file, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _first_reads(path: Path, connect: Callable[[Path], Any]) -> tuple[float, float]:
    """The look-ups on a new connection: (file in the page cache, file dropped from it)."""
    conn = connect(path)
    cached = _lookups(conn, _numbers(13))
    conn.close()
    _drop_from_page_cache(path)
    conn = connect(path)
    cold = _lookups(conn, _numbers(17))
    conn.close()
    return cached, cold


def _insert_and_lookup(conn: Any) -> tuple[float, float]:
    rows = _rows()
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(_INSERT, rows)
    conn.execute("COMMIT")
    insert_seconds = time.perf_counter() - started
    return insert_seconds, _lookups(conn, _numbers(11))


def _median(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(repeat: int = 3) -> dict[str, Any]:
    os.environ.pop(KDF_PROFILE_ENV, None)  # production parameters
    with tempfile.TemporaryDirectory(prefix="wijkteam-bench-") as tmp:
        db = Path(tmp) / "encrypted" / "register.db"
        register, _ = create_register(db, "bench", PASSPHRASE)
        register.close()
        unlock_time = _median(lambda: unlock(db, "bench", PASSPHRASE), 5)
        open_whole = _median(lambda: open_register(db, "bench", PASSPHRASE).close(), 3)
        key = unlock(db, "bench", PASSPHRASE).db_key

        plain_db = Path(tmp) / "plain.db"
        schema = [
            row[0]
            for row in connect_keyed(db, key)
            .execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
                # The search index's own tables: its CREATE VIRTUAL TABLE makes them.
                " AND name NOT LIKE 'client_search_%'"
            )
            .fetchall()
        ]
        results: dict[str, list[float]] = {
            "enc_insert": [],
            "enc_lookup": [],
            "plain_insert": [],
            "plain_lookup": [],
            "enc_new": [],
            "enc_cold": [],
            "plain_new": [],
            "plain_cold": [],
        }
        for attempt in range(repeat):
            enc_path = Path(tmp) / f"enc{attempt}.db"
            plain_path = plain_db.with_name(f"plain{attempt}.db")
            enc = connect_keyed(enc_path, key, new=True)
            plain = _plain(plain_path)
            for conn in (enc, plain):
                for statement in schema:
                    conn.execute(statement)
            ins, look = _insert_and_lookup(enc)
            results["enc_insert"].append(ins)
            results["enc_lookup"].append(look)
            ins, look = _insert_and_lookup(plain)
            results["plain_insert"].append(ins)
            results["plain_lookup"].append(look)
            enc.close()
            plain.close()
            for name, path, connect in (
                ("enc", enc_path, lambda p: connect_keyed(p, key)),
                ("plain", plain_path, _plain),
            ):
                cached, cold = _first_reads(path, connect)
                results[f"{name}_new"].append(cached)
                results[f"{name}_cold"].append(cold)
    med = {k: statistics.median(v) for k, v in results.items()}
    return {
        "unlock_seconds": round(unlock_time, 3),
        "open_register_seconds": round(open_whole, 3),
        "insert_50000_encrypted_seconds": round(med["enc_insert"], 3),
        "insert_50000_plain_seconds": round(med["plain_insert"], 3),
        "insert_ratio": round(med["enc_insert"] / med["plain_insert"], 2),
        "lookup_10000_encrypted_seconds": round(med["enc_lookup"], 3),
        "lookup_10000_plain_seconds": round(med["plain_lookup"], 3),
        "lookup_ratio": round(med["enc_lookup"] / med["plain_lookup"], 2),
        "lookup_new_connection_encrypted_seconds": round(med["enc_new"], 3),
        "lookup_new_connection_plain_seconds": round(med["plain_new"], 3),
        "lookup_new_connection_ratio": round(med["enc_new"] / med["plain_new"], 2),
        "lookup_cold_encrypted_seconds": round(med["enc_cold"], 3),
        "lookup_cold_plain_seconds": round(med["plain_cold"], 3),
        "lookup_cold_ratio": round(med["enc_cold"] / med["plain_cold"], 2),
    }


def main() -> None:
    figures = run()
    print("Opslag (versleuteld register)")
    print(f"  ontgrendelen (Argon2id, productie)   {figures['unlock_seconds']:.3f} s")
    print(f"  register openen (alles)              {figures['open_register_seconds']:.3f} s")
    print(
        f"  50.000 rijen invoegen                {figures['insert_50000_encrypted_seconds']:.3f} s"
        f" versleuteld / {figures['insert_50000_plain_seconds']:.3f} s onversleuteld"
        f" = {figures['insert_ratio']:.2f}x"
    )
    print(
        f"  10.000 opzoekingen                   {figures['lookup_10000_encrypted_seconds']:.3f} s"
        f" versleuteld / {figures['lookup_10000_plain_seconds']:.3f} s onversleuteld"
        f" = {figures['lookup_ratio']:.2f}x"
    )
    for label, key in (("nieuwe verbinding", "new_connection"), ("koud (van schijf)", "cold")):
        print(
            f"  10.000 opzoekingen, {label:<17} {figures[f'lookup_{key}_encrypted_seconds']:.3f} s"
            f" versleuteld / {figures[f'lookup_{key}_plain_seconds']:.3f} s onversleuteld"
            f" = {figures[f'lookup_{key}_ratio']:.2f}x"
        )
    save_section("storage", figures)


if __name__ == "__main__":
    main()
