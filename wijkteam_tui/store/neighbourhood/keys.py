"""What the Buurt view finds the same person in several networks by, as the SQL expressions the
database computes beside every network member (store/models.py NetworkMember.phone_key and
email_key; migration 0037 fixes its own copy): a phone number's digits, +31 and 0031 read as
0, "" under 10 digits; an e-mail address trimmed, in lower case ("" without an @)."""

from __future__ import annotations

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
