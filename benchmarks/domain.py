"""Domain benchmark: the operations a team does all day, on registers of growing size.

For 1,000, 5,000 and 20,000 clients (about 3 agreements and 20 contact moments each) it builds
an encrypted register with the generator and times:

- today-list for one medewerker, the team overview (counts per casemanager and the first page
  of 40 overdue follow-ups), client search by name fragment, and
  logging one contact (write + alert re-evaluation);
- each of these through our store on the encrypted register ("ours"), through our store on an
  unencrypted copy of the same data ("plain": the ratio is the price of encryption), and as the
  best hand-written, indexed SQL for the same rows on the encrypted register ("sql": the ratio
  is the price of our code).

Times are medians over repeated runs after a warm-up, in milliseconds.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from benchmarks.results_file import save_section
from wijkteam_tui.domain.terms import Channel, Outcome
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.keys.primitives import KDF_PROFILE_ENV
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.read.today import team_overview, today_list
from wijkteam_tui.store.records import ContactInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sqlite.connection import CACHE_KIB, connect_keyed, make_engine
from wijkteam_tui.store.transactions import BUSY_TIMEOUT_MS
from wijkteam_tui.store.write.contacts import log_contact

TODAY = date(2026, 11, 22)
SIZES = (1000, 5000, 20000)
#: Fragments that match few clients of a generated register or none (a typo, a rare name).
RARE_FRAGMENTS = ("qxz", "wolterz", "9999x", "zyl", "ijsk")
FRAGMENTS = ("jans", "yilm", "el am", "kerkgenoot", "vlierhof", "1001", "de vr", "nguy")
OPERATIONS = ("today_list", "team_overview", "search", "log_contact")
TARGETS_MS = {"today_list": 20, "team_overview": 15, "search": 16, "log_contact": 20}


def rare_search_ms(register: Register) -> dict[str, float]:
    """A fragment that matches few clients or none: what a typo or a rare name costs, the
    median and the slowest of twenty in each hundred (also on a server: benchmarks/load.py)."""
    search_clients(register, RARE_FRAGMENTS[0])  # warm-up
    spent = []
    for fragment in RARE_FRAGMENTS * 20:
        started = time.perf_counter()
        search_clients(register, fragment)
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return {
        "search_rare_median_ms": round(statistics.median(spent), 2),
        "search_rare_p95_ms": round(spent[int(len(spent) * 0.95) - 1], 2),
    }


def _medians_ms(actions: dict[str, Callable[[int], object]], repeat: int) -> dict[str, float]:
    """The median time of each action, run in turn (a, b, c, a, b, c, …) after a warm-up.

    Taking turns gives every variant the same machine: on a shared, noisy machine a block of
    one variant followed by a block of another measures the neighbours as much as the code."""
    for action in actions.values():
        action(0)  # warm-up: statement caches, page cache
    times: dict[str, list[float]] = {name: [] for name in actions}
    for index in range(repeat):
        for name, action in actions.items():
            started = time.perf_counter()
            action(index)
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(spent) for name, spent in times.items()}


def _plain_copy(db: Path, key: bytes, target: Path) -> None:
    conn = connect_keyed(db, key)
    conn.execute(f"ATTACH DATABASE '{target}' AS plain KEY ''")
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    conn.close()
    plain = sqlcipher.connect(str(target))
    plain.execute("ANALYZE")  # the same planner statistics as the encrypted register
    plain.close()


def _plain_connect(path: Path) -> Any:
    conn = sqlcipher.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    for pragma in (
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
        "temp_store = MEMORY",
        f"cache_size = -{CACHE_KIB}",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _plain_register(path: Path, encrypted: Register) -> Register:
    engine = make_engine(lambda: _plain_connect(path))
    return Register(
        path, engine, encrypted.unlocked, encrypted.user, None, audit_key=encrypted.audit_key
    )


# --- hand-written SQL baselines ----------------------------------------------------------------

_SQL_DUE = """
SELECT a.id, c.id, c.number, c.name, m.name, m.relation, u.display_name, a.channel, a.next_due,
       {description}, cm.display_name
FROM contact_agreements a
JOIN clients c ON c.id = a.client_id
LEFT JOIN network_members m ON m.id = a.member_id
LEFT JOIN users u ON u.id = a.user_id
LEFT JOIN users cm ON cm.id = c.casemanager_id
WHERE {where} AND a.active = 1 AND c.phase != 'afgesloten'
  AND (a.snoozed_until IS NULL OR a.snoozed_until < :today)
