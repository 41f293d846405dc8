"""Caseload files the register writes.

The error sheet of `wijkteam import --valid-only`: the rows that were not imported, as they
were, with a column Fout saying why, in the form the file came in (XLSX with its sheets, or
CSV as Dutch Excel reads it: UTF-8 with a byte-order mark, semicolons). The team fixes them
there and imports the file again; the Fout column is not one the import reads.

The way out (`wijkteam export team`): every open client with their current network (consent
and all), active agreements and every assessment (ZRM and Positieve Gezondheid, a row each with
a column per domain), in the layout the import reads: a workbook with the sheets Cliënten,
Netwerk, Afspraken and Ontwikkeling, or a CSV file per sheet. Importing it into a new register
gives the same clients, members, agreements and assessments."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from wijkteam_tui.caseload.columns import NOTE, SCORE, SHEET_NAMES, Kind, header_of
from wijkteam_tui.caseload.report import REASON
from wijkteam_tui.caseload.sheets import Cell, UncalculatedFormula
from wijkteam_tui.domain.outcomes import DOMAINS
from wijkteam_tui.domain.phrases import schedule_text
from wijkteam_tui.domain.terms import AssessmentKind, Support
from wijkteam_tui.errors import UsageError
from wijkteam_tui.export.overdue import neutralised
from wijkteam_tui.export.to_disk import write_private
from wijkteam_tui.store.files import Temporary
from wijkteam_tui.store.read.caseload import KnownClient

Rejected = dict[str, tuple[tuple[str, ...], list[tuple[int, tuple[Cell, ...], str]]]]


def _plain(cell: Cell) -> str | int | float | bool | date | datetime | time | None:
    # A formula without a saved result stays its text: the error sheet never carries a
    # formula someone else wrote.
    return str(cell) if isinstance(cell, UncalculatedFormula) else cell


def rejects_xlsx(rejected: Rejected) -> bytes:
    """A workbook with a sheet per sheet that had refused rows."""
    # Lazy: openpyxl loads only when an error sheet is written.
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, (header, rows) in rejected.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([*header, REASON])
        for _number, cells, reason in rows:
            values = [_plain(cell) for cell in cells]
            values += [None] * (len(header) - len(values))
            sheet.append([*values, reason])
            for cell in sheet[sheet.max_row]:
                # Text stays text (openpyxl would write "=…" as a formula).
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rejects_csv(rejected: Rejected) -> bytes:
    """The one sheet of a CSV file, as Dutch Excel reads it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for header, rows in rejected.values():
        writer.writerow([*header, REASON])
        for _number, cells, reason in rows:
            values = ["" if cell is None else str(_plain(cell)) for cell in cells]
            values += [""] * (len(header) - len(values))
            # A cell a spreadsheet would run as a formula gets an apostrophe in front, which
            # the import takes off again (caseload.values.text).
            writer.writerow([*map(neutralised, values), neutralised(reason)])
    return out.getvalue().encode("utf-8-sig")


def errors_path(source: Path) -> Path:
    """Where --valid-only puts the refused rows: beside the file, `<naam>-fouten.<ext>`."""
    suffix = ".xlsx" if source.suffix.lower() in (".xlsx", ".xlsm") else ".csv"
    return source.with_name(f"{source.stem}-fouten{suffix}")


def errors_target(source: Path, sheets: int, *, force: bool, hint: str = "") -> Path:
    """Where the error sheet goes: a workbook when the rows come from several `sheets` (a
    CSV file holds one). UsageError, before anything is imported, when a file is there
    already and `force` was not given (`hint` says how to give it)."""
    target = errors_path(source)
    if target.suffix == ".csv" and sheets > 1:
        target = target.with_suffix(".xlsx")
    if target.exists() and not force:
        raise UsageError(f"{target} bestaat al (van een eerdere import?); ruim het op{hint}.")
    return target


def write_errors(target: Path, rejected: Rejected) -> None:
    """The error sheet (0600, whole or not at all)."""
    content = rejects_xlsx(rejected) if target.suffix == ".xlsx" else rejects_csv(rejected)
    write_private(target, content, force=True).move_to(target)


# -- the way out: the whole caseload in the layout the import reads ---------------------------

