"""A client: new (from Cliënten, `n`) or changed (from the client file, `e`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from wijkteam_tui.domain.fields import (
    clean_date,
    clean_phone,
    clean_postcode,
)
from wijkteam_tui.domain.terms import Regime
from wijkteam_tui.store.records import ClientInput, ClientSummary, UserItem
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.clients import create_client, update_client
from wijkteam_tui.views.forms.base import Field, FormScreen, labelled, text

#: Free text (in eigen woorden, krachten, van betekenis): long enough for a real story.
LONG_TEXT = 4000


def _past_date(value: str, today: date) -> date | None:
    return clean_date(value or "", today, not_after=today, not_before=date(1900, 1, 1))


def _start_date(value: str, today: date) -> date | None:
    if not (value or "").strip():
        return today
    return _past_date(value, today)


def _postcode(value: str, _today: date) -> str:
    return clean_postcode(value or "")


def _phone(value: str, _today: date) -> str:
    return clean_phone(value or "")


class ClientForm(FormScreen[ClientSummary]):
    """Name, birth date, address, phone, regime, casemanager, start, and the person's own story."""

    def __init__(
        self,
        users: Sequence[UserItem],
        current: tuple[int, ClientInput, int] | None = None,
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.users = list(users)
        # (client id, details, version) when changing an existing client.
        self.current = current
        self.title_text = (
            f"Cliënt wijzigen: {current[1].name}" if current else "Nieuwe cliënt aanmelden"
        )

    def fields(self) -> Sequence[Field]:
        return (
            Field(
                "name", "Naam", required=True, clean=text(160), placeholder="voor- en achternaam"
            ),
            Field("birth_date", "Geboortedatum", clean=_past_date, placeholder="dd-mm-jjjj"),
            Field("street", "Straat", clean=text(120)),
            Field("house_number", "Huisnummer", clean=text(20), placeholder="12, 12a, 12-2"),
            Field("postcode", "Postcode", clean=_postcode, placeholder="1234 AB"),
            Field("city", "Plaats", clean=text(80)),
            Field("phone", "Telefoon", clean=_phone, placeholder="06-12345678"),
            Field(
                "regime",
                "Regime",
                kind="choice",
                required=True,
                choices=labelled(Regime),
            ),
            Field(
                "casemanager_id",
                "Casemanager",
                kind="choice",
                choices=[("nog niemand", None)]
                + [(user.display_name, user.id) for user in self.users],
                store_name="casemanager",
            ),
            Field(
                "opened_on",
                "Aangemeld op",
                clean=_start_date,
                placeholder="vandaag",
                store_name="opened_on",
            ),
            Field(
                "own_words",
                "In eigen woorden: wat wil de cliënt zelf",
                kind="area",
                clean=text(LONG_TEXT),
            ),
            Field("strengths", "Krachten", kind="area", clean=text(LONG_TEXT)),
            Field(
                "meaningful",
                "Van betekenis: wat de cliënt voor anderen doet",
                kind="area",
                clean=text(LONG_TEXT),
            ),
        )

    def initial(self) -> dict[str, Any]:
        if self.current is None:
            register = self.wijkteam.register
            mine = register.user.id if register is not None and register.user else None
            return {"regime": Regime.WMO, "casemanager_id": mine, "opened_on": "vandaag"}
        # The store's input record has the form's field names.
        return asdict(self.current[1])

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        born, opened = values.get("birth_date"), values.get("opened_on")
        if born is not None and opened is not None and born > opened:
            return {"birth_date": "De geboortedatum ligt na de aanmelddatum."}
        return {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> ClientSummary:
        data = ClientInput(**values)
        if self.current is None:
            return create_client(register, data, today)
        client_id, _, version = self.current
        return update_client(register, client_id, version, data, today)

    def rebuild(self, typed: dict[str, Any]) -> ClientForm:
        return ClientForm(self.users, self.current, typed)
