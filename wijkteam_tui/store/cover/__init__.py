"""Absence and cover: who is away, from when to when, and which colleague covers their work."""
