"""The generator of fictitious registers, and `wijkteam demo --no-tui`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tests.helpers import run_cli
from wijkteam_tui.store.engine import create_register
from wijkteam_tui.store.generator import generate
from wijkteam_tui.store.models import Alert, Client, ContactMoment, TeamSettings
from wijkteam_tui.store.queries import search_clients, team_overview

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
        assert team_overview(register, TODAY).overdue, "some follow-ups are overdue"
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
