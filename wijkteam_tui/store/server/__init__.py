"""A register on a team server: PostgreSQL, with the same models, migrations and services.

Everything PostgreSQL-specific lives in this package, beside `store/sqlite/` (SQLite and
SQLCipher): connection.py (signing in, the engine, the write lock, errors in Dutch), signin.py
(a person's login, then their key slot), keystore.py (the key slots in `key_store`),
setup.py (a new register, upgrades, upkeep), roles.py and functions.py (what the server
itself enforces), listen.py (colleagues' changes), check.py (`db check`), key_history.py
(earlier key documents).

- **Who signs in.** Every person has their own PostgreSQL role (SCRAM-SHA-256), named
  `<user>@<database>` (store/server/roles.py). Its password is derived from their passphrase
  with Argon2id (`login_secret`), so the server keeps nothing that is cheaper to guess than
  the person's key slot, and the passphrase itself never reaches the server: wijkteam sends
  a SCRAM verifier libpq computed on this side (`scram_verifier`). Nobody else on the server may
  connect to the database.
- **What the server enforces** is in store/server/roles.py: no login may edit the audit log,
  the structure or anyone else's login or key slot except through the register's checked
  functions.
- **The keys.** The key slots live in the table `key_store`, as the same signed document as
  a local key file (store/keys/): the register key, which keys the audit chain, is still
  unwrapped only with the person's passphrase. On a server that key encrypts no database (the
  operator encrypts the server's disks); it seals the audit chain's key (`AUDIT_KEY`). A
  medewerker reads a colleague's slot without its encrypted private keys (`KEYS_READ`), so
  nobody can guess a colleague's passphrase offline.
- **Writing.** A write transaction first takes the advisory locks of its scope
  (store/transactions.py, `write_locks`): a team write (users, settings, a new client, the
  sweep) holds the register's `WRITE_LOCK` to itself, as `BEGIN IMMEDIATE` does locally; a write
  for one client shares it and holds that client's lock, so colleagues working on different
  clients do not wait for each other. The audit log is one chain: its append takes
  `APPEND_LOCK` from there to the commit only (store/audit/chain.py). A transaction runs
  READ COMMITTED, so the version column still refuses an edit of a record someone changed in
  the meantime. Reading is REPEATABLE READ: a screen reads one consistent state.
- **Freshness.** A transaction that wrote sends `NOTIFY wijkteam` at its commit; a screen
  listens on a connection of its own (`ChangeListener`, behind `freshness.watch`).
"""
