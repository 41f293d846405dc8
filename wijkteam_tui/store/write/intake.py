"""Bringing a caseload in (`wijkteam import --apply`): every client, network member, agreement,
last contact and assessment of the import in one transaction, all or nothing, each checked by
the same rules as the forms (the services' own `apply_…`, `validate_…` and `add_assessment`).

A new client gets the file's number when it is free and digits only, like the register's own,
else the next one; their first phase change says where they came from ("Geïmporteerd uit …"),
so their timeline does. A client already in the register is updated as read when the import
was planned: someone who changed them meanwhile makes the import refuse as a whole (the
version rule), and nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.dates import CONTACT_BEFORE_OPENING, format_date
from wijkteam_tui.domain.phrases import schedule_text
from wijkteam_tui.domain.search import fold
from wijkteam_tui.domain.terms import Outcome, Phase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.audit.chain import Event, note
from wijkteam_tui.store.imported import ImportedAgreement, ImportedClient
from wijkteam_tui.store.models import (
    Client,
    ContactAgreement,
    ContactMoment,
    NetworkMember,
    PhaseChange,
)
from wijkteam_tui.store.outcomes.recording import add_assessment
from wijkteam_tui.store.records import AgreementInput
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.agreements import new_agreement, performing_user
from wijkteam_tui.store.write.clients import apply_client, next_client_number
from wijkteam_tui.store.write.common import (
    acting_teamleider,
    check_version,
    existing_client,
    reindex,
    team_settings,
)
from wijkteam_tui.store.write.network import apply_member

REFUSAL = "Alleen een teamleider kan een caseload importeren."
#: The note of a contact moment taken over from the file.
LAST_CONTACT_NOTE = "Laatste contact volgens de import."


@dataclass(frozen=True, slots=True)
class ImportCounts:
    clients_new: int = 0
    clients_updated: int = 0
    members: int = 0
    agreements: int = 0
    contacts: int = 0
    assessments: int = 0


class ImportRowError(ValidationError):
    """A rule of the register refused a row: the message starts with where it came from."""


def import_caseload(
    register: Register,
    clients: Iterable[ImportedClient],
    file_name: str,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> ImportCounts:
    """Write the import in one transaction; ImportRowError (where, and why) refuses all of
    it. `progress` hears how many clients are done."""
    user_id = acting_teamleider(register, REFUSAL)
    counts = ImportCounts()
    with register.write() as session:
        work = _Work(session, user_id, today, file_name)
        settings = team_settings(session)
        for done, item in enumerate(clients, start=1):
            try:
                client, new = work.client(item)
                members = work.members(client, item)
                agreements, contacts = work.agreements(client, item, members)
                for assessment in item.assessments:
                    add_assessment(session, client.id, assessment, user_id, today)
            except ValidationError as error:
                raise ImportRowError(f"{item.source}: {error}", error.field) from None
            session.flush()
            reindex(session, client)
            refresh_client(session, client, today, settings)
            counts = replace(
                counts,
                clients_new=counts.clients_new + new,
                clients_updated=counts.clients_updated + (not new),
                members=counts.members + len(item.members),
                agreements=counts.agreements + agreements,
                contacts=counts.contacts + contacts,
                assessments=counts.assessments + len(item.assessments),
            )
            if progress is not None:
                progress(done)
        note(
            session,
            Event(
                "import",
                "clients",
                detail=(
                    f"{file_name}: {counts.clients_new} nieuw, {counts.clients_updated}"
                    f" bijgewerkt, {counts.members} netwerkleden, {counts.agreements} afspraken,"
                    f" {counts.contacts} contactmomenten, {counts.assessments} metingen"
                ),
            ),
        )
    return counts


@dataclass(frozen=True, slots=True)
class _Work:
    """One import's transaction: who imports, on which day, from which file."""

    session: Session
    user_id: int
    today: date
    file_name: str

    def client(self, item: ImportedClient) -> tuple[Client, bool]:
        """The client written: (client, whether new)."""
        session = self.session
        if item.client_id is not None:
            client = existing_client(session, item.client_id)
            if item.version is not None:
                check_version(client.version, item.version)
            if item.update_details:
                apply_client(session, client, item.data)
                if item.external_id and client.external_id is None:
                    self._check_free_external_id(item.external_id)
                    client.external_id = item.external_id
                client.version += 1
            return client, False
        number = item.number
        if not (number.isdigit() and self._free(Client.number, number)):
            number = next_client_number(session)
        if item.external_id:
            self._check_free_external_id(item.external_id)
        client = Client(number=number, external_id=item.external_id or None, phase=item.phase)
        apply_client(session, client, item.data)
        session.add(client)
        session.flush()
        session.add(
            PhaseChange(
                client_id=client.id,
                from_phase=None,
                to_phase=item.phase,
                changed_on=item.data.opened_on,
                changed_by_id=self.user_id,
                reason=f"Geïmporteerd uit {self.file_name} ({item.source}).",
            )
        )
        return client, True

    def _check_free_external_id(self, external_id: str) -> None:
        if not self._free(Client.external_id, external_id):
            raise ValidationError(
                f"het externe id {external_id} hoort al bij een andere cliënt.", "external_id"
            )

    def _free(self, column: Any, value: str) -> bool:
        return self.session.scalar(select(Client.id).where(column == value)) is None

    def members(self, client: Client, item: ImportedClient) -> dict[str, int]:
        """The client's network members by folded name, after the import's are written."""
        session = self.session
        for imported in item.members:
            member = (
                NetworkMember(client_id=client.id)
                if imported.member_id is None
                else session.get(NetworkMember, imported.member_id)
            )
            if member is None or member.client_id != client.id:
                raise ValidationError(f"{imported.data.name} hoort niet bij deze cliënt.")
            apply_member(session, member, imported.data, self.today)
            session.add(member)
        session.flush()
        return {
            fold(name): member_id
            for member_id, name in session.execute(
                select(NetworkMember.id, NetworkMember.name).where(
                    NetworkMember.client_id == client.id, NetworkMember.ended_on.is_(None)
                )
            )
        }

    def agreements(
        self, client: Client, item: ImportedClient, members: dict[str, int]
    ) -> tuple[int, int]:
        """(agreements, contact moments) written; an agreement the client has already (the
        same person, channel and schedule: a second import) is not made again."""
        if item.agreements and client.phase is Phase.CLOSED:
            raise ValidationError("het dossier is afgesloten; afspraken horen daar niet bij.")
        written = contacts = 0
        # Each of the client's agreements stands for one row at most: two alike stay two.
        taken: set[int] = set()
        for imported in item.agreements:
            data = _with_member(imported, members).data
            agreement = self._same_agreement(client, data, taken)
            if agreement is None:
                agreement = new_agreement(self.session, client, data, self.today)
                written += 1
            taken.add(agreement.id)
            if imported.last_contact is not None:
                contacts += self._last_contact(client, agreement, imported.last_contact)
        return written, contacts

    def _same_agreement(
        self, client: Client, data: AgreementInput, taken: set[int]
    ) -> ContactAgreement | None:
        """An active agreement of the client with the same person, channel and schedule (as
        the form says it: one rule has several spellings), not in `taken`."""
        schedule = schedule_text(data.interval_days, data.rrule)
        candidates = self.session.scalars(
            select(ContactAgreement)
            .where(
                ContactAgreement.client_id == client.id,
                ContactAgreement.active.is_(True),
                _equals(ContactAgreement.member_id, data.member_id),
                _equals(ContactAgreement.user_id, performing_user(client, data)),
                ContactAgreement.channel == data.channel,
            )
            .order_by(ContactAgreement.id)
        )
        return next(
            (
                agreement
                for agreement in candidates
                if agreement.id not in taken
                and schedule_text(agreement.interval_days, agreement.rrule) == schedule
            ),
            None,
        )

    def _last_contact(self, client: Client, agreement: ContactAgreement, on: date) -> int:
        """A contact moment on the file's last contact, unless one is there on or after it."""
        if on > self.today:
            raise ValidationError("het laatste contact ligt in de toekomst.", "last_contact")
        if on < client.opened_on - CONTACT_BEFORE_OPENING:
            raise ValidationError(
                f"het laatste contact ligt ver voor de start van het dossier"
                f" ({format_date(client.opened_on)}); een contact kan tot een jaar ervoor.",
                "last_contact",
            )
        if agreement.last_contact_on is not None and agreement.last_contact_on >= on:
            return 0
        self.session.add(
            ContactMoment(
                client_id=client.id,
                agreement_id=agreement.id,
                member_id=agreement.member_id,
                user_id=self.user_id,
                occurred_on=on,
                channel=agreement.channel,
                outcome=Outcome.GOOD,
                note=LAST_CONTACT_NOTE,
            )
        )
        agreement.last_contact_on = on
        if client.last_contact_on is None or on > client.last_contact_on:
            client.last_contact_on = on
        return 1


def _with_member(imported: ImportedAgreement, members: dict[str, int]) -> ImportedAgreement:
    """The agreement with the id of the network member it names."""
    if not imported.member_name:
        return imported
    member_id = members.get(fold(imported.member_name))
    if member_id is None:
        raise ValidationError(
            f"{imported.member_name} staat niet in het netwerk van deze cliënt.", "member"
        )
    return replace(imported, data=replace(imported.data, member_id=member_id))


def _equals(column: Any, value: object) -> Any:
    return column.is_(None) if value is None else column == value
