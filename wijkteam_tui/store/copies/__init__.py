"""Copies of a register: back-ups and restoring them, the journal of restores beside the
register, and moving a register between this computer and a team server."""
