"""A list of one-line results that redraws, and never re-lays out, when its rows change.

The Cliënten screen replaces its rows on every keystroke. Textual's OptionList measures and
renders each new option on the main thread and resizes its scroll area, which is most of a
keystroke's time at 20,000 clients. Here the rows are turned into strips by whoever makes them
(the search worker, off the main thread), the widget keeps its own cursor and first visible row,
and new rows only repaint the lines that are on screen. The position shows in the border
("12/60") because there is no scrollbar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

ELLIPSIS = Segment("…")


@dataclass(frozen=True, slots=True)
class Row:
    """One result: what choosing it opens, its text, and that text ready to draw."""

    key: int
    text: Text
    strip: Strip

    @classmethod
    def make(cls, console: Console, key: int, text: Text) -> Row:
        """Render `text` once; safe in a worker thread (no widget is touched)."""
        segments = list(text.render(console, end=""))
        return cls(key, text, Strip(segments, text.cell_len))


def rows(console: Console, items: Iterable[tuple[int, Text]]) -> list[Row]:
    return [Row.make(console, key, text) for key, text in items]


class ResultList(Widget, can_focus=True):
    """Rows of fixed-width text with a cursor; Enter or a click chooses one."""

    COMPONENT_CLASSES = {"result-list--cursor", "result-list--empty"}

    DEFAULT_CSS = """
    ResultList {
        background: $surface;
        color: $foreground;
        & > .result-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .result-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .result-list--empty { color: $text-muted; text-style: italic; }
    }
    """

    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "move(-1_000_000)", show=False),
        Binding("end", "move(1_000_000)", show=False),
        Binding("enter", "choose", "Openen", show=False),
    ]

    class Chosen(Message):
        """A row was chosen with Enter or a click."""

        def __init__(self, result_list: ResultList, key: int) -> None:
            super().__init__()
            self.result_list = result_list
            self.key = key

        @property
        def control(self) -> ResultList:
            return self.result_list

    def __init__(self, *, empty_text: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: Sequence[Row] = ()
        self._empty_text = empty_text
        self.cursor = 0
        self.top = 0

    # What tests and screens read.
    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def keys(self) -> list[int]:
        return [row.key for row in self._rows]

    def text_at(self, index: int) -> str:
        return self._rows[index].text.plain

    @property
    def chosen_key(self) -> int | None:
        return self._rows[self.cursor].key if self._rows else None

    def show(self, rows: Sequence[Row], *, keep_place: bool = False) -> None:
        """New rows, the cursor on the first; only the visible lines are drawn again. With
        `keep_place` (the same search again, after a colleague's change) the cursor stays on
        the same client (or at the same position when that one is gone), on the same line of
        the screen."""
        chosen, cursor, top = self.chosen_key, self.cursor, self.top
        self._rows = rows
        self.cursor = self.top = 0
        if keep_place and rows:
            keys = [row.key for row in rows]
            self.cursor = keys.index(chosen) if chosen in keys else min(cursor, len(rows) - 1)
            # The chosen row stays on the same line of the screen.
            self.top = max(0, self.cursor - (cursor - top))
        self._moved()

    # Drawing.
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        index = self.top + y
        if not self._rows:
            if y == 0 and self._empty_text:
                style = self.get_component_rich_style("result-list--empty")
                return Strip([Segment(self._empty_text, base + style)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        strip = self._rows[index].strip
        if strip.cell_length > width >= 1:
            strip = Strip.join([strip.crop(0, width - 1), Strip([ELLIPSIS], 1)])
        else:
            strip = strip.extend_cell_length(width)
        if index == self.cursor:
            strip = strip.apply_style(self.get_component_rich_style("result-list--cursor"))
        return strip.apply_style(base)

    # Moving.
    def _visible(self) -> int:
        return max(1, self.size.height)

    def _moved(self) -> None:
        visible = self._visible()
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + visible:
            self.top = self.cursor - visible + 1
        self.top = max(0, min(self.top, max(0, len(self._rows) - visible)))
        more = len(self._rows) > visible
        self.border_subtitle = f"{self.cursor + 1}/{len(self._rows)}" if more else ""
        self.refresh()

    def action_move(self, step: int) -> None:
        if self._rows:
            self.cursor = max(0, min(len(self._rows) - 1, self.cursor + step))
            self._moved()

    def action_page(self, direction: int) -> None:
        self.action_move(direction * self._visible())

    def action_choose(self) -> None:
        key = self.chosen_key
        if key is not None:
            self.post_message(self.Chosen(self, key))

    def on_resize(self) -> None:
        self._moved()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.top + offset.y
        if index < len(self._rows):
            already = index == self.cursor
            self.cursor = index
            self._moved()
            if already or event.chain > 1:
                self.action_choose()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll(-3)

    def _scroll(self, lines: int) -> None:
        """The mouse wheel moves the view; the cursor stays on a visible row."""
        visible = self._visible()
        self.top = max(0, min(self.top + lines, max(0, len(self._rows) - visible)))
        self.cursor = max(self.top, min(self.cursor, self.top + visible - 1))
        self._moved()


__all__ = ["ResultList", "Row", "rows"]
