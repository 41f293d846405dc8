"""Where the netwerkkaart puts its labels, and what its rows look like: plain geometry, no
widgets (`network_map.NetworkMap` shows the result).

The client is in the middle; network members sit on rings 1–3 by closeness. Each member's
kind shows by colour *and* a symbol, so the map reads in black and white and for people who
cannot tell the colours apart: ● informeel, ■ formeel, ▲ voorziening (colours from the
Okabe–Ito palette). After the name: the support types (P G A E, named in the legend), ✓ when
the member has an active contact agreement, ! when there has been no contact with them for
longer than the client's uit-beeld limit.

`layout` places the labels on their rings, moving a label a little along its ring when it
would cover another and shortening names when space is short, then gives each shortened name
back what the room around it allows; `draw` turns that into a Text
per row, the chosen member's label reversed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len, set_cell_size, split_graphemes
from rich.text import Text

from wijkteam_tui.domain.terms import SUPPORT_KEY, MemberKind
from wijkteam_tui.views.text import clean

SYMBOL = {MemberKind.INFORMAL: "●", MemberKind.FORMAL: "■", MemberKind.RESOURCE: "▲"}
COLOUR = {
    MemberKind.INFORMAL: "#e69f00",  # orange
    MemberKind.FORMAL: "#56b4e9",  # sky blue
    MemberKind.RESOURCE: "#cc79a7",  # reddish purple
}
LEGEND = f"● informeel ■ formeel ▲ voorziening │ steun: {SUPPORT_KEY} │ ✓ afspraak"


@dataclass(frozen=True, slots=True)
class MapMember:
    id: int
    name: str
    kind: MemberKind
    ring: int
    supports: str
    has_agreement: bool
    #: No contact for longer than the client's uit-beeld limit (or none at all).
    silent: bool


@dataclass(frozen=True, slots=True)
class Placed:
    """A label on the map: which member (None for the client), where, and its text."""

    member_id: int | None
    x: int
    y: int
    text: str
    style: str

    @property
    def width(self) -> int:
        return cell_len(self.text)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y)


@dataclass(frozen=True, slots=True)
class MapLayout:
    width: int
    height: int
    labels: list[Placed]
    #: Cells of the rings (x, y) that no label covers.
    ring_dots: list[tuple[int, int]]


def label_text(member: MapMember, name_cells: int) -> str:
    name = clean(member.name).strip() or "?"
    if cell_len(name) > name_cells:
        name = set_cell_size(name, name_cells - 1).rstrip() + "…"
    marks = "".join(kind for kind in "PGAE" if kind in member.supports)
    marks += "✓" if member.has_agreement else ""
    marks += "!" if member.silent else ""
    return f"{SYMBOL[member.kind]} {name}" + (f" {marks}" if marks else "")


def _ring(member: MapMember) -> int:
    return min(max(member.ring, 1), 3)


def map_order(member: MapMember) -> tuple[int, int, str, int]:
    return (_ring(member), list(MemberKind).index(member.kind), member.name.lower(), member.id)


# Where to try a label, near its place on the ring: (dx, dy), cheapest first.
_NUDGES = sorted(
    ((dx, dy) for dx in range(-16, 17) for dy in range(-3, 4)),
    key=lambda d: abs(d[0]) + 4 * abs(d[1]),
)


def layout(client_name: str, members: list[MapMember], width: int, height: int) -> MapLayout:
    """Place the client in the middle and every member on its ring, without overlaps where
    the space allows. Deterministic: the same input gives the same map."""
    width, height = max(width, 20), max(height, 5)
    taken = [[False] * width for _ in range(height)]
    labels: list[Placed] = []
    cx, cy = (width - 1) / 2, (height - 1) / 2
    unit_x, unit_y = (width / 2 - 1) / 3.3, (height / 2 - 0.5) / 3.2

    def free(x: int, y: int, w: int) -> bool:
        return _free(taken, x, y, w)

    def put(label: Placed) -> None:
        labels.append(label)
        for i in range(label.x, min(width, label.x + label.width)):
            taken[label.y][i] = True

    centre_name = clean(client_name).strip() or "cliënt"
    centre_text = "◉ " + set_cell_size(centre_name, min(cell_len(centre_name), width // 3))
    cw = cell_len(centre_text.rstrip())
    put(Placed(None, max(0, round(cx - cw / 2)), round(cy), centre_text.rstrip(), "bold reverse"))

    # Narrow maps get shorter names; a crowded ring shortens them further.
    name_cells = 14 if width >= 100 else 10
    for ring in (1, 2, 3):
        on_ring = sorted(
            (m for m in members if _ring(m) == ring),
            key=map_order,
        )
        count = len(on_ring)
        for index, member in enumerate(on_ring):
            # Spread evenly, each ring turned a little so that labels do not line up.
            angle = -math.pi / 2 + 2 * math.pi * (index + 0.5 * (ring % 2)) / max(count, 1)
            px = cx + math.cos(angle) * unit_x * ring
            py = cy + math.sin(angle) * unit_y * ring
            style = COLOUR[member.kind] + (" bold" if ring == 1 else "")
            placed = None
            for cells in (name_cells, 8, 5):
                text = label_text(member, cells)
                w = cell_len(text)
                left = round(px - w / 2)
                top = round(py)
                spot = next(
                    ((left + dx, top + dy) for dx, dy in _NUDGES if free(left + dx, top + dy, w)),
                    None,
                )
                if spot is not None:
                    placed = Placed(member.id, spot[0], spot[1], text, style)
                    break
            if placed is None:
                # No room anywhere near: put it where it belongs, clipped to the map.
                text = label_text(member, 5)
                x = min(max(0, round(px - cell_len(text) / 2)), max(0, width - cell_len(text)))
                y = min(max(0, round(py)), height - 1)
                placed = Placed(member.id, x, y, text, style)
            put(placed)

    _lengthen(labels, members, taken)
    return MapLayout(width, height, labels, _ring_dots(width, height, unit_x, unit_y, taken))


def _free(taken: list[list[bool]], x: int, y: int, w: int) -> bool:
    """Whether a label `w` cells wide fits at (x, y) with one empty cell on either side, so
    that two labels never run together."""
    height, width = len(taken), len(taken[0])
    if y < 0 or y >= height or x < 0 or x + w > width:
        return False
    return not any(taken[y][max(0, x - 1) : min(width, x + w + 1)])


def _lengthen(labels: list[Placed], members: list[MapMember], taken: list[list[bool]]) -> None:
    """Each shortened name as long as the room on its row allows, in the order placed: a name
    is cut only where the map has no room for more, and lengthening one never takes the room
    another was placed in (`labels` and `taken` change in place)."""
    by_id = {member.id: member for member in members}

    def mark(label: Placed, value: bool) -> None:
        for i in range(label.x, label.x + label.width):
            taken[label.y][i] = value

    for index, label in enumerate(labels):
        member = by_id.get(label.member_id) if label.member_id is not None else None
        if member is None:
            continue
        mark(label, False)
        for cells in range(cell_len(clean(member.name).strip() or "?"), 0, -1):
            text = label_text(member, cells)
            w = cell_len(text)
            if w <= label.width:
                break
            left = round(label.centre[0] - w / 2)
            moves = sorted(range(-16, 17), key=abs)
            spot = next((left + dx for dx in moves if _free(taken, left + dx, label.y, w)), None)
            if spot is not None:
                labels[index] = Placed(label.member_id, spot, label.y, text, label.style)
                break
        mark(labels[index], True)


def _ring_dots(
    width: int, height: int, unit_x: float, unit_y: float, taken: list[list[bool]]
) -> list[tuple[int, int]]:
    """The cells of rings 1–3 as a dotted line, leaving out the cells under labels."""
    cx, cy = (width - 1) / 2, (height - 1) / 2
    dots: set[tuple[int, int]] = set()
    for ring in (1, 2, 3):
        rx, ry = unit_x * ring, unit_y * ring
        # Both ways round, so that the steep and the flat parts of the ring are drawn.
        for x in range(0, width, 2):
            t = (x - cx) / rx
            if abs(t) <= 1:
                dy = ry * math.sqrt(1 - t * t)
                dots.update((x, round(cy + sign * dy)) for sign in (-1, 1))
        for y in range(height):
            t = (y - cy) / ry
            if abs(t) <= 1:
                dx = rx * math.sqrt(1 - t * t)
                dots.update((round(cx + sign * dx), y) for sign in (-1, 1))
    free_dots: list[tuple[int, int]] = []
    for x, y in sorted(dots, key=lambda d: (d[1], d[0])):
        if not (0 <= x < width and 0 <= y < height) or taken[y][x]:
            continue
        # A dotted line: never two dots side by side.
        if free_dots and free_dots[-1] == (x - 1, y):
            continue
        free_dots.append((x, y))
    return free_dots


def draw(plan: MapLayout, chosen: int | None) -> list[Text]:
    """The map as one Text per row; the chosen member's label is reversed."""
    rows: list[list[tuple[str, str]]] = [[(" ", "")] * plan.width for _ in range(plan.height)]
    for x, y in plan.ring_dots:
        rows[y][x] = ("·", "dim")
    for label in plan.labels:
        style = label.style + (" reverse" if label.member_id == chosen and chosen else "")
        x = label.x
        row = rows[label.y]
        for start, end, size in split_graphemes(label.text)[0]:
            # One grapheme a cell (two when wide), as Rich measures it; one without width
            # (a stray joiner or mark at the start) is dropped, and a joiner at the end of a
            # grapheme, with nothing to join, too: it would join the next cell's character.
            grapheme = label.text[start:end].rstrip("\u200d")
            if not size or not grapheme:
                continue
            if x + size > plan.width:
                break
            for cell in range(x, x + size):
                _clear(row, cell)
            row[x] = (grapheme, style)
            if size == 2:
                row[x + 1] = ("", style)
            x += size
    lines = []
    for row in rows:
        line = Text(no_wrap=True, overflow="crop")
        # One span per run of cells in the same style.
        run, run_style = "", ""
        for char, style in row:
            if style != run_style and run:
                line.append(run, run_style or None)
                run = ""
            run, run_style = run + char, style
        if run:
            line.append(run, run_style or None)
        lines.append(line)
    return lines


def _clear(row: list[tuple[str, str]], x: int) -> None:
    """Make cell `x` free to write in: a wide character it is half of becomes a space (a label
    that had to be put over another must not leave half a character behind)."""
    char, style = row[x]
    if char == "" and x > 0:
        row[x - 1] = (" ", row[x - 1][1])
    elif char and cell_len(char) == 2 and x + 1 < len(row):
        row[x + 1] = (" ", style)
    row[x] = (" ", style)


def map_members(
    members: list[tuple[int, str, MemberKind, int, str, bool, date | None]],
    today: date,
    silent_after_days: int,
    opened_on: date,
) -> list[MapMember]:
    """MapMembers from (id, name, kind, ring, supports, has agreement, last contact). Silent is
    a member with no contact for longer than the limit since the last one, or since the file
    was opened when there has been none."""
    return [
        MapMember(
            member_id,
            name,
            kind,
            ring,
            supports,
            agreement,
            (today - (last or opened_on)).days > silent_after_days,
        )
        for member_id, name, kind, ring, supports, agreement, last in members
    ]
