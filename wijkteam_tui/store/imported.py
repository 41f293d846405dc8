"""What a caseload import writes (store.write.intake), as its plan made it (caseload.plan): per
client the details, and what of their network, agreements and assessments is new or changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wijkteam_tui.domain.terms import Phase
from wijkteam_tui.store.records import AgreementInput, AssessmentInput, ClientInput, MemberInput


@dataclass(frozen=True, slots=True)
class ImportedMember:
    """A network member of an imported client: new (`member_id` None) or one to update."""

    data: MemberInput
    member_id: int | None = None


@dataclass(frozen=True, slots=True)
class ImportedAgreement:
    """An agreement of an imported client, with the network member it is made with named by
    name (a member of the same import, or already in the register: `member_id`), and the last
    contact the file knew of (logged as a contact moment)."""

    data: AgreementInput
    member_name: str = ""
    last_contact: date | None = None


@dataclass(frozen=True, slots=True)
class ImportedClient:
    """A client of an import: new (`client_id` None, with the file's `number` when it is
    free, else the next) or one to update (as read at `version`), with what of their network
    and agreements is new or changed, and the assessments to record. `source` says where in
    the file it came from."""

    source: str
    data: ClientInput
    phase: Phase = Phase.INTENSIVE
    client_id: int | None = None
    version: int | None = None
    number: str = ""
    external_id: str = ""
    update_details: bool = True
    members: tuple[ImportedMember, ...] = ()
    agreements: tuple[ImportedAgreement, ...] = ()
    assessments: tuple[AssessmentInput, ...] = ()
