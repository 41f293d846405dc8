"""Netwerkkaart (the Kaart tab): the client's network drawn in the terminal, an ecogram.

The client is in the middle; network members sit on rings 1–3 by closeness (`map_layout`
places them). The arrow keys move between members; Enter asks to edit the chosen one. Below
the map: its legend and how strong the network is.
"""

from __future__ import annotations

import math
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from wijkteam_tui.domain.schedules import DueState
from wijkteam_tui.domain.terms import ThresholdRule
from wijkteam_tui.domain.thresholds import DEFAULT_THRESHOLDS, limit_days
from wijkteam_tui.store.records import ClientFile
from wijkteam_tui.views.client_file.map_layout import (
    LEGEND,
    MapLayout,
    MapMember,
    draw,
    layout,
    map_members,
    map_order,
)
from wijkteam_tui.views.client_file.pane import FilePane


class NetworkMap(Widget, can_focus=True):
    """The ecogram of one client; arrows move between members, Enter edits the chosen one."""

    DEFAULT_CSS = """
    NetworkMap { height: 1fr; background: $surface; }
    NetworkMap:focus { background-tint: $foreground 3%; }
    """

    BINDINGS = [
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
        Binding("enter", "choose", "Wijzigen", show=False),
    ]

    class Chosen(Message):
        """Enter on a member: edit them."""

        def __init__(self, member_id: int) -> None:
            super().__init__()
            self.member_id = member_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.client_name = ""
        self.members: list[MapMember] = []
        self.chosen: int | None = None
        self._plan: MapLayout | None = None
        self._lines: list[Text] = []
        self._strips: list[Strip] = []

    def show(self, client_name: str, members: list[MapMember]) -> None:
        self.client_name, self.members = client_name, members
        ids = [m.id for m in members]
        if self.chosen not in ids:
            # The closest member first.
            first = min(members, key=map_order, default=None)
            self.chosen = first.id if first else None
        self._plan = None
        self.refresh()

    def _laid_out(self) -> MapLayout:
        width, height = self.size.width, self.size.height
        plan = self._plan
        if plan is None or (plan.width, plan.height) != (max(width, 20), max(height, 5)):
            plan = layout(self.client_name, self.members, width, height)
            self._plan, self._lines = plan, []
        if not self._lines:
            self._lines = draw(plan, self.chosen)
            # Drawn as strips (the line API): Textual need not lay out a rich text.
            console, base = self.app.console, self.rich_style
            self._strips = [
                Strip(list(line.render(console)), plan.width).apply_style(base)
                for line in self._lines
            ]
        return plan

    def render_line(self, y: int) -> Strip:
        if not self.client_name:
            return Strip.blank(self.size.width, self.rich_style)
        self._laid_out()
        if y >= len(self._strips):
            return Strip.blank(self.size.width, self.rich_style)
        return self._strips[y].crop_extend(0, self.size.width, self.rich_style)

    def action_move(self, dx: int, dy: int) -> None:
        """To the nearest member in that direction (rows count double: cells are tall); when
        there is none that way, to the next (→ ↓) or previous (← ↑) member."""
        plan = self._laid_out()
        here = next((p for p in plan.labels if p.member_id == self.chosen), None)
        if here is None or here.member_id is None:
            return
        hx, hy = here.centre
        best, best_score = None, math.inf
        for label in plan.labels:
            if label.member_id is None or label is here:
                continue
            lx, ly = label.centre
            ddx, ddy = lx - hx, (ly - hy) * 2
            along = ddx * dx + ddy * dy
            if along <= 0:
                continue
            across = abs(ddx * dy) + abs(ddy * dx)
            score = along + 2 * across
            if score < best_score:
                best, best_score = label.member_id, score
        if best is None:
            # Nothing that way: on to the next member in map order (or the one before).
            order = [m.id for m in sorted(self.members, key=map_order)]
            step = 1 if dx + dy > 0 else -1
            best = order[(order.index(here.member_id) + step) % len(order)]
        if best is not None:
            self.chosen = best
            self._lines = []
            self.refresh()

    def action_choose(self) -> None:
        if self.chosen is not None:
            self.post_message(self.Chosen(self.chosen))


class NetworkMapPane(FilePane):
    """The map of the members still involved, its legend, and the network's strength."""

    def compose(self) -> ComposeResult:
        yield NetworkMap(id="ecogram")
        yield Static("", id="ecogram-legend")
        yield Static("", id="ecogram-strength")

    @property
    def chosen(self) -> int | None:
        """The member chosen on the map."""
        return self.query_one("#ecogram", NetworkMap).chosen

    def show(self, file: ClientFile, today: date) -> None:
        rule = next((r for r in file.thresholds if r.rule is ThresholdRule.OUT_OF_VIEW), None)
        setting = (
            (rule.own or rule.team)
            if rule is not None
            else DEFAULT_THRESHOLDS[ThresholdRule.OUT_OF_VIEW]
        )
        limit = limit_days(setting)
        with_agreement = {
            a.member_id for a in file.agreements if a.member_id and a.state is not DueState.ENDED
        }
        members = map_members(
            [
                (
                    m.id,
                    m.name,
                    m.kind,
                    m.ring,
                    m.supports,
                    m.id in with_agreement,
                    m.last_contact_on,
                )
                for m in file.members
                if m.ended_on is None
            ],
            today,
            limit,
            file.opened_on,
        )
        self.query_one("#ecogram", NetworkMap).show(file.name, members)
        self.query_one("#ecogram-legend", Static).update(
            Text(f"{LEGEND} │ ! langer dan {limit} dagen geen contact", style="dim")
        )
        strength = Text.assemble(("Netwerk: ", "bold"), file.network_summary)
        for warning in file.network_warnings:
            strength.append_text(Text.assemble("\n", ("Let op: ", "bold"), (warning, "bold")))
        if not file.members:
            strength.append("\nNog geen netwerkleden: voeg ze toe met n.")
        else:
            strength.append("\n← → ↑ ↓ kiest een netwerklid, Enter wijzigt het.", style="dim")
        self.query_one("#ecogram-strength", Static).update(strength)
