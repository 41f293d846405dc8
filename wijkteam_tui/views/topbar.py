"""The bar at the top of every working screen: team, user, the demo marker, whether the daily
sweep is bringing the signals up to date, and the date.

The date keeps its place at the right; in a narrow terminal the team and user give way (cut
with "…"), never the date."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from wijkteam_tui.store.records import TeamInfo
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.text import day, literal

#: What the bar says while the daily sweep runs in the background.
SWEEPING = "signalen bijwerken…"


class TopBar(Horizontal):
    DEFAULT_CSS = """
    TopBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    TopBar #top-who { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    TopBar #top-sweep { width: auto; padding-left: 2; color: $text-muted; }
    TopBar #top-date { width: auto; padding-left: 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="top-who")
        sweep = Static(SWEEPING, id="top-sweep")
        sweep.display = False
        yield sweep
        yield Static("", id="top-date")

    def show_sweeping(self, sweeping: bool) -> None:
        """Quietly, while the daily sweep runs: the lists may still change."""
        self.query_one("#top-sweep", Static).display = sweeping

    def show(self, team: TeamInfo, register: Register | None, today: date) -> None:
        user = register.user.name if register and register.user else ""
        role = register.user.role.label if register and register.user else ""
        parts: list[Text | tuple[str, str]] = []
        if team.demo:
            # First, so that it is visible in the narrowest terminal too.
            parts += [(" DEMO — fictieve gegevens ", "bold white on dark_red"), ("  ", "")]
        parts += [literal(team.name, "bold"), ("  ·  ", "dim"), literal(f"{user} ({role})")]
        self.query_one("#top-who", Static).update(Text.assemble(*parts, no_wrap=True))
        self.query_one("#top-date", Static).update(day(today))
        self.show_sweeping(bool(getattr(self.app, "sweeping", False)))
