"""Small helpers shared by tests: fictitious records, file fingerprints and `wijkteam` run in
this process (`run_cli`) or as a process of its own (`run_cli_process`)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from unittest import mock

from wijkteam_tui import cli
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.models import Client

REPO = Path(__file__).resolve().parent.parent


def make_client(number: str, name: str, **fields: object) -> Client:
    now = utc_now()
    values: dict[str, object] = {
        "number": number,
        "name": name,
        "opened_on": date(2026, 1, 5),
        "created_at": now,
        "updated_at": now,
    }
    values.update(fields)
    return Client(**values)


def fingerprint(*paths: Path) -> dict[str, tuple[str, int] | None]:
    """(sha256, mtime_ns) of each file, None where it does not exist."""
    result: dict[str, tuple[str, int] | None] = {}
    for path in paths:
        if path.exists():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            result[path.name] = (digest, path.stat().st_mtime_ns)
        else:
            result[path.name] = None
    return result


def _cli_environment(env: dict[str, str] | None) -> dict[str, str]:
    """The caller's environment without WIJKTEAM_ settings, with light key derivation and `env`."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKTEAM_")}
    full_env["WIJKTEAM_KDF"] = "test"
    full_env.update(env or {})
    return full_env


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `wijkteam` in this process, as a fresh process would see it: its own environment,
    working folder, umask and an empty stdin that is not a terminal; stdout and stderr are
    captured (text, universal newlines, as `run_cli_process` gives them). What only a separate
    process shows (output written straight to the file descriptors, hardening, signals) is
    for `run_cli_process`."""
    environment = _cli_environment(env)
    saved_env = dict(os.environ)
    saved_cwd = Path.cwd()
    saved_umask = os.umask(0o077)
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    os.environ.clear()
    os.environ.update(environment)
    try:
        os.chdir(cwd or REPO)
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), stdout, stderr
        # Hardening is for a process of its own: here it would last for the rest of the tests.
        with mock.patch.object(cli, "harden", lambda: None):
            code = cli.main(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.umask(saved_umask)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(
        ["wijkteam", *args], code, _text_of(stdout), _text_of(stderr)
    )


def _text_of(stream: io.TextIOWrapper) -> str:
    stream.flush()
    data = stream.buffer.getvalue()  # type: ignore[attr-defined]
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def run_cli_process(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `wijkteam` as a separate process, so that file-descriptor output is captured too."""
    return subprocess.run(
        [sys.executable, "-m", "wijkteam_tui", *args],
        capture_output=True,
        text=True,
        env=_cli_environment(env),
        cwd=cwd or REPO,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def start_cli_process(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`wijkteam` started as a separate process and left running (a test may kill it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "wijkteam_tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_cli_environment(env),
        cwd=REPO,
        stdin=subprocess.DEVNULL,
    )


def decrypted_pages(path: Path, key: bytes, page_size: int = 4096, reserve: int = 80) -> bytes:
    """Every page of a SQLCipher 4 database file or its -wal, decrypted with the raw key and
    joined: free pages and old WAL frames too, which no query reads. (AES-256-CBC, the IV in
    the page's reserved tail; page 1 starts with the 16-byte salt.)"""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    data = path.read_bytes()
    wal = path.name.endswith("-wal")
    frames: list[tuple[int, bytes]] = []
    if wal:
        body = data[32:]
        step = page_size + 24
        for at in range(0, len(body) - step + 1, step):
            number = int.from_bytes(body[at : at + 4], "big")
            frames.append((number, body[at + 24 : at + step]))
    else:
        frames = [
            (n + 1, data[n * page_size : (n + 1) * page_size])
            for n in range(len(data) // page_size)
        ]
    out = bytearray()
    for number, page in frames:
        start = 16 if number == 1 else 0
        iv = page[page_size - reserve : page_size - reserve + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out += decryptor.update(page[start : page_size - reserve]) + decryptor.finalize()
    return bytes(out)


def keep_key_files(db_path: Path, into: Path) -> None:
    """Copy both key files of the register at `db_path` into the new folder `into`."""
    from wijkteam_tui.store import keys as crypto

    into.mkdir()
    for key_file in (crypto.key_file_path(db_path), crypto.backup_key_file_path(db_path)):
        shutil.copy2(key_file, into / key_file.name)


def put_back_key_files(db_path: Path, kept: Path) -> None:
    """Put key files kept by `keep_key_files` back beside the register."""
    for key_file in kept.iterdir():
        shutil.copy2(key_file, db_path.with_name(key_file.name))


def as_version_2(raw: bytes, db_key: bytes) -> bytes:
    """A key document as version 2 wrote it: its checksum and MAC over the slots' encrypted
    keys themselves (what registers made before version 3 still hold)."""
    import hmac
    import json

    from wijkteam_tui.store import keys as crypto

    body = {k: v for k, v in json.loads(raw).items() if k not in {"checksum", "mac"}}
    body["version"] = crypto.WHOLE_FORM_VERSION
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    mac_key = crypto.derive_subkey(db_key, "wijkteam key file mac")
    document = {
        **body,
        "checksum": hashlib.sha256(canonical).hexdigest(),
        "mac": hmac.new(mac_key, canonical, hashlib.sha256).hexdigest(),
    }
    return json.dumps(document, indent=2, sort_keys=True).encode()
