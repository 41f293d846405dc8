"""Textual screens and widgets. Screens ask the store for plain dataclasses in thread workers."""
