"""The audit log's tables: its events, chained by their MACs, and the checkpoint that the
chain of what remains starts from after pruning (store/audit/chain.py and log.py)."""

from __future__ import annotations

from collections.abc import Iterable
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


#: How many client ids share one row of a list event (`AuditEventClient.bucket`).
BUCKET_SIZE = 1024


class AuditEventClient(Base):
    """The clients named by an event about many at once (a list that left the register, such as
    `wijkteam overdue`): the event's detail says how many and carries a digest of them, which
    its MAC covers (store/audit/lists.py, checked by `verify`). They go with their event when
    it is pruned.

    One row per event and bucket of BUCKET_SIZE client ids, holding that bucket's clients as
    "id:number" lines, in order of id (`pack`, `unpack`): a client's inzage reads the rows of
    its one bucket through the index on (bucket, seq), and a list of thousands of clients adds
    a few rows at the end of that index, where a row per client would touch a page of a
    per-client index for each of them (and, after a year of daily lists, write tens of
    megabytes for every new one)."""

    __tablename__ = "audit_event_clients"
    __table_args__ = (Index("ix_audit_event_clients_bucket", "bucket", "seq"),)

    seq: Mapped[int] = mapped_column(
        ForeignKey("audit_events.seq", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    bucket: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    clients: Mapped[str] = mapped_column(Text)


def pack(clients: Iterable[tuple[int, str]]) -> dict[int, str]:
    """(id, number) pairs as the rows of one list event hold them: bucket → its lines."""
    buckets: dict[int, list[str]] = {}
    for client_id, number in sorted(dict(clients).items()):
        buckets.setdefault(client_id // BUCKET_SIZE, []).append(f"{client_id}:{number}")
    return {bucket: "\n".join(lines) for bucket, lines in buckets.items()}


def unpack(text: str) -> list[tuple[int, str]]:
    """The (id, number) pairs of one row (`pack`); a line that is no pair is kept as (-1, it),
    so that a digest over them no longer matches."""
    pairs = []
    for line in text.split("\n"):
        found, number = line.split(":", 1) if ":" in line else ("", line)
        pairs.append((int(found), number) if found.isdigit() else (-1, line))
    return pairs


def names(text: str, client_id: int | None = None, number: str | None = None) -> bool:
    """Whether the row `text` names the client with `client_id` (or with `number`)."""
    lines = f"\n{text}\n"
    if client_id is not None:
        return f"\n{client_id}:" in lines
    return f":{number}\n" in lines


class AuditCheckpoint(Base):
    """Where the audit log starts after events older than the retention term were pruned: the
    last pruned event's number and MAC, so the chain of what remains can still be verified."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    through_seq: Mapped[int] = mapped_column(Integer, unique=True)
    through_mac: Mapped[str] = mapped_column(String(64))
    pruned: Mapped[int] = mapped_column(Integer)
    made_at: Mapped[datetime] = mapped_column(DateTime)
