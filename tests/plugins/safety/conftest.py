"""Fixtures of the safety tests (helpers live in safety_support.py, importable by name)."""

from safety_support import h  # noqa: F401
