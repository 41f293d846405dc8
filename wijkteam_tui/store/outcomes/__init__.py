"""Outcomes over time: the assessments of a client (ZRM, Positieve Gezondheid) and their edits."""
