"""Access benchmark: what a medewerker reads every morning (Vandaag's lists, a search, a client
file with its timeline) when the team lets them open only the clients they work for, against
the same reads with every client open to them, in one run on one register: locally at 20,000
clients, and on a team server (`--backend postgresql`, 100,000 clients), where row-level
security decides what their own login reads. Also the teamleider's search with the policies
on (their policy is true, so it should cost nothing).

Targets (the domain benchmark's, store level): Vandaag ≤ 20 ms, a search ≤ 16 ms median, the
client file with its timeline ≤ 50 ms. The Buurt view (issue 31), the teamleider's and the
medewerker's: ≤ 200 ms locally at 20,000 clients, ≤ 1 s on the server at 100,000."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.domain import FRAGMENTS
from benchmarks.results_file import save_section
from benchmarks.smoke import scaled

PASSPHRASE = "benchmark wachtwoord"
MEDEWERKER_PASSPHRASE = "medewerker wachtwoord voor de meting"
TODAY = date.today()
TARGETS_MS = {"vandaag": 20.0, "search": 16.0, "client_file": 50.0}
BUURT_TARGET_MS = {"sqlite": 200.0, "postgresql": 1000.0}
#: The Buurt view reads the whole team: fewer runs than the morning's reads.
BUURT_REPEAT = 7


def _timed(action: Callable[[int], object], repeat: int) -> tuple[float, float]:
    """(median, p95) in ms of `repeat` runs after one warm-up."""
    action(0)
    spent = []
    for i in range(repeat):
        started = time.perf_counter()
        action(i)
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return round(statistics.median(spent), 2), round(spent[int(len(spent) * 0.95) - 1], 2)


def _build(location: Any, clients: int) -> tuple[str, int, list[int]]:
    """The register with a generated team; one medewerker with the median caseload given a
    passphrase: (their name, their id, their clients)."""
    from sqlalchemy import func, select

    from tests import pg
    from wijkteam_tui.domain.terms import Role
    from wijkteam_tui.store.demo.generator import generate
    from wijkteam_tui.store.models import Client, User
    from wijkteam_tui.store.opening import create_register
    from wijkteam_tui.store.users import add_user

    register, _ = create_register(
        location, "bench", PASSPHRASE, server_password=pg.BOOTSTRAP_PASSWORD
    )
    try:
        started = time.perf_counter()
        generate(register, clients, TODAY, seed=17, medewerkers=max(2, clients // 250))
        print(f"  {clients:,} cliënten opgebouwd in {time.perf_counter() - started:.0f} s")
        with register.read() as session:
            caseloads = session.execute(
                select(Client.casemanager_id, func.count())
                .where(Client.casemanager_id.is_not(None))
                .group_by(Client.casemanager_id)
                .order_by(func.count())
            ).all()
            user_id = caseloads[len(caseloads) // 2][0]
            name = session.scalar(select(User.name).where(User.id == user_id))
            mine = select(Client.id).where(Client.casemanager_id == user_id)
            theirs = list(session.scalars(mine))
        assert name is not None
        add_user(register, name, Role.MEDEWERKER, passphrase=MEDEWERKER_PASSPHRASE)
    finally:
        register.close()
    return name, user_id, theirs


def _set_access(location: Any, access: str) -> None:
    from wijkteam_tui.store.opening import open_register
    from wijkteam_tui.store.read.edit import team_settings_for_edit
    from wijkteam_tui.store.write.settings import update_team_settings

    lead = open_register(location, "bench", PASSPHRASE)
    try:
        current, version = team_settings_for_edit(lead)
        update_team_settings(lead, version, replace(current, access=access))
    finally:
        lead.close()


def _reads(register: Any, user_id: int, theirs: list[int], repeat: int) -> dict[str, Any]:
    from wijkteam_tui.store.read.client_file import client_file, client_timeline
    from wijkteam_tui.store.read.search import search_clients
    from wijkteam_tui.store.read.today import today_list

    def file(i: int) -> object:
        client_id = theirs[i % len(theirs)]
        return client_file(register, client_id, TODAY), client_timeline(
            register, client_id, today=TODAY
        )

    figures: dict[str, Any] = {}
    for name, action in (
        ("vandaag", lambda _i: today_list(register, user_id, TODAY)),
        ("search", lambda i: search_clients(register, FRAGMENTS[i % len(FRAGMENTS)], today=TODAY)),
        ("client_file", file),
    ):
        figures[f"{name}_median_ms"], figures[f"{name}_p95_ms"] = _timed(action, repeat)
    return figures


def measure(location: Any, clients: int, repeat: int) -> dict[str, Any]:
    from wijkteam_tui.store.opening import open_register
    from wijkteam_tui.store.read.neighbourhood import neighbourhood
    from wijkteam_tui.store.read.search import search_clients

    name, user_id, theirs = _build(location, clients)
    figures: dict[str, Any] = {"clients": clients, "their_clients": len(theirs)}
    for access in ("team", "werk"):
        _set_access(location, access)
        medewerker = open_register(location, name, MEDEWERKER_PASSPHRASE)
        try:
            figures[access] = _reads(medewerker, user_id, theirs, repeat)
            figures[access]["buurt_median_ms"], figures[access]["buurt_p95_ms"] = _timed(
                lambda _i, m=medewerker: neighbourhood(m, TODAY), min(repeat, BUURT_REPEAT)
            )
            figures[access]["closed_hits"] = sum(
                hit.closed
                for fragment in FRAGMENTS
                for hit in search_clients(medewerker, fragment, today=TODAY)
            )
        finally:
            medewerker.close()
        lead = open_register(location, "bench", PASSPHRASE)
        try:
            figures[access]["teamleider_search_median_ms"], _ = _timed(
                lambda i, lead=lead: search_clients(
                    lead, FRAGMENTS[i % len(FRAGMENTS)], today=TODAY
                ),
                repeat,
            )
            buurt = _timed(
                lambda _i, lead=lead: neighbourhood(lead, TODAY), min(repeat, BUURT_REPEAT)
            )
            figures[access]["teamleider_buurt_median_ms"] = buurt[0]
            figures[access]["teamleider_buurt_p95_ms"] = buurt[1]
            view = neighbourhood(lead, TODAY)
            figures[access]["buurt_supporters"] = len(view.supporters)
            figures[access]["buurt_stretched"] = view.stretched
        finally:
            lead.close()
    for what in ("vandaag", "search", "client_file"):
        figures[f"{what}_ratio"] = round(
            figures["werk"][f"{what}_median_ms"] / figures["team"][f"{what}_median_ms"], 2
        )
    return figures


def show(backend: str, figures: dict[str, Any]) -> None:
    print(
        f"\n{backend}, {figures['clients']:,} cliënten; de medewerker werkt voor"
        f" {figures['their_clients']}"
    )
    print(f"{'':26} {'team':>16} {'werk':>16} {'werk/team':>10} {'doel':>8}")
    for what, label in (
        ("vandaag", "Vandaag"),
        ("search", "zoeken"),
        ("client_file", "dossier + tijdlijn"),
    ):
        cells = [
            f"{figures[a][f'{what}_median_ms']} / {figures[a][f'{what}_p95_ms']}"
            for a in ("team", "werk")
        ]
        print(
            f"{label + ' (mediaan / p95 ms)':<26} {cells[0]:>16} {cells[1]:>16}"
            f" {figures[f'{what}_ratio']:>10} {TARGETS_MS[what]:>8}"
        )
    print(
        f"{'teamleider zoekt (mediaan ms)':<26}"
        f" {figures['team']['teamleider_search_median_ms']:>16}"
        f" {figures['werk']['teamleider_search_median_ms']:>16}"
    )
    target = BUURT_TARGET_MS[backend]
    for who, key in (("teamleider", "teamleider_buurt"), ("medewerker", "buurt")):
        cells = [
            f"{figures[a][f'{key}_median_ms']} / {figures[a][f'{key}_p95_ms']}"
            for a in ("team", "werk")
        ]
        print(f"{'Buurt, ' + who + ' (ms)':<26} {cells[0]:>16} {cells[1]:>16} {'':>10} {target:>8}")
    print(
        f"Buurt: {figures['team']['buurt_supporters']} steunpersonen,"
        f" {figures['team']['buurt_stretched']} met een signaal"
    )
    print(f"gesloten treffers (werk): {figures['werk']['closed_hits']}")


def main(backend: str = "sqlite", clients: int | None = None) -> dict[str, Any]:
    os.environ.pop("WIJKTEAM_KDF", None)
    size = clients or (100_000 if backend == "postgresql" else 20_000)
    size = scaled(size, 60)
    repeat = scaled(40, 3)
    with tempfile.TemporaryDirectory(prefix="wijkteam-toegang-") as tmp:
        cluster = None
        if backend == "postgresql":
            from tests import pg
            from wijkteam_tui.store.address import server_address

            cluster = pg.start_cluster(durable=True)
            location: Any = server_address(cluster.address(cluster.new_register_database()))
        else:
            location = Path(tmp) / "register.db"
        try:
            figures = measure(location, size, repeat)
        finally:
            if cluster is not None:
                cluster.stop()
    show(backend, figures)
    save_section(f"access_{backend}_{size}", figures)
    return figures
