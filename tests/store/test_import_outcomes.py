"""Outcomes in a caseload (issue 31), on both backends: an Ontwikkeling sheet as another system
writes it (its own headers, "3 - beperkt zelfredzaam", n.v.t.), read, planned against the
register and written through the checks of the forms; a drop between two imported ZRMs raises
its alert; every row the register would refuse, or whose cell would be lost, named by sheet,
row and column; a second import changing nothing, and one that says otherwise refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.caseload.files import workbook
from tests.store.conftest import TODAY
from wijkteam_tui.caseload.plan import plan_import
from wijkteam_tui.caseload.reading import read_caseload
from wijkteam_tui.caseload.report import report_lines
from wijkteam_tui.domain.terms import AlertStatus, AssessmentKind, ThresholdRule
from wijkteam_tui.store.models import Alert
from wijkteam_tui.store.read.caseload import known_for_import
from wijkteam_tui.store.write.intake import import_caseload

CLIENTS = [
    ["Cliëntnummer", "Naam", "Geboortedatum", "Startdatum"],
    ["7", "Truus Bakker", "3-12-1950", "1-3-2026"],
    ["8", "Henk Çelik", "4-2-1948", "1-10-2026"],
]
#: As another system writes it: its own headers, the levels in words, an older domain name.
OUTCOMES = [
    ["Clientnr", "Meting", "Datum meting", "Financiën", "Toelichting financiën", "Dagbesteding",
     "Justitie", "ADL", "Zingeving", "Meedoen", "Eigen woorden"],
    ["7", "ZRM", "1-4-2026", "4", "loopt goed", "3 - beperkt zelfredzaam", "n.v.t.",
     "volledig zelfredzaam", None, None, None],
    ["7", "Zelfredzaamheidsmatrix", "1-10-2026", 2, "schulden; bewindvoering", "3", "nvt", 5,
     None, None, None],
    ["7", "Positieve Gezondheid", "1-10-2026", None, None, None, None, None, 7, "8",
     "Ik wil weer meedoen."],
]  # fmt: skip


def _file(path: Path, outcomes: list[list[object]]) -> Path:
    return workbook(path, {"Cliënten": CLIENTS, "Ontwikkeling": outcomes})


def _plan(register, path: Path):
    return plan_import(register, read_caseload(path), TODAY)


def test_a_foreign_outcome_sheet_comes_in_with_its_drop(register, tmp_path):
    path = _file(tmp_path / "caseload.xlsx", OUTCOMES)
    plan = _plan(register, path)
    assert [str(p) for p in plan.problems] == []
    assert (plan.new, plan.assessments) == (2, 3)
    assert "Blad Ontwikkeling (ontwikkeling: een rij per meting, 3 rijen):" in report_lines(plan)
    counts = import_caseload(register, plan.clients, path.name, TODAY)
    assert counts.assessments == 3

    truus = known_for_import(register, numbers=["7"], external_ids=(), birth_dates=()).clients[0]
    first, second, spider = truus.assessments
    assert (first.kind, first.assessed_on) == (AssessmentKind.ZRM, date(2026, 4, 1))
    assert first.scores == {"financien": 4, "tijdsbesteding": 3, "justitie": None, "basale_adl": 5}
    assert first.notes == {"financien": "loopt goed"}
    assert second.scores["financien"] == 2 and second.notes == {
        "financien": "schulden; bewindvoering"
    }
    assert (spider.kind, spider.scores, spider.own_words) == (
        AssessmentKind.PG, {"zingeving": 7, "meedoen": 8}, "Ik wil weer meedoen."
    )  # fmt: skip
    # Financiën 4 → 2: the drop the import brought in is an alert, as if typed in.
    with register.read() as session:
        reasons = session.scalars(
            select(Alert.reason).where(
                Alert.rule == ThresholdRule.OUTCOME_DROP, Alert.status != AlertStatus.RESOLVED
            )
        ).all()
    assert reasons == ["ZRM gedaald: financiën 4→2 (meting 01-10-2026, vorige 01-04-2026)."]

    # The same file again: nothing to do.
    again = _plan(register, path)
    assert (list(again.clients), again.problems, again.unchanged) == ([], [], 2)
    # Only the scores, without the notes' columns: the same assessments still.
    bare = [[cell for n, cell in enumerate(row) if n != 4] for row in OUTCOMES]
    plain = _plan(register, _file(tmp_path / "zonder toelichting.xlsx", bare))
    assert (list(plain.clients), plain.problems) == ([], [])
    # A file that says another score on a day the register has: refused, not overwritten.
    changed = [row[:] for row in OUTCOMES]
    changed[2][3] = 3
    refused = _plan(register, _file(tmp_path / "anders.xlsx", changed))
    assert [str(p) for p in refused.problems] == [
        "Ontwikkeling, rij 3, Datum: de ZRM van 1-10-2026 staat al in het register, met andere"
        " scores of woorden; een meting corrigeer je in het dossier (Ontwikkeling), of laat deze"
        " rij weg.",
        "Ontwikkeling, rij 2: hoort bij Truus Bakker (Cliënten, rij 2), die niet wordt"
        " geïmporteerd.",
        "Ontwikkeling, rij 4: hoort bij Truus Bakker (Cliënten, rij 2), die niet wordt"
        " geïmporteerd.",
    ]


BAD = [
    ("6", None, "Financiën: '6' is geen score: een getal van 1 tot 5 of n.v.t."),
    ("drie", None, "Financiën: 'drie' is geen score: een getal van 1 tot 5 of n.v.t."),
    (None, "alleen een toelichting", "Financiën (toelichting): een toelichting zonder score;"
     " geef financiën ook een score (of n.v.t.)."),
]  # fmt: skip


@pytest.mark.parametrize(("score", "note", "problem"), BAD)
def test_a_score_the_register_would_refuse_or_lose(register, tmp_path, score, note, problem):
    header = ["Cliëntnummer", "Soort", "Datum", "Financiën", "Financiën (toelichting)"]
    rows = [header, ["7", "ZRM", "1-10-2026", score, note], ["7", "ZRM", "2-10-2026", 3, None]]
    plan = _plan(register, _file(tmp_path / "c.xlsx", rows))
    assert [str(p) for p in plan.problems] == [f"Ontwikkeling, rij 2, {problem}"]
    # The rest of the sheet comes in with --valid-only.
    assert plan.assessments == 1


def test_every_row_the_register_refuses_is_named(register, tmp_path):
    header = ["Cliëntnummer", "Soort", "Datum", "Financiën", "Zingeving", "Eigen woorden"]
    rows = [
        header,
        ["7", "ZRM", "1-10-2026", 3, 6, None],
        ["7", "PG", "1-10-2026", None, "n.v.t.", None],
        ["7", "spinnenweb", "1-12-2026", None, 7, None],
        ["8", "ZRM", "1-9-2026", 3, None, None],
        ["7", "", "1-10-2026", 3, None, None],
        ["7", "WMO", "1-10-2026", 3, None, None],
        ["7", "ZRM", "", 3, None, None],
        ["7", "ZRM", "1-10-2026", None, None, "alleen woorden"],
        ["", "ZRM", "1-10-2026", 3, None, None],
        ["9", "ZRM", "1-10-2026", 3, None, None],
    ]
    plan = _plan(register, _file(tmp_path / "c.xlsx", rows))
    assert [str(p) for p in plan.problems] == [
        # What the file says wrong, as it is read.
        "Ontwikkeling, rij 2, Zingeving: Zingeving hoort bij Positieve Gezondheid, niet bij ZRM.",
        "Ontwikkeling, rij 3, Zingeving: 'n.v.t.' is geen score: een getal van 0 tot 10.",
        "Ontwikkeling, rij 6, Soort: de soort is leeg.",
        "Ontwikkeling, rij 7, Soort: 'WMO' is geen soort meting (ZRM of Positieve Gezondheid).",
        "Ontwikkeling, rij 8, Datum: de datum is leeg.",
        "Ontwikkeling, rij 9, Soort: geen enkel domein van de ZRM heeft een score.",
        "Ontwikkeling, rij 10, Cliëntnummer: zonder cliëntnummer of extern id hoort deze rij bij"
        " niemand.",
        # What only the day and the client's file can say.
        "Ontwikkeling, rij 4, Datum: deze datum ligt in de toekomst.",
        "Ontwikkeling, rij 5, Datum: ligt voor de start van het dossier (1-10-2026).",
        "Ontwikkeling, rij 11, Cliëntnummer: er is geen cliënt met cliëntnummer 9, niet in dit"
        " bestand en niet in het register.",
    ]
    assert (plan.new, plan.assessments) == (0, 0)
