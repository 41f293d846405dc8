"""The audit log's newest event kept outside the database, so that cutting off its tail shows.

The key file (on a team server: the key store) keeps the newest event's sequence number and
MAC, written when the register is closed. That head only moves forward along the log: a close
that finds the kept event gone (the log ends before it) or another event at its number (the
tail was cut off and the log went on from there, or the log was replaced) keeps the old head
and says so, so the truncation never heals itself. `log.verify` reports it, and every
opening warns until the log holds the kept event again.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from wijkteam_tui.store.audit.chain import HEAD_KEY, head, kept_head
from wijkteam_tui.store.audit.models import AuditCheckpoint, AuditEvent
from wijkteam_tui.store.models import TeamSettings

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register


def holds(session: Session, seq: int, mac: str) -> bool | None:
    """Whether the log holds the event numbered `seq` with this MAC: True (also when it was
    pruned after its five years, behind a checkpoint), False when another event has that
    number, None when the log ends before it."""
    if seq <= 0:
        return True
    checkpoint = session.execute(
        select(AuditCheckpoint.through_seq, AuditCheckpoint.through_mac)
        .order_by(AuditCheckpoint.through_seq.desc())
        .limit(1)
    ).first()
    if checkpoint is not None and seq <= checkpoint[0]:
        found: str | None = checkpoint[1] if seq == checkpoint[0] else mac
    elif session.connection().dialect.name == "postgresql":
        # On a team server only teamleiders read the log: everyone asks for one MAC.
        found = session.scalar(text("SELECT audit_mac(:seq)"), {"seq": seq})
    else:
        found = session.scalar(select(AuditEvent.mac).where(AuditEvent.seq == seq))
    return None if found is None else hmac.compare_digest(found, mac)


def missing(session: Session, kept: tuple[int, str]) -> str | None:
    """Why the kept head is not in the log (in Dutch), or None when it is."""
    seq, mac = kept
    found = holds(session, seq, mac)
    if found:
        return None
    if found is None:
        newest = head(session)
        what = (
            f"Het auditlog eindigt bij volgnummer {newest[0] if newest else 0}, maar het"
            f" sleutelbestand kent volgnummer {seq}: de nieuwste gebeurtenissen ontbreken."
        )
    else:
        what = (
            f"Het sleutelbestand kent volgnummer {seq} als een andere gebeurtenis dan het"
            " auditlog nu heeft: het log is ingekort en daarna aangevuld, of vervangen."
        )
    return (
        f"{what} Het sleutelbestand blijft volgnummer {seq} kennen, zodat dit zichtbaar blijft;"
        " een teamleider ziet het met 'wijkteam audit verify'."
    )


def missing_at_opening(register: Register) -> str | None:
    """The warning of `missing` for the head the key file had when the register was opened."""
    kept = kept_head(register.unlocked.key_file)
    if kept is None:
        return None
    with register.read() as session:
        return missing(session, kept)


def keep_head(register: Register) -> str | None:
    """Write the newest event's number and MAC into the key file (when it changed), under
    the register's write lock, and record the key file's new generation in the register.
    When the head kept so far is not in the log, nothing is written: the returned warning
    says why."""
    with register.write() as session:
        newest = head(session)
        if newest is None:
            return None
        kept = kept_head(register.keys.current())
        if kept == newest:
            return None
        problem = missing(session, kept) if kept is not None else None
        if problem is not None:
            return problem
        _, generation = register.keys.rewrite(
            bytes(register.unlocked.db_key),
            lambda key_file: key_file.with_extra(**{HEAD_KEY: list(newest)}),
        )
        session.execute(
            update(TeamSettings).where(TeamSettings.id == 1).values(key_generation=generation)
        )
    return None
