"""Shared fixtures for every app's tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def actor() -> str:
    return "test:officer"
