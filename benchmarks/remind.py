"""Reminders benchmark (issue 29): on a generated register of 20,000 clients, `wijkteam remind`
as cron runs it every morning.

1. The first run of the day sends what the generated register has due (a few dozen).
2. **Nothing to send**: the next run finds nothing; the run's own time (due reminders looked up
   for every consenting member, earlier claims checked), and the whole process (`wijkteam
   remind` as a process of its own, production key derivation) beside the unlock alone.
3. **1,000 reminders**: 1,000 more members made to have consented with a moment tomorrow, then
   one run sends them all to an SMTP relay on loopback (aiosmtpd, as the tests start it): each
   claimed, sent over the one connection and recorded, with its audit events.

Goals: nothing to send ≤ 2 s beyond unlocking; 1,000 reminders ≤ 60 s."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from benchmarks.results_file import save_section
from benchmarks.smoke import scaled
from tests import mail_server
from wijkteam_tui.domain.terms import MemberKind
from wijkteam_tui.mail.remind import run
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.keys.primitives import KDF_PROFILE_ENV
from wijkteam_tui.store.keys.unlock import unlock
from wijkteam_tui.store.mail.config import MailInput, set_mail
from wijkteam_tui.store.models import Client, ContactAgreement, NetworkMember
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sweep import daily_sweep

PASSPHRASE = "benchmark wachtwoord"
TARGETS = {"nothing_to_send_beyond_unlock_seconds": 2.0, "thousand_reminders_seconds": 60.0}


def _consenting(register: Register, count: int, today: date) -> int:
    """`count` informal members with an agreement of their own, made to have consented to be
    reminded and to have their next moment tomorrow (as if each agreement had been made so)."""
    tomorrow = today + timedelta(days=1)
    with register.write() as session:
        rows = session.execute(
            select(ContactAgreement.id, NetworkMember.id)
            .join(NetworkMember, NetworkMember.id == ContactAgreement.member_id)
            .join(Client, Client.id == ContactAgreement.client_id)
            .where(
                ContactAgreement.active.is_(True),
                NetworkMember.active.is_(True),
                NetworkMember.kind == MemberKind.INFORMAL,
                NetworkMember.remind_by_mail.is_(False),
                Client.closed_on.is_(None),
            )
            .order_by(ContactAgreement.id)
            .limit(count)
        ).all()
        agreements = [a for a, _ in rows]
        members = sorted({m for _, m in rows})
        for start in range(0, len(members), 500):
            chunk = members[start : start + 500]
            session.execute(
                update(NetworkMember)
                .where(NetworkMember.id.in_(chunk))
                .values(
                    remind_by_mail=True,
                    remind_consent_on=today,
                    remind_review_on=today + timedelta(days=365),
                    email=NetworkMember.id.cast(type_=NetworkMember.email.type).concat(
                        "@netwerk.example"
                    ),
                )
                .execution_options(synchronize_session=False)
            )
        for start in range(0, len(agreements), 500):
            session.execute(
                update(ContactAgreement)
                .where(ContactAgreement.id.in_(agreements[start : start + 500]))
                .values(next_due=tomorrow, remind_days_before=1, snoozed_until=None, end_on=None)
                .execution_options(synchronize_session=False)
            )
    return len(agreements)


def _process(path: Path, today: date) -> float:
    environment = {**os.environ, "WIJKTEAM_PASSPHRASE": PASSPHRASE}
    environment.pop(KDF_PROFILE_ENV, None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "wijkteam_tui", "remind", "--db", str(path), "--user", "bench",
         "--date", today.isoformat()],
        capture_output=True, text=True, env=environment, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert "0 te versturen" in done.stdout, done.stdout
    return seconds


def run_benchmark(clients: int, reminders: int) -> dict[str, Any]:
    today = date.today()
    figures: dict[str, Any] = {"clients": clients, "reminders": reminders}
    relay = mail_server.start_relay()
    try:
        with tempfile.TemporaryDirectory(prefix="wijkteam-remind-bench-") as tmp:
            path = Path(tmp) / "register.db"
            register, _ = create_register(path, "bench", PASSPHRASE, demo=True)
            started = time.perf_counter()
            generate(register, clients, today)
            daily_sweep(register, today)
            set_mail(register, MailInput("localhost", relay.port, "geen", "team@wijk.example"), "")
            figures["generated_seconds"] = round(time.perf_counter() - started, 1)

            started = time.perf_counter()
            first = run(register, today)
            figures["first_run_seconds"] = round(time.perf_counter() - started, 3)
            figures["first_run_sent"] = len(first.sent)
            assert not first.failed, first.failed[:3]

            timings = []
            for _ in range(3):
                started = time.perf_counter()
                nothing = run(register, today)
                timings.append(time.perf_counter() - started)
                assert nothing.due == [] and nothing.sent == []
            figures["nothing_to_send_run_seconds"] = round(min(timings), 3)
            register.close()

            os.environ.pop(KDF_PROFILE_ENV, None)
            started = time.perf_counter()
            unlock(path, "bench", PASSPHRASE)
            kdf = time.perf_counter() - started
            whole = _process(path, today)
            figures["unlock_seconds"] = round(kdf, 3)
            figures["nothing_to_send_process_seconds"] = round(whole, 3)
            figures["nothing_to_send_beyond_unlock_seconds"] = round(whole - kdf, 3)

            register = open_register(path, "bench", PASSPHRASE)
            try:
                made = _consenting(register, reminders, today)
                before = len(relay.inbox.messages)
                started = time.perf_counter()
                report = run(register, today)
                seconds = time.perf_counter() - started
            finally:
                register.close()
            assert not report.failed, report.failed[:3]
            figures["thousand_reminders_made"] = made
            figures["thousand_reminders_sent"] = len(report.sent)
            figures["thousand_reminders_received"] = len(relay.inbox.messages) - before
            figures["thousand_reminders_seconds"] = round(seconds, 1)
            figures["per_reminder_ms"] = round(1000 * seconds / max(1, len(report.sent)), 1)
    finally:
        relay.stop()
    figures["targets"] = TARGETS
    return figures


def main(clients: int = 20_000) -> None:
    figures = run_benchmark(scaled(clients, 60), scaled(1_000, 10))
    for key, value in figures.items():
        print(f"{key:42} {value}")
    save_section("remind", figures)
