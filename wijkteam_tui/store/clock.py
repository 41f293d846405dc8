"""The moment a row is written, as every DateTime column stores it."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Now as naive UTC, the form every DateTime column stores."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
