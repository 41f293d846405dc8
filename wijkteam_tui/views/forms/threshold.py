"""A client's own signal threshold (`g` in the client file): a rule switched off, or other
days or counts than the team's, always with a reason; or back to the team's threshold.

The form shows, for the chosen rule, what the team's threshold is and what the client has now,
so the person sees what they change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wijkteam_tui.domain.fields import FieldError
from wijkteam_tui.domain.terms import ThresholdRule
from wijkteam_tui.domain.thresholds import USES, describe
from wijkteam_tui.store.records import ThresholdRow
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.alerts import clear_threshold, set_threshold
from wijkteam_tui.views.forms.base import Field, FormScreen, labelled, text

ON, OFF, TEAM = "aan", "uit", "team"
STATES = [
    ("aan, met de aantallen hieronder", ON),
    ("uit voor deze cliënt", OFF),
    ("terug naar de teamgrens", TEAM),
]


def optional_number(low: int, high: int) -> Any:
    """A whole number from `low` to `high`, or nothing typed (None)."""

    def clean(value: str, _today: date) -> int | None:
        value = (value or "").strip()
        if not value:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            raise FieldError(f"Een getal van {low} tot {high}.", replace=True)
        return int(value)

    return clean


def numbers_used(values: dict[str, Any]) -> dict[str, str]:
    """A rule switched on takes only the numbers it counts (days, times)."""
    uses_days, uses_count = USES[values["rule"]]
    if values["state"] == ON and values["days"] is not None and not uses_days:
        return {"days": "Deze regel telt geen dagen; laat dit leeg."}
    if values["state"] == ON and values["count"] is not None and not uses_count:
        return {"count": "Deze regel telt geen aantal keer; laat dit leeg."}
    return {}


class ThresholdForm(FormScreen[bool]):
    def __init__(
        self,
        client_id: int,
        client_name: str,
        rows: Sequence[ThresholdRow],
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.client_id = client_id
        self.client_name = client_name
        self.rows = {row.rule: row for row in rows}
        self.title_text = f"Eigen signaalgrens voor {client_name}"
        self.intro_text = (
            "De aandachtspunten van deze cliënt worden bij opslaan meteen opnieuw beoordeeld;"
            " wat niet meer geldt, wordt opgelost met de nieuwe grens als reden."
        )

    def fields(self) -> Sequence[Field]:
        return (
            Field(
                "rule",
                "Regel",
                kind="choice",
                required=True,
                choices=labelled(ThresholdRule),
                hint=self._now,
            ),
            Field("state", "Voor deze cliënt", kind="choice", required=True, choices=STATES),
            Field(
                "days", "Aantal dagen", clean=optional_number(1, 366), placeholder="zoals het team"
            ),
            Field(
                "count", "Aantal keer", clean=optional_number(1, 50), placeholder="zoals het team"
            ),
            Field(
                "reason",
                "Reden",
                clean=text(500),
                optional="verplicht, behalve terug naar de teamgrens",
                placeholder="woont 's winters bij zijn dochter in Spanje",
            ),
        )

    def initial(self) -> dict[str, Any]:
        own = next((row for row in self.rows.values() if row.own is not None), None)
        first = own or next(iter(self.rows.values()), None)
        if first is None:
            return {"state": ON}
        setting = first.own or first.team
        return {
            "rule": first.rule,
            "state": ON if setting.enabled else OFF,
            "days": setting.days if first.own and USES[first.rule][0] else None,
            "count": setting.count if first.own and USES[first.rule][1] else None,
            "reason": first.reason,
        }

    def _now(self, typed: dict[str, Any], _today: date) -> str:
        """The team's threshold and the client's for the chosen rule, and which numbers count."""
        row = self.rows.get(typed.get("rule"))  # type: ignore[arg-type]
        if row is None:
            return ""
        uses_days, uses_count = USES[row.rule]
        numbers = (
            "Deze regel gebruikt "
            + " en ".join(
                word
                for word, used in (("het aantal dagen", uses_days), ("het aantal keer", uses_count))
                if used
            )
            + "."
            if uses_days or uses_count
            else "Deze regel heeft geen aantallen."
        )
        own = f"; nu voor deze cliënt: {describe(row.own)} ({row.reason})" if row.own else ""
        return f"Team: {describe(row.team)}{own}. {numbers}"

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        if values["state"] != TEAM and not values["reason"]:
            return {"reason": "Zeg waarom deze cliënt een eigen grens heeft."}
        return numbers_used(values)

    def save(self, register: Register, values: dict[str, Any], today: date) -> bool:
        rule = values["rule"]
        if values["state"] == TEAM:
            clear_threshold(register, self.client_id, rule, today)
        else:
            set_threshold(
                register,
                self.client_id,
                rule,
                enabled=values["state"] == ON,
                days=values["days"],
                count=values["count"],
                reason=values["reason"],
                today=today,
            )
        return True

    def rebuild(self, typed: dict[str, Any]) -> ThresholdForm:
        return ThresholdForm(self.client_id, self.client_name, list(self.rows.values()), typed)
