"""Shared fixtures for every app's tests: the personas of cepa.testing.fixtures, and an actor."""

from __future__ import annotations

import pytest

pytest_plugins = ["cepa.testing.fixtures"]


@pytest.fixture
def actor() -> str:
    return "test:officer"
