"""The team's settings (teamleider only): checked with Dutch messages, and each change
recorded in the settings' history with who and when."""

from __future__ import annotations

from dataclasses import asdict

from wijkteam_tui.domain.access import ACCESS_LABELS, MAX_EMERGENCY_HOURS
from wijkteam_tui.domain.fields import FieldError, clean_phone
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.review import TeamSettingsInput
from wijkteam_tui.store.write.common import (
    acting_teamleider,
    check_version,
    evaluate_again,
    record_change,
    team_settings,
)

#: How each setting is named in its history.
SETTING_LABELS = {
    "team_name": "teamnaam",
    "wijk": "wijk",
    "grace_days": "coulance (dagen)",
    "idle_lock_minutes": "vergrendelen na (minuten)",
    "out_of_hours_name": "buiten kantoortijd: naam",
    "out_of_hours_phone": "buiten kantoortijd: nummer",
    "out_of_hours_hours": "buiten kantoortijd: wanneer",
    "office_phone": "kantoornummer van het team",
    "retention_years_wmo": "bewaartermijn Wmo (jaren)",
    "retention_years_wmo_no_provision": "bewaartermijn Wmo zonder voorziening (jaren)",
    "retention_years_youth_act": "bewaartermijn Jeugdwet (jaren)",
    "access": "een medewerker opent",
    "emergency_hours": "noodtoegang (uren)",
    "load_clients": "buurt: steunpersoon met meer cliënten dan",
    "load_moments": "buurt: steunpersoon met meer contacten per maand dan",
}

LOAD_CLIENTS_MESSAGE = "Het aantal cliënten van een steunpersoon is 1 tot 50."
LOAD_MOMENTS_MESSAGE = "Het aantal contacten per maand van een steunpersoon is 1 tot 200."

#: The Jeugdwet (art. 7.3.10) keeps a youth file at least 20 years.
YOUTH_ACT_MINIMUM_YEARS = 20


def _checked(data: TeamSettingsInput) -> TeamSettingsInput:
    def text(name: str, label: str, limit: int, required: bool = False) -> str:
        value = " ".join(str(getattr(data, name)).split())
        if required and not value:
            raise ValidationError(f"{label} mag niet leeg zijn.", name)
        if len(value) > limit:
            raise ValidationError(f"{label} is te lang (hoogstens {limit} tekens).", name)
        return value

    def number(name: str, low: int, high: int, message: str) -> int:
        value = getattr(data, name)
        if not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(message, name)
        return value

    def phone(name: str) -> str:
        try:
            return clean_phone(str(getattr(data, name)))
        except FieldError as error:
            raise ValidationError(str(error), name) from error

    return TeamSettingsInput(
        team_name=text("team_name", "De teamnaam", 120, required=True),
        wijk=text("wijk", "De wijk", 80),
        grace_days=number("grace_days", 0, 30, "De coulance is 0 tot 30 dagen."),
        idle_lock_minutes=number("idle_lock_minutes", 1, 120, "Vergrendelen na 1 tot 120 minuten."),
        out_of_hours_name=text("out_of_hours_name", "De naam", 120),
        out_of_hours_phone=phone("out_of_hours_phone"),
        out_of_hours_hours=text("out_of_hours_hours", "Wanneer", 80),
        office_phone=phone("office_phone"),
        retention_years_wmo=number(
            "retention_years_wmo", 1, 99, "Een bewaartermijn is 1 tot 99 jaar."
        ),
        retention_years_wmo_no_provision=number(
            "retention_years_wmo_no_provision", 1, 99, "Een bewaartermijn is 1 tot 99 jaar."
        ),
        retention_years_youth_act=number(
            "retention_years_youth_act",
            YOUTH_ACT_MINIMUM_YEARS,
            99,
            f"De Jeugdwet bewaart een dossier ten minste {YOUTH_ACT_MINIMUM_YEARS} jaar"
            f" (art. 7.3.10); kies {YOUTH_ACT_MINIMUM_YEARS} tot 99.",
        ),
        access=_access(data.access),
        emergency_hours=number(
            "emergency_hours",
            1,
            MAX_EMERGENCY_HOURS,
            f"Noodtoegang duurt 1 tot {MAX_EMERGENCY_HOURS} uur.",
        ),
        load_clients=number("load_clients", 1, 50, LOAD_CLIENTS_MESSAGE),
        load_moments=number("load_moments", 1, 200, LOAD_MOMENTS_MESSAGE),
    )


def _access(value: str) -> str:
    if value not in ACCESS_LABELS:
        choices = " of ".join(f"'{key}' ({label})" for key, label in ACCESS_LABELS.items())
        raise ValidationError(f"Kies {choices}.", "access")
    return value


def update_team_settings(register: Register, version: int, data: TeamSettingsInput) -> list[str]:
    """Change the team's settings (teamleider only); each changed setting is recorded with who
    and when. Returns the labels of what changed (nothing: an empty list, nothing written)."""
    user_id = acting_teamleider(register, "Alleen een teamleider wijzigt de teaminstellingen.")
    checked = _checked(data)
    with register.write() as session:
        settings = team_settings(session)
        check_version(settings.version, version)
        changed = []
        for name, new in asdict(checked).items():
            old = getattr(settings, name)
            if old != new:
                record_change(session, user_id, SETTING_LABELS[name], old, new)
                setattr(settings, name, new)
                changed.append(SETTING_LABELS[name])
                if name == "grace_days":
                    # Missed contacts count from other days now.
                    evaluate_again(session)
        return changed
