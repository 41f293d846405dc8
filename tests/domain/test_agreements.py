"""Who performs an agreement, read the same way everywhere."""

from __future__ import annotations

from wijkteam_tui.domain.agreements import performer_text


def test_who_performs_an_agreement_reads_as_member_with_relation_medewerker_or_casemanager():
    assert performer_text("Fenna de Vries", "dochter", None) == "Fenna de Vries (dochter)"
    assert performer_text("Fenna de Vries", "", None) == "Fenna de Vries"
    assert performer_text("Fenna de Vries", None, "Anna Jansen") == "Fenna de Vries"
    assert performer_text(None, None, "Anna Jansen") == "Anna Jansen"
    assert performer_text(None, None, None) == "casemanager"
    assert performer_text(None, None, "") == "casemanager"
