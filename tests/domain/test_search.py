"""Finding a client: folded text, own details apart from the network, and through whom."""

from __future__ import annotations

from wijkteam_tui.domain.search import (
    client_search_text,
    fold,
    matched_members,
    network_search_text,
    search_words,
)


def test_search_ignores_case_and_accents_including_letters_unicode_does_not_split():
    assert fold("Özdemir") == "ozdemir"
    assert fold("Ayşe Yılmaz") == "ayse yilmaz"
    assert fold("Wiśniewska Łukasz Bjørn Œuvre") == "wisniewska lukasz bjorn oeuvre"
    assert search_words("  EL  Amrani ") == ["el", "amrani"]


def test_a_clients_own_text_holds_name_number_address_and_postcode_but_no_network():
    own = client_search_text("Fatima El Amrani", "100001", "Vlierhof", "12", "1234 AB")
    assert own == "fatima el amrani | 100001 | vlierhof 12 | 1234ab"
    assert network_search_text(["Ayşe Yılmaz", " ", "Kees de Vries"]) == (
        "ayse yilmaz | kees de vries"
    )


def test_a_client_found_through_the_network_names_the_member_it_was_found_through():
    own = client_search_text("Anna Bakker", "100002", "Merelpad", "3", "")
    members = ["Ayşe Yılmaz", "Kees de Vries"]
    assert matched_members(["vries"], own, members) == "Kees de Vries"
    assert matched_members(["anna", "vries"], own, members) == "Kees de Vries"
    assert matched_members(["anna"], own, members) == ""
    # Words found with two different members: both are named, the one covering most first.
    assert matched_members(["kees", "vries", "yilmaz"], own, members) == (
        "Kees de Vries, Ayşe Yılmaz"
    )
