"""The register's keys: the database key, sealed once per user and once for the recovery key.

`register.db` is encrypted by SQLCipher with a random 256-bit raw key. That key never leaves
memory unsealed; the key file beside the database (`register.keys`) holds it once per *slot*.
Each module does one part:

- `primitives`: Argon2id, sealing a key to an X25519 public key, AES-GCM, subkeys;
- `keyfile`: the key document (slots, signed role grants, checksum and MAC, versions 2 and 3;
  version 1 is recognised and converted by `rekey.upgrade_legacy`);
- `storage`: where a key document is kept (the file beside a local register, written
  atomically with a backup copy, under a lock; `store.server.ServerKeys` on a team server);
- `slots`: making a user's or the recovery slot and opening one (`Unlocked`);
- `changes`: a new key file, adding a user, setting or resetting a passphrase;
- `unlock`: the unlock policy (counted wrong tries, one-time passphrases, the backup copy);
- `attempts`: wrong tries in a row, remembered beside the register;
- `rekey`: a new database key for the whole register (not imported here: it needs the engine).

The package names what the rest of the program and the tests reach for; code inside the
program imports from the module that owns a name.
"""

from __future__ import annotations

from wijkteam_tui.store.keys.changes import (
    add_user_slot,
    reset_user_passphrase,
    set_user_passphrase,
)
from wijkteam_tui.store.keys.keyfile import (
    FORMAT,
    RECOVERY_KIND,
    WHOLE_FORM_VERSION,
    KeyFile,
    document_checksum,
    key_document,
    mac_ok,
    parse,
    parse_key_document,
)
from wijkteam_tui.store.keys.primitives import PRODUCTION_KDF, TEST_KDF, derive_key, derive_subkey
from wijkteam_tui.store.keys.slots import (
    Unlocked,
    lock_slot,
    new_recovery_key,
    normalise_recovery_key,
    open_user_slot,
)
from wijkteam_tui.store.keys.storage import (
    backup_key_file_path,
    key_file_path,
    key_lock_path,
    read_key_file,
    write_key_file,
)
from wijkteam_tui.store.keys.unlock import unlock, unlock_with_recovery_key

__all__ = [
    "FORMAT",
    "PRODUCTION_KDF",
    "RECOVERY_KIND",
    "TEST_KDF",
    "WHOLE_FORM_VERSION",
    "KeyFile",
    "Unlocked",
    "add_user_slot",
    "backup_key_file_path",
    "derive_key",
    "derive_subkey",
    "document_checksum",
    "key_document",
    "key_file_path",
    "key_lock_path",
    "lock_slot",
    "mac_ok",
    "new_recovery_key",
    "normalise_recovery_key",
    "open_user_slot",
    "parse",
    "parse_key_document",
    "read_key_file",
    "reset_user_passphrase",
    "set_user_passphrase",
    "unlock",
    "unlock_with_recovery_key",
    "write_key_file",
]
