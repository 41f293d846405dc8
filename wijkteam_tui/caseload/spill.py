"""Where the rows of a caseload file wait between reading and planning: in an encrypted scratch
file, not in memory, so that the import of a large file takes no more memory than a small one
beyond a few hundred bytes a client.

A client's rows are spread over sheets in any order (the network sheet may come first), so
they cannot be planned as they are read. Each row read becomes an entry, written at once to
the scratch file; memory keeps only where each entry is and what finding its client needs
(number, external id, name and birth date). Planning reads each client back with their network
and agreements, one client at a time.

The scratch file is made by `tempfile.TemporaryFile` (0600, and on Linux without a name from
the start: nothing is left behind, not even after a crash) and each entry is sealed with
AES-256-GCM under a key that exists only in this process's memory, so the file is as unreadable
as the register; an entry that does not open is a program error, never someone's data. The
entries are pickled: only this process wrote them, and nothing unsealed is ever unpickled."""

from __future__ import annotations

import errno
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO, Generic, TypeVar

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wijkteam_tui.caseload.entries import (
    AgreementEntry,
    AssessmentEntry,
    ClientEntry,
    MemberEntry,
    Problem,
    Reference,
    SheetReport,
    Where,
)
from wijkteam_tui.caseload.sheets import Source
from wijkteam_tui.errors import UsageError
from wijkteam_tui.store.imported import ImportedClient

_T = TypeVar("_T")
_Entry = TypeVar("_Entry", MemberEntry, AgreementEntry, AssessmentEntry)
#: The size of an entry's length and of its nonce in the scratch file.
_LENGTH, _NONCE = 4, 12


class Spill:
    """An append-only scratch file of sealed entries, each found again by its offset.
    `file` is for a test's own device; normally a nameless temporary file is made."""

    def __init__(self, file: BinaryIO | None = None) -> None:
        try:
            # Closed by close(), or with the object.
            self._file = file or tempfile.TemporaryFile(prefix="wijkteam-import-")  # noqa: SIM115
        except OSError as error:
            raise _no_room(error) from None
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        self._count = 0
        self._end = 0

    def put(self, entry: object) -> int:
        """Where `entry` is kept from now on."""
        # A nonce is never used twice under this key: it counts the entries.
        nonce = self._count.to_bytes(_NONCE, "big")
        self._count += 1
        sealed = self._aead.encrypt(nonce, pickle.dumps(entry, pickle.HIGHEST_PROTOCOL), None)
        offset = self._end
        try:
            self._file.seek(offset)
            self._file.write(len(sealed).to_bytes(_LENGTH, "big") + nonce + sealed)
        except OSError as error:
            raise _no_room(error) from None
        self._end += _LENGTH + _NONCE + len(sealed)
        return offset

    def get(self, offset: int) -> object:
        try:
            self._file.seek(offset)
            length = int.from_bytes(self._file.read(_LENGTH), "big")
            nonce = self._file.read(_NONCE)
            sealed = self._file.read(length)
        except OSError as error:
            raise _no_room(error) from None
        # Unsealed only what this process wrote under its own key (decrypt refuses the rest).
        return pickle.loads(self._aead.decrypt(nonce, sealed, None))  # noqa: S301

    @property
    def size(self) -> int:
        """How many bytes the scratch file holds."""
        return self._end

    def close(self) -> None:
        self._file.close()


@dataclass(slots=True)
class ClientKey:
    """What memory keeps of a client of the file: where their row is, what finds them, and
    where their entry and the entries of their network, agreements and assessments are
    kept."""

    where: Where
    name: str
    number: str = ""
    external_id: str = ""
    birth_date: date | None = None
    record: int = -1
    members: list[int] = field(default_factory=list)
    agreements: list[int] = field(default_factory=list)
    assessments: list[int] = field(default_factory=list)
    #: The network members a flat sheet gave (by normalised name): each comes in once.
    member_names: set[str] | None = None

    @classmethod
    def of(cls, client: ClientEntry) -> ClientKey:
        return cls(client.where, client.name, client.number, client.external_id, client.birth_date)


