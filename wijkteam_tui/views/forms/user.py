"""Gebruiker toevoegen (`n` on Gebruikers, teamleider): a login name, the name shown, a phone
number and a role.
The new user gets a one-time passphrase, shown once to the teamleider, which they replace by
their own at their first unlock. The store checks it all again and refuses a medewerker.

Telefoonnummer (`t` on Gebruikers for anyone, "Mijn telefoonnummer" in the command palette for
oneself): the number the shared documents of that person's clients print."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from textual.screen import Screen

from wijkteam_tui.domain.accounts import validate_user_name
from wijkteam_tui.domain.fields import FieldError, clean_name, clean_phone
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import UsageError
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.users import DISPLAY_NAME_LENGTH, add_user, set_phone, user_phone
from wijkteam_tui.views.base import StoreWorkers
from wijkteam_tui.views.forms.base import Field, FormScreen, labelled


def _login_name(value: str, _today: date) -> str:
    name = (value or "").strip()
    try:
        validate_user_name(name)
    except UsageError as error:
        raise FieldError(str(error)) from None
    return name


def _display_name(value: str, _today: date) -> str:
    return clean_name(value or "", DISPLAY_NAME_LENGTH)


def _phone(value: str, _today: date) -> str:
    return clean_phone(value or "")


class AddUserForm(FormScreen[tuple[str, str]]):
    """Dismisses with (user name, one-time passphrase)."""

    title_text = "Gebruiker toevoegen"
    intro_text = (
        "De nieuwe gebruiker krijgt een eenmalig wachtwoord, dat u hierna één keer ziet en"
        " persoonlijk doorgeeft. Bij de eerste keer openen kiest hij of zij een eigen wachtwoord."
    )

    def fields(self) -> Sequence[Field]:
        return [
            Field(
                "name",
                "Gebruikersnaam (om mee in te loggen)",
                required=True,
                clean=_login_name,
                placeholder="bijv. fatima.elamrani",
            ),
            Field(
                "display_name",
                "Naam",
                clean=_display_name,
                placeholder="bijv. Fatima El Amrani",
            ),
            Field(
                "phone",
                "Telefoon (in de gedeelde afspraken van de eigen cliënten)",
                clean=_phone,
                placeholder="bijv. 06-12345678",
            ),
            Field("role", "Rol", kind="choice", required=True, choices=labelled(Role)),
        ]

    def initial(self) -> dict[str, Any]:
        return {"role": Role.MEDEWERKER}

    def save(self, register: Register, values: dict[str, Any], today: date) -> tuple[str, str]:
        name = values["name"]
        passphrase = add_user(
            register,
            name,
            values["role"],
            display_name=values["display_name"] or "",
            phone=values["phone"] or "",
        )
        return name, passphrase

    def rebuild(self, typed: dict[str, Any]) -> AddUserForm:
        return AddUserForm(typed)


class PhoneForm(FormScreen[str]):
    """One person's phone number; dismisses with the number as stored ("" when cleared)."""

    intro_text = (
        "Dit nummer staat in de gedeelde afspraken en op het kaartje van de eigen cliënten."
        " Leeg: het kantoornummer van het team (Teaminstellingen) staat er dan."
    )

    def __init__(self, name: str, phone: str, typed: dict[str, Any] | None = None) -> None:
        super().__init__(typed)
        self.user_name = name
        self.phone = phone
        self.title_text = f"Telefoonnummer van {name}"

    def fields(self) -> Sequence[Field]:
        return (Field("phone", "Telefoon", clean=_phone, placeholder="bijv. 06-12345678"),)

    def initial(self) -> dict[str, Any]:
        return {"phone": self.phone}

    def save(self, register: Register, values: dict[str, Any], today: date) -> str:
        return set_phone(register, self.user_name, values["phone"] or "")

    def rebuild(self, typed: dict[str, Any]) -> PhoneForm:
        return PhoneForm(self.user_name, self.phone, typed)


def ask_own_phone(screen: StoreWorkers, register: Register) -> None:
    """The person's own phone number, in a form with what is stored now ("Mijn
    telefoonnummer" in the command palette, on any screen of the register)."""
    if register.user is None:
        return
    name = register.user.name
    app = cast("Screen[Any]", screen).app

    def changed(number: str | None) -> None:
        if number is not None:
            app.notify(
                f"Uw telefoonnummer is nu {number}."
                if number
                else "U hebt geen eigen telefoonnummer meer; het kantoornummer van het team"
                " staat in de gedeelde afspraken."
            )

    def loaded(phone: str) -> None:
        app.push_screen(PhoneForm(name, phone), changed)

    screen.run_store(
        lambda: user_phone(register, name),
        loaded,
        group="own-phone",
        hold_keys=True,
    )
