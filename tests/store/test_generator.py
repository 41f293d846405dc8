"""The generator of fictitious registers, and `wijkteam demo --no-tui`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tests.helpers import run_cli
from wijkteam_tui.domain.terms import AlertStatus, Phase, ThresholdRule
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.models import Alert, Client, ContactAgreement, ContactMoment, TeamSettings
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.read.today import team_overdue, team_overview
from wijkteam_tui.store.refresh import refresh_client

TODAY = date(2026, 11, 22)


def _build(path: Path, seed: int) -> list[tuple[str, str]]:
    register, _ = create_register(path, "demo", "demo", demo=True)
    try:
        summary = generate(register, 120, TODAY, seed=seed, batch=50)
        assert summary.clients == 120
        with register.read() as session:
            rows = session.execute(select(Client.number, Client.name).order_by(Client.id)).all()
            moments = session.scalar(select(func.count()).select_from(ContactMoment))
            assert session.get(TeamSettings, 1).demo is True
            assert session.scalar(select(func.count()).select_from(Alert)) == summary.open_alerts
        assert 10 * 120 <= moments <= 30 * 120, "about twenty contact moments per client"
        assert register.check() == []
        everything = team_overdue(register, TODAY)
        assert len(everything) > 10, "some follow-ups are overdue, more than a page of 10"
        # The pages, read one after another, are the whole list; the counts add up to it.
        pages = [
            team_overview(register, TODAY, offset=at, page=10)
            for at in range(0, len(everything), 10)
        ]
        assert [item for page in pages for item in page.overdue] == everything
        assert {page.total for page in pages} == {len(everything)}
        per_casemanager: dict[str, int] = {}
        for item in everything:
            name = item.casemanager or "(geen casemanager)"
            per_casemanager[name] = per_casemanager.get(name, 0) + 1
        assert pages[0].per_casemanager == per_casemanager
        first_name = rows[0][1].split()[0]
        assert search_clients(register, first_name)
        return [tuple(row) for row in rows]
    finally:
        register.close()


def test_the_same_seed_gives_the_same_register(tmp_path: Path):
    first = _build(tmp_path / "a" / "register.db", seed=7)
    second = _build(tmp_path / "b" / "register.db", seed=7)
    other = _build(tmp_path / "c" / "register.db", seed=8)
    assert first == second
    assert first != other


def test_demo_builds_a_register_for_user_demo(tmp_path: Path):
    db = tmp_path / "demo.db"
    result = run_cli("demo", "--no-tui", "--clients", "60", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "60 cliënten" in result.stdout
    assert "DEMO — fictieve gegevens" in result.stdout
    assert "60/60 cliënten" in result.stderr
    check = run_cli(
        "db", "check", "--db", str(db), "--user", "demo", env={"WIJKTEAM_PASSPHRASE": "demo"}
    )
    assert check.returncode == 0, check.stderr
    again = run_cli("demo", "--no-tui", "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert "Vandaag" in again.stdout and "Te laat" in again.stdout


def test_alert_reasons_of_a_generated_register_stay_the_same_when_clients_are_re_evaluated(
    tmp_path: Path,
):
    register, _ = create_register(tmp_path / "register.db", "demo", "demo", demo=True)
    try:
        generate(register, 150, TODAY, seed=7, batch=50)

        def open_alerts() -> dict[int, tuple[ThresholdRule, str, str]]:
            with register.read() as session:
                rows = session.execute(
                    select(Alert.id, Alert.rule, Alert.fingerprint, Alert.reason).where(
                        Alert.status != AlertStatus.RESOLVED
                    )
                ).all()
            return {aid: (rule, fingerprint, reason) for aid, rule, fingerprint, reason in rows}

        before = open_alerts()
        missed_by_medewerker = []
        with register.read() as session:
            for rule, fingerprint, _ in before.values():
                if rule is ThresholdRule.MISSED_IN_ROW:
                    agreement = session.get(ContactAgreement, int(fingerprint.split(":")[1]))
                    if agreement.member_id is None:
                        missed_by_medewerker.append(fingerprint)
        assert missed_by_medewerker, "the register has gemiste contacten of a medewerker"

        with register.write() as session:
            settings = session.get(TeamSettings, 1)
            for client in session.scalars(select(Client).where(Client.phase != Phase.CLOSED)):
                refresh_client(session, client, TODAY, settings)
        assert open_alerts() == before
    finally:
        register.close()