#: The columns of each sheet of `wijkteam export team`, by the import's field keys.
TEAM_COLUMNS: dict[Kind, tuple[str, ...]] = {
    Kind.CLIENTS: (
        "number", "external_id", "name", "birth_date", "street", "house_number", "postcode",
        "city", "phone", "regime", "casemanager", "phase", "opened_on", "own_words",
        "strengths", "meaningful",
    ),
    Kind.MEMBERS: (
        "number", "external_id", "member", "relation", "member_kind", "ring", "supports",
        "member_phone", "email", "consent", "consent_on", "consent_review_on", "remind",
        "remind_on", "remind_review_on", "availability", "member_notes", "out_of_hours",
    ),
    Kind.AGREEMENTS: (
        "number", "external_id", "who", "channel", "how_often", "start_on", "end_on",
        "last_contact", "description", "shared",
    ),
    Kind.OUTCOMES: (
        "number", "external_id", "kind", "assessed_on", "own_words",
        *(key for kind in AssessmentKind for domain in DOMAINS[kind]
          for key in (SCORE + domain.code, NOTE + domain.code)),
    ),
}  # fmt: skip
#: What a ZRM domain that does not apply reads as.
NOT_APPLICABLE = "n.v.t."
TEAM_FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class TeamExport:
    paths: tuple[Path, ...]
    clients: int
    members: int
    agreements: int
    assessments: int


def team_paths(target: Path, file_format: str) -> tuple[Path, ...]:
    """Where the export goes: the workbook, or a CSV file per sheet beside `target`'s name
    (`team.csv`: team-clienten.csv, team-netwerk.csv, team-afspraken.csv,
    team-ontwikkeling.csv)."""
    if file_format == "xlsx":
        return (target,)
    stem = target.with_suffix("") if target.suffix.lower() == ".csv" else target
    return tuple(stem.with_name(f"{stem.name}-{_CSV_NAMES[kind]}.csv") for kind in TEAM_COLUMNS)


_CSV_NAMES = {
    Kind.CLIENTS: "clienten",
    Kind.MEMBERS: "netwerk",
    Kind.AGREEMENTS: "afspraken",
    Kind.OUTCOMES: "ontwikkeling",
}


def team_rows(
    client: KnownClient, users: dict[int, str]
) -> dict[Kind, list[list[str | int | date | None]]]:
    """The rows of one client on each sheet, as the import reads them back."""
    data = client.data
    ref: list[str | int | date | None] = [client.number, client.external_id or None]
    rows: dict[Kind, list[list[str | int | date | None]]] = {
        Kind.CLIENTS: [
            [
                *ref, data.name, data.birth_date, data.street, data.house_number,
                data.postcode, data.city, data.phone, data.regime.label,
                users.get(data.casemanager_id or 0), client.phase.label, data.opened_on,
                data.own_words, data.strengths, data.meaningful,
            ]
        ],
        Kind.MEMBERS: [],
        Kind.AGREEMENTS: [],
        Kind.OUTCOMES: [],
    }  # fmt: skip
    names: dict[int, str] = {}
    for member in client.members:
        m = member.data
        names[member.id] = m.name
        rows[Kind.MEMBERS].append(
            [
                *ref, m.name, m.relation, m.kind.value, m.ring,
                ", ".join(s.label for s in Support if s.value in m.supports), m.phone, m.email,
                "ja" if m.consent_to_share else "nee",
                m.consent_on if m.consent_to_share else None,
                m.consent_review_on if m.consent_to_share else None,
                "ja" if m.remind_by_mail else "nee",
                m.remind_on if m.remind_by_mail else None,
                m.remind_review_on if m.remind_by_mail else None,
                m.availability, m.notes, "ja" if m.out_of_hours else "nee",
            ]
        )  # fmt: skip
    for agreement in client.agreements:
        if agreement.member_id is not None:
            if agreement.member_id not in names:
                # With someone no longer in the network: it ends by their last day.
                continue
            who = names[agreement.member_id]
        elif agreement.user_id in users:
            who = f"{users[agreement.user_id]} (medewerker)"
        else:
            who = ""
        rows[Kind.AGREEMENTS].append(
            [
                *ref, who, agreement.channel.value,
                schedule_text(agreement.interval_days, agreement.rrule), agreement.start_on,
                agreement.end_on, agreement.last_contact_on, agreement.description,
                "ja" if agreement.shared else "nee",
            ]
        )  # fmt: skip
    for assessment in client.assessments:
        cells: list[str | int | date | None] = [
            *ref,
            assessment.kind.label,
            assessment.assessed_on,
            assessment.own_words or None,
        ]
        for kind in AssessmentKind:
            for domain in DOMAINS[kind]:
                scored = kind is assessment.kind and domain.code in assessment.scores
                score = assessment.scores.get(domain.code) if scored else None
                cells.append(NOT_APPLICABLE if scored and score is None else score)
                cells.append(assessment.notes.get(domain.code) if scored else None)
        rows[Kind.OUTCOMES].append(cells)
    return rows


