"""The import planned against the register: which clients are new, which are updated and
which are already there as the file says, and what only the register can refuse (a casemanager
who is no colleague, a client number of someone else, a client already registered under the
same name and birth date, a "wie" who is nobody in the client's network).

A client is found by the external id the file gives, else by its client number (which must
belong to someone of the same name), else by name and birth date; found that last way without
a number or id in the file, they are listed, never merged silently. A column the file does not
have, or a cell left empty, keeps what the register holds; only what differs is written, so
importing the same file twice changes nothing the second time. The phase of a client already
in the register is changed in their file, never by an import (a remark says so)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from wijkteam_tui.caseload.entries import (
    ClientEntry,
    Problem,
    Where,
)
from wijkteam_tui.caseload.network_plan import NetworkPlanner, day_text
from wijkteam_tui.caseload.outcomes import OutcomePlanner
from wijkteam_tui.caseload.spill import Planned, Reading, Related
from wijkteam_tui.domain.search import fold
from wijkteam_tui.domain.terms import Phase, Regime
from wijkteam_tui.store.imported import ImportedAgreement, ImportedClient, ImportedMember
from wijkteam_tui.store.read.caseload import (
    CHUNK,
    Known,
    KnownClient,
    KnownUser,
    known_for_import,
)
from wijkteam_tui.store.records import AssessmentInput, ClientInput
from wijkteam_tui.store.register import Register

#: The fields of a client row and the ClientInput field each fills.
_CLIENT_FIELDS = {
    "name": "name", "birth_date": "birth_date", "street": "street",
    "house_number": "house_number", "postcode": "postcode", "city": "city", "phone": "phone",
    "regime": "regime", "opened_on": "opened_on", "own_words": "own_words",
    "strengths": "strengths", "meaningful": "meaningful",
}  # fmt: skip


@dataclass
class Plan:
    """What `--apply` writes (`clients`: only what differs), what is there already, what is
    refused and why, and remarks that refuse nothing."""

    reading: Reading
    #: Kept beside the file's entries (spill.py), read back one at a time as they are written.
    clients: Planned
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    #: Rows refused by the register's rules (the reading's problems name the others).
    refused: list[Where] = field(default_factory=list)

    @property
    def members(self) -> int:
        return self.clients.members

    @property
    def agreements(self) -> int:
        return self.clients.agreements

    @property
    def assessments(self) -> int:
        return self.clients.assessments


def plan_import(register: Register, reading: Reading, today: date) -> Plan:
    """The import of `reading` into `register` as it stands today: CHUNK clients at a time,
    each chunk with what the register holds of them, so that neither the file nor the
    register is ever in memory whole."""
    keys = reading.clients.keys
    plan = Plan(
        reading,
        Planned(reading.spill),
        problems=list(reading.problems),
        remarks=list(reading.remarks),
    )
    planner = _Planner(plan, today)
    for key in keys:
        for ref in (("nr", key.number), ("id", key.external_id)):
            if ref[1]:
                planner.claimed.add((*ref, fold(key.name)))
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        planner.know(
            known_for_import(
                register,
                numbers={k.number for k in chunk if k.number},
                external_ids={k.external_id for k in chunk if k.external_id},
                birth_dates={k.birth_date for k in chunk if k.birth_date},
                # Without a birth date a namesake is found by the name as written.
                names={k.name for k in chunk if not k.birth_date and k.name},
            )
        )
        # One client at a time, read back with their network and agreements.
        for key in chunk:
            planner.client(reading.clients.entry(key))
    planner.elsewhere(register, reading)
    return planner.plan


class _Refused(Exception):
    """A row the register refused (its problem is in the plan already)."""


class _Planner:
    def __init__(self, plan: Plan, today: date) -> None:
        self.plan, self.today = plan, today
        self.users: dict[str, KnownUser] = {}
        self.by_number: dict[str, KnownClient] = {}
        self.by_external: dict[str, KnownClient] = {}
        self.by_name: dict[tuple[str, date | None], KnownClient] = {}
        self.network = NetworkPlanner(self.refuse, today, self._user)
        self.outcomes = OutcomePlanner(self.refuse, today)
        #: The numbers and external ids the file's clients have, with their names: a client
        #: of the register the file has under its own number is not another row's namesake.
        self.claimed: set[tuple[str, str, str]] = set()

    def know(self, known: Known) -> None:
        """What the register holds of the clients planned next (and its users)."""
        if not self.users:
            # By user name and by full name, folded; a user name wins over a full name.
            for user in known.users:
                self.users.setdefault(fold(user.display_name), user)
            for user in known.users:
                self.users[fold(user.name)] = user
        self.by_number = {c.number: c for c in known.clients}
        self.by_external = {c.external_id: c for c in known.clients if c.external_id}
        self.by_name = {}
        for client in known.clients:
            self.by_name.setdefault((fold(client.data.name), client.data.birth_date), client)

    # -- problems ---------------------------------------------------------------------------

    def refuse(self, where: Where, column: str, reason: str) -> None:
        self.plan.problems.append(Problem(where.sheet, where.row, column, reason))
        self.plan.refused.append(where)

    # -- clients ----------------------------------------------------------------------------

    def client(self, entry: ClientEntry) -> None:
        problems = len(self.plan.problems)
        try:
            found = self._found(entry)
        except _Refused:
            found = None
        casemanager = self._casemanager(entry, found)
        members = self.network.members(entry, found)
        agreements = self.network.agreements(entry, found, members)
        assessments = self.outcomes.assessments(entry, found)
        if len(self.plan.problems) > problems:
            self._refuse_rest(entry)
            return
        data = self._client_input(entry, found, casemanager)
        if found is not None and self._by_name_only(entry) and data != found.data:
            self.refuse(
                entry.where,
                "Naam",
                f"{found.data.name} (geboren {day_text(entry.birth_date)}) staat al in het register"
                f" als cliënt {found.number}, met andere gegevens; zet dat cliëntnummer in het"
                " bestand om deze cliënt bij te werken, of verbeter naam of geboortedatum.",
            )
            self._refuse_rest(entry)
            return
        if found is None:
            self._new(entry, data, members=members, agreements=agreements, assessments=assessments)
        else:
            self._update(
                entry, found, data, members=members, agreements=agreements, assessments=assessments
            )

    def _new(
        self,
        entry: ClientEntry,
        data: ClientInput,
        *,
        members: list[ImportedMember],
        agreements: list[ImportedAgreement],
        assessments: list[AssessmentInput],
    ) -> None:
        if entry.phase is Phase.CLOSED:
            self.refuse(
                entry.where,
                "Fase",
                "een afgesloten dossier komt niet binnen met een import; laat de rij weg.",
            )
            return
        self.plan.clients.append(
            ImportedClient(
                source=_source(entry),
                data=data,
                phase=entry.phase or Phase.INTENSIVE,
                number=entry.number,
                external_id=entry.external_id,
                members=tuple(members),
                agreements=tuple(agreements),
                assessments=tuple(assessments),
            )
        )
        self.plan.new += 1

    def _update(
        self,
        entry: ClientEntry,
        found: KnownClient,
        data: ClientInput,
        *,
        members: list[ImportedMember],
        agreements: list[ImportedAgreement],
        assessments: list[AssessmentInput],
    ) -> None:
        """A client the register has: updated where the file differs; the phase stays."""
        if entry.phase is not None and entry.phase is not found.phase:
            self.plan.remarks.append(
                f"{_source(entry)}: {found.data.name} blijft in fase {found.phase.label};"
                " een fase verander je in het dossier, niet met een import."
            )
        changed = data != found.data or bool(entry.external_id and not found.external_id)
        if not (changed or members or agreements or assessments):
            self.plan.unchanged += 1
            return
        self.plan.clients.append(
            ImportedClient(
                source=_source(entry),
                data=data,
                phase=found.phase,
                client_id=found.id,
                version=found.version,
                external_id=entry.external_id if not found.external_id else "",
                update_details=changed,
                members=tuple(members),
                agreements=tuple(agreements),
                assessments=tuple(assessments),
            )
        )
        self.plan.updated += 1

    def _refuse_rest(self, entry: ClientEntry) -> None:
        """The client is refused: so are the rows of their network, agreements and assessments
        (named, so that --valid-only leaves them out and puts them on the error sheet)."""
        refused = set(self.plan.refused)
        rows = [m.where for m in entry.members] + [a.where for a in entry.agreements]
        for row in rows + [a.where for a in entry.assessments]:
            if row not in refused and row != entry.where:
                self.refuse(
                    row,
                    "",
                    f"hoort bij {entry.name or 'een cliënt zonder naam'} ({entry.where.sheet},"
                    f" rij {entry.where.row}), die niet wordt geïmporteerd.",
                )

    def _found(self, entry: ClientEntry) -> KnownClient | None:
        """The register's client this row means, None for a new one (_Refused: neither): by
        the external id the file gives, else by client number (of someone of the same name),
        else by name and birth date."""
        if entry.external_id and entry.external_id in self.by_external:
            return self.by_external[entry.external_id]
        if entry.number and entry.number in self.by_number:
            known = self.by_number[entry.number]
            if fold(known.data.name) != fold(entry.name):
                self.refuse(
                    entry.where,
                    "Cliëntnummer",
                    f"cliëntnummer {entry.number} is in het register {known.data.name}, niet"
                    f" {entry.name}.",
                )
                raise _Refused
            return known
        # By name and birth date: the same client only when the file's details are the
        # register's (checked by the caller), never merged with a client who differs.
        namesake = self.by_name.get((fold(entry.name), entry.birth_date))
        if namesake is None:
            return None
        name = fold(namesake.data.name)
        if {("nr", namesake.number, name), ("id", namesake.external_id, name)} & self.claimed:
            return None
        if entry.number and entry.number != namesake.number:
            self.refuse(
                entry.where,
                "Cliëntnummer",
                f"{namesake.data.name} (geboren {day_text(entry.birth_date)}) staat al in het"
                f" register als cliënt {namesake.number}; is dit die cliënt, zet dan dat nummer"
                f" in het bestand in plaats van {entry.number}.",
            )
            raise _Refused
        if entry.external_id and namesake.external_id:
            self.refuse(
                entry.where,
                "Extern id",
                f"{namesake.data.name} (geboren {day_text(entry.birth_date)}) staat al in het"
                f" register als cliënt {namesake.number}, met extern id {namesake.external_id}.",
            )
            raise _Refused
        return namesake

    @staticmethod
    def _by_name_only(entry: ClientEntry) -> bool:
        return not entry.number and not entry.external_id

    def _casemanager(self, entry: ClientEntry, found: KnownClient | None) -> int | None:
        if not entry.casemanager:
            return found.data.casemanager_id if found is not None else None
        user = self._user(entry.casemanager)
        if user is None or not user.active:
            why = "is uitgeschakeld" if user is not None else "is geen gebruiker van het register"
            self.refuse(entry.where, "Casemanager", f"'{entry.casemanager}' {why}.")
            return None
        return user.id

    def _user(self, text: str) -> KnownUser | None:
        return self.users.get(fold(text))

    def _client_input(
        self, entry: ClientEntry, found: KnownClient | None, casemanager: int | None
    ) -> ClientInput:
        base = found.data if found is not None else ClientInput(name="", opened_on=self.today)
        changes: dict[str, Any] = {"casemanager_id": casemanager}
        for key, attribute in _CLIENT_FIELDS.items():
            value = getattr(entry, key)
            if key in entry.present and value not in ("", None):
                changes[attribute] = value
        if found is None and "regime" not in changes:
            changes["regime"] = Regime.WMO
        return replace(base, **changes)

    # -- rows whose client is not in the file ------------------------------------------------

    def elsewhere(self, register: Register, reading: Reading) -> None:
        """The rows of clients the register has: the clients they name found (CHUNK names
        at a time), the rows grouped by client, then each client read back and planned as
        an update of their network, agreements and assessments."""
        sides = (
            reading.members_elsewhere.rows,
            reading.agreements_elsewhere.rows,
            reading.assessments_elsewhere.rows,
        )
        named = list(dict.fromkeys((r.number, r.external_id) for rows in sides for r in rows))
        found: dict[tuple[str, str], tuple[int, str]] = {}
        for start in range(0, len(named), CHUNK):
            chunk = named[start : start + CHUNK]
            self.know(
                known_for_import(
                    register,
                    numbers={number for number, _ in chunk if number},
                    external_ids={external_id for _, external_id in chunk if external_id},
                    birth_dates=(),
                )
            )
            for number, external_id in chunk:
                client = (
                    self.by_external.get(external_id) if external_id else self.by_number.get(number)
                )
                if client is not None:
                    found[(number, external_id)] = (client.id, client.number)
        by_client: dict[int, tuple[str, tuple[list[Related], ...]]] = {}
        for side, rows in enumerate(sides):
            for row in rows:
                hit = found.get((row.number, row.external_id))
                if hit is None:
                    self.refuse(
                        row.where,
                        "Cliëntnummer" if row.number else "Extern id",
                        f"er is geen cliënt met {row.reference}, niet in dit bestand en niet in"
                        " het register.",
                    )
                    continue
                client_id, number = hit
                by_client.setdefault(client_id, (number, ([], [], [])))[1][side].append(row)
        grouped = list(by_client.values())
        for start in range(0, len(grouped), CHUNK):
            chunk_of_clients = grouped[start : start + CHUNK]
            self.know(
                known_for_import(
                    register,
                    numbers={number for number, _ in chunk_of_clients},
                    external_ids=(),
                    birth_dates=(),
                )
            )
            for number, (members, agreements, assessments) in chunk_of_clients:
                known = self.by_number[number]
                self.client(
                    ClientEntry(
                        where=(members or agreements or assessments)[0].where,
                        number=known.number,
                        name=known.data.name,
                        members=[reading.members_elsewhere.entry(row) for row in members],
                        agreements=[reading.agreements_elsewhere.entry(row) for row in agreements],
                        assessments=[
                            reading.assessments_elsewhere.entry(row) for row in assessments
                        ],
                    )
                )


def _source(entry: ClientEntry) -> str:
    return f"{entry.where.sheet}, rij {entry.where.row}"
