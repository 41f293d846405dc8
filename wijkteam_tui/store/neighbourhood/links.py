"""A teamleider's correction of who is the same person in several networks (the Buurt view):
two members are the same person (joined, however different their numbers), two people
(parted, however alike), or left to the phone number and e-mail address again."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.neighbourhood import pair
from wijkteam_tui.domain.terms import MemberKind
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.models import NetworkMember
from wijkteam_tui.store.neighbourhood.models import MemberLink
from wijkteam_tui.store.neighbourhood.rows import informal_member
from wijkteam_tui.store.register import Register

REFUSAL = "Alleen een teamleider koppelt of ontkoppelt netwerkleden in de buurt."


def _informal(session: Session, member_id: int) -> NetworkMember:
    member = session.get(NetworkMember, member_id)
    if member is None:
        raise ValidationError(f"Netwerklid {member_id} bestaat niet.", "member")
    if member.kind is not MemberKind.INFORMAL or member.resource_id is not None:
        raise ValidationError(
            f"{member.name} is geen informeel netwerklid: alleen informele netwerkleden worden"
            " in de buurt aan elkaar gekoppeld (een voorziening via de sociale kaart).",
            "member",
        )
    return member


def _decide(session: Session, user_id: int, member_id: int, other_id: int, same: bool) -> None:
    if member_id == other_id:
        raise ValidationError("Kies twee verschillende netwerkleden.", "member")
    first, second = pair(member_id, other_id)
    one, other = _informal(session, first), _informal(session, second)
    if one.client_id == other.client_id:
        raise ValidationError(
            f"{one.name} en {other.name} staan in het netwerk van dezelfde cliënt: de buurt"
            " koppelt alleen netwerkleden van verschillende cliënten.",
            "member",
        )
    link = session.scalar(
        select(MemberLink).where(MemberLink.member_id == first, MemberLink.other_id == second)
    )
    if link is None:
        session.add(MemberLink(member_id=first, other_id=second, same=same, decided_by_id=user_id))
    elif link.same != same:
        link.same, link.decided_by_id, link.decided_at = same, user_id, utc_now()


def decide_match(register: Register, member_id: int, other_id: int, same: bool) -> None:
    """Record that two informal members of different clients are (`same`) or are not the same
    person; a decision made before on the same two is replaced."""
    user_id = register.require_teamleider(REFUSAL)
    with register.write() as session:
        _decide(session, user_id, member_id, other_id, same)


def part_member(register: Register, member_id: int) -> int:
    """Take a member out of the person they were matched to: not the same as any member of
    another client with their phone number or e-mail address, and no longer joined to anyone
    by a teamleider. Returns how many members they are now parted from."""
    user_id = register.require_teamleider(REFUSAL)
    with register.write() as session:
        member = _informal(session, member_id)
        keys = [
            key == value
            for key, value in (
                (NetworkMember.phone_key, member.phone_key),
                (NetworkMember.email_key, member.email_key),
            )
            if value
        ]
        alike = (
            set(
                session.scalars(
                    select(NetworkMember.id).where(
                        or_(*keys), NetworkMember.client_id != member.client_id, *informal_member()
                    )
                )
            )
            if keys
            else set()
        )
        joined = session.scalars(
            select(MemberLink).where(
                or_(MemberLink.member_id == member_id, MemberLink.other_id == member_id),
                MemberLink.same.is_(True),
            )
        )
        for link in joined:
            alike.add(link.other_id if link.member_id == member_id else link.member_id)
        for other_id in sorted(alike):
            _decide(session, user_id, member_id, other_id, same=False)
        return len(alike)


def forget_member(register: Register, member_id: int) -> int:
    """Forget every decision on a member: found by phone number and e-mail address again.
    Returns how many decisions went."""
    register.require_teamleider(REFUSAL)
    with register.write() as session:
        # Through the session, not a bulk delete: the audit log sees what goes.
        links = list(
            session.scalars(
                select(MemberLink).where(
                    or_(MemberLink.member_id == member_id, MemberLink.other_id == member_id)
                )
            )
        )
        for link in links:
            session.delete(link)
        return len(links)
