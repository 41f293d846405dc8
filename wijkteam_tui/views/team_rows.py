"""How the Team screen shows the review: its columns, its sort orders and the cells and keys of
a medewerker's row (views/team.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rich.text import Text

from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.store.cover.access import emergencies_this_week
from wijkteam_tui.store.cover.current import Away
from wijkteam_tui.store.read.edit import list_users
from wijkteam_tui.store.read.outcomes import QuarterOutcomes, quarter_outcomes
from wijkteam_tui.store.read.team import absent_today, team_review, team_trend
from wijkteam_tui.store.records import UserItem
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.review import TeamFilter, TeamReview, TeamRow, TeamTrend
from wijkteam_tui.views.text import counted

#: The review's columns, most telling first: at 80 columns the first six are in view.
COLUMNS = (
    ("Medewerker", 18),
    ("Te laat", 7),
    ("Langst", 6),
    ("Aandacht", 8),
    ("Uit beeld", 9),
    ("Aftekenen", 9),
    ("Toestemming", 11),
    ("Cliënten", 8),
    ("int·afs·dib", 11),
    ("Te laat 12 wk", 13),
)
DETAIL_WIDTHS = (8, 22, 10, 60)
TEAM_KEY = "team"
NOBODY_KEY = "geen"


@dataclass(frozen=True)
class Sort:
    label: str
    key: Callable[[TeamRow], Any]


SORTS = (
    Sort("te laat", lambda r: (-r.overdue, -r.longest_overdue_days, r.name.casefold())),
    Sort("langst te laat", lambda r: (-r.longest_overdue_days, r.name.casefold())),
    Sort("aandacht", lambda r: (-r.urgent_alerts, -r.open_alerts, r.name.casefold())),
    Sort("uit beeld", lambda r: (-r.out_of_view, r.name.casefold())),
    Sort("naam", lambda r: (r.user_id is None, r.name.casefold())),
)


@dataclass(frozen=True)
class Loaded:
    review: TeamReview
    trend: TeamTrend
    users: list[UserItem]
    #: Who is away today, and who covers them; of those nobody covers while their work waits,
    #: user id → "3 te laat, 1 urgent".
    away: list[Away] = field(default_factory=list)
    waiting: dict[int, str] = field(default_factory=dict)
    #: How many times a medewerker opened a client with noodtoegang since Monday.
    emergencies: int = 0
    #: How the clients assessed this quarter did since their assessment before it.
    quarter: QuarterOutcomes | None = None


def review_loaded(register: Register, today: date, filters: TeamFilter) -> Loaded:
    """What the Team screen reads at once (in a worker)."""
    return Loaded(
        team_review(register, today, filters),
        team_trend(register, today),
        list_users(register),
        *absent_today(register, today),
        emergencies_this_week(register, today),
        quarter_outcomes(register, today),
    )


def summary_text(loaded: Loaded, sort_label: str) -> Text:
    """The line above the Team table: the team's figures, then who is away today."""
    total = loaded.review.total
    return Text.assemble(
        ("Team: ", "bold"),
        counted(total.clients, "cliënt", "cliënten"),
        " · ",
        (f"{total.overdue} te laat ", "bold" if total.overdue else ""),
        f"(langste {counted(total.longest_overdue_days, 'dag', 'dagen')})" if total.overdue else "",
        " · ",
        f"{counted(total.open_alerts, 'aandachtspunt', 'aandachtspunten')}",
        (f" ({total.urgent_alerts} urgent)", "bold") if total.urgent_alerts else "",
        f" · {total.out_of_view} uit beeld · {total.sign_offs} wacht op aftekenen",
        f" · {total.consents_to_renew} toestemming te vragen",
        (f"   gesorteerd op {sort_label}", "dim"),
        *away_text(loaded),
        *quarter_text(loaded.quarter),
        no_wrap=False,
    )


def quarter_text(quarter: QuarterOutcomes | None) -> list[str | tuple[str, str]]:
    """ "Ontwikkeling dit kwartaal: 3 beter · 5 gelijk · 2 lager · 1 eerste meting"."""
    if quarter is None or not (quarter.improved + quarter.held + quarter.dropped + quarter.first):
        return []
    return [
        f"\nOntwikkeling dit kwartaal: {quarter.improved} beter · {quarter.held} gelijk · ",
        (f"{quarter.dropped} lager", "bold") if quarter.dropped else "0 lager",
        f" · {counted(quarter.first, 'eerste meting', 'eerste metingen')}" if quarter.first else "",
    ]


def away_text(loaded: Loaded) -> list[str | tuple[str, str]]:
    """Who is away today, on a line of its own; one nobody covers while their clients have
    overdue contacts or urgent alerts in bold, with how many. Then, in bold, how often
    noodtoegang was used this week (`wijkteam access show` says who, when and why)."""
    parts: list[str | tuple[str, str]] = []
    for n, away in enumerate(loaded.away):
        parts.append(" · " if n else "\nAfwezig: ")
        waiting = loaded.waiting.get(away.user_id)
        parts.append((f"{away.text()}: {waiting}", "bold") if waiting else away.text())
    if loaded.emergencies:
        parts.append("   " if loaded.away else "\n")
        parts.append((f"noodtoegang: {loaded.emergencies} deze week", "bold"))
    return parts


def alerts_cell(row: TeamRow) -> str:
    if not row.open_alerts:
        return "0"
    return (
        f"{row.open_alerts} ({row.urgent_alerts}!)" if row.urgent_alerts else str(row.open_alerts)
    )


def phases_cell(row: TeamRow) -> str:
    c = row.caseload
    return f"{c.get(Phase.INTENSIVE, 0)}·{c.get(Phase.SCALING_BACK, 0)}·{c.get(Phase.IN_VIEW, 0)}"


def row_key(row: TeamRow) -> str:
    return NOBODY_KEY if row.user_id is None else str(row.user_id)
