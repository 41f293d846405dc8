"""Outcomes over time: the Zelfredzaamheid-Matrix (ZRM, 13 domains, 1 acute … 5 fully
self-reliant, or not applicable) and Positieve Gezondheid (6 dimensions, 0–10).

Pure: which domains there are, how a typed score reads, how two assessments compare, and what
counts as a drop (the threshold rules of domain.thresholds ask `fallen_by` and `fallen`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from wijkteam_tui.domain.search import fold
from wijkteam_tui.domain.terms import AssessmentKind


@dataclass(frozen=True)
class Domain:
    code: str
    label: str


ZRM_DOMAINS = (
    Domain("financien", "financiën"),
    Domain("werk_opleiding", "werk & opleiding"),
    Domain("tijdsbesteding", "tijdsbesteding"),
    Domain("huisvesting", "huisvesting"),
    Domain("huiselijke_relaties", "huiselijke relaties"),
    Domain("geestelijke_gezondheid", "geestelijke gezondheid"),
    Domain("lichamelijke_gezondheid", "lichamelijke gezondheid"),
    Domain("middelengebruik", "middelengebruik"),
    Domain("basale_adl", "basale ADL"),
    Domain("instrumentele_adl", "instrumentele ADL"),
    Domain("sociaal_netwerk", "sociaal netwerk"),
    Domain("maatschappelijke_participatie", "maatschappelijke participatie"),
    Domain("justitie", "justitie"),
)
PG_DIMENSIONS = (
    Domain("lichaamsfuncties", "lichaamsfuncties"),
    Domain("mentaal_welbevinden", "mentaal welbevinden"),
    Domain("zingeving", "zingeving"),
    Domain("kwaliteit_van_leven", "kwaliteit van leven"),
    Domain("meedoen", "meedoen"),
    Domain("dagelijks_functioneren", "dagelijks functioneren"),
)
DOMAINS = {AssessmentKind.ZRM: ZRM_DOMAINS, AssessmentKind.PG: PG_DIMENSIONS}
#: The lowest and highest score of each kind.
SCALE = {AssessmentKind.ZRM: (1, 5), AssessmentKind.PG: (0, 10)}
ZRM_LEVELS = {
    1: "acute problematiek",
    2: "niet zelfredzaam",
    3: "beperkt zelfredzaam",
    4: "voldoende zelfredzaam",
    5: "volledig zelfredzaam",
}
#: A ZRM score at or below this is low: reaching it from above is a drop whatever its size.
LOW = 2
#: Typed for "not applicable" (a domain that does not play in this person's life).
NOT_APPLICABLE = ("nvt", "n.v.t.", "n.v.t", "-")


def label_of(kind: AssessmentKind, code: str) -> str:
    """A domain's Dutch name ("financiën"), or the code itself for one no longer known."""
    return next((d.label for d in DOMAINS[kind] if d.code == code), code)


def domain_named(kind: AssessmentKind, typed: str) -> Domain:
    """The domain a person typed: its code, its name, or the start of either when only one
    domain begins so ("fin", "werk", "basale")."""
    wanted = fold(typed).replace("_", " ").replace("&", " ").split()
    if not wanted:
        raise ValueError("Noem het domein vóór de '='.")
    domains = DOMAINS[kind]

    def words(domain: Domain) -> list[str]:
        return fold(domain.label).replace("&", " ").split()

    exact = [d for d in domains if words(d) == wanted or d.code == "_".join(wanted)]
    if exact:
        return exact[0]
    found = [d for d in domains if " ".join(words(d)).startswith(" ".join(wanted))]
    if len(found) == 1:
        return found[0]
    names = ", ".join(d.label for d in domains)
    what = "ZRM-domein" if kind is AssessmentKind.ZRM else "dimensie van Positieve Gezondheid"
    if found:
        several = ", ".join(d.label for d in found)
        raise ValueError(f"'{typed}' past bij meer dan één {what}: {several}.")
    raise ValueError(f"'{typed}' is geen {what}. Kies uit: {names}.")


def parse_score(kind: AssessmentKind, typed: str) -> int | None:
    """A score as typed: a whole number on the kind's scale, or "n.v.t." (None) for a ZRM
    domain that does not apply."""
    value = typed.strip().lower()
    low, high = SCALE[kind]
    if kind is AssessmentKind.ZRM and value in NOT_APPLICABLE:
        return None
    if value.isdigit() and low <= int(value) <= high:
        return int(value)
    end = " of n.v.t." if kind is AssessmentKind.ZRM else "."
    raise ValueError(f"'{typed}' is geen score: een getal van {low} tot {high}{end}")


