"""The scratch file a caseload file's rows wait in between reading and planning: sealed under a
key only the process holds, nameless from the start, and every entry read back as it went in."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from tests.caseload.files import workbook
from wijkteam_tui.caseload.entries import MemberEntry, Where
from wijkteam_tui.caseload.reading import read_caseload
from wijkteam_tui.caseload.spill import Spill
from wijkteam_tui.errors import UsageError


def _bytes(spill: Spill) -> bytes:
    handle = spill._file
    handle.flush()
    handle.seek(0)
    return handle.read()


def test_entries_come_back_as_they_went_in_and_the_file_shows_none_of_them() -> None:
    spill = Spill()
    try:
        entries = [
            MemberEntry(Where("Netwerk", n), f"Ayşe Yılmaz {n}", consent_on=date(2026, 9, n))
            for n in range(1, 30)
        ]
        offsets = [spill.put(entry) for entry in entries]
        # Read back in any order, as often as needed.
        assert [spill.get(o) for o in reversed(offsets)] == entries[::-1]
        assert spill.get(offsets[3]) == entries[3]
        written = _bytes(spill)
        assert "Yılmaz".encode() not in written and b"Netwerk" not in written
        # A changed byte is refused, never read as someone's data.
        spill._file.seek(offsets[5] + 20)
        spill._file.write(bytes([written[offsets[5] + 20] ^ 1]))
        with pytest.raises(InvalidTag):
            spill.get(offsets[5])
    finally:
        spill.close()


def test_a_reading_leaves_no_file_behind(tmp_path: Path, monkeypatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = workbook(
        tmp_path / "c.xlsx",
        {
            "Cliënten": [["Cliëntnummer", "Naam"], ["7", "Truus Bakker"]],
            "Netwerk": [["Cliëntnummer", "Naam"], ["7", "Bram Bakker"], ["9", "Els Visser"]],
        },
    )
    reading = read_caseload(path)
    # Nameless from the start: nothing in the directory while it is open either.
    assert os.listdir(scratch) == []
    (truus,) = reading.clients
    assert [m.name for m in truus.members] == ["Bram Bakker"]
    assert [(ref.number, m.name) for ref, m in reading.members_elsewhere] == [("9", "Els Visser")]
    reading.close()
    assert os.listdir(scratch) == []


def test_a_full_temporary_folder_is_said_and_nothing_is_read(tmp_path: Path, monkeypatch) -> None:
    # A real device that is always full.
    with open("/dev/full", "r+b", buffering=0) as full:
        spill = Spill(full)
        with pytest.raises(UsageError, match=r"geen ruimte meer.*Er is niets geïmporteerd"):
            spill.put(MemberEntry(Where("Netwerk", 2), "Bram Bakker"))
    # A temporary folder that is not there.
    path = workbook(tmp_path / "c.xlsx", {"Cliënten": [["Naam"], ["Truus Bakker"]]})
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "weg"))
    with pytest.raises(UsageError, match=r"tijdelijke map .*weg kan het programma"):
        read_caseload(path)
