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

This package re-exports the names other modules and the tests use.
"""

from __future__ import annotations

from wijkteam_tui.store.keys import attempts
from wijkteam_tui.store.keys.changes import (
    DEMO_PASSPHRASE,
    add_user_slot,
    new_key_file,
    one_time_passphrase,
    reset_user_passphrase,
    set_user_passphrase,
)
from wijkteam_tui.store.keys.keyfile import (
    FORMAT,
    FORMAT_VERSION,
    LEGACY_VERSION,
    MAX_KEY_FILE_BYTES,
    MAX_SLOTS,
    OLD_VERSION,
    RECOVERY_KIND,
    REKEY_DUE,
    USER_KIND,
    WHOLE_FORM_VERSION,
    KeyFile,
    Slot,
    UnusableKeyFile,
    document_checksum,
    key_document,
    mac_ok,
    parse,
    parse_key_document,
    serialise,
)
from wijkteam_tui.store.keys.primitives import (
    BOX_KEY_BYTES,
    DB_KEY_BYTES,
    GRANT_BYTES,
    KDF_PROFILE_ENV,
    MAX_KDF,
    MAX_KDF_WORK,
    PRODUCTION_KDF,
    RECOVERY_KEY_BYTES,
    SEALED_BYTES,
    SIGNING_SEED_BYTES,
    TEST_KDF,
    KdfCost,
    b64,
    canonical,
    derive_key,
    derive_subkey,
    new_database_key,
    new_slot_cost,
    private_keys,
    seal,
    unb64,
    unseal,
    weaker,
)
from wijkteam_tui.store.keys.slots import (
    ForgedSlotError,
    Unlocked,
    lock_slot,
    make_slot,
    new_recovery_key,
    normalise_recovery_key,
    noting_unsigned,
    open_recovery_slot,
    open_slot,
    open_user_slot,
)
from wijkteam_tui.store.keys.storage import (
    FileKeys,
    KeyStore,
    Login,
    backup_key_file_path,
    file_mac_ok,
    is_legacy_key_file,
    key_file_locked,
    key_file_path,
    key_file_problem,
    key_lock_path,
    keys_at,
    read_key_file,
    rewrite_key_file,
    try_load,
    write_key_file,
)
from wijkteam_tui.store.keys.unlock import (
    ONE_TIME_REFUSAL,
    unlock,
    unlock_with_recovery_key,
    unlocked_with_key,
)

__all__ = [
    "BOX_KEY_BYTES",
    "DB_KEY_BYTES",
    "DEMO_PASSPHRASE",
    "FORMAT",
    "FORMAT_VERSION",
    "GRANT_BYTES",
    "KDF_PROFILE_ENV",
    "LEGACY_VERSION",
    "MAX_KDF",
    "MAX_KDF_WORK",
    "MAX_KEY_FILE_BYTES",
    "MAX_SLOTS",
    "OLD_VERSION",
    "ONE_TIME_REFUSAL",
    "PRODUCTION_KDF",
    "RECOVERY_KEY_BYTES",
    "RECOVERY_KIND",
    "REKEY_DUE",
    "SEALED_BYTES",
    "SIGNING_SEED_BYTES",
    "TEST_KDF",
    "USER_KIND",
    "WHOLE_FORM_VERSION",
    "FileKeys",
    "ForgedSlotError",
    "KdfCost",
    "KeyFile",
    "KeyStore",
    "Login",
    "Slot",
    "Unlocked",
    "UnusableKeyFile",
    "add_user_slot",
    "attempts",
    "b64",
    "backup_key_file_path",
    "canonical",
    "derive_key",
    "derive_subkey",
    "document_checksum",
    "file_mac_ok",
    "is_legacy_key_file",
    "key_document",
    "key_file_locked",
    "key_file_path",
    "key_file_problem",
    "key_lock_path",
    "keys_at",
    "lock_slot",
    "mac_ok",
    "make_slot",
    "new_database_key",
    "new_key_file",
    "new_recovery_key",
    "new_slot_cost",
    "normalise_recovery_key",
    "noting_unsigned",
    "one_time_passphrase",
    "open_recovery_slot",
    "open_slot",
    "open_user_slot",
    "parse",
    "parse_key_document",
    "private_keys",
    "read_key_file",
    "reset_user_passphrase",
    "rewrite_key_file",
    "seal",
    "serialise",
    "set_user_passphrase",
    "try_load",
    "unb64",
    "unlock",
    "unlock_with_recovery_key",
    "unlocked_with_key",
    "unseal",
    "weaker",
    "write_key_file",
]
