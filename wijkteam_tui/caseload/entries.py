"""What a caseload file is read into: each client with their network and agreements as the
file gives them, where each row came from (sheet, row number and cells, for the report and
the error sheet), every problem, and what was made of each sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from wijkteam_tui.caseload.columns import Kind, Layout
from wijkteam_tui.caseload.sheets import Cell
from wijkteam_tui.domain.phrases import HowOften
from wijkteam_tui.domain.terms import Channel, MemberKind, Phase, Regime


@dataclass(frozen=True)
class Problem:
    """Why a row (or a whole sheet, row 0) cannot be imported."""

    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.sheet}, rij {self.row}" if self.row else f"blad {self.sheet}"
        return (
            f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


@dataclass(frozen=True)
class Where:
    """Where a row stands, and its cells as they were (for the error sheet)."""

    sheet: str
    row: int
    cells: tuple[Cell, ...] = field(default=(), compare=False, repr=False)


@dataclass
class MemberEntry:
    where: Where
    name: str
    #: The fields whose column the sheet has (the others keep what the register holds).
    present: frozenset[str] = frozenset()
    relation: str = ""
    kind: MemberKind | None = None
    ring: int | None = None
    supports: str = ""
    phone: str = ""
    email: str = ""
    consent: bool | None = None
    consent_on: date | None = None
    consent_review_on: date | None = None
    availability: str = ""
    notes: str = ""
    out_of_hours: bool | None = None


@dataclass
class AgreementEntry:
    where: Where
    who: str
    channel: Channel
    how: HowOften
    start_on: date | None = None
    last_contact: date | None = None
    description: str = ""
    end_on: date | None = None
    shared: bool = False


@dataclass
class ClientEntry:
    where: Where
    #: The fields whose column the sheet has (the others keep what the register holds).
    present: frozenset[str] = frozenset()
    number: str = ""
    external_id: str = ""
    name: str = ""
    birth_date: date | None = None
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    regime: Regime | None = None
    casemanager: str = ""
    phase: Phase | None = None
    opened_on: date | None = None
    own_words: str = ""
    strengths: str = ""
    meaningful: str = ""
    members: list[MemberEntry] = field(default_factory=list)
    agreements: list[AgreementEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Reference:
    """How a row of the network or agreement sheet names its client."""

    number: str = ""
    external_id: str = ""

    def __str__(self) -> str:
        return f"cliëntnummer {self.number}" if self.number else f"extern id {self.external_id}"


@dataclass
class SheetReport:
    """What was made of a sheet: its kind (None: not read), the columns chosen and the
    headers not read, and how many rows it had."""

    name: str
    kind: Kind | None
    layout: Layout | None
    rows: int = 0
    header: tuple[str, ...] = ()


@dataclass
class Reading:
    sheets: list[SheetReport] = field(default_factory=list)
    clients: list[ClientEntry] = field(default_factory=list)
    #: Network members and agreements whose client is not in the file (maybe in the
    #: register: decided when the import is planned).
    members_elsewhere: list[tuple[Reference, MemberEntry]] = field(default_factory=list)
    agreements_elsewhere: list[tuple[Reference, AgreementEntry]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: What the report says that refuses nothing.
    remarks: list[str] = field(default_factory=list)
    #: The rows with a problem, as they were (for the error sheet of --valid-only): sheet
    #: name -> (header, [(row number, cells)]).
    rejected: dict[str, tuple[tuple[str, ...], list[tuple[int, tuple[Cell, ...]]]]] = field(
        default_factory=dict
    )