def write_team(
    pages: Iterable[tuple[KnownClient, ...]],
    users: dict[int, str],
    file_format: str,
    target: Path,
    *,
    force: bool,
    progress: Callable[[int], None] | None = None,
) -> TeamExport:
    """Every page of clients written to the export's file(s), 0600, all of them or none."""
    paths = team_paths(target.expanduser(), file_format)
    temporaries: list[Temporary] = []
    try:
        for path in paths:
            temporaries.append(write_private(path, b"", force=force))
        writer = _XlsxWriter() if file_format == "xlsx" else _CsvWriter(temporaries)
        counts = {kind: 0 for kind in TEAM_COLUMNS}
        with writer:
            for kind, keys in TEAM_COLUMNS.items():
                writer.append(kind, [header_of(kind, key) for key in keys])
            for page in pages:
                for client in page:
                    for kind, rows in team_rows(client, users).items():
                        counts[kind] += len(rows)
                        for row in rows:
                            writer.append(kind, row)
                if progress is not None:
                    progress(counts[Kind.CLIENTS])
            if isinstance(writer, _XlsxWriter):
                writer.save(temporaries[0].path)
        for temporary, path in zip(temporaries, paths, strict=True):
            temporary.move_to(path)
    except BaseException:
        for temporary in temporaries:
            temporary.remove()
        raise
    return TeamExport(
        paths,
        counts[Kind.CLIENTS],
        counts[Kind.MEMBERS],
        counts[Kind.AGREEMENTS],
        counts[Kind.OUTCOMES],
    )


class _XlsxWriter:
    """A streaming workbook (openpyxl's write-only mode) with the import's four sheets."""

    def __init__(self) -> None:
        # Lazy: openpyxl loads only when a workbook is written.
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        self.sheets = {kind: self.book.create_sheet(SHEET_NAMES[kind][0]) for kind in TEAM_COLUMNS}

    def __enter__(self) -> _XlsxWriter:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def append(self, kind: Kind, row: list[Any]) -> None:
        # Lazy: openpyxl loads only when a workbook is written.
        from openpyxl.cell import WriteOnlyCell

        sheet = self.sheets[kind]
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value)
            if isinstance(value, str):
                # Text stays text (openpyxl would write "=…" as a formula).
                cell.data_type = "s"
            elif isinstance(value, date):
                cell.number_format = "DD-MM-YYYY"
            cells.append(cell)
        sheet.append(cells)

    def save(self, path: Path) -> None:
        self.book.save(path)


class _CsvWriter:
    """A CSV file per sheet, as Dutch Excel reads it (UTF-8 with a byte-order mark,
    semicolons); a cell a spreadsheet would run as a formula gets an apostrophe."""

    def __init__(self, temporaries: list[Temporary]) -> None:
        self.files = [path.path.open("w", encoding="utf-8-sig", newline="") for path in temporaries]
        self.writers = {
            kind: csv.writer(out, delimiter=";", lineterminator="\r\n")
            for kind, out in zip(TEAM_COLUMNS, self.files, strict=True)
        }

    def __enter__(self) -> _CsvWriter:
        return self

    def __exit__(self, *_: object) -> None:
        for out in self.files:
            out.flush()
            os.fsync(out.fileno())
            out.close()

    def append(self, kind: Kind, row: list[Any]) -> None:
        self.writers[kind].writerow([neutralised(_csv_text(value)) for value in row])


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.day}-{value.month}-{value.year}"
    return str(value)
