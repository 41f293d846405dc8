"""An entry of the sociale kaart (Ctrl+N or `e` on the Sociale kaart screen): what it is, where,
when it is open, whom to ask for and how to reach them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from wijkteam_tui.domain.fields import clean_phone
from wijkteam_tui.store.records import Created, ResourceInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.network import add_resource, update_resource
from wijkteam_tui.views.forms.base import Field, FormScreen, text

#: A resource being changed: (its id, as it is now, the version read).
Current = tuple[int, ResourceInput, int]


def _phone(value: str, _today: date) -> str:
    return clean_phone(value or "")


class ResourceForm(FormScreen[Created]):
    def __init__(self, current: Current | None = None, typed: dict[str, Any] | None = None) -> None:
        super().__init__(typed)
        self.current = current
        self.title_text = (
            f"{current[1].name} wijzigen" if current else "Nieuwe voorziening op de sociale kaart"
        )

    def fields(self) -> Sequence[Field]:
        return (
            Field(
                "name", "Naam", required=True, clean=text(120), placeholder="Buurthuis De Schakel"
            ),
            Field(
                "category",
                "Soort",
                required=True,
                clean=text(60),
                placeholder="buurthuis, kerk, moskee, vereniging, inloop",
            ),
            Field("address", "Adres", clean=text(200), placeholder="Lindelaan 4, Middelwijk"),
            Field("opening_hours", "Open", clean=text(200), placeholder="ma-vr 9:00-17:00"),
            Field("contact_person", "Contactpersoon", clean=text(120)),
            Field("phone", "Telefoon", clean=_phone),
            Field("notes", "Notitie", kind="area", clean=text(4000)),
        )

    def initial(self) -> dict[str, Any]:
        return asdict(self.current[1]) if self.current else {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> Created:
        data = ResourceInput(**values)
        if self.current is not None:
            resource_id, _, version = self.current
            return update_resource(register, resource_id, version, data, today)
        return add_resource(register, data, today)

    def rebuild(self, typed: dict[str, Any]) -> ResourceForm:
        return ResourceForm(self.current, typed)
