"""Export benchmark: the PDF of one client with 15 network members (names in five scripts,
Arabic among them, so HarfBuzz shaping is on), 10 shared agreements and a full
signaleringsplan (two rows in each phase), from the stored records to the finished file.
Median of 15 runs after a warm-up, in ms; the Markdown, card and calendar for comparison.

Then all 250 open clients of one medewerker to PDF in one go, as the medewerker types it:
`wijkteam export agreements --medewerker NAAM --format pdf -o MAP`, a separate process with
production key derivation, in seconds (generated clients, as varied as the demo's)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.results_file import save_section
from benchmarks.smoke import scaled
from wijkteam_tui.domain.terms import Channel, MemberKind, Phase, Role, SignalPhase
from wijkteam_tui.export import card, document, ical, markdown, pdf
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.keys.primitives import KDF_PROFILE_ENV
from wijkteam_tui.store.models import Client, User
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput, SignalInput
from wijkteam_tui.store.sharing import sharing_facts
from wijkteam_tui.store.write.agreements import add_agreement
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.network import add_member
from wijkteam_tui.store.write.plan import add_signal
from wijkteam_tui.store.write.reassign import reassign_clients

TODAY = date(2026, 11, 22)
TARGETS = {"pdf_ms": 300, "pdf_250_clients_seconds": 60}
PASSPHRASE = "benchmark wachtwoord"
NAMES = [
    "Şükrü Yılmaz", "Łukasz Nowak", "Nguyễn Văn An", "Zoë Peeters", "عبد الله",
    "Fenna de Vries", "Kees Bakker", "Ayşe Demir", "Jan Jansen", "Marja de Vries",
    "Els Smit", "Piet Post", "Henk Wit", "Ria Zwart", "Tom Groen",
]  # fmt: skip


def _median_ms(action: Callable[[], object], repeat: int = 15) -> float:
    action()
    spent = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        spent.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(spent), 1)


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="wijkteam-export-bench-") as tmp:
        register, _ = create_register(Path(tmp) / "register.db", "bench", "benchmark wachtwoord")
        try:
            client = create_client(register, ClientInput("Truus Smit", date(2026, 9, 1)), TODAY).id
            members = [
                add_member(
                    register,
                    client,
                    MemberInput(
                        name,
                        MemberKind.INFORMAL,
                        relation="buur",
                        phone=f"06 1234 56{i:02d}",
                        supports="PG",
                        consent_to_share=True,
                        consent_on=date(2026, 1, 1),
                        out_of_hours=i % 2 == 0,
                    ),
                    TODAY,
                ).id
                for i, name in enumerate(NAMES)
            ]
            for i in range(10):
                add_agreement(
                    register,
                    client,
                    AgreementInput(
                        Channel.VISIT, date(2026, 9, 1), member_id=members[i],
                        interval_days=7 + i, shared=True,
                    ),
                    TODAY,
                )  # fmt: skip
            for phase in SignalPhase:
                for k in range(2):
                    add_signal(
                        register,
                        client,
                        SignalInput(
                            phase,
                            f"Teken {k + 1} in {phase.label}: slaapt slecht, eet weinig",
                            own_actions="Ik bel mijn dochter of de buurvrouw.",
                            network_actions="Łukasz komt langs en kookt samen.",
                            professional_actions="Casemanager belt dezelfde dag terug.",
                            whom_to_call="عبد الله 06 1234 5604, of Fenna de Vries",
                        ),
                    )

            def build() -> document.SharedDocument:
                return document.build(sharing_facts(register, client), TODAY, 1)

            doc = build()
            stamp = datetime(2026, 11, 22, 9, tzinfo=UTC)
            return {
                "members": len(doc.members),
                "agreements": len(doc.agreements),
                "plan_rows": sum(len(rows) for rows in doc.plan.values()),
                "pdf_ms": _median_ms(lambda: pdf.render(build())),
                "records_to_document_ms": _median_ms(build),
                "card_ms": _median_ms(lambda: card.render(build())),
                "markdown_ms": _median_ms(lambda: markdown.render(build())),
                "ics_ms": _median_ms(lambda: ical.render(build(), stamp)),
            }
        finally:
            register.close()


def run_many(clients: int = 250) -> dict[str, Any]:
    """One medewerker's `clients` open clients to PDF by the command line, timed whole."""
    env = {k: v for k, v in os.environ.items() if k != KDF_PROFILE_ENV}
    with tempfile.TemporaryDirectory(prefix="wijkteam-export-many-") as tmp:
        db = Path(tmp) / "register.db"
        register, _ = create_register(db, "bench", PASSPHRASE, demo=True)
        try:
            generate(register, 4 * clients, TODAY)
            with register.read() as session:
                name, user_id = session.execute(
                    select(User.name, User.id).where(User.role == Role.MEDEWERKER).limit(1)
                ).one()
                open_clients = (
                    select(Client.id)
                    .where(
                        Client.phase != Phase.CLOSED,
                        Client.casemanager_id.is_distinct_from(user_id),
                    )
                    .order_by(Client.id)
                )
                theirs = session.scalar(
                    select(func.count()).where(
                        Client.casemanager_id == user_id, Client.phase != Phase.CLOSED
                    )
                )
                more = session.scalars(open_clients.limit(max(clients - theirs, 0))).all()
            reassign_clients(register, more, user_id, "Benchmark.", TODAY)
        finally:
            register.close()
        folder = Path(tmp) / "afspraken"
        folder.mkdir()
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "wijkteam_tui", "export", "agreements",
             "--medewerker", name, "--format", "pdf", "-o", str(folder)],
            env={**env, "WIJKTEAM_DB": str(db), "WIJKTEAM_USER": "bench",
                 "WIJKTEAM_PASSPHRASE": PASSPHRASE},
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        spent = time.perf_counter() - started
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        files = sorted(folder.glob("afspraken-*.pdf"))
        sizes = [f.stat().st_size for f in files]
        return {
            "pdf_250_clients_seconds": round(spent, 1),
            "pdf_250_files": len(files),
            "pdf_250_mean_kb": round(statistics.mean(sizes) / 1024, 1),
            "pdf_250_progress_lines": result.stderr.count(" bestanden, "),
            "cores": os.cpu_count(),
        }


def main() -> None:
    print("Export (1 cliënt: 15 netwerkleden, 10 afspraken, volledig plan; mediaan van 15)")
    figures = run()
    print("Export van alle 250 open cliënten van een medewerker naar PDF (hele opdracht)")
    figures |= run_many(scaled(250, 10))
    for key, value in figures.items():
        target = TARGETS.get(key)
        print(f"  {key:<28} {value:>8}" + (f"   doel ≤ {target}" if target else ""))
    save_section("export", figures)
