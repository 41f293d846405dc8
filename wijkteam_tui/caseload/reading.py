"""A caseload file read into clients, each with their network, agreements and assessments, and
every problem in it at once, named by sheet, row and column as the person sees them.

This is what the file itself says; what only the register can say (is this casemanager a
colleague, is this client already there, who is "Bram") is decided when the import is planned
against it. Rows of the network, agreement and outcome sheets are tied to their client by
client number or external id; a flat sheet's rows by those or, without them, by name and birth
date."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

from wijkteam_tui.caseload import values
from wijkteam_tui.caseload.columns import (
    NO_MAPPING,
    Kind,
    Layout,
    Mapping,
    header_of,
    layout,
    normal,
    sheet_kind,
)
from wijkteam_tui.caseload.entries import (
    AgreementEntry,
    AssessmentEntry,
    ClientEntry,
    MemberEntry,
    Problem,
    Reference,
    SheetReport,
)
from wijkteam_tui.caseload.outcomes import assessment_entry
from wijkteam_tui.caseload.row import Row
from wijkteam_tui.caseload.sheets import Sheet, Source, read_sheets
from wijkteam_tui.caseload.spill import ClientKey, Reading, Related, RelatedRows
from wijkteam_tui.domain.phrases import HowOften
from wijkteam_tui.domain.terms import Channel

#: A network or an agreement row.
_Entry = TypeVar("_Entry", MemberEntry, AgreementEntry, AssessmentEntry)

#: The columns a sheet of each kind cannot do without (one of each tuple).
REQUIRED: dict[Kind, tuple[tuple[str, ...], ...]] = {
    Kind.CLIENTS: (("name",),),
    Kind.MEMBERS: (("number", "external_id"), ("member",)),
    Kind.AGREEMENTS: (("number", "external_id"), ("channel",), ("how_often",)),
    Kind.OUTCOMES: (("number", "external_id"), ("kind",), ("assessed_on",)),
    Kind.FLAT: (("name",), ("channel",), ("how_often",)),
}


def _client(row: Row) -> ClientEntry:
    return ClientEntry(
        where=row.where,
        present=row.present,
        number=row.text("number", 20),
        external_id=row.text("external_id", 60),
        name=row.require("name", "de naam"),
        birth_date=row.read("birth_date", values.date_value),
        street=row.text("street", 120),
        house_number=row.text("house_number", 20),
        postcode=row.read("postcode", values.postcode, ""),
        city=row.text("city", 80),
        phone=row.read("phone", values.phone, ""),
        regime=row.read("regime", values.regime),
        casemanager=row.text("casemanager", 160),
        phase=row.read("phase", values.phase),
        opened_on=row.read("opened_on", values.date_value),
        own_words=row.text("own_words"),
        strengths=row.text("strengths"),
        meaningful=row.text("meaningful"),
    )


def _member(row: Row, name_key: str) -> MemberEntry:
    return MemberEntry(
        where=row.where,
        present=row.present,
        name=row.require(name_key, "de naam"),
        relation=row.text("relation", 60),
        kind=row.read("member_kind", values.member_kind),
        ring=row.read("ring", values.ring),
        supports=row.read("supports", values.supports, ""),
        phone=row.read("member_phone", values.phone, ""),
        email=row.read("email", values.email, ""),
        consent=row.read("consent", values.yes_no),
        consent_on=row.read("consent_on", values.date_value),
        consent_review_on=row.read("consent_review_on", values.date_value),
        remind=row.read("remind", values.yes_no),
        remind_on=row.read("remind_on", values.date_value),
        remind_review_on=row.read("remind_review_on", values.date_value),
        availability=row.text("availability", 200),
        notes=row.text("member_notes"),
        out_of_hours=row.read("out_of_hours", values.yes_no),
    )


def _agreement(row: Row) -> AgreementEntry | None:
    channel = row.read("channel", values.channel)
    how = row.read("how_often", values.how_often)
    for key, found, what in (("channel", channel, "het kanaal"), ("how_often", how, "hoe vaak")):
        if found is None and not any(p.column == row.layout.chosen[key] for p in row.problems):
            row.problem(key, f"{what} is leeg.")
    entry = AgreementEntry(
        where=row.where,
        who=row.text("who", 160),
        channel=channel or Channel.PHONE,
        how=how or HowOften(interval_days=7),
        start_on=row.read("start_on", values.date_value),
        last_contact=row.read("last_contact", values.date_value),
        description=row.text("description", 200),
        end_on=row.read("end_on", values.date_value),
        shared=row.read("shared", values.yes_no, False),
    )
    return None if row.problems else entry


def _reference(row: Row) -> Reference | None:
    reference = Reference(row.text("number", 20), row.text("external_id", 60))
    if not reference.number and not reference.external_id:
        key = "number" if "number" in row.layout.chosen else "external_id"
        row.problem(key, "zonder cliëntnummer of extern id hoort deze rij bij niemand.")
        return None
    return reference


def _missing(kind: Kind, found: Layout) -> list[str]:
    return [
        header_of(kind, keys[0])
        for keys in REQUIRED[kind]
        if not any(key in found.positions for key in keys)
    ]


def read_caseload(paths: Path | Sequence[Path], mapping: Mapping = NO_MAPPING) -> Reading:
    """Every sheet of the file (or files, read as one) read; nothing is decided about the
    register yet."""
    files = [paths] if isinstance(paths, Path) else paths
    sources: list[Source] = []

    def sheets() -> Iterator[Sheet]:
        for path in files:
            # read_sheets first: it says what is wrong with a file that cannot be read.
            found = read_sheets(path)
            sources.append(Source.of(path))
            yield from found

    reading = read_sheets_into(sheets(), mapping)
    reading.sources = tuple(sources)
    return reading


def read_sheets_into(sheets: Iterable[Sheet], mapping: Mapping = NO_MAPPING) -> Reading:
    reading = Reading()
    try:
        _read_into(reading, sheets, mapping)
    except BaseException:
        reading.close()
        raise
    return reading


def _read_into(reading: Reading, sheets: Iterable[Sheet], mapping: Mapping) -> None:
    index = _Index()
    for sheet in sheets:
        kind = sheet_kind(sheet.name, sheet.header, mapping)
        if kind is None:
            reading.sheets.append(SheetReport(sheet.name, None, None, header=sheet.header))
            continue
        found = layout(kind, sheet.header, mapping)
        present = frozenset(found.positions)
        report = SheetReport(sheet.name, kind, found, header=sheet.header)
        reading.sheets.append(report)
        missing = _missing(kind, found)
        if missing:
            reading.problems.append(
                Problem(
                    sheet.name,
                    0,
                    "",
                    f"er is geen kolom {' of '.join(missing)}; noem hem zo of wijs hem aan in"
                    " een kolommenbestand (--columns).",
                )
            )
            continue
        for number, cells in sheet.rows:
            report.rows += 1
            row = Row(sheet, found, present, number, cells)
            if kind in (Kind.CLIENTS, Kind.FLAT):
                _take_client(row, reading, index)
            else:
                _take_related(row, reading, index)
            # The row is refused; the error sheet reads it again (`rows_again`).
            reading.problems.extend(row.problems)
    _tie(reading, index)


def _tie(reading: Reading, index: _Index) -> None:
    """Network and agreement rows tied to their clients once every sheet is read (their
    sheet may come before the clients'); the rest name a client the register may hold."""
    for rows, owned in (
        (reading.members_elsewhere.rows, _members),
        (reading.agreements_elsewhere.rows, _agreements),
        (reading.assessments_elsewhere.rows, _assessments),
    ):
        rows[:] = _attach(reading, rows, index, owned)


def _attach(
    reading: Reading,
    rows: list[Related],
    index: _Index,
    owned: Callable[[ClientKey], list[int]],
) -> list[Related]:
    """Each row added to its client's `owned` entries, or refused with its client's row; the
    rows whose client is not in the file."""
    rest = []
    for row in rows:
        client = index.owner(row.reference)
        refused = index.refused_owner(row.reference) if client is None else None
        if refused is not None:
            reading.problems.append(
                Problem(
                    row.where.sheet,
                    row.where.row,
                    "",
                    f"hoort bij {refused.name or 'een cliënt zonder naam'}"
                    f" ({refused.where.sheet}, rij {refused.where.row}), die niet wordt"
                    " geïmporteerd.",
                )
            )
        elif client is None:
            rest.append(row)
        else:
            owned(client).append(row.offset)
    return rest


class _Index:
    """The clients read so far, by number, external id, and name with birth date."""

    def __init__(self) -> None:
        self.by_ref: dict[tuple[str, str], ClientKey] = {}
        self.by_name: dict[tuple[str, date | None], ClientKey] = {}
        self.refused: dict[tuple[str, str], ClientKey] = {}

    @staticmethod
    def _name(client: ClientEntry | ClientKey) -> tuple[str, date | None]:
        return normal(client.name), client.birth_date

    def owner(self, reference: Reference) -> ClientKey | None:
        return self.by_ref.get(("nr", reference.number)) or self.by_ref.get(
            ("id", reference.external_id)
        )

    def earlier(self, client: ClientEntry) -> ClientKey | None:
        """The client an earlier row gave: by its number or external id when it has one,
        else by name and birth date."""
        if client.number or client.external_id:
            return self.owner(Reference(client.number, client.external_id))
        return self.by_name.get(self._name(client))

    def namesake(self, client: ClientEntry) -> ClientKey | None:
        return self.by_name.get(self._name(client)) if client.name else None

    def refuse(self, client: ClientEntry) -> None:
        """A client row with a problem: the rows that name it are refused with it."""
        for ref in (("nr", client.number), ("id", client.external_id)):
            if ref[1]:
                self.refused.setdefault(ref, ClientKey.of(client))

    def refused_owner(self, reference: Reference) -> ClientKey | None:
        return self.refused.get(("nr", reference.number)) or self.refused.get(
            ("id", reference.external_id)
        )

    def add(self, client: ClientKey) -> None:
        self.by_name[self._name(client)] = client
        for ref in (("nr", client.number), ("id", client.external_id)):
            if ref[1]:
                self.by_ref[ref] = client


def _take_client(row: Row, reading: Reading, index: _Index) -> None:
    """A row of the clients' sheet, or of a flat sheet: the client (again, on a flat sheet:
    one row per agreement) with the agreement and the network member it names."""
    flat = row.layout.kind is Kind.FLAT
    client = _client(row)
    same = index.earlier(client) if flat else None
    namesake = index.namesake(client) if same is None else None
    if namesake is not None and _told_apart(client, namesake):
        reading.remarks.append(
            f"{row.sheet.name}, rij {row.number}: {client.name} heeft dezelfde naam en"
            f" geboortedatum als {namesake.where.sheet}, rij {namesake.where.row}, maar een"
            " ander cliëntnummer of extern id: het zijn twee cliënten."
        )
    elif namesake is not None:
        row.problem(
            "name",
            f"dezelfde naam en geboortedatum als {namesake.where.sheet}, rij"
            f" {namesake.where.row}; staat deze cliënt er twee keer in?",
        )
    if not flat:
        _check_unique(row, client, index)
    member = _member(row, "who") if flat and row.text("who") else None
    agreement = _agreement(row) if flat else None
    if row.problems:
        index.refuse(client)
        return
    if same is None:
        key = reading.clients.add(client)
        index.add(key)
    else:
        key = same
    if member is not None:
        if key.member_names is None:
            key.member_names = set()
        if normal(member.name) not in key.member_names:
            key.member_names.add(normal(member.name))
            key.members.append(reading.spill.put(member))
    if agreement is not None:
        key.agreements.append(reading.spill.put(agreement))


def _check_unique(row: Row, client: ClientEntry, index: _Index) -> None:
    """A client number or external id belongs to one client of the file (the register gives
    each client one number: a second would silently get another)."""
    for key, ref, what in (
        ("number", ("nr", client.number), "cliëntnummer"),
        ("external_id", ("id", client.external_id), "extern id"),
    ):
        other = index.by_ref.get(ref) if ref[1] else None
        if other is not None:
            row.problem(
                key,
                f"{what} {ref[1]} staat ook op {other.where.sheet}, rij {other.where.row}"
                f" ({other.name or 'zonder naam'}); een {what} hoort bij één cliënt.",
            )


def _told_apart(one: ClientEntry, other: ClientKey) -> bool:
    """Whether the file gives two clients of one name and birth date ids of their own."""
    return any(
        mine and theirs and mine != theirs
        for mine, theirs in (
            (one.number, other.number),
            (one.external_id, other.external_id),
        )
    )


def _take_related(row: Row, reading: Reading, index: _Index) -> None:
    """A row of the network, agreements' or outcomes' sheet, tied to its client."""
    reference = _reference(row)
    if row.layout.kind is Kind.MEMBERS:
        member = _member(row, "member")
        if reference is not None and not row.problems:
            members = reading.members_elsewhere
            _place(reading, index, reference, member, waiting=members, owned=_members)
    elif row.layout.kind is Kind.OUTCOMES:
        assessment = assessment_entry(row)
        if reference is not None and assessment is not None and not row.problems:
            assessed = reading.assessments_elsewhere
            _place(reading, index, reference, assessment, waiting=assessed, owned=_assessments)
    else:
        agreement = _agreement(row)
        if reference is not None and agreement is not None and not row.problems:
            agreed = reading.agreements_elsewhere
            _place(reading, index, reference, agreement, waiting=agreed, owned=_agreements)


def _members(key: ClientKey) -> list[int]:
    return key.members


def _agreements(key: ClientKey) -> list[int]:
    return key.agreements


def _assessments(key: ClientKey) -> list[int]:
    return key.assessments


def _place(
    reading: Reading,
    index: _Index,
    reference: Reference,
    entry: _Entry,
    *,
    waiting: RelatedRows[_Entry],
    owned: Callable[[ClientKey], list[int]],
) -> None:
    """`entry` tied to its client at once when the file gave them already (a client number
    or external id is theirs alone), else waiting until every sheet is read."""
    owner = index.owner(reference)
    if owner is None:
        waiting.add(reference, entry)
    else:
        owned(owner).append(reading.spill.put(entry))
