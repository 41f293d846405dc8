"""Retention: how long a closed client's file is kept before it must be destroyed.

`retention_until` = closing date + the regime's term: Wmo 15 years, Wmo without a provision
5 years, Jeugdwet 20 years (the team can change the terms). Past that date the client is listed
for destruction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from wijkteam_tui.domain.terms import Regime

DEFAULT_TERMS: Mapping[Regime, int] = {
    Regime.WMO: 15,
    Regime.WMO_NO_PROVISION: 5,
    Regime.YOUTH_ACT: 20,
}


def retention_until(closed_on: date, regime: Regime, terms: Mapping[Regime, int]) -> date:
    """The last day the file may be kept (29 February rolls to 28 February)."""
    return closed_on + relativedelta(years=terms.get(regime, DEFAULT_TERMS[regime]))


@dataclass(frozen=True)
class RetentionItem:
    client_id: int
    retention_until: date


def past_retention(items: Iterable[RetentionItem], today: date) -> list[RetentionItem]:
    """Clients whose retention date has passed, oldest first."""
    return sorted(
        (item for item in items if item.retention_until < today),
        key=lambda item: item.retention_until,
    )
