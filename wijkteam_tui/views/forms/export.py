"""Delen (`d` in the client file): the client's shared agreements to a file, as a PDF to print,
a wallet card, text or a calendar. The form says before anything is written that the file is a
readable document with personal data, and who is left out and why (who is named where), and
saving confirms that: when it changed in the meantime, nothing is written; afterwards the
client file says where the file went."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from textual import on
from textual.widgets import Input, Select

from wijkteam_tui.domain.fields import FieldError
from wijkteam_tui.errors import ConflictError
from wijkteam_tui.export.to_disk import (
    FORMATS,
    READABLE_WARNING,
    Exported,
    export_agreements,
    file_name,
)
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.forms.base import Field, FormScreen

REPLACE = [("nee", False), ("ja, vervang het bestaande bestand", True)]


def _path(value: str, _today: date) -> Path:
    text = (value or "").strip()
    if not text:
        raise FieldError("Waar moet het bestand komen? Geef een bestandsnaam.")
    path = Path(text).expanduser()
    if path.is_dir():
        raise FieldError("Dit is een map; geef ook een bestandsnaam.")
    if not path.parent.is_dir():
        raise FieldError(f"De map {path.parent} bestaat niet.")
    return path


class ExportForm(FormScreen[Exported]):
    def __init__(
        self,
        client_id: int,
        client_name: str,
        client_number: str,
        folder: Path,
        left_out: Sequence[str],
        *,
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.client_id = client_id
        self.client_name = client_name
        self.client_number = client_number
        self.folder = folder
        self.left_out = list(left_out)
        self.title_text = f"Gedeelde afspraken van {client_name} naar een bestand"
        lines = [f"Het bestand {READABLE_WARNING}"]
        lines += [f"Niet gedeeld: {reason}" for reason in self.left_out]
        self.intro_text = "\n".join(lines)

    def fields(self) -> Sequence[Field]:
        return (
            Field(
                "file_format",
                "Vorm",
                kind="choice",
                required=True,
                choices=[(label, key) for key, (label, _) in FORMATS.items()],
                hint=self._where,
            ),
            Field("path", "Bestand", required=True, clean=_path),
            Field("replace", "Bestaand bestand vervangen", kind="choice", choices=REPLACE),
        )

    def initial(self) -> dict[str, Any]:
        path = self.folder / file_name(self.client_number, "pdf")
        return {"file_format": "pdf", "path": str(path), "replace": False}

    @on(Select.Changed, "#file_format")
    def _name_follows_the_format(self, event: Select.Changed) -> None:
        """A name the form proposed follows the format (a wallet card never lands on the A4
        PDF's name); a name the person typed stays theirs, with a tip about its ending."""
        if event.value is Select.NULL or not self.is_mounted:
            return
        field = self.query_one("#path", Input)
        typed = field.value.strip()
        current = Path(typed).expanduser() if typed else None
        proposed = {file_name(self.client_number, key) for key in FORMATS}
        if current is None or current.name in proposed:
            folder = current.parent if current is not None else self.folder
            field.value = str(folder / file_name(self.client_number, str(event.value)))

    def _where(self, typed: dict[str, Any], _today: date) -> str:
        file_format = typed.get("file_format") or "pdf"
        extension = FORMATS[file_format][1]
        path = str(typed.get("path") or "")
        if path and not path.endswith(f".{extension}"):
            return f"Tip: laat de naam eindigen op .{extension}."
        return ""

    def save(self, register: Register, values: dict[str, Any], today: date) -> Exported:
        return export_agreements(
            register,
            self.client_id,
            values["file_format"],
            values["path"],
            today,
            force=bool(values["replace"]),
            before_writing=self._as_shown,
        )

    def _as_shown(self, left_out: list[str]) -> None:
        """The person confirmed what this form said is left out: not something else."""
        if left_out != self.left_out:
            raise ConflictError(
                "Wat er niet gedeeld wordt, is veranderd sinds dit formulier openging (iemand"
                " wijzigde het dossier); er is niets geschreven."
            )

    def rebuild(self, typed: dict[str, Any]) -> ExportForm:
        return ExportForm(
            self.client_id, self.client_name, self.client_number, self.folder, self.left_out,
            typed=typed,
        )  # fmt: skip
