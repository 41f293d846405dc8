"""Afwezig: who is away from when until when, who covers their clients meanwhile, and which of
them another colleague covers ("100042=cem"). `w` on Team for the chosen medewerker
(teamleider), `w` on Vandaag for oneself. The store checks it all again (overlaps, a cover who
is away, a client that is not theirs, a medewerker recording someone else)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wijkteam_tui.domain.access import covers_by_client
from wijkteam_tui.domain.fields import FieldError, clean_date
from wijkteam_tui.store.cover.absences import add_absence
from wijkteam_tui.store.records import Created, UserItem
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.forms.base import Field, FormScreen


def _first_day(value: str, today: date) -> date:
    return clean_date(value or "", today) or today


def _last_day(value: str, today: date) -> date | None:
    return clean_date(value or "", today, not_before=today)


def _by_client(value: str, _today: date) -> dict[str, str]:
    return covers_by_client(value or "")


class AbsenceForm(FormScreen[Created]):
    def __init__(
        self, away: UserItem, colleagues: Sequence[UserItem], typed: dict[str, Any] | None = None
    ) -> None:
        super().__init__(typed)
        self.away = away
        self.colleagues = [u for u in colleagues if u.id != away.id]
        self.title_text = f"Afwezigheid van {away.display_name or away.name}"
        self.intro_text = (
            "Wie waarneemt, ziet de te late contacten, de contacten van deze week, de"
            " aandachtspunten en wie uit beeld raakt op zijn eigen Vandaag, tot en met de laatste"
            " dag (of tot 'wijkteam absence end')."
        )

    def fields(self) -> Sequence[Field]:
        return [
            Field("from_on", "Eerste dag afwezig", clean=_first_day, placeholder="vandaag"),
            Field(
                "until_on", "Laatste dag afwezig", clean=_last_day, placeholder="tot nader bericht"
            ),
            Field(
                "cover",
                "Wie neemt waar",
                kind="choice",
                choices=[
                    ("nog niemand", None),
                    *((u.display_name or u.name, u.name) for u in self.colleagues),
                ],
            ),
            Field(
                "by_client",
                "Per cliënt een ander",
                clean=_by_client,
                placeholder="bijv. 100042=cem, 100057=dirk",
                hint=self._by_client_hint,
            ),
        ]

    def _by_client_hint(self, typed: dict[str, Any], _today: date) -> str:
        """What the field is understood as, in names: "100042 → Cem Yilmaz"."""
        try:
            covers = covers_by_client(str(typed.get("by_client") or ""))
        except FieldError as error:
            return str(error)
        names = {u.name: u.display_name or u.name for u in self.colleagues}
        return "; ".join(
            f"{number} → {names.get(colleague, colleague + ' (onbekend)')}"
            for number, colleague in covers.items()
        )

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        first, last = values.get("from_on"), values.get("until_on")
        if first is not None and last is not None and last < first:
            return {"until_on": "De laatste dag ligt voor de eerste."}
        return {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> Created:
        return add_absence(
            register,
            self.away.name,
            values["from_on"],
            values["until_on"],
            cover=values["cover"],
            today=today,
            by_client=values["by_client"],
        )

    def rebuild(self, typed: dict[str, Any]) -> AbsenceForm:
        return AbsenceForm(self.away, self.colleagues, typed)
