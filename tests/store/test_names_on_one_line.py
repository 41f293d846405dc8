"""A name is one line: a client's, a network member's, a resource's and a user's full name are
refused with a line break in them (a name heads documents and the wallet card), and nothing is
saved."""

from __future__ import annotations

from datetime import date

import pytest

from wijkteam_tui.domain.fields import NAME_ON_ONE_LINE, FieldError, clean_name
from wijkteam_tui.domain.terms import MemberKind, Role
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store import services, users
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.records import ClientInput, MemberInput, ResourceInput

TODAY = date(2026, 11, 22)
BROKEN = ["Truus\nSmit", "Truus\r\nSmit", "Truus\u2028Smit", "Truus\x85Smit"]


@pytest.mark.parametrize("name", BROKEN)
def test_every_kind_of_line_break_is_refused_and_outer_spaces_are_not(name):
    with pytest.raises(FieldError, match=NAME_ON_ONE_LINE):
        clean_name(name, 120)
    assert clean_name("  Truus Smit\n", 120) == "Truus Smit"


def test_no_name_with_a_line_break_is_saved(register):
    with pytest.raises(ValidationError, match=NAME_ON_ONE_LINE) as refused:
        services.create_client(register, ClientInput("Truus\nSmit", TODAY), TODAY)
    assert refused.value.field == "name"
    assert search_clients(register, "Truus") == []
    client = services.create_client(register, ClientInput("Truus Smit", TODAY), TODAY).id
    with pytest.raises(ValidationError, match=NAME_ON_ONE_LINE):
        services.add_member(
            register, client, MemberInput("Fenna\nde Vries", MemberKind.INFORMAL), TODAY
        )
    with pytest.raises(ValidationError, match=NAME_ON_ONE_LINE):
        services.add_resource(register, ResourceInput("De\u2028Kring", "buurthuis"))
    with pytest.raises(ValidationError, match=NAME_ON_ONE_LINE) as refused:
        users.add_user(
            register, "cem", Role.MEDEWERKER, display_name="Cem\nDemir", passphrase="x" * 12
        )
    assert refused.value.field == "display_name"
    assert not users.can_log_in(register, "cem")
