"""The team's signal thresholds (`g` on the Team screen, teamleider): per rule on or off, and
its days or count. A client's own threshold (`g` in the client file) still goes before it.
The change is recorded in the settings' history; the open alerts of the rule are re-evaluated
at once, and the form says how many."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wijkteam_tui.domain.terms import ThresholdRule
from wijkteam_tui.domain.thresholds import DEFAULT_THRESHOLDS, USES, describe
from wijkteam_tui.store.records import Reevaluation, ThresholdRow
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.alerts import set_threshold
from wijkteam_tui.views.forms.base import Field, FormScreen, labelled
from wijkteam_tui.views.forms.threshold import OFF, ON, numbers_used, optional_number
from wijkteam_tui.views.text import counted

TEAM_STATES = [("aan, met de aantallen hieronder", ON), ("uit voor het hele team", OFF)]


class TeamThresholdForm(FormScreen[Reevaluation]):
    def __init__(self, rows: Sequence[ThresholdRow], typed: dict[str, Any] | None = None) -> None:
        super().__init__(typed)
        self.rows = {row.rule: row for row in rows}
        self.title_text = "Signaalgrenzen van het team"
        self.intro_text = (
            "Geldt voor iedere cliënt zonder eigen grens. Open aandachtspunten van de regel"
            " worden bij opslaan meteen opnieuw beoordeeld (bij uit beeld ook wie nu langer"
            " stil is dan de grens); andere nieuwe aandachtspunten volgen bij de eerstvolgende"
            " dagelijkse controle. De wijziging komt in de geschiedenis van de teaminstellingen."
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
            Field("state", "Voor het team", kind="choice", required=True, choices=TEAM_STATES),
            Field("days", "Aantal dagen", clean=optional_number(1, 366), placeholder="standaard"),
            Field("count", "Aantal keer", clean=optional_number(1, 50), placeholder="standaard"),
        )

    def initial(self) -> dict[str, Any]:
        first = self.rows.get(ThresholdRule.OUT_OF_VIEW) or next(iter(self.rows.values()))
        uses_days, uses_count = USES[first.rule]
        return {
            "rule": first.rule,
            "state": ON if first.team.enabled else OFF,
            "days": first.team.days if uses_days else None,
            "count": first.team.count if uses_count else None,
        }

    def _now(self, typed: dict[str, Any], _today: date) -> str:
        rule = typed.get("rule")
        row = self.rows.get(rule)  # type: ignore[arg-type]
        if row is None:
            return ""
        return f"Nu: {describe(row.team)}. Standaard: {describe(DEFAULT_THRESHOLDS[row.rule])}."

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        return numbers_used(values)

    def save(self, register: Register, values: dict[str, Any], today: date) -> Reevaluation:
        return set_threshold(
            register,
            None,
            values["rule"],
            enabled=values["state"] == ON,
            days=values["days"],
            count=values["count"],
            today=today,
        )

    def rebuild(self, typed: dict[str, Any]) -> TeamThresholdForm:
        return TeamThresholdForm(list(self.rows.values()), typed)


def reevaluated_text(result: Reevaluation) -> str:
    """What saving a threshold did at once, for the notice after the form."""
    if not result.clients:
        return "Geen open aandachtspunten om opnieuw te beoordelen."
    return (
        f"{counted(result.clients, 'cliënt', 'cliënten')} meteen opnieuw beoordeeld:"
        f" {counted(result.resolved, 'aandachtspunt', 'aandachtspunten')} opgelost,"
        f" {result.raised} nieuw."
    )