ORDER BY a.next_due, {order}
"""


def _sql_today(conn: Any, user_id: int) -> list[Any]:
    due = conn.execute(
        _SQL_DUE.format(
            where="c.casemanager_id = :uid AND a.next_due <= :soon",
            description="a.description",
            order="c.name",
        ),
        {"uid": user_id, "today": TODAY.isoformat(), "soon": (TODAY + timedelta(7)).isoformat()},
    ).fetchall()
    alerts = conn.execute(
        "SELECT al.id, c.id, c.number, c.name, al.rule, al.reason, al.raised_on, al.status"
        " FROM alerts al JOIN clients c ON c.id = al.client_id"
        " WHERE c.casemanager_id = ? AND al.status != 'opgelost' ORDER BY al.raised_on, c.name",
        (user_id,),
    ).fetchall()
    out = conn.execute(
        "SELECT c.id, c.number, c.name, c.last_contact_on FROM clients c"
        " WHERE c.casemanager_id = ? AND c.phase != 'afgesloten'"
        " AND COALESCE(c.last_contact_on, c.opened_on) < ?",
        (user_id, (TODAY - timedelta(42)).isoformat()),
    ).fetchall()
    return [due, alerts, out]


def _sql_overdue(conn: Any) -> list[Any]:
    """Every overdue follow-up of the team (`wijkteam overdue`)."""
    return conn.execute(
        _SQL_DUE.format(where="a.next_due < :today", description="''", order="a.id"),
        {"today": TODAY.isoformat()},
    ).fetchall()


def _sql_overview(conn: Any) -> list[Any]:
    """The team overview: the counts per casemanager and the first page of 40."""
    params = {"today": TODAY.isoformat()}
    counts = conn.execute(
        "SELECT a.casemanager_id, count(*)"
        " FROM contact_agreements a"
        " WHERE a.next_due < :today AND a.active = 1"
        " AND (a.snoozed_until IS NULL OR a.snoozed_until < :today)"
        " GROUP BY a.casemanager_id",
        params,
    ).fetchall()
    conn.execute(
        "SELECT id, COALESCE(NULLIF(display_name, ''), name) FROM users"
        f" WHERE id IN ({','.join(str(int(i)) for i, _ in counts if i) or 'NULL'})"
    ).fetchall()
    page = conn.execute(
        _SQL_DUE.format(where="a.next_due < :today", description="''", order="a.id") + " LIMIT 40",
        params,
    ).fetchall()
    return [counts, page]


def _sql_search(conn: Any, fragment: str) -> list[Any]:
    return conn.execute(
        "SELECT c.id, c.number, c.name, c.street, c.house_number, c.phase, u.display_name,"
        " EXISTS (SELECT 1 FROM alerts al WHERE al.client_id = c.id AND al.status != 'opgelost'),"
        " c.search_text LIKE :p AS direct"
        " FROM clients c LEFT JOIN users u ON u.id = c.casemanager_id"
        " WHERE c.search_text LIKE :p OR c.network_search_text LIKE :p"
        " ORDER BY direct DESC, c.name, c.id LIMIT 50",
        {"p": f"%{fragment}%"},
    ).fetchall()


def _sql_log(conn: Any, agreement: tuple[int, int, int | None]) -> None:
    agreement_id, client_id, interval = agreement
    day = TODAY.isoformat()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO contact_moments (client_id, agreement_id, occurred_on, channel, outcome,"
        " note, logged_at, version) VALUES (?, ?, ?, 'telefoon', 'goed', '', ?, 1)",
        (client_id, agreement_id, day, f"{day} 09:00:00"),
    )
    conn.execute(
        "UPDATE contact_agreements SET last_contact_on = ?, next_due = ?, version = version + 1"
        " WHERE id = ?",
        (day, (TODAY + timedelta(days=interval or 7)).isoformat(), agreement_id),
    )
    conn.execute(
        "UPDATE clients SET last_contact_on = ?, next_due = (SELECT min(next_due) FROM"
        " contact_agreements WHERE client_id = ? AND active = 1), version = version + 1"
        " WHERE id = ?",
        (day, client_id, client_id),
    )
    conn.execute("COMMIT")


# --- one size ----------------------------------------------------------------------------------


def measure(clients: int, repeat: int = 30, log=print) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory(prefix="wijkteam-bench-") as tmp:
        db = Path(tmp) / "register.db"
        started = time.perf_counter()
        register, _ = create_register(db, "bench", "benchmark wachtwoord", demo=True)
        generate(register, clients, TODAY)
        build_seconds = time.perf_counter() - started
        log(f"  {clients} cliënten opgebouwd in {build_seconds:.1f} s")
        key = bytes(register.unlocked.db_key)
        plain_path = Path(tmp) / "plain.db"
        _plain_copy(db, key, plain_path)
        plain = _plain_register(plain_path, register)
        raw = connect_keyed(db, key)

        caseloads = raw.execute(
            "SELECT casemanager_id, count(*) FROM clients GROUP BY casemanager_id ORDER BY 2"
        ).fetchall()
        medewerker = caseloads[len(caseloads) // 2][0]
        agreements = raw.execute(
            "SELECT a.id, a.client_id, a.interval_days FROM contact_agreements a"
            " JOIN clients c ON c.id = a.client_id WHERE a.active = 1 AND c.phase != 'afgesloten'"
        ).fetchall()
        random.Random(3).shuffle(agreements)
        picks = {"ours": agreements[: repeat + 1], "plain": agreements[repeat + 1 : 2 * repeat + 2]}
        picks["sql"] = agreements[2 * repeat + 2 : 3 * repeat + 3]

        def log_with(reg: Register, pool: list[Any]) -> Callable[[int], object]:
            def action(index: int) -> object:
                agreement_id, client_id, _ = pool[index]
                return log_contact(
                    reg,
                    ContactInput(
                        client_id=client_id,
                        agreement_id=agreement_id,
                        occurred_on=TODAY,
                        channel=Channel.PHONE,
                        outcome=Outcome.GOOD,
                    ),
                    TODAY,
                )

            return action

        figures: dict[str, Any] = {"clients": clients, "build_seconds": round(build_seconds, 1)}
        regs = {"ours": register, "plain": plain}
        operations: dict[str, dict[str, Callable[[int], object]]] = {
            "today_list": {
                **{k: (lambda _i, r=r: today_list(r, medewerker, TODAY)) for k, r in regs.items()},
                "sql": lambda _i: _sql_today(raw, medewerker),
            },
            "team_overview": {
                **{k: (lambda _i, r=r: team_overview(r, TODAY)) for k, r in regs.items()},
                "sql": lambda _i: _sql_overview(raw),
            },
            "search": {
                **{
                    k: (lambda i, r=r: search_clients(r, FRAGMENTS[i % len(FRAGMENTS)]))
                    for k, r in regs.items()
                },
                "sql": lambda i: _sql_search(raw, FRAGMENTS[i % len(FRAGMENTS)]),
            },
            "log_contact": {
                **{k: log_with(r, picks[k]) for k, r in regs.items()},
                "sql": lambda i: _sql_log(raw, picks["sql"][i]),
            },
        }
        for op, actions in operations.items():
            for kind, spent in _medians_ms(actions, repeat).items():
                figures[f"{op}_{kind}_ms"] = spent
        figures["overdue_rows"] = len(_sql_overdue(raw))
        figures |= rare_search_ms(register)
        figures["medewerker_clients"] = caseloads[len(caseloads) // 2][1]
        raw.close()
        plain.close()
        register.close()
    for op in OPERATIONS:
        for kind in ("ours", "plain", "sql"):
            figures[f"{op}_{kind}_ms"] = round(figures[f"{op}_{kind}_ms"], 2)
        figures[f"{op}_encryption_ratio"] = round(
            figures[f"{op}_ours_ms"] / figures[f"{op}_plain_ms"], 2
        )
        figures[f"{op}_overhead_ratio"] = round(
            figures[f"{op}_ours_ms"] / figures[f"{op}_sql_ms"], 2
        )
    return figures


def run(sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    crypto_env = KDF_PROFILE_ENV
    import os

    os.environ.pop(crypto_env, None)
    results = {str(size): measure(size) for size in sizes}
    return {"sizes": results, "growth": _growth(results)}


def _growth(results: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Time at the largest size divided by time at the smallest, against the size ratio."""
    sizes = sorted(int(s) for s in results)
    if len(sizes) < 2:
        return {}
    small, large = results[str(sizes[0])], results[str(sizes[-1])]
    growth = {"size_ratio": sizes[-1] / sizes[0]}
    for op in OPERATIONS:
        growth[f"{op}_time_ratio"] = round(large[f"{op}_ours_ms"] / small[f"{op}_ours_ms"], 2)
    return growth


