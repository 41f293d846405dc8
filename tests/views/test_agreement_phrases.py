"""Whatever is typed into "Hoe vaak", at every key, the agreement form shows the next dates or
a Dutch message with an example; it never crashes, and it saves exactly what it previewed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from textual.widgets import Input, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle
from wijkteam_tui.store.models import ContactAgreement
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.forms.agreement import AgreementForm

NO_DATES = "Deze afspraak levert geen enkel contactmoment op vóór de einddatum."
WORDS = [
    "elke", "om", "de", "op", "en", "of", "van", "maand", "weken", "dinsdag", "werkdag",
    "eerste", "laatste", "2", "31e", "kwartaal", "FREQ=", "doen",
]  # fmt: skip


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    made, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    yield made
    made.close()


async def _agreement_form(pilot, client_id: int) -> AgreementForm:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.push_screen(ClientFileScreen(client_id))
    await settle(pilot)
    await pilot.press("3", "n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, AgreementForm)
    form.query_one("#how_often", Input).focus()
    return form


def _hint(form: AgreementForm) -> str:
    return str(form.query_one("#how_often-hint", Static).render())


def _previews_or_explains(hint: str) -> bool:
    return hint.startswith("Volgende keren: ") or "bijv." in hint or hint == NO_DATES


async def test_typing_op_dinsdag_key_by_key_explains_and_then_saves_elke_dinsdag(register):
    """Typing "op" made a rule without days, which raised at the second key."""
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        form = await _agreement_form(pilot, client.id)
        for key in "op dinsdag":
            await pilot.press("space" if key == " " else key)
            await pilot.pause()
            assert _previews_or_explains(_hint(form)), _hint(form)
        assert _hint(form) == "Zeg hoe vaak, bijv. elke dinsdag of om de week op dinsdag."
        await pilot.press(*["backspace"] * len("op dinsdag"), *"elke dinsdag")
        await settle(pilot)
        assert _hint(form).startswith("Volgende keren: di 24 nov 2026, di 1 dec 2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    with register.read() as session:
        assert session.scalars(select(ContactAgreement.rrule)).one() == "FREQ=WEEKLY;BYDAY=TU"


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=24),
            st.lists(st.sampled_from(WORDS) | st.text(max_size=3), max_size=6).map(" ".join),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_any_text_typed_into_hoe_vaak_shows_dates_or_a_dutch_message(register, typed):
    import asyncio

    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)

    async def type_them() -> None:
        app = make_app(register.path, register=register)
        async with app.run_test(size=(120, 35)) as pilot:
            form = await _agreement_form(pilot, client.id)
            field = form.query_one("#how_often", Input)
            for text in typed:
                for end in range(len(text) + 1):
                    field.value = text[:end]
                    await pilot.pause()
                    assert _previews_or_explains(_hint(form)), (text[:end], _hint(form))

    asyncio.run(type_them())
