"""A fictitious client's outcomes over time: a ZRM every four to six months since their file
opened, mostly steady or slowly better, now and then a drop; for some a conversation about
Positieve Gezondheid. Drawn from a random stream of the client's own, so that the rest of the
demo stays as it was."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from wijkteam_tui.domain import client_facts as known
from wijkteam_tui.domain.outcomes import PG_DIMENSIONS, ZRM_DOMAINS
from wijkteam_tui.domain.terms import AssessmentKind

#: Domains that often do not play in someone's life (n.v.t.).
_OFTEN_NOT_APPLICABLE = {"justitie", "middelengebruik", "werk_opleiding"}
_WORDS = (
    "Ik voel me beter sinds ik weer naar de inloop ga.",
    "Het gaat op en af; de winter is zwaar.",
    "Ik wil weer meedoen, maar weet niet waar te beginnen.",
    "Mijn kleinkinderen geven me zin.",
)


@dataclass
class Outcomes:
    assessments: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    #: The two newest ZRM (newest last) and the day of the newest of any kind.
    zrm: list[known.AssessmentFacts] = field(default_factory=list)
    last_assessed_on: date | None = None


def outcomes_of(
    client_id: int,
    ids: Any,
    opened_on: date,
    today: date,
    casemanager: int,
    now: Any,
    *,
    in_view: bool,
) -> Outcomes:
    """Every client in duurzaam in beeld and half the others open for four months or more
    have ZRM assessments; some talked about Positieve Gezondheid as well."""
    rng = random.Random(f"uitkomsten-{client_id}-{opened_on.isoformat()}")
    made = Outcomes()
    if (today - opened_on).days < 120 or (not in_view and rng.random() < 0.5):
        return made

    def add(kind: AssessmentKind, on: date, scores: dict[str, int | None], words: str) -> int:
        assessment_id = int(ids.next("assessments"))
        made.assessments.append(
            {
                "id": assessment_id, "client_id": client_id, "kind": kind, "assessed_on": on,
                "own_words": words, "recorded_by_id": casemanager, "recorded_at": now,
                "changed_by_id": None, "changed_at": None, "version": 1,
            }
        )  # fmt: skip
        for code, score in scores.items():
            made.scores.append(
                {
                    "id": ids.next("assessment_scores"), "assessment_id": assessment_id,
                    "client_id": client_id, "domain": code, "score": score, "note": "",
                }
            )  # fmt: skip
        made.last_assessed_on = max(made.last_assessed_on or on, on)
        return assessment_id

    levels: dict[str, int | None] = {
        d.code: None
        if d.code in _OFTEN_NOT_APPLICABLE and rng.random() < 0.7
        else rng.choice((2, 3, 3, 4, 4))
        for d in ZRM_DOMAINS
    }
    day = opened_on + timedelta(days=rng.randint(7, 30))
    dropping = rng.random() < 0.08
    while day <= today:
        last = day + timedelta(days=rng.randint(120, 180)) > today
        for code, level in levels.items():
            if level is not None:
                step = rng.choices((1, 0, -1), weights=(22, 75, 3))[0]
                levels[code] = min(5, max(1, level + step))
        if last and dropping:
            fallen = rng.choice([c for c, v in levels.items() if v is not None and v >= 3])
            levels[fallen] = max(1, (levels[fallen] or 3) - 2)
        assessment_id = add(AssessmentKind.ZRM, day, dict(levels), "")
        made.zrm = [*made.zrm, known.AssessmentFacts(assessment_id, day, dict(levels))][-2:]
        day += timedelta(days=rng.randint(120, 180))
    if rng.random() < 0.4:
        on = today - timedelta(days=rng.randint(10, 200))
        if on >= opened_on:
            scores: dict[str, int | None] = {d.code: rng.randint(3, 9) for d in PG_DIMENSIONS}
            add(AssessmentKind.PG, on, scores, rng.choice(_WORDS))
    return made