def print_table(report: dict[str, Any]) -> None:
    print()
    print(
        f"{'cliënten':>9} {'bewerking':<14} {'ons':>8} {'onversl.':>9} {'SQL':>8}"
        f" {'versl./onv.':>11} {'ons/SQL':>8} {'doel':>6}"
    )
    for size, figures in report["sizes"].items():
        for op in OPERATIONS:
            target = TARGETS_MS[op]
            ours = figures[f"{op}_ours_ms"]
            print(
                f"{size:>9} {op:<14} {ours:>6.2f}ms {figures[f'{op}_plain_ms']:>7.2f}ms"
                f" {figures[f'{op}_sql_ms']:>6.2f}ms {figures[f'{op}_encryption_ratio']:>10.2f}x"
                f" {figures[f'{op}_overhead_ratio']:>7.2f}x {'≤' + str(target):>6}"
            )
        print(
            f"{size:>9} {'zoeken, zeldzaam':<14} mediaan {figures['search_rare_median_ms']:.2f}ms,"
            f" p95 {figures['search_rare_p95_ms']:.2f}ms (doel ≤ 5 / 10 ms bij 20.000)"
        )
        print(f"{size:>9} {'opbouw':<14} {figures['build_seconds']:>6.1f}s")
    if report["growth"]:
        growth = report["growth"]
        print(
            f"\nGroei van kleinste naar grootste register ({growth['size_ratio']:.0f}x cliënten):"
        )
        for op in OPERATIONS:
            print(f"  {op:<14} {growth[f'{op}_time_ratio']:.2f}x zo lang")


def main(sizes: tuple[int, ...] = SIZES) -> None:
    print("Domein (versleuteld register, mediaan in ms)")
    report = run(sizes)
    print_table(report)
    # Other sizes keep a section of their own (`--clients 100000`: domain_100000).
    name = "domain" if sizes == SIZES else "domain_" + "_".join(str(size) for size in sizes)
    save_section(name, report)
