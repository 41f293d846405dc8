"""Reconciling a client's stored alerts with the conditions that hold (domain.thresholds
finds those): raise, reopen, reword or resolve, each with the note a person reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wijkteam_tui.domain.client_facts import AlertCondition


@dataclass(frozen=True)
class StoredAlert:
    id: int
    fingerprint: str
    resolved: bool
    reason: str
    #: Resolved by a person, with a note: the episode stays resolved while it lasts, unless it
    #: escalates.
    by_hand: bool = False


@dataclass(frozen=True)
class AlertChanges:
    raise_new: list[AlertCondition]
    reopen: list[tuple[int, AlertCondition]]
    update_reason: list[tuple[int, str]]
    resolve: list[tuple[int, str]]


def reconcile(
    stored: Iterable[StoredAlert],
    conditions: Iterable[AlertCondition],
    closed: bool = False,
    notes: Mapping[str, str] | None = None,
) -> AlertChanges:
    """What to change so that exactly the holding conditions have an unresolved alert, except
    an episode that a person resolved by hand: that stays resolved while it lasts, unless new
    facts make it worse (a second oranje signalering, another missed contact).

    `notes` says why alerts stopped holding when the caller knows better than the facts (a
    threshold changed, an agreement put aside): {fingerprint prefix: resolution note}."""
    by_fingerprint = {a.fingerprint: a for a in stored}
    holding = {c.fingerprint: c for c in conditions}
    raise_new, reopen, update_reason, resolve = [], [], [], []
    for fingerprint, condition in holding.items():
        existing = by_fingerprint.get(fingerprint)
        if existing is None:
            raise_new.append(condition)
        elif existing.resolved:
            if not existing.by_hand or (
                condition.escalates and condition.reason != existing.reason
            ):
                reopen.append((existing.id, condition))
        elif existing.reason != condition.reason:
            update_reason.append((existing.id, condition.reason))
    note = "Cliënt afgesloten." if closed else "Voorwaarde geldt niet meer."
    for fingerprint, existing in by_fingerprint.items():
        if not existing.resolved and fingerprint not in holding:
            resolve.append((existing.id, _resolution_note(fingerprint, note, closed, notes)))
    return AlertChanges(raise_new, reopen, update_reason, resolve)


def _resolution_note(
    fingerprint: str, default: str, closed: bool, notes: Mapping[str, str] | None
) -> str:
    if closed:
        return default
    for prefix, note in (notes or {}).items():
        if fingerprint.startswith(prefix):
            return note
    rule = fingerprint.split(":", 1)[0]
    return {
        "uit_beeld": "Automatisch opgelost: er is weer contact geweest.",
        "gemiste_contacten": "Automatisch opgelost: er is weer contact op de afspraak.",
        "signaal_oranje_rood": "Automatisch opgelost: nieuwe signalering is groen.",
        "signaleringen_frequentie": "Automatisch opgelost: minder signaleringen in de periode.",
        "niet_bereikt": "Automatisch opgelost: de cliënt is weer bereikt.",
        "zrm_daling": "Automatisch opgelost: een nieuwe of gewijzigde ZRM.",
        "zrm_daling_breed": "Automatisch opgelost: een nieuwe of gewijzigde ZRM.",
        "geen_meting": "Automatisch opgelost: er is weer gemeten.",
    }.get(rule, f"Automatisch opgelost: {default}")
