"""`wijkteam digest`: the week in figures, per medewerker, as plain text for a mail from cron.

It names no client: mail is no place for who is in care. It says how much is late and where,
so that each medewerker and the teamleider know to open the register."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.team import sparkline
from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.store.read.team import Covered
from wijkteam_tui.store.review import TeamReview, TeamRow, TrendSeries


def _n(value: int, one: str, more: str) -> str:
    return f"{value} {one if value == 1 else more}"


def _block(row: TeamRow, trend: TrendSeries | None, covered: Sequence[Covered] = ()) -> list[str]:
    phases = ", ".join(
        f"{phase.label} {row.caseload[phase]}" for phase in Phase if row.caseload.get(phase)
    )
    head = f"{row.name}: {_n(row.clients, 'cliënt', 'cliënten')}"
    lines = [head + (f" ({phases})" if phases else "")]
    late = _n(row.overdue, "contactmoment", "contactmomenten")
    if row.overdue:
        late += f", het langste {_n(row.longest_overdue_days, 'dag', 'dagen')}"
    lines += [
        f"  te laat                  {late}",
        f"  deze week gepland        {row.due_soon}",
        f"  aandachtspunten open     {row.open_alerts}, waarvan {row.urgent_alerts} urgent",
        f"  uit beeld                {_n(row.out_of_view, 'cliënt', 'cliënten')}",
        f"  wacht op aftekenen       {row.sign_offs}",
        f"  toestemming te vragen    {row.consents_to_renew}",
    ]
    if trend is not None:
        lines.append(f"  te laat, 12 weken        {sparkline(trend.overdue)}")
    for cover in covered:
        away, figures = cover.away, cover.figures
        lines.append(
            f"  neemt waar voor          {away.name} ({away.until_text()}):"
            f" {figures.overdue} te laat, {figures.urgent_alerts} urgent,"
            f" {figures.due_soon} deze week gepland"
        )
    return lines


def digest_text(
    review: TeamReview,
    trends: Mapping[int | None, TrendSeries],
    team_trend: TrendSeries | None,
    *,
    team_name: str,
    wijk: str,
    today: date,
    whole_team: bool,
    covered: Sequence[Covered] = (),
) -> str:
    """The weekly summary: the team first (for a teamleider), then each medewerker; `trends`
    per casemanager id (None: the clients without one); with each medewerker who covers an
    absent colleague that colleague's figures."""
    start = today - timedelta(days=6)
    week = today.isocalendar().week
    title = f"Weekoverzicht {team_name}" + (f" ({wijk})" if wijk else "")
    lines = [title, f"week {week}: {format_date(start)} t/m {format_date(today)}", ""]
    if whole_team:
        lines += _block(review.total, team_trend)
        lines.append("")
    for row in review.rows:
        theirs = [c for c in covered if c.cover_id == row.user_id]
        lines += _block(row, trends.get(row.user_id), theirs)
        lines.append("")
    lines += [
        "Dit overzicht noemt geen cliënten: het gaat per mail. De lijsten staan in het",
        "register (wijkteam: Vandaag, en voor de teamleider het Team-scherm).",
    ]
    return "\n".join(lines) + "\n"
