"""What the Buurt view finds the same person in several networks by, as the SQL expressions the
database computes beside every network member (store/models.py NetworkMember.phone_key and
email_key; migration 0037 fixes its own copy): a phone number's digits, +31 and 0031 read as
0, "" under 10 digits; an e-mail address trimmed, in lower case ("" without an @).

On PostgreSQL each key is indexed for the members it can tie together only (`key_index`:
informal, not a sociale-kaart entry, still involved, with a key; migration 0038 fixes its own
copy), so that finding the keys two clients' members share reads those and nothing else."""

from __future__ import annotations

from sqlalchemy import Index, text

from wijkteam_tui.domain.terms import MemberKind

_DIGITS = "phone"
for character in " -()+./":
    _DIGITS = f"replace({_DIGITS}, '{character}', '')"
PHONE_KEY = (
    f"CASE WHEN length({_DIGITS}) < 10 THEN ''"
    f" WHEN phone LIKE '+31%' THEN '0' || substr({_DIGITS}, 3)"
    f" WHEN {_DIGITS} LIKE '0031%' THEN '0' || substr({_DIGITS}, 5)"
    f" ELSE {_DIGITS} END"
)
EMAIL_KEY = "CASE WHEN email LIKE '%@%' THEN lower(trim(email)) ELSE '' END"


def tying(key: str) -> str:
    """The members whose `key` can tie them to another client's member, as SQL."""
    return (
        f"{key} <> '' AND kind = '{MemberKind.INFORMAL.value}' AND resource_id IS NULL"
        " AND active IS true AND ended_on IS NULL"
    )


def key_index(key: str) -> Index:
    """The index of `key` with the member's client: on PostgreSQL of the members it can tie
    together only. (SQLite keeps every member in it: it would read the members without a
    sociale-kaart entry through that column's index rather than use such an index.)"""
    return Index(f"ix_network_members_{key}", key, "client_id", postgresql_where=text(tying(key)))
