"""Finding a person who may not be named in free text, in every way people write them down."""

from __future__ import annotations

import pytest

from wijkteam_tui.domain.mentions import Person, find_mentions, replace_mentions

KEES = Person("Kees Geheim", "06-87654321", "kees.geheim@example.nl")


def _hidden(text: str, *people: Person, named: tuple[str, ...] = ()) -> str:
    return replace_mentions(text, find_mentions(text, people or (KEES,), named), "(niet gedeeld)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kees (buurman, 0687654321)", "(niet gedeeld) (buurman, (niet gedeeld))"),
        ("bel K. Geheim", "bel (niet gedeeld)"),
        ("bel K.J. Geheim of K Geheim", "bel (niet gedeeld) of (niet gedeeld)"),
        ("meneer GEHEIM", "meneer (niet gedeeld)"),
        ("Kées komt", "(niet gedeeld) komt"),
        ("06 8765 4321", "(niet gedeeld)"),
        ("+31 6 87654321", "(niet gedeeld)"),
        ("+31 (0)6-8765 4321", "(niet gedeeld)"),
        ("0031687654321 of 31687654321", "(niet gedeeld) of (niet gedeeld)"),
        ("(06) 8765 4321.", "(niet gedeeld)."),
        ("mail KEES.GEHEIM@example.nl", "mail (niet gedeeld)"),
    ],
)
def test_every_spelling_of_a_hidden_member_is_found(text, expected):
    assert _hidden(text) == expected


@pytest.mark.parametrize(
    "text",
    ["in januari", "Keesje en Geheimzinnig", "bel 1206876543210", "06-87654320"],
)
def test_words_and_numbers_that_only_look_alike_are_left_alone(text):
    assert _hidden(text) == text


def test_accents_and_letters_without_a_decomposition_are_folded():
    zoe = Person("Zoë Łukasz")
    assert _hidden("zoe, LUKASZ en Zoe\u0308!", zoe) == (
        "(niet gedeeld), (niet gedeeld) en (niet gedeeld)!"
    )


def test_a_short_name_counts_only_with_the_rest_of_the_name():
    jo = Person("Jo Li")
    assert _hidden("Jo komt, Li ook", jo) == "Jo komt, Li ook"
    assert _hidden("Jo Li komt, J. Li ook", jo) == "(niet gedeeld) komt, (niet gedeeld) ook"


def test_a_last_name_with_particles_goes_as_a_whole():
    piet = Person("Piet van der Berg")
    assert _hidden("P. van der Berg en Van der Berg", piet) == "(niet gedeeld) en (niet gedeeld)"
    assert _hidden("de berg op", piet) == "de berg op"


def test_a_first_name_shared_with_someone_who_may_be_named_is_not_by_itself_a_mention():
    named = ("Kees Jansen",)
    assert _hidden("Kees belt op maandag", named=named) == "Kees belt op maandag"
    assert _hidden("Kees Geheim of K. Geheim", named=named) == ("(niet gedeeld) of (niet gedeeld)")
    assert _hidden("Geheim belt", named=named) == "(niet gedeeld) belt"


def test_a_last_name_shared_with_the_client_is_not_by_itself_a_mention():
    piet = Person("Piet de Vries")
    named = ("Anna de Vries",)
    assert _hidden("mevrouw De Vries", piet, named=named) == "mevrouw De Vries"
    assert _hidden("Piet en P. de Vries", piet, named=named) == "(niet gedeeld) en (niet gedeeld)"


def test_a_number_abroad_is_found_with_or_without_its_plus():
    anna = Person("Anna Weg", "+32 470 12 34 56")
    assert _hidden("bel 0032 470123456 of +32470 123 456", anna) == (
        "bel (niet gedeeld) of (niet gedeeld)"
    )
