"""A small, fixed demo register and a fixed clock for the screens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from wijkteam_tui.app import WijkteamApp
from wijkteam_tui.store.engine import Register, create_register, open_register
from wijkteam_tui.store.generator import generate

TODAY = date(2026, 11, 22)
CLIENTS = 40


def build_demo(path: Path) -> None:
    register, _ = create_register(path, "demo", "demo", team_name="Wijkteam Middelwijk", demo=True)
    generate(register, CLIENTS, TODAY, seed=11)
    register.close()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    build_demo(path)
    return path


@pytest.fixture
def demo_register(demo_path: Path) -> Iterator[Register]:
    register = open_register(demo_path, "demo", "demo")
    yield register
    register.close()


def make_app(path: Path, register: Register | None = None, **kwargs: object) -> WijkteamApp:
    return WijkteamApp(path, register=register, clock=lambda: TODAY, **kwargs)  # type: ignore[arg-type]


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until every worker is done and the screen has caught up."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
