"""One read of a medewerker's day: Vandaag as stored and the team's settings (the daily sweep
brings it up to date behind the screen: views/sweeping.py).

Kept apart from the Vandaag screen so that the unlock screen can read the day in its own worker
without importing the screens (they load in the background while the passphrase is typed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wijkteam_tui.store.records import TeamInfo, TodayList
    from wijkteam_tui.store.register import Register
    from wijkteam_tui.views.base import WijkteamAppLike


@dataclass(frozen=True)
class Day:
    today: TodayList
    team: TeamInfo


def read_day(register: Register, app: WijkteamAppLike) -> Day | None:
    """Vandaag of the user who is logged in (None for a register without that user's row)."""
    # Lazy: the store loads in the background while the passphrase is typed (views.preload).
    from wijkteam_tui.domain.terms import Role
    from wijkteam_tui.store.read.today import team_info, today_list

    if register.user is None:
        return None
    teamleider = register.user.role is Role.TEAMLEIDER
    today = today_list(register, register.user.id, app.clock(), teamleider=teamleider)
    return Day(today, team_info(register))
