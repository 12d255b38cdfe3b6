"""Fixtures of the meetups tests (helpers live in meetups_support.py, importable by name)."""

from meetups_support import h  # noqa: F401
