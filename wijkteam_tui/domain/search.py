"""Finding a client: the text a search matches, and through whom a client was found.

A client is found by their own name, number, address and postcode, or through the name of
someone in their network. Both texts are folded (lower case, no accents), so that "ozdemir"
finds "Özdemir". A search word matches when it occurs in either text; a client whose own text
holds every word is a direct match and is listed before clients found through their network.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

# Letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSED = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"})
_SEPARATOR = " | "


def fold(text: str) -> str:
    """Lower case without accents, for search: 'Özdemir' → 'ozdemir', 'Yılmaz' → 'yilmaz'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(
        _UNDECOMPOSED
    )


def search_words(fragment: str) -> list[str]:
    """The folded words of what someone typed in the search field."""
    return fold(fragment).split()


def client_search_text(
    name: str, number: str, street: str, house_number: str, postcode: str
) -> str:
    """What a client is found by directly: name, number, address and postcode."""
    parts = [name, number, f"{street} {house_number}", postcode.replace(" ", "")]
    return fold(_SEPARATOR.join(p for p in parts if p.strip()))


def network_search_text(member_names: Iterable[str]) -> str:
    """What a client is found by through their network: the members' names."""
    return fold(_SEPARATOR.join(n for n in member_names if n.strip()))


def by_name_or_number(words: Sequence[str], name: str, number: str) -> bool:
    """Whether every word is in the client's name or number: what a search finds of a client
    the person may not open (their address and network are not searched for them)."""
    text = fold(f"{name}{_SEPARATOR}{number}")
    return all(word in text for word in words)


def matched_members(words: Sequence[str], own_text: str, member_names: Sequence[str]) -> str:
    """The network members through whom a client matched `words`: those needed for the words
    the client's own text lacks, fewest first ("" for a direct match)."""
    missing = [w for w in words if w not in own_text]
    folded = [(name, fold(name)) for name in member_names]
    found: list[str] = []
    while missing:
        best, covered = max(
            ((name, [w for w in missing if w in text]) for name, text in folded),
            key=lambda candidate: len(candidate[1]),
            default=("", []),
        )
        if not covered:
            break
        found.append(best)
        missing = [w for w in missing if w not in covered]
    return ", ".join(found)
