"""The netwerkkaart: every member placed on its ring without covering another, markers that
read without colour, arrow keys between members and Enter to edit one."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle
from wijkteam_tui.domain.terms import Channel, MemberKind
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.write.agreements import add_agreement
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.network import add_member
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.client_file.map_layout import MapMember, draw, label_text, layout
from wijkteam_tui.views.client_file.network_map import NetworkMap
from wijkteam_tui.views.forms.member import MemberForm

NAMES = [
    "Fenna Bakker", "Marja de Vries", "Kees Jansen", "Şükrü Yılmaz", "Łukasz Nowak",
    "Nguyễn Văn An", "Zoë Peeters", "عبد الله", "Huisarts Visser", "Buurthuis De Schakel",
    "Wijkverpleging Noord", "Maatschappelijk werk", "Voedselbank", "陈小明", "Els",
]  # fmt: skip
KINDS = [MemberKind.INFORMAL] * 8 + [MemberKind.FORMAL] * 4 + [MemberKind.RESOURCE] * 3


def fifteen() -> list[MapMember]:
    return [
        MapMember(i + 1, name, KINDS[i], i % 3 + 1, "PGAE"[: i % 4 + 1], i % 3 == 0, i % 5 == 0)
        for i, name in enumerate(NAMES)
    ]


def _overlaps(plan) -> list[tuple[int | None, int | None]]:  # type: ignore[no-untyped-def]
    found = []
    for a, b in itertools.combinations(plan.labels, 2):
        if a.y == b.y and a.x < b.x + b.width and b.x < a.x + a.width:
            found.append((a.member_id, b.member_id))
    return found


@pytest.mark.parametrize(("width", "height"), [(78, 14), (118, 25), (200, 50)])
def test_fifteen_members_are_all_placed_inside_the_map_and_none_covers_another(width, height):
    plan = layout("Kees Bakker", fifteen(), width, height)
    assert sorted(p.member_id or 0 for p in plan.labels) == list(range(16))
    assert _overlaps(plan) == []
    assert all(p.x >= 0 and p.x + p.width <= width and 0 <= p.y < height for p in plan.labels)
    assert layout("Kees Bakker", fifteen(), width, height) == plan, "the same map every time"


def test_closer_members_are_drawn_closer_to_the_client():
    plan = layout("Kees Bakker", fifteen(), 118, 25)
    centre = next(p for p in plan.labels if p.member_id is None)
    ring = {m.id: m.ring for m in fifteen()}

    def distance(p) -> float:  # type: ignore[no-untyped-def]
        (x, y), (cx, cy) = p.centre, centre.centre
        return ((x - cx) / 59) ** 2 + ((y - cy) / 12.5) ** 2

    by_ring = {
        r: [distance(p) for p in plan.labels if p.member_id and ring[p.member_id] == r]
        for r in (1, 2, 3)
    }
    assert max(by_ring[1]) < min(by_ring[3])


def test_kind_agreement_and_silence_read_without_colour():
    fenna = MapMember(1, "Fenna", MemberKind.INFORMAL, 1, "GP", True, True)
    assert label_text(fenna, 14) == "● Fenna PG✓!"
    huisarts = MapMember(2, "Huisarts Dr. Visser", MemberKind.FORMAL, 2, "", False, False)
    assert label_text(huisarts, 10) == "■ Huisarts…"
    assert label_text(MapMember(3, "Buurthuis", MemberKind.RESOURCE, 3, "", False, False), 14) == (
        "▲ Buurthuis"
    )


def test_a_name_is_cut_only_where_the_map_has_no_room_for_more():
    few = [
        MapMember(1, "Joāo Gebremedhin", MemberKind.INFORMAL, 1, "GA", True, False),
        MapMember(2, "Wijkverpleging Noord-Oost", MemberKind.FORMAL, 2, "P", False, False),
    ]
    plan = layout("Said Meijer", few, 78, 14)
    assert {p.text for p in plan.labels if p.member_id} == {
        "● Joāo Gebremedhin GA✓",
        "■ Wijkverpleging Noord-Oost P",
    }
    crowded = layout("Kees Bakker", fifteen(), 78, 14)
    shortened = [p for p in crowded.labels if "…" in p.text]
    assert shortened, "fifteen members in 78 by 14 do not all fit in full"
    assert _overlaps(crowded) == []
    long_in_full = [
        m.name
        for m in fifteen()
        if cell_len(m.name) > 10
        and any(p.member_id == m.id and p.text == label_text(m, 99) for p in crowded.labels)
    ]
    assert long_in_full, "a name longer than the first cut gets its room where there is some"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.builds(
            MapMember,
            st.integers(1, 10_000),
            st.text(min_size=0, max_size=40)
            # and names made of what measuring in graphemes trips on: joiners, combining
            # marks, skin-tone modifiers, variation selectors, wide and right-to-left letters
            | st.text(st.sampled_from(list("aé\u0301\u200d\ufe0f🏻👩❤漢 عب\u200bx")), max_size=12),
            st.sampled_from(list(MemberKind)),
            st.integers(-1, 5),
            st.sampled_from(["", "P", "GA", "PGAE"]),
            st.booleans(),
            st.booleans(),
        ),
        max_size=15,
        unique_by=lambda m: m.id,
    ),
    st.integers(20, 140),
    st.integers(5, 40),
)
def test_any_names_at_any_size_draw_exactly_the_map_size(members, width, height):
    """Markup, escapes, wide and right-to-left names: every line is exactly as wide as the
    map, so that nothing spills into the next line or the next screen."""
    plan = layout("[bold]x\x1b[31m", members, width, height)
    lines = draw(plan, members[0].id if members else None)
    assert len(lines) == plan.height
    assert {line.cell_len for line in lines} == {plan.width}
    assert all("\x1b" not in line.plain for line in lines)


async def test_arrows_move_between_members_and_enter_edits_the_chosen_one(tmp_path: Path):
    register, _ = create_register(tmp_path / "r.db", "anna", PASSPHRASE)
    try:
        client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
        ids = {}
        for name, kind, ring in (
            ("Fenna Bakker", MemberKind.INFORMAL, 1),
            ("Huisarts Visser", MemberKind.FORMAL, 2),
            ("Buurthuis", MemberKind.RESOURCE, 3),
        ):
            made = add_member(register, client.id, MemberInput(name, kind, ring=ring), TODAY)
            ids[name] = made.id
        add_agreement(
            register,
            client.id,
            AgreementInput(Channel.PHONE, TODAY, member_id=ids["Fenna Bakker"], interval_days=7),
            TODAY,
        )
        app = make_app(register.path, register=register)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            app.push_screen(ClientFileScreen(client.id))
            await settle(pilot)
            await pilot.press("6")
            await settle(pilot)
            ecogram = app.screen.query_one(NetworkMap)
            assert ecogram.has_focus
            assert ecogram.chosen == ids["Fenna Bakker"]
            text = "\n".join(line.plain for line in ecogram._lines)
            assert "● Fenna Bakker ✓" in text and "■ Huisarts Visser" in text, "room: not cut"
            # Fenna (ring 1) is below the client, the huisarts (ring 2) above, the buurthuis
            # (ring 3) lowest.
            await pilot.press("up")
            assert ecogram.chosen == ids["Huisarts Visser"]
            await pilot.press("down")
            assert ecogram.chosen == ids["Fenna Bakker"]
            await pilot.press("down")
            assert ecogram.chosen == ids["Buurthuis"]
            await pilot.press("down")  # nothing further down: on to the next, from ring 1
            assert ecogram.chosen == ids["Fenna Bakker"]
            ecogram.chosen = ids["Huisarts Visser"]
            await pilot.press("enter")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, MemberForm)
            assert form.current is not None and form.current[0] == ids["Huisarts Visser"]
            strength = str(app.screen_stack[-2].query_one("#ecogram-strength").render())
            assert "alle informele steun rust op één persoon" in strength
            assert "alle afspraken rusten op één persoon" in strength
    finally:
        register.close()


def test_a_label_over_half_a_wide_character_leaves_no_half_behind():
    from wijkteam_tui.views.client_file.map_layout import MapLayout, Placed

    plan = MapLayout(10, 1, [Placed(1, 0, 0, "陈小明", "red"), Placed(2, 1, 0, "ab", "blue")], [])
    (line,) = draw(plan, None)
    assert line.cell_len == 10
    assert line.plain.startswith(" ab")
