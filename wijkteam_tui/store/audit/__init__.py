"""The audit log: the chain its events form (chain), the log of a register (log), and the
newest event kept in the key file (head)."""
