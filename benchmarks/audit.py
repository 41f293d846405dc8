"""Audit benchmark.

- The audit log's overhead on logging a contact: `log_contact` with the log on and with its
  session hooks taken off, in alternating blocks of one run, medians in ms.
- `audit verify` over 1,000,000 events (a chain built directly in the table), in seconds.
- A year of daily lists (`wijkteam overdue` at 20,000 clients names about 5,700 of them each
  time): logging the first 10 and the last 10 of 365 such list events, medians in ms, and
  finding the lists that named one client (its inzage) after them, in ms.
- Erasing a client with 15 network members and two years of weekly contacts on two
  agreements, in a register of 2,000 generated clients, in seconds (median of 3).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.results_file import save_section
from benchmarks.smoke import scaled
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome
from wijkteam_tui.store.audit import chain, lists, log
from wijkteam_tui.store.audit.lists import listed
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.agreements import add_agreement
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.contacts import log_contact
from wijkteam_tui.store.write.network import add_member

TODAY = date(2026, 11, 22)
TARGETS = {"contact_overhead_percent": 25, "verify_1m_seconds": 10, "erase_seconds": 1}
#: A list event of `overdue` at 20,000 clients, once a day for a year.
LIST_CLIENTS, LIST_DAYS, LIST_IDS = 5_742, 365, 20_000
EVENTS = 1_000_000


def _hooks(register: Register, on: bool) -> None:
    sessions = register._write_sessions
    for name, hook in (("after_flush", chain._collect), ("before_commit", chain._append)):
        if on and not event.contains(sessions, name, hook):
            event.listen(sessions, name, hook)
        if not on and event.contains(sessions, name, hook):
            event.remove(sessions, name, hook)


def _contact_overhead(register: Register) -> dict[str, float]:
    client = create_client(register, ClientInput("Truus Smit", date(2026, 1, 5)), TODAY).id
    member = add_member(
        register, client, MemberInput("Fenna de Vries", MemberKind.INFORMAL, relation="buur"), TODAY
    ).id
    agreement = add_agreement(
        register,
        client,
        AgreementInput(Channel.VISIT, date(2026, 1, 5), member_id=member, interval_days=7),
        TODAY,
    ).id
    timings: dict[bool, list[float]] = {True: [], False: []}
    day = date(2026, 1, 6)
    for block in range(12):
        on = block % 2 == 0
        _hooks(register, on)
        for _ in range(25):
            day += timedelta(days=1)
            data = ContactInput(client, day, Channel.VISIT, Outcome.GOOD, agreement, member)
            started = time.perf_counter()
            log_contact(register, data, TODAY)
            timings[on].append((time.perf_counter() - started) * 1000)
    _hooks(register, True)
    with_log, without = statistics.median(timings[True]), statistics.median(timings[False])
    return {
        "contact_with_log_ms": round(with_log, 2),
        "contact_without_log_ms": round(without, 2),
        "contact_overhead_percent": round((with_log / without - 1) * 100, 1),
    }


def _fill(register: Register, count: int) -> float:
    """`count` more events, chained on from the newest; returns the seconds it took."""
    started = time.perf_counter()
    key = register.audit_key
    with register.read() as session:
        newest = chain.head(session)
    seq, previous = (newest[0], bytes.fromhex(newest[1])) if newest else (0, chain.GENESIS)
    at = datetime(2021, 11, 22, 9, 0)
    columns = [c.key for c in chain.COLUMNS]
    placeholders = ", ".join("?" * len(columns))
    statement = f"INSERT INTO audit_events ({', '.join(columns)}) VALUES ({placeholders})"
    with register.raw() as raw:
        batch: list[tuple[Any, ...]] = []
        for n in range(count):
            seq += 1
            row = {
                "seq": seq,
                "at": at + timedelta(seconds=n * 150),
                "user_name": f"medewerker{n % 20}",
                "role": "medewerker",
                "code": "C" if n % 3 else "R",
                "action": "create" if n % 3 else "read",
                "object_type": "contact_moments" if n % 3 else "clients",
                "object_id": str(n),
                "client_id": n % 20_000,
                "client_number": str(100_000 + n % 20_000),
                "outcome": "ok",
                "detail": "" if n % 3 else "velden: next_due",
            }
            previous = chain.chain_mac(key, previous, row)
            row["mac"] = previous.hex()
            row["at"] = row["at"].strftime("%Y-%m-%d %H:%M:%S.000000")
            batch.append(tuple(row[c] for c in columns))
            if len(batch) == 50_000:
                raw.execute("BEGIN IMMEDIATE")
                raw.executemany(statement, batch)
                raw.execute("COMMIT")
                batch.clear()
        if batch:
            raw.execute("BEGIN IMMEDIATE")
            raw.executemany(statement, batch)
            raw.execute("COMMIT")
    return time.perf_counter() - started


def _heavy_client(register: Register, name: str) -> tuple[int, str]:
    opened = date(2024, 11, 1)
    made = create_client(register, ClientInput(name, opened), TODAY)
    for i in range(15):
        member = add_member(
            register,
            made.id,
            MemberInput(f"Lid {i} van {name}", MemberKind.INFORMAL, relation="buur",
                        phone=f"06 1234 56{i:02d}"),
            TODAY,
        ).id  # fmt: skip
        if i < 2:
            agreement = add_agreement(
                register,
                made.id,
                AgreementInput(Channel.VISIT, opened, member_id=member, interval_days=7),
                TODAY,
            ).id
            day = opened
            while day < TODAY:
                log_contact(
                    register,
                    ContactInput(made.id, day, Channel.VISIT, Outcome.GOOD, agreement, member,
                                 "Samen koffie gedronken."),
                    TODAY,
                )  # fmt: skip
                day += timedelta(days=7)
    return made.id, made.number


def _erasure(tmp: Path) -> dict[str, Any]:
    from wijkteam_tui.store.demo.generator import generate
    from wijkteam_tui.store.erasure import erase_client
    from wijkteam_tui.store.keys.rekey import rekey_after_deactivation

    register, _ = create_register(tmp / "erase.db", "bench", "benchmark wachtwoord", demo=True)
    try:
        generate(register, 2000, TODAY)
        spent, moments = [], 0
        for n in range(3):
            client, number = _heavy_client(register, f"Wis Mij {n}")
            moments = erasure_facts_moments(register, client)
            started = time.perf_counter()
            erase_client(
                register, client, confirm_number=number, reason="Benchmark.",
                override="Benchmark.", today=TODAY,
            )  # fmt: skip
            spent.append(time.perf_counter() - started)
        key = bytes(register.unlocked.db_key)
    finally:
        register.close()
    size_mb = (tmp / "erase.db").stat().st_size / 1e6
    started = time.perf_counter()
    rekey_after_deactivation(tmp / "erase.db", key)
    return {
        "erase_seconds": round(statistics.median(spent), 2),
        "erase_contact_moments": moments,
        # A new database key for the whole 2,000-client register (deactivating a user).
        "rekey_seconds": round(time.perf_counter() - started, 2),
        "rekey_database_mb": round(size_mb, 1),
    }


def erasure_facts_moments(register: Register, client: int) -> int:
    from wijkteam_tui.store.erasure import erasure_facts

    return erasure_facts(register, client, TODAY).contact_moments


def _daily_lists(register: Register) -> dict[str, float]:
    rng = random.Random(27)
    days, size = scaled(LIST_DAYS, 25), scaled(LIST_CLIENTS, 50)
    spent = []
    for _ in range(days):
        named = [(cid, str(100_000 + cid)) for cid in rng.sample(range(1, LIST_IDS), size)]
        started = time.perf_counter()
        log.record(register, listed(named, "lijst te late contactmomenten (json)"))
        spent.append((time.perf_counter() - started) * 1000)
    with register.read_connection() as conn:
        found = []
        for cid in rng.sample(range(1, LIST_IDS), 10):
            started = time.perf_counter()
            lists.naming(conn, client_id=cid)
            found.append((time.perf_counter() - started) * 1000)
    return {
        "list_event_first_10_ms": round(statistics.median(spent[:10]), 1),
        "list_event_last_10_ms": round(statistics.median(spent[-10:]), 1),
        "lists_naming_one_client_ms": round(statistics.median(found), 1),
    }


def run(events: int = EVENTS) -> dict[str, Any]:
    events = scaled(events, 500)
    with tempfile.TemporaryDirectory(prefix="wijkteam-audit-bench-") as tmp:
        register, _ = create_register(Path(tmp) / "register.db", "bench", "benchmark wachtwoord")
        try:
            figures: dict[str, Any] = _contact_overhead(register)
            figures |= _daily_lists(register)
            figures["fill_seconds"] = round(_fill(register, events - log.head_count(register)), 1)
            spent = []
            for _ in range(3):
                started = time.perf_counter()
                verdict = log.verify(register)
                spent.append(time.perf_counter() - started)
                assert verdict.ok, verdict
            figures["verify_events"] = verdict.events
            figures["verify_1m_seconds"] = round(statistics.median(spent), 2)
        finally:
            register.close()
        figures |= _erasure(Path(tmp))
    return figures


def main() -> None:
    print(
        f"Audit (contact vastleggen met en zonder log; audit verify over {EVENTS} gebeurtenissen)"
    )
    figures = run()
    for key, value in figures.items():
        target = TARGETS.get(key)
        print(f"  {key:<28} {value:>10}" + (f"   doel ≤ {target}" if target else ""))
    save_section("audit", figures)
