"""The shared agreements as Markdown that reads well as plain text too.

User text is escaped, so that a name cannot break the document's structure: every character
Markdown gives a meaning (`\\ ` * _ [ ] < > | # ~ !`) gets a backslash, a line break inside a
field becomes a space, and a field that would start a list, quote or heading does not."""

from __future__ import annotations

import re

from wijkteam_tui.domain.dates import format_date, next_time_text
from wijkteam_tui.domain.terms import SignalPhase
from wijkteam_tui.export.document import NOT_YET, SharedDocument

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")
_MARK_START = re.compile(r"^([-+=>])")
_NUMBER_START = re.compile(r"^(\d+)([.)])")


def escaped(text: str) -> str:
    """User text, safe inside Markdown: shown literally, on one line."""
    one_line = " ".join(text.split())
    safe = _SPECIAL.sub(r"\\\1", one_line)
    # Only punctuation can be escaped: "1. twee" becomes "1\\. twee", not "\\1. twee".
    return _NUMBER_START.sub(r"\1\\\2", _MARK_START.sub(r"\\\1", safe))


def _or_not_yet(text: str) -> str:
    return escaped(text) if text.strip() else f"*{NOT_YET}*"


PHASE_TITLES = {
    SignalPhase.GREEN: "Groen: het gaat goed",
    SignalPhase.ORANGE: "Oranje: het gaat minder",
    SignalPhase.RED: "Rood: het gaat niet goed, nu handelen",
}


def _whom_to_call(doc: SharedDocument) -> list[str]:
    lines = ["## Wie bel ik?", ""]
    if doc.casemanager:
        phone = f", {escaped(doc.casemanager_phone)}" if doc.casemanager_phone else ""
        lines.append(f"- Casemanager: {escaped(doc.casemanager)}{phone}")
    else:
        lines.append(f"- Casemanager: *{NOT_YET}*")
    if doc.out_of_hours_name or doc.out_of_hours_phone:
        when = f" ({escaped(doc.out_of_hours_hours)})" if doc.out_of_hours_hours else ""
        who = escaped(doc.out_of_hours_name) or "Bereikbaar"
        phone = f": {escaped(doc.out_of_hours_phone)}" if doc.out_of_hours_phone else ""
        lines.append(f"- Buiten kantoortijd, dag en nacht: {who}{phone}{when}")
    else:
        lines.append(f"- Buiten kantoortijd: *{NOT_YET}*")
    return [*lines, ""]


def _network(doc: SharedDocument) -> list[str]:
    lines = ["## Mijn netwerk", ""]
    for m in doc.members:
        name = escaped(m.name) + (f" ({escaped(m.relation)})" if m.relation else "")
        details = [
            f"tel. {escaped(m.phone)}" if m.phone else "",
            f"steun: {m.supports}" if m.supports else "",
            "ook buiten kantoortijd" if m.out_of_hours else "",
        ]
        extra = ", ".join(d for d in details if d)
        lines.append(f"- {name}" + (f": {extra}" if extra else ""))
    if not doc.members:
        lines.append(f"*{NOT_YET}*")
    lines += ["", "## Wie houdt contact, en wanneer", ""]
    for a in doc.agreements:
        nxt = f"; volgende keer {next_time_text(a.next_due, doc.made_on)}" if a.next_due else ""
        until = f", tot {format_date(a.end_on)}" if a.end_on else ""
        lines.append(
            f"- {escaped(a.who)}: {a.channel}, {a.how_often}"
            f" (sinds {format_date(a.start_on)}{until}){nxt}"
        )
    if not doc.agreements:
        lines.append(f"*{NOT_YET}*")
    return [*lines, ""]


def _plan(doc: SharedDocument) -> list[str]:
    lines = ["## Signaleringsplan", ""]
    for phase in SignalPhase:
        lines += [f"### {PHASE_TITLES[phase]}", ""]
        rows = doc.plan.get(phase, [])
        if not rows:
            lines += [f"*{NOT_YET}*", ""]
        for row in rows:
            lines += [
                f"- Signalen: {_or_not_yet(row.signs)}",
                f"  - Wat ik zelf doe: {_or_not_yet(row.own_actions)}",
                f"  - Wat mijn netwerk doet: {_or_not_yet(row.network_actions)}",
                f"  - Wat de professional doet: {_or_not_yet(row.professional_actions)}",
                f"  - Wie bel ik: {_or_not_yet(row.whom_to_call)}",
                "",
            ]
    return lines


def render(doc: SharedDocument) -> str:
    """The whole document; every section is there, with "nog niet afgesproken" where empty."""
    name = escaped(doc.client_name)
    lines = [
        f"# Afspraken rond {name}",
        "",
        f"{escaped(doc.team_name)} · gemaakt op {doc.made_on_text} · versie {doc.version}",
        "",
        *_whom_to_call(doc),
        *_network(doc),
        *_plan(doc),
        f"*Versie {doc.version}, {doc.made_on_text}. Dit overzicht is van {name} en de mensen"
        " die erin staan; bewaar het op een veilige plek.*",
    ]
    return "\n".join(lines) + "\n"
