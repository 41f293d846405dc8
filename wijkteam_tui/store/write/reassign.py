"""Handing clients over to another casemanager (teamleider only), with a reason each
client's timeline shows; the agreements their present casemanager performs move along.
`agreements_to_move` lists those for confirmation, chosen as `reassign_clients` chooses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.agreements import performer_text
from wijkteam_tui.domain.phrases import schedule_text
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.history import CasemanagerChange
from wijkteam_tui.store.models import Client, ContactAgreement, User
from wijkteam_tui.store.read.common import user_name
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.review import AgreementToMove, ReassignResult
from wijkteam_tui.store.write.common import acting_teamleider, casemanager_of_agreements


def _clients(session: Session, client_ids: Iterable[int]) -> list[Client]:
    ids = sorted(set(client_ids))
    if not ids:
        raise ValidationError("Kies ten minste één cliënt.", "clients")
    found = session.scalars(select(Client).where(Client.id.in_(ids))).all()
    if len(found) != len(ids):
        raise ValidationError("Een van de gekozen cliënten bestaat niet meer.", "clients")
    return list(found)


def _movable(session: Session, clients: Sequence[Client]) -> list[ContactAgreement]:
    """Active agreements performed by the client's own casemanager."""
    by_client = {c.id: c.casemanager_id for c in clients if c.casemanager_id is not None}
    if not by_client:
        return []
    agreements = session.scalars(
        select(ContactAgreement)
        .where(
            ContactAgreement.client_id.in_(by_client),
            ContactAgreement.active.is_(True),
            ContactAgreement.user_id.is_not(None),
        )
        .order_by(ContactAgreement.client_id, ContactAgreement.id)
    ).all()
    return [a for a in agreements if a.user_id == by_client[a.client_id]]


def agreements_to_move(register: Register, client_ids: Iterable[int]) -> list[AgreementToMove]:
    """What reassigning these clients moves along: the agreements their present casemanager
    performs (shown for confirmation before `reassign_clients`)."""
    acting_teamleider(register, "Alleen een teamleider draagt cliënten over.")
    with register.read() as session:
        clients = _clients(session, client_ids)
        names = {c.id: c.name for c in clients}
        users: dict[int, str] = dict(session.execute(select(User.id, user_name(User))).all())
        return [
            AgreementToMove(
                a.id,
                a.client_id,
                names[a.client_id],
                performer_text(None, None, users.get(a.user_id or 0)),
                schedule_text(a.interval_days, a.rrule),
            )
            for a in _movable(session, clients)
        ]


def reassign_clients(
    register: Register,
    client_ids: Iterable[int],
    to_user_id: int,
    reason: str,
    today: date,
    *,
    move_agreements: bool = True,
) -> ReassignResult:
    """Give clients another casemanager, with a reason each client's timeline shows; the
    agreements the old casemanager performed move to the new one (unless told not to).
    Clients already with `to_user_id` are left as they are."""
    acting = acting_teamleider(register, "Alleen een teamleider draagt cliënten over.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Geef een reden voor de overdracht.", "reason")
    if len(reason) > 500:
        raise ValidationError("De reden is te lang (hoogstens 500 tekens).", "reason")
    with register.write() as session:
        target = session.get(User, to_user_id)
        if target is None or not target.active:
            raise ValidationError("Kies een actieve medewerker om aan over te dragen.", "to_user")
        clients = [c for c in _clients(session, client_ids) if c.casemanager_id != to_user_id]
        movable = _movable(session, clients) if move_agreements else []
        moved: defaultdict[int, int] = defaultdict(int)
        for agreement in movable:
            agreement.user_id = to_user_id
            moved[agreement.client_id] += 1
        now = utc_now()
        for client in clients:
            session.add(
                CasemanagerChange(
                    client_id=client.id,
                    from_user_id=client.casemanager_id,
                    to_user_id=to_user_id,
                    reason=reason,
                    moved_agreements=moved[client.id],
                    changed_on=today,
                    changed_by_id=acting,
                    recorded_at=now,
                )
            )
            casemanager_of_agreements(session, client.id, to_user_id)
            client.casemanager_id = to_user_id
            # Someone with this client's form open must not put the old casemanager back.
            client.version += 1
            client.updated_at = now
        return ReassignResult(len(clients), len(movable))
