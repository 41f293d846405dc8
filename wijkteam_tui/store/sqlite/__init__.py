"""The local register: one SQLCipher file beside its key file, on this computer."""
