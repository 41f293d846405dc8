"""`wijkteam neighbourhood`: the Buurt view as a table, CSV or JSON.

CSV as `wijkteam overdue` writes it (RFC 4180, UTF-8 with a byte-order mark, every cell a
spreadsheet would run as a formula neutralised): one row per steunpersoon, voorziening and
postcode area, the `soort` column saying which. JSON: `{"schema": "wijkteam-neighbourhood",
"version": 1, ...}`, the figures unrounded."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.neighbourhood import Load
from wijkteam_tui.export.overdue import neutralised
from wijkteam_tui.store.read.neighbourhood import Neighbourhood, ResourceLoad, Supporter

SCHEMA_NAME = "wijkteam-neighbourhood"
SCHEMA_VERSION = 1

COLUMNS = (
    "soort",
    "naam",
    "gebied",
    "cliënten",
    "afspraken",
    "contacten per maand",
    "nagekomen 12 weken (%)",
    "12 weken ervoor (%)",
    "steunpersonen",
    "zonder informeel netwerk",
    "voorzieningen",
    "signalen",
    "gevonden via",
)


def share_text(share: int | None) -> str:
    return "—" if share is None else f"{share}%"


def month_text(moments: float) -> str:
    return f"{moments:.1f}".replace(".", ",")


def how_text(person: Supporter) -> str:
    """Per client how the member was matched: "Truus Smit (100001): telefoon"."""
    return "; ".join(
        f"{lean.client_name} ({lean.number}): {', '.join(lean.how) or '—'}"
        for lean in person.leaning
    )


def reviewed_text(resource: ResourceLoad) -> str:
    return (
        "nooit nagekeken"
        if resource.reviewed_on is None
        else f"nagekeken {resource.reviewed_on:%d-%m-%Y}"
    )


def _load_cells(clients: int, load: Load, signals: tuple[str, ...], found: str) -> list[str]:
    """The columns a steunpersoon and a voorziening share, from cliënten to gevonden via."""
    return [
        str(clients),
        str(load.agreements),
        month_text(load.moments_a_month),
        _number(load.kept_share),
        _number(load.kept_share_before),
        "",
        "",
        "",
        "; ".join(signals),
        found,
    ]


def _rows(view: Neighbourhood) -> list[list[str]]:
    rows = []
    for person in view.supporters:
        areas = " ".join(sorted({lean.area for lean in person.leaning if lean.area}))
        rows.append(
            [
                "steunpersoon",
                person.name,
                areas,
                *_load_cells(person.clients, person.load, person.signals, how_text(person)),
            ]
        )
    for resource in view.resources:
        found = reviewed_text(resource)
        rows.append(
            [
                "voorziening",
                resource.name,
                resource.area,
                *_load_cells(resource.clients, resource.load, resource.signals, found),
            ]
        )
    for area in view.areas:
        rows.append(
            [
                "gebied",
                area.code or "onbekend",
                area.code,
                str(area.clients),
                "",
                "",
                "",
                "",
                str(area.supporters),
                str(area.without_support),
                str(area.resources),
                "",
                "",
            ]
        )
    return rows


def _number(share: int | None) -> str:
    return "" if share is None else str(share)


def csv_bytes(view: Neighbourhood) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in _rows(view):
        writer.writerow([neutralised(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def _load(load: Load) -> dict[str, Any]:
    return {
        "agreements": load.agreements,
        "moments_a_month": round(load.moments_a_month, 3),
        "asked_12_weeks": round(load.asked_now, 3),
        "kept_12_weeks": round(load.kept_now, 3),
        "asked_12_weeks_before": round(load.asked_before, 3),
        "kept_12_weeks_before": round(load.kept_before, 3),
        "kept_share": load.kept_share,
        "kept_share_before": load.kept_share_before,
    }


def json_text(view: Neighbourhood, team: str) -> str:
    document = {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "team": team,
        "date": view.today.isoformat(),
        "area": view.area or None,
        "limits": {"clients": view.load_clients, "moments_a_month": view.load_moments},
        "supporters": [
            {
                "name": person.name,
                "also_named": list(person.also_named),
                "clients": person.clients,
                **_load(person.load),
                "signals": list(person.signals),
                "members": [
                    {
                        "member_id": lean.member_id,
                        "name": lean.member_name,
                        "relation": lean.relation,
                        "client_number": lean.number,
                        "client": lean.client_name,
                        "area": lean.area,
                        "matched_by": list(lean.how),
                    }
                    for lean in person.leaning
                ],
            }
            for person in view.supporters
        ],
        "resources": [
            {
                "id": resource.id,
                "name": resource.name,
                "category": resource.category,
                "area": resource.area,
                "reviewed_on": resource.reviewed_on and resource.reviewed_on.isoformat(),
                "clients": resource.clients,
                **_load(resource.load),
                "signals": list(resource.signals),
            }
            for resource in view.resources
        ],
        "areas": [
            {
                "area": area.code,
                "clients": area.clients,
                "supporters": area.supporters,
                "without_informal_network": area.without_support,
                "resources": area.resources,
            }
            for area in view.areas
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def table_text(view: Neighbourhood, team: str, printable: Callable[[str], str]) -> str:
    """The view for a terminal, a person or a paragraph per line."""
    where = f", gebied {view.area}" if view.area else ""
    lines = [
        f"Buurt van {printable(team)} op {format_date(view.today)}{where}",
        f"Veel dragen: meer dan {view.load_clients} cliënten of {view.load_moments}"
        " contacten per maand; nagekomen: echte contacten tegen afgesproken, 12 weken.",
        "",
        f"Steunpersonen met meer dan één cliënt ({len(view.supporters)},"
        f" {view.stretched} met een signaal)",
    ]
    if not view.supporters:
        lines.append("  (geen)")
    for person in view.supporters:
        also = f" (ook: {', '.join(person.also_named)})" if person.also_named else ""
        lines.append(f"  {printable(person.name)}{printable(also)}")
        lines.append(
            f"    {person.clients} cliënten · {person.load.agreements} afspraken ·"
            f" {month_text(person.load.moments_a_month)} per maand · nagekomen"
            f" {share_text(person.load.kept_share)}"
            f" (ervoor {share_text(person.load.kept_share_before)})"
        )
        lines.extend(f"    ! {signal}" for signal in person.signals)
        for lean in person.leaning:
            how = ", ".join(lean.how) or "—"
            lines.append(
                f"    - {printable(lean.client_name)} ({lean.number}, {lean.area or '?'}):"
                f" {printable(lean.member_name)}, {printable(lean.relation) or '—'};"
                f" via {how} (lid {lean.member_id})"
            )
    lines += ["", f"Voorzieningen van de sociale kaart ({len(view.resources)})"]
    if not view.resources:
        lines.append("  (geen)")
    for resource in view.resources:
        lines.append(
            f"  {printable(resource.name)} ({printable(resource.category)},"
            f" {resource.area or 'gebied onbekend'})"
        )
        lines.append(
            f"    {resource.clients} cliënten · {resource.load.agreements} afspraken ·"
            f" {month_text(resource.load.moments_a_month)} per maand · nagekomen"
            f" {share_text(resource.load.kept_share)} · {reviewed_text(resource)}"
        )
        lines.extend(f"    ! {signal}" for signal in resource.signals)
    lines += [
        "",
        "Per postcodegebied",
        f"  {'gebied':<9}{'cliënten':>9}{'steunpersonen':>15}{'zonder netwerk':>16}"
        f"{'voorzieningen':>15}",
    ]
    lines.extend(
        f"  {area.code or 'onbekend':<9}{area.clients:>9}{area.supporters:>15}"
        f"{area.without_support:>16}{area.resources:>15}"
        for area in view.areas
    )
    return "\n".join(lines) + "\n"
