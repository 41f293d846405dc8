"""The bar at the top of every working screen: team, user, the demo marker and the date.

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


class TopBar(Horizontal):
    DEFAULT_CSS = """
    TopBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    TopBar #top-who { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    TopBar #top-date { width: auto; padding-left: 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="top-who")
        yield Static("", id="top-date")

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
