"""The bar at the top of every working screen: team, user, date, and the demo marker."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Static

from wijkteam_tui.store.engine import Register
from wijkteam_tui.store.records import TeamInfo
from wijkteam_tui.views.text import day, literal


class TopBar(Static):
    DEFAULT_CSS = """
    TopBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def show(self, team: TeamInfo, register: Register | None, today: date) -> None:
        user = register.user.name if register and register.user else ""
        role = register.user.role.label if register and register.user else ""
        parts: list[Text | tuple[str, str]] = []
        if team.demo:
            # First, so that it is visible in the narrowest terminal too.
            parts += [(" DEMO — fictieve gegevens ", "bold white on dark_red"), ("  ", "")]
        parts += [
            literal(team.name, "bold"),
            ("  ·  ", "dim"),
            literal(f"{user} ({role})"),
            ("  ·  ", "dim"),
            (day(today), ""),
        ]
        self.update(Text.assemble(*parts))
