"""Inzage (AVG art. 15) as files: the whole record as JSON (`inzage.schema.json` beside this
module, version 1) and a readable Markdown summary with the access history in date order.
Both files are written completely or not at all, 0600, and only replace files when asked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wijkteam_tui.export.markdown import escaped
from wijkteam_tui.export.to_disk import write_private
from wijkteam_tui.store.files import Temporary
from wijkteam_tui.store.read.inzage import SECTIONS, Inzage

SCHEMA_FILE = Path(__file__).with_name("inzage.schema.json")


def to_json(inzage: Inzage) -> bytes:
    return (json.dumps(inzage.document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _value(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return escaped(str(value))


#: Column names in words for the summary (the JSON keeps the column names).
LABELS = {
    "number": "cliëntnummer", "external_id": "nummer in het vorige systeem", "name": "naam",
    "birth_date": "geboortedatum", "street": "straat", "house_number": "huisnummer",
    "postcode": "postcode", "city": "plaats",
    "phone": "telefoon", "email": "e-mail", "casemanager_name": "casemanager",
    "phase": "fase", "regime": "wettelijk kader", "own_words": "in eigen woorden",
    "strengths": "sterke kanten", "meaningful": "wat betekenis geeft",
    "opened_on": "aangemeld op", "closed_on": "afgesloten op",
    "retention_until": "bewaren tot", "last_contact_on": "laatste contact",
    "next_due": "volgend contact", "created_at": "vastgelegd op",
    "updated_at": "laatst gewijzigd op", "relation": "relatie", "kind": "soort",
    "supports": "steun", "availability": "bereikbaar", "consent_to_share":
    "toestemming om te delen", "consent_recorded_on": "toestemming vastgelegd op",
    "consent_review_on": "toestemming opnieuw vragen op", "ring": "ring",
    "out_of_hours": "ook buiten kantoortijd", "notes": "notities", "active": "actief",
    "channel": "hoe", "occurred_on": "datum", "outcome": "uitkomst", "note": "notitie",
    "interval_days": "elke zoveel dagen", "rrule": "vast patroon", "start_on": "vanaf",
    "end_on": "tot", "shared": "gedeeld", "signs": "signalen",
    "own_actions": "wat ik zelf doe", "network_actions": "wat mijn netwerk doet",
    "professional_actions": "wat de professional doet", "whom_to_call": "wie bel ik",
    "observed_on": "datum", "reason": "reden", "status": "status",
    "user_name": "medewerker", "logged_by_name": "vastgelegd door",
    "file_format": "vorm", "exported_by_name": "meegegeven door",
    "exported_at": "meegegeven op", "description": "omschrijving",
    "remind_by_mail": "herinneren per mail", "remind_consent_on":
    "toestemming herinneren gegeven op", "remind_review_on": "herinneren opnieuw vragen op",
    "remind_days_before": "herinnering dagen vooraf", "due_on": "moment", "address": "adres",
    "attempts": "pogingen", "error": "fout", "message_id": "berichtnummer",
    "claimed_at": "klaargezet op", "sent_at": "verzonden op", "absence_id": "afwezigheid",
    "cover_name": "waarneming door", "opened_at": "geopend op (UTC)",
    "until_at": "geldig tot (UTC)", "from_on": "vanaf", "until_on": "tot en met",
    "ended_on": "beëindigd op", "granted_by_name": "gegeven door",
}  # fmt: skip
#: Technical columns the summary leaves to the JSON file.
_TECHNICAL = {"id", "client_id", "version", "evaluated_on", "search_key"}


def _label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " "))


def _fields(row: dict[str, Any]) -> str:
    return "; ".join(
        f"{_label(key)}: {_value(value)}"
        for key, value in row.items()
        if key not in _TECHNICAL and not key.endswith("_id")
    )


def to_markdown(inzage: Inzage) -> str:
    doc = inzage.document
    lines = [
        f"# Inzage: {escaped(inzage.client_name)} (cliënt {escaped(inzage.client_number)})",
        "",
        f"Alles wat het wijkteam-register over u bewaart (AVG artikel 15), gemaakt op"
        f" {doc['made_at']} (UTC) door {escaped(doc['made_by'])}. Het volledige bestand staat"
        " in het JSON-bestand dat bij deze samenvatting hoort.",
        "",
        "## Uw gegevens",
        "",
    ]
    lines += [
        f"- {_label(key)}: {_value(value)}"
        for key, value in doc["client"].items()
        if key not in _TECHNICAL and not key.endswith("_id")
    ]
    for key, _model, title in SECTIONS:
        rows = doc[key]
        lines += ["", f"## {title} ({len(rows)})", ""]
        lines += [f"- {_fields(row)}" for row in rows] or ["*geen*"]
    access = doc["access"]
    lines += [
        "",
        f"## Wie uw gegevens heeft ingezien of gewijzigd ({len(access)})",
        "",
        "Uit het auditlog, oudste eerst; de tijden zijn UTC.",
        "",
    ]
    lines += [
        f"- {e['at'][:16].replace('T', ' ')} · {escaped(e['user'])}"
        f" ({escaped(e['role']) or '—'}): {escaped(e['what'])}"
        + (f" ({escaped(e['detail'])})" if e["detail"] else "")
        for e in access
    ] or ["*geen*"]
    return "\n".join(lines) + "\n"


def summary_path(target: Path) -> Path:
    """Where the readable summary goes beside the JSON file: inzage.json → inzage.md."""
    return target.with_suffix(".md") if target.suffix == ".json" else Path(f"{target}.md")


def write_inzage(inzage: Inzage, target: Path, *, force: bool) -> tuple[Path, Path]:
    """Write the JSON and the summary, both or neither; returns their paths."""
    target = target.expanduser()
    summary = summary_path(target)
    written: list[Temporary] = []
    try:
        written.append(write_private(target, to_json(inzage), force=force))
        written.append(write_private(summary, to_markdown(inzage).encode("utf-8"), force=force))
        written[0].move_to(target)
        written[1].move_to(summary)
    except BaseException:
        for temporary in written:
            temporary.remove()
        raise
    return target, summary
