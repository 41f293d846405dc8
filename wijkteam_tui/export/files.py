"""Writing an export to disk, for the command line and the client file alike.

A file written to disk is a readable document by design (it is what the client takes home):
`READABLE_WARNING` is said before writing, the file is created 0600, written completely or not
at all (a temporary file, fsync, then renamed), an existing file is replaced only when asked,
and the export is recorded with its version in the same transaction as the file is made."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path

from wijkteam_tui.errors import UsageError
from wijkteam_tui.export import card, document, ical, markdown, pdf
from wijkteam_tui.store.engine import Register, utc_now
from wijkteam_tui.store.sharing import record_export, sharing_facts

#: Format → (what it is, file extension).
FORMATS = {
    "pdf": ("PDF om te printen (A4)", "pdf"),
    "kaart": ("crisiskaart voor in de portemonnee (A7, PDF)", "pdf"),
    "md": ("tekst (Markdown)", "md"),
    "ics": ("agenda (iCalendar)", "ics"),
}

READABLE_WARNING = (
    "wordt een leesbaar, onversleuteld document met persoonsgegevens (alleen voor u leesbaar:"
    " 0600). Geef het alleen aan de cliënt en de mensen die erin staan."
)


@dataclass(frozen=True)
class Exported:
    path: Path
    version: int
    client_name: str
    left_out: list[str]


def render(doc: document.SharedDocument, file_format: str) -> bytes:
    if file_format == "ics":
        return ical.render(doc, utc_now().replace(tzinfo=UTC))
    if file_format == "pdf":
        return pdf.render(doc)
    if file_format == "kaart":
        return card.render(doc)
    return markdown.render(doc).encode("utf-8")


def write_private(path: Path, content: bytes, *, force: bool) -> Path:
    """Write `content` next to `path` as a file only this account can read (0600), completely
    or not at all; returns the temporary file to rename into place."""
    target = path.expanduser()
    if target.exists() and not force:
        raise UsageError(f"{target} bestaat al; kies een andere naam of vervang het bestand.")
    if not target.parent.is_dir():
        raise UsageError(f"De map {target.parent} bestaat niet.")
    temporary = target.with_name(f".{target.name}.wijkteam-tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def export_agreements(
    register: Register,
    client_id: int,
    file_format: str,
    target: Path,
    today: date,
    *,
    force: bool = False,
) -> Exported:
    """Export one client's shared agreements to `target`; recorded with its version."""
    target = target.expanduser()
    facts = sharing_facts(register, client_id)
    written: list[Path] = []
    built: list[document.SharedDocument] = []

    def write(version: int) -> None:
        doc = document.build(facts, today, version)
        built.append(doc)
        written.append(write_private(target, render(doc, file_format), force=force))

    try:
        record_export(register, client_id, file_format, write)
        os.replace(written[0], target)
    except BaseException:
        for temporary in written:
            temporary.unlink(missing_ok=True)
        raise
    doc = built[0]
    return Exported(target, doc.version, doc.client_name, doc.left_out)
