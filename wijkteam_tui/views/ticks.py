"""Tick boxes that say ticked or not by their shape, not only by their colour.

Textual draws a tick box as `▐X▌` both ticked and unticked; only the colour of the X tells
them apart, which is lost in monochrome, with NO_COLOR and to someone who does not see the
difference. These draw `✓` when ticked and `☐` when not, in the same width, and keep the
colours besides."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED = "✓"
UNTICKED = "☐"


def mark(ticked: bool) -> str:
    return TICKED if ticked else UNTICKED


class TickBox(Checkbox):
    """A Checkbox showing ✓ or ☐."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble((f" {mark(self.value)} ", style))


class TickList(SelectionList):  # type: ignore[type-arg]
    """A SelectionList whose choices show ✓ or ☐ before their text."""

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        index = self.scroll_offset[1] + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        component = "selection-list--button"
        if selection.value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        underlying = next(iter(line)).style or self.rich_style
        button = self.get_component_rich_style(component) + Style(meta={"option": index})
        return Strip(
            [
                Segment(f" {mark(selection.value in self._selected)} ", style=button),
                Segment(" ", style=underlying),
                *line,
            ]
        )
