"""Teaminstellingen (`i` on the Team screen, teamleider): the team's name and wijk, the
coulance, the out-of-hours contact, the office number, the idle lock and the retention terms.
Every change is recorded with who and when; the last ones are shown above the fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields as dataclass_fields
from datetime import date
from typing import Any

from wijkteam_tui.domain.access import ACCESS_LABELS, MAX_EMERGENCY_HOURS, WORK
from wijkteam_tui.domain.fields import FieldError, clean_phone
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.review import SettingChangeItem, TeamSettingsInput
from wijkteam_tui.store.write.settings import (
    LOAD_CLIENTS_MESSAGE,
    LOAD_MOMENTS_MESSAGE,
    YOUTH_ACT_MINIMUM_YEARS,
    update_team_settings,
)
from wijkteam_tui.views.forms.base import Field, FormScreen, text


def number(low: int, high: int, why: str = "") -> Any:
    """A whole number from `low` to `high` (required)."""

    def clean(value: str, _today: date) -> int:
        cleaned = (value or "").strip()
        if not cleaned.isdigit() or not low <= int(cleaned) <= high:
            raise FieldError(why or f"Een getal van {low} tot {high}.", replace=True)
        return int(cleaned)

    return clean


def _phone(value: str, _today: date) -> str:
    return clean_phone(value or "")


def _access_hint(typed: dict[str, Any], _today: date) -> str:
    if typed.get("access") != WORK:
        return "Elke medewerker opent elk dossier van het team (en elke opening staat in het log)."
    return (
        "Een medewerker opent de cliënten waarvoor hij werkt: als casemanager, als uitvoerder"
        " van een afspraak, als waarnemer of met uw toegang; een ander alleen met noodtoegang."
    )


def history_text(history: Sequence[SettingChangeItem]) -> str:
    if not history:
        return "Nog niets gewijzigd sinds het register werd gemaakt."
    lines = ["Laatst gewijzigd:"]
    for change in history:
        when = change.changed_at.strftime("%d-%m-%Y %H:%M")
        lines.append(
            f"• {when} door {change.changed_by}: {change.setting}"
            f" van '{change.old_value}' naar '{change.new_value}'"
        )
    return "\n".join(lines)


class TeamSettingsForm(FormScreen[list[str]]):
    def __init__(
        self,
        current: TeamSettingsInput,
        version: int,
        history: Sequence[SettingChangeItem],
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.current = current
        self.version = version
        self.history = list(history)
        self.title_text = "Teaminstellingen"
        self.intro_text = history_text(self.history)

    def fields(self) -> Sequence[Field]:
        return (
            Field("team_name", "Teamnaam", required=True, clean=text(120)),
            Field("wijk", "Wijk", clean=text(80), placeholder="bijv. Middelwijk-Noord"),
            Field(
                "grace_days",
                "Coulance: dagen na de afgesproken datum voordat iets te laat is",
                required=True,
                clean=number(0, 30, "De coulance is 0 tot 30 dagen."),
            ),
            Field(
                "out_of_hours_name",
                "Buiten kantoortijd: wie",
                clean=text(120),
                placeholder="bijv. Crisisdienst Middelwijk",
            ),
            Field("out_of_hours_phone", "Buiten kantoortijd: nummer", clean=_phone),
            Field(
                "out_of_hours_hours",
                "Buiten kantoortijd: wanneer",
                clean=text(80),
                placeholder="bijv. 24/7, of werkdagen 17-9 en het weekend",
            ),
            Field(
                "office_phone",
                "Kantoornummer (in de documenten als de casemanager geen eigen nummer heeft)",
                clean=_phone,
                placeholder="bijv. 020-1234567",
            ),
            Field(
                "idle_lock_minutes",
                "Vergrendelen na (minuten zonder toetsen)",
                required=True,
                clean=number(1, 120, "Vergrendelen na 1 tot 120 minuten."),
            ),
            Field(
                "retention_years_wmo",
                "Bewaartermijn Wmo (jaren)",
                required=True,
                clean=number(1, 99, "Een bewaartermijn is 1 tot 99 jaar."),
            ),
            Field(
                "retention_years_wmo_no_provision",
                "Bewaartermijn Wmo zonder voorziening (jaren)",
                required=True,
                clean=number(1, 99, "Een bewaartermijn is 1 tot 99 jaar."),
            ),
            Field(
                "retention_years_youth_act",
                "Bewaartermijn Jeugdwet (jaren)",
                required=True,
                clean=number(
                    YOUTH_ACT_MINIMUM_YEARS,
                    99,
                    f"De Jeugdwet bewaart ten minste {YOUTH_ACT_MINIMUM_YEARS} jaar"
                    f" (art. 7.3.10): {YOUTH_ACT_MINIMUM_YEARS} tot 99.",
                ),
            ),
            Field(
                "access",
                "Een medewerker opent",
                kind="choice",
                required=True,
                choices=[(label, key) for key, label in ACCESS_LABELS.items()],
                hint=_access_hint,
            ),
            Field(
                "emergency_hours",
                "Noodtoegang duurt (uren)",
                required=True,
                clean=number(1, MAX_EMERGENCY_HOURS, f"1 tot {MAX_EMERGENCY_HOURS} uur."),
            ),
            Field(
                "load_clients",
                "Buurt: een steunpersoon draagt veel bij meer cliënten dan",
                required=True,
                clean=number(1, 50, LOAD_CLIENTS_MESSAGE),
            ),
            Field(
                "load_moments",
                "Buurt: een steunpersoon draagt veel bij meer contacten per maand dan",
                required=True,
                clean=number(1, 200, LOAD_MOMENTS_MESSAGE),
            ),
        )

    def initial(self) -> dict[str, Any]:
        return {
            f.name: str(value) if isinstance(value := getattr(self.current, f.name), int) else value
            for f in dataclass_fields(TeamSettingsInput)
        }

    def save(self, register: Register, values: dict[str, Any], today: date) -> list[str]:
        return update_team_settings(register, self.version, TeamSettingsInput(**values))

    def rebuild(self, typed: dict[str, Any]) -> TeamSettingsForm:
        return TeamSettingsForm(self.current, self.version, self.history, typed)