def parse_scores(kind: AssessmentKind, items: Iterable[str]) -> dict[str, int | None]:
    """`DOMEIN=N` items (the command line's --score), by domain code; each domain once."""
    scores: dict[str, int | None] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"'{item}': schrijf DOMEIN=SCORE, zoals financien=3.")
        domain = domain_named(kind, name)
        if domain.code in scores:
            raise ValueError(f"{domain.label} staat er twee keer in.")
        scores[domain.code] = parse_score(kind, value)
    return scores


def parse_notes(kind: AssessmentKind, items: Iterable[str]) -> dict[str, str]:
    """`DOMEIN=TEKST` items (the command line's --domain-note), by domain code."""
    notes: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not value.strip():
            raise ValueError(f"'{item}': schrijf DOMEIN=TEKST.")
        notes[domain_named(kind, name).code] = value.strip()
    return notes


@dataclass(frozen=True)
class Change:
    """One domain's score in two assessments."""

    code: str
    label: str
    before: int
    after: int

    @property
    def text(self) -> str:
        return f"{self.label} {self.before}→{self.after}"


def changes(
    kind: AssessmentKind, previous: Mapping[str, int | None], latest: Mapping[str, int | None]
) -> list[Change]:
    """The domains scored in both (not n.v.t.), in the domains' order."""
    found = []
    for domain in DOMAINS[kind]:
        before, after = previous.get(domain.code), latest.get(domain.code)
        if before is not None and after is not None:
            found.append(Change(domain.code, domain.label, before, after))
    return found


def fallen_by(found: Iterable[Change], levels: int) -> list[Change]:
    """The domains that fell by `levels` or more, or fell to 1–2 from 3 or more."""
    return [c for c in found if c.before - c.after >= levels or (c.after <= LOW < c.before)]


def fallen(found: Iterable[Change]) -> list[Change]:
    """The domains that fell by a level or more."""
    return [c for c in found if c.after < c.before]


def changes_text(found: Iterable[Change]) -> str:
    """ "financiën 4→2, huisvesting 3→2"."""
    return ", ".join(c.text for c in found)


IMPROVED, HELD, DROPPED = "verbeterd", "gelijk", "gedaald"


def direction(kind: AssessmentKind, found: Sequence[Change]) -> str:
    """How someone did between two assessments, for the team's review: dropped when a domain
    fell to low or by two levels, else by the sum of the changes over the domains scored in
    both."""
    if kind is AssessmentKind.ZRM and fallen_by(found, 2):
        return DROPPED
    total = sum(c.after - c.before for c in found)
    return IMPROVED if total > 0 else DROPPED if total < 0 else HELD


_BARS = "▁▂▃▄▅▆▇█"
#: In a line of bars: a domain not applicable, and one not scored that time.
NOT_APPLICABLE_MARK, NOT_SCORED_MARK = "·", " "


def bars(kind: AssessmentKind, values: Sequence[int | str | None]) -> str:
    """One bar per assessment on the kind's fixed scale ("▁▃▅█" for ZRM 1, 2, 3, 5): the
    lowest score the lowest bar, the highest the full one. None is n.v.t. ("·"), "" not
    scored (" "); readable without colour."""
    low, high = SCALE[kind]
    chars = []
    for value in values:
        if value is None:
            chars.append(NOT_APPLICABLE_MARK)
        elif isinstance(value, str):
            chars.append(NOT_SCORED_MARK)
        else:
            chars.append(_BARS[round((value - low) / (high - low) * (len(_BARS) - 1))])
    return "".join(chars)


def step_text(before: int | None, after: int | None) -> str:
    """The change from `before` to `after`: "▼2", "▲1", "=", or "" when one is missing."""
    if before is None or after is None:
        return ""
    step = after - before
    return "=" if step == 0 else f"▲{step}" if step > 0 else f"▼{-step}"


def score_and_note(kind: AssessmentKind, typed: str) -> tuple[int | None, str] | None:
    """A form's domain field: the score, then any note ("2 schulden groeien weer"); None when
    left empty (not scored)."""
    first, _, rest = typed.strip().partition(" ")
    if not first:
        return None
    return parse_score(kind, first), rest.strip()
