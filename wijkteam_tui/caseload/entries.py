"""The rows of a caseload file as entries: each client, network member, agreement and assessment
as the file gives them, where each row came from (sheet and row number, for the report and the
error sheet), every problem, what was made of each sheet, and which files were read (the error
sheet reads its rows there again rather than keep every row's cells). What a whole file is read
into is `spill.Reading`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from wijkteam_tui.caseload.columns import Kind, Layout
from wijkteam_tui.domain.phrases import HowOften
from wijkteam_tui.domain.terms import AssessmentKind, Channel, MemberKind, Phase, Regime


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


@dataclass(frozen=True, slots=True)
class Where:
    """Where a row stands: its sheet and its row number as the spreadsheet shows it."""

    sheet: str
    row: int


# The entries are slotted: a file of 10,000 clients holds some 90,000 of them.
@dataclass(slots=True)
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
    remind: bool | None = None
    remind_on: date | None = None
    remind_review_on: date | None = None
    availability: str = ""
    notes: str = ""
    out_of_hours: bool | None = None


@dataclass(slots=True)
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


@dataclass(slots=True)
class AssessmentEntry:
    """A ZRM or a conversation about Positieve Gezondheid, as a row of Ontwikkeling says."""

    where: Where
    kind: AssessmentKind
    assessed_on: date
    #: Per domain code its score (None: n.v.t.); a domain whose cell is empty is not in it.
    scores: dict[str, int | None]
    #: Per domain code its note, where the cell is not empty.
    notes: dict[str, str]
    own_words: str = ""
    #: The fields whose column the sheet has.
    present: frozenset[str] = frozenset()


@dataclass(slots=True)
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
    assessments: list[AssessmentEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
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
