"""What every table of the register follows (store/models.py holds the tables themselves):
the names of indexes and constraints, enumerations stored as their short code with a named
CHECK constraint (`Enum` with `native_enum=False`, so SQLite and PostgreSQL hold the same
text), and optimistic locking on `version` for the records people edit, so that a concurrent
edit is detected instead of overwritten.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def code_enum(enum_class: type[StrEnum], name: str) -> Enum:
    """Store a StrEnum as its value, checked by a named constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Mixin for records people edit: optimistic locking on `version`."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
