"""A team on one host (`wijkteam init --group`): colleagues each open the register under their
own Unix account and their own key slot; every file beside it stays 0660 for the group whatever
anyone's umask, someone outside the group gets nothing, and `db check` names what is wider.

Real accounts (tests/accounts.py), a real SQLCipher register, no mocks."""

from __future__ import annotations

import grp
import os
import stat
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.accounts import (
    ANNA,
    BRAM,
    CEM,
    GROUP,
    MEMBERS,
    OUTSIDER,
    FailedAs,
    as_account,
    passable_folder,
)
from tests.helpers import run_cli
from wijkteam_tui.errors import UsageError
from wijkteam_tui.store import files, services
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.sqlite.check import check_register, mode_warnings

TODAY = date(2026, 11, 23)


def _modes(folder: Path) -> dict[str, tuple[str, str]]:
    """Every entry of the register's folder: (mode, group)."""
    found = {}
    for entry in [folder, *folder.iterdir()]:
        st = entry.stat()
        found[entry.name] = (f"{stat.S_IMODE(st.st_mode):04o}", grp.getgrgid(st.st_gid).gr_name)
    return found


def _new_client(path: Path, name: str) -> int:
    register = open_register(path, "bram", BRAM)
    try:
        assert register.user is not None
        client = services.create_client(
            register, ClientInput(name=name, opened_on=TODAY, casemanager_id=register.user.id),
            TODAY,
        )  # fmt: skip
        return client.id
    finally:
        register.close()


def _find(path: Path, user: str, passphrase: str, name: str) -> list[int]:
    register = open_register(path, user, passphrase)
    try:
        return [hit.id for hit in search_clients(register, name)]
    finally:
        register.close()


def _change_passphrase(path: Path, user: str, old: str, new: str) -> None:
    unlocked = crypto.unlock(path, user, old)
    crypto.set_user_passphrase(path, unlocked, user, new)


def test_init_group_makes_the_folder_and_every_file_the_groups(shared):
    modes = _modes(shared.parent)
    assert modes.pop("zuid") == ("2770", GROUP)
    assert modes, "the register's files"
    assert set(modes.values()) == {("0660", GROUP)}, modes


def test_colleagues_work_in_one_register_under_their_own_accounts(shared, accounts):
    bram, cem = (accounts[name] for name in MEMBERS)
    # bram writes with a umask that would make his files his alone; cem reads it under his.
    client_id = as_account(bram, _new_client, shared, "Fatima El Amrani", umask=0o077)
    assert as_account(cem, _find, shared, "cem", CEM, "Fatima", umask=0o022) == [client_id]
    # bram's passphrase change rewrites the key file as his own file: cem still gets in.
    as_account(bram, _change_passphrase, shared, "bram", BRAM, "bram kiest een nieuwe zin")
    assert as_account(cem, _find, shared, "cem", CEM, "Fatima") == [client_id]
    assert as_account(bram, _find, shared, "bram", "bram kiest een nieuwe zin", "El Amrani") == [
        client_id
    ]
    modes = _modes(shared.parent)
    assert modes.pop("zuid") == ("2770", GROUP)
    assert set(modes.values()) == {("0660", GROUP)}, modes
    owners = {entry.stat().st_uid for entry in shared.parent.iterdir()}
    assert bram.uid in owners, "files bram made are there, and usable by the others"
    assert mode_warnings(shared) == []


def test_someone_outside_the_group_gets_nothing(shared, accounts):
    outsider = accounts[OUTSIDER]
    with pytest.raises(FailedAs) as refused:
        as_account(outsider, _find, shared, "bram", BRAM, "Fatima")
    assert refused.value.kind == "NoPermissionError", refused.value.trace
    assert f"Dit register is gedeeld met de Unix-groep '{GROUP}'" in refused.value.message


def test_db_check_names_files_wider_than_the_group_or_of_another_group(shared):
    keys = crypto.key_file_path(shared)
    os.chmod(keys, 0o664)
    os.chown(crypto.backup_key_file_path(shared), -1, 0)
    report = check_register(shared, "anna", ANNA, today=TODAY)
    said = "\n".join(report.warnings)
    assert f"{keys} staat open voor anderen (0664); alleen de groep van het register" in said
    assert "hoort niet bij de groep van het register (root in plaats van wijkteam-t)" in said


def test_db_check_never_advises_a_chmod_through_a_planted_link(shared, tmp_path):
    """A link at the lock file, to a file that is open to all: named as a planted file, and
    no chmod or chgrp advice that would change what it points at."""
    from wijkteam_tui.store.sqlite.lock import lock_file_path

    target = tmp_path / "van-iemand-anders"
    target.write_text("")
    os.chmod(target, 0o644)
    lock = lock_file_path(shared)
    lock.unlink(missing_ok=True)
    lock.symlink_to(target)
    said = [w for w in mode_warnings(shared) if str(lock) in w]
    assert len(said) == 1 and "is geen gewoon bestand" in said[0], said
    assert "chmod 6" not in said[0] and "chgrp" not in said[0]


def test_a_group_register_needs_a_new_folder_a_real_group_and_a_member(accounts):
    with passable_folder() as folder:
        with pytest.raises(UsageError, match="geen Unix-groep 'bestaat-niet'"):
            files.shared_folder(folder / "a", "bestaat-niet")
        (folder / "b").mkdir()
        (folder / "b" / "brief.txt").write_text("iets anders")
        with pytest.raises(UsageError, match="niet leeg"):
            files.shared_folder(folder / "b", GROUP)
        os.chmod(folder, 0o777)
        with pytest.raises(FailedAs, match="geen lid van de groep 'wijkteam-t'"):
            as_account(accounts[OUTSIDER], files.shared_folder, folder / "c", GROUP)
        assert not (folder / "c").exists()


def test_a_folder_the_member_may_not_make_is_said_with_the_administrators_command(accounts):
    """The recipe's root-owned /srv/wijkteam: `init` says, before asking anything, that the
    administrator makes the register's folder, and how; made so, `init` works."""
    with passable_folder() as srv:
        os.chmod(srv, 0o755)
        member = accounts[MEMBERS[0]]
        with pytest.raises(FailedAs) as refused:
            as_account(member, files.check_can_make, srv / "zuid", GROUP)
        assert refused.value.kind == "UsageError"
        command = f"sudo install -d -o {MEMBERS[0]} -g {GROUP} -m 2770 {srv / 'zuid'}"
        assert command in refused.value.message
        assert not (srv / "zuid").exists()
        subprocess.run(command.removeprefix("sudo ").split(), check=True)
        as_account(member, files.check_can_make, srv / "zuid", GROUP)
        assert as_account(member, files.shared_folder, srv / "zuid", GROUP) == []
        assert stat.S_IMODE((srv / "zuid").stat().st_mode) == 0o2770


def test_a_folder_the_group_cannot_pass_is_said_at_init(accounts):
    with passable_folder() as folder:
        os.chmod(folder, 0o700)
        warnings = files.shared_folder(folder / "zuid", GROUP)
        assert len(warnings) == 1
        assert f"Leden van '{GROUP}' kunnen niet door de map {folder} (0700)" in warnings[0]


def test_without_group_a_register_stays_private(tmp_path):
    path = tmp_path / "eigen" / "register.db"
    made = run_cli("init", "--db", str(path), "--user", "anna", env={"WIJKTEAM_PASSPHRASE": ANNA})
    assert made.returncode == 0, made.stderr
    modes = {k: v[0] for k, v in _modes(path.parent).items()}
    assert modes.pop("eigen") == "0700"
    assert set(modes.values()) == {"0600"}, modes
