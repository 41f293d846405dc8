"""Phase changes, and the sign-off a medewerker asks a teamleider for."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.phases import (
    PhaseChangeRefused,
    PhaseRequest,
    check_phase_change,
    what_is_missing,
)
from wijkteam_tui.domain.retention import retention_until
from wijkteam_tui.domain.terms import Phase, Regime, Role, SignOffStatus
from wijkteam_tui.errors import ConflictError, ValidationError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.models import (
    Client,
    PhaseChange,
    SignOffRequest,
    TeamSettings,
)
from wijkteam_tui.store.records import ClientSummary, Created
from wijkteam_tui.store.refresh import informal_members, refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import (
    acting_teamleider,
    acting_user,
    check_version,
    client_summary,
    close_agreements,
    existing_client,
    optional_text,
    renew_agreements,
    required_text,
    team_settings,
)


def change_phase(
    register: Register,
    client_id: int,
    target: Phase,
    reason: str,
    today: date,
    *,
    on: date | None = None,
    regime: Regime | None = None,
    renew: Collection[int] = (),
) -> ClientSummary:
    """Move a client to another phase, recorded with who, when and why.

    Into 'duurzaam in beeld' directly only for a teamleider, whose change is the sign-off; a
    medewerker asks for it with `request_sign_off`. It also needs an informal network member
    with an active agreement. Closing happens `on` a date (default today; not in the future,
    not before the file was opened), may correct the `regime`, ends every agreement and sets
    the retention date. An afgesloten file can be reopened while it is retained; the agreements
    closing ended whose ids are in `renew` then start again on the reopening date."""
    user_id = acting_user(register)
    assert register.user is not None
    with register.write(client=client_id) as session:
        client = existing_client(session, client_id)
        signer = user_id if register.user.role is Role.TEAMLEIDER else None
        _move(
            session,
            client,
            target,
            reason,
            today,
            changed_by=user_id,
            signer=signer,
            on=on,
            regime=regime,
            renew=renew,
        )
        return client_summary(session, client)


def _move(
    session: Session,
    client: Client,
    target: Phase,
    reason: str,
    today: date,
    *,
    changed_by: int,
    signer: int | None,
    on: date | None = None,
    regime: Regime | None = None,
    request: SignOffRequest | None = None,
    renew: Collection[int] = (),
) -> None:
    """Check and record one phase change (inside the caller's transaction)."""
    on = on or today
    if on > today:
        raise ValidationError("Deze datum ligt in de toekomst.", "on")
    if on < client.opened_on:
        raise ValidationError(
            f"Deze datum ligt voor de opening van het dossier ({format_date(client.opened_on)}).",
            "on",
        )
    if client.phase is Phase.CLOSED and target is not Phase.CLOSED:
        retained = client.retention_until
        if retained is not None and retained < today:
            raise ValidationError(
                f"De bewaartermijn van dit dossier is verstreken op {format_date(retained)};"
                " heropenen kan niet meer. Registreer de cliënt opnieuw.",
                "phase",
            )
    try:
        check_phase_change(
            PhaseRequest(
                current=client.phase,
                target=target,
                reason=reason,
                acting_role=Role.TEAMLEIDER if signer is not None else Role.MEDEWERKER,
                signed_off_by_role=Role.TEAMLEIDER if signer is not None else None,
                informal_members=informal_members(session, client.id, today)
                if target is Phase.IN_VIEW
                else (),
            )
        )
    except PhaseChangeRefused as refused:
        raise ValidationError(str(refused), "phase") from None
    session.add(
        PhaseChange(
            client_id=client.id,
            from_phase=client.phase,
            to_phase=target,
            changed_on=on,
            changed_by_id=changed_by,
            signed_off_by_id=signer if target is Phase.IN_VIEW else None,
            reason=reason.strip(),
        )
    )
    # A request still waiting for a teamleider is about a phase the client has now left.
    for pending in session.scalars(
        select(SignOffRequest).where(
            SignOffRequest.client_id == client.id,
            SignOffRequest.status == SignOffStatus.PENDING,
        )
    ):
        if pending is not request:
            pending.status = SignOffStatus.LAPSED
            pending.decided_on = today
            pending.decided_at = utc_now()
            pending.decision_reason = f"De fase is intussen gewijzigd naar {target.label}."
    settings = team_settings(session)
    if target is Phase.CLOSED:
        if regime is not None:
            client.regime = regime
        client.closed_on = on
        client.retention_until = retention_until(on, client.regime, _terms(settings))
        close_agreements(session, client, on)
    elif client.phase is Phase.CLOSED:
        client.closed_on = None
        client.retention_until = None
        renew_agreements(session, client, renew, on)
    elif renew:
        raise ValidationError("Alleen bij heropenen kunnen afspraken opnieuw ingaan.", "renew")
    client.phase = target
    client.updated_at = utc_now()
    refresh_client(session, client, today, settings)


def request_sign_off(register: Register, client_id: int, reason: str, today: date) -> Created:
    """A medewerker asks a teamleider to move the client to 'duurzaam in beeld'.

    Refused, naming what is missing, while no informal network member has an active
    agreement; refused while another request for the client waits."""
    user_id = acting_user(register)
    reason = required_text(reason, "reason", "De reden", 2000)
    with register.write(client=client_id) as session:
        client = existing_client(session, client_id)
        if client.phase in (Phase.IN_VIEW, Phase.CLOSED):
            raise ValidationError(
                f"De cliënt is in fase '{client.phase.label}'; een aanvraag voor 'duurzaam in"
                " beeld' kan alleen vanuit intensief of afschalen.",
                "phase",
            )
        waiting = session.scalars(
            select(SignOffRequest).where(
                SignOffRequest.client_id == client.id,
                SignOffRequest.status == SignOffStatus.PENDING,
            )
        ).first()
        if waiting is not None:
            raise ValidationError(
                f"Er wacht al een aanvraag van {format_date(waiting.requested_on)} op een"
                " teamleider.",
                "phase",
            )
        missing = what_is_missing(informal_members(session, client.id, today))
        if missing:
            raise ValidationError(missing, "phase")
        request = SignOffRequest(
            client_id=client.id,
            from_phase=client.phase,
            to_phase=Phase.IN_VIEW,
            reason=reason,
            requested_on=today,
            requested_by_id=user_id,
            status=SignOffStatus.PENDING,
        )
        session.add(request)
        session.flush()
        return Created(request.id, request.version)


def decide_sign_off(
    register: Register,
    request_id: int,
    approve: bool,
    reason: str,
    today: date,
    *,
    version: int | None = None,
) -> ClientSummary:
    """A teamleider approves a request (the phase change is recorded, signed off by them) or
    refuses it with a reason. Approval is refused, naming what is missing, when the network no
    longer carries it; the request then waits on."""
    user_id = acting_teamleider(register, "Alleen een teamleider keurt een aanvraag goed of af.")
    reason = optional_text(reason, "reason", "De reden", 2000)
    if not approve and not reason:
        raise ValidationError("Geef een reden waarom de aanvraag wordt afgewezen.", "reason")
    with register.write(of=(SignOffRequest, request_id)) as session:
        request = session.get(SignOffRequest, request_id)
        if request is None:
            raise ValidationError(f"Aanvraag {request_id} bestaat niet.", "request")
        if version is not None:
            check_version(request.version, version)
        if request.status is not SignOffStatus.PENDING:
            raise ConflictError(
                f"Over deze aanvraag is al beslist: {request.status.label}."
                + (f" {request.decision_reason}" if request.decision_reason else "")
            )
        client = existing_client(session, request.client_id)
        # Before the phase change it brings (recorded as it is written): the timeline reads
        # the approval, then the change.
        request.decided_at = utc_now()
        if approve:
            why = request.reason + (f" Akkoord: {reason}" if reason else "")
            _move(
                session,
                client,
                request.to_phase,
                why,
                today,
                changed_by=request.requested_by_id,
                signer=user_id,
                request=request,
            )
        request.status = SignOffStatus.APPROVED if approve else SignOffStatus.REFUSED
        request.decided_on = today
        request.decided_by_id = user_id
        request.decision_reason = reason
        return client_summary(session, client)


def refusals_seen(register: Register, client_id: int) -> int:
    """The logged-in user opened the client: their refused requests for it are seen (they
    leave Vandaag). Writes only when there is one; returns how many."""
    user_id = acting_user(register)
    unseen = (
        SignOffRequest.client_id == client_id,
        SignOffRequest.requested_by_id == user_id,
        SignOffRequest.status == SignOffStatus.REFUSED,
        SignOffRequest.decision_seen_at.is_(None),
    )
    with register.read() as session:
        if session.scalar(select(SignOffRequest.id).where(*unseen).limit(1)) is None:
            return 0
    with register.write(client=client_id) as session:
        requests = list(session.scalars(select(SignOffRequest).where(*unseen)))
        for request in requests:
            request.decision_seen_at = utc_now()
        return len(requests)


def _terms(settings: TeamSettings) -> dict[Regime, int]:
    return {
        Regime.WMO: settings.retention_years_wmo,
        Regime.WMO_NO_PROVISION: settings.retention_years_wmo_no_provision,
        Regime.YOUTH_ACT: settings.retention_years_youth_act,
    }
