"""Test support shared by every app: personas, record factories, small registries and their fixtures.

A plain package, not a Django app; the repository's conftest.py registers `cepa.testing.fixtures`.
"""
