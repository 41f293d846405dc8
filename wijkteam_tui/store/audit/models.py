"""The audit log's tables: its events, chained by their MACs, and the checkpoint that the
chain of what remains starts from after pruning (store/audit/chain.py and log.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam_tui.store.schema import Base


class AuditEvent(Base):
    """An access-log event (NEN 7513), see store/audit/chain.py. `client_id` is no foreign key, and
    the client's number is kept as well: the event outlives an erased client. `detail` names
    fields, never their contents. `mac` chains each event to the one before."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_client", "client_id"),)

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(24))
    #: NEN 7513 EventActionCode: C(reate), R(ead), U(pdate), D(elete), E(xecute).
    code: Mapped[str] = mapped_column(String(1), default="E", server_default="E")
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(40), default="")
    client_id: Mapped[int | None] = mapped_column(Integer)
    client_number: Mapped[str] = mapped_column(String(20), default="", server_default="")
    outcome: Mapped[str] = mapped_column(String(24), default="ok")
    detail: Mapped[str] = mapped_column(Text, default="")
    mac: Mapped[str] = mapped_column(String(64))


class AuditEventClient(Base):
    """A client named by an event about many at once (a list that left the register, such as
    `wijkteam overdue`): the event's detail says how many and carries a digest of these rows,
    which its MAC covers (store/audit/log.py `listed`, checked by `verify`); the rows let each
    client's inzage find the event by an index. They go with their event when it is pruned."""

    __tablename__ = "audit_event_clients"
    __table_args__ = (
        Index("ix_audit_event_clients_client", "client_id"),
        Index("ix_audit_event_clients_number", "client_number"),
    )

    seq: Mapped[int] = mapped_column(
        ForeignKey("audit_events.seq", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    client_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    client_number: Mapped[str] = mapped_column(String(20), default="", server_default="")


class AuditCheckpoint(Base):
    """Where the audit log starts after events older than the retention term were pruned: the
    last pruned event's number and MAC, so the chain of what remains can still be verified."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    through_seq: Mapped[int] = mapped_column(Integer, unique=True)
    through_mac: Mapped[str] = mapped_column(String(64))
    pruned: Mapped[int] = mapped_column(Integer)
    made_at: Mapped[datetime] = mapped_column(DateTime)