class Clients:
    """The clients of a file in the order they came, each read back whole when iterated."""

    def __init__(self, spill: Spill) -> None:
        self._spill = spill
        self.keys: list[ClientKey] = []

    def add(self, client: ClientEntry) -> ClientKey:
        key = ClientKey.of(client)
        key.record = self._spill.put(client)
        self.keys.append(key)
        return key

    def entry(self, key: ClientKey) -> ClientEntry:
        """The client with their network, agreements and assessments."""
        client = self._spill.get(key.record)
        assert isinstance(client, ClientEntry)
        client.members = [_read(self._spill, MemberEntry, o) for o in key.members]
        client.agreements = [_read(self._spill, AgreementEntry, o) for o in key.agreements]
        client.assessments = [_read(self._spill, AssessmentEntry, o) for o in key.assessments]
        return client

    def __iter__(self) -> Iterator[ClientEntry]:
        return (self.entry(key) for key in self.keys)

    def __getitem__(self, index: int) -> ClientEntry:
        return self.entry(self.keys[index])

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True, slots=True)
class Related:
    """A network, agreement or assessment row not yet tied to its client: whom it names
    (client number or external id), where it is, and where its entry is kept. Flat: a file
    of 10,000 clients has some 80,000 of them waiting until every sheet is read."""

    number: str
    external_id: str
    sheet: str
    row: int
    offset: int

    @property
    def reference(self) -> Reference:
        return Reference(self.number, self.external_id)

    @property
    def where(self) -> Where:
        return Where(self.sheet, self.row)


class RelatedRows(Generic[_Entry]):
    """Network, agreement or assessment rows whose client is not in the file (maybe in the
    register)."""

    def __init__(self, spill: Spill, kind: type[_Entry], same: dict[str, str]) -> None:
        self._spill = spill
        self._kind: type[_Entry] = kind
        self._same = same
        self.rows: list[Related] = []

    def add(self, reference: Reference, entry: _Entry) -> None:
        # The rows of one client share one text of its number (and external id).
        number = self._same.setdefault(reference.number, reference.number)
        external_id = self._same.setdefault(reference.external_id, reference.external_id)
        where = entry.where
        self.rows.append(
            Related(number, external_id, where.sheet, where.row, self._spill.put(entry))
        )

    def entry(self, row: Related) -> _Entry:
        return _read(self._spill, self._kind, row.offset)

    def __iter__(self) -> Iterator[tuple[Reference, _Entry]]:
        return ((row.reference, self.entry(row)) for row in self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _no_room(error: OSError) -> UsageError:
    """The scratch file could not be made or written (a full or closed temporary folder)."""
    why = "er is geen ruimte meer" if error.errno == errno.ENOSPC else error.strerror or error
    return UsageError(
        f"Het bestand kan niet worden gelezen: in de tijdelijke map {tempfile.gettempdir()} kan"
        f" het programma zijn kladbestand niet kwijt ({why}). Maak daar ruimte, of wijs met"
        " TMPDIR een map met meer ruimte aan. Er is niets geïmporteerd."
    )


def _read(spill: Spill, kind: type[_T], offset: int) -> _T:
    entry = spill.get(offset)
    assert isinstance(entry, kind)
    return entry


class Planned:
    """The clients an import writes (store.imported.ImportedClient), in the scratch file of
    the reading they were planned from; how many members, agreements and assessments they
    bring."""

    def __init__(self, spill: Spill) -> None:
        self._spill = spill
        self._offsets: list[int] = []
        self.members = self.agreements = self.assessments = 0

    def append(self, client: ImportedClient) -> None:
        self._offsets.append(self._spill.put(client))
        self.members += len(client.members)
        self.agreements += len(client.agreements)
        self.assessments += len(client.assessments)

    def __getitem__(self, index: int) -> ImportedClient:
        return _read(self._spill, ImportedClient, self._offsets[index])

    def __iter__(self) -> Iterator[ImportedClient]:
        return (_read(self._spill, ImportedClient, o) for o in self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)


class Reading:
    """A caseload file (or several, read as one) as read: its clients, the network, agreement
    and assessment rows whose client is not in the file, every problem, the remarks that refuse
    nothing, what was made of each sheet, and the files with their digests. Its entries wait
    in a scratch file of its own, closed with it (or when it is no longer used)."""

    def __init__(self) -> None:
        self.spill = Spill()
        self.sources: tuple[Source, ...] = ()
        self.sheets: list[SheetReport] = []
        self.clients = Clients(self.spill)
        #: Network members, agreements and assessments whose client is not in the file (maybe in the
        #: register: decided when the import is planned).
        same: dict[str, str] = {}
        self.members_elsewhere = RelatedRows(self.spill, MemberEntry, same)
        self.agreements_elsewhere = RelatedRows(self.spill, AgreementEntry, same)
        self.assessments_elsewhere = RelatedRows(self.spill, AssessmentEntry, same)
        self.problems: list[Problem] = []
        #: What the report says that refuses nothing.
        self.remarks: list[str] = []

    def close(self) -> None:
        self.spill.close()
