"""Settings every test starts from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def no_kept_pages(settings: Any) -> None:
    """Public pages are not kept in the cache (cepa.httpcache): many tests change rows directly, not through
    the services that raise the registry's version, and then read the page again. The tests of the cache
    turn it on."""
    settings.CEPA_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def no_version_memo(settings: Any) -> None:
    """The registry's version is read on every public request (cepa.httpcache), as the query budgets count
    it (cepa.testing.VERSION_QUERY), and rows changed directly show at once. The memo's tests turn it on."""
    settings.CEPA_VERSION_MEMO_SECONDS = 0


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Every test starts in the default language, whatever an earlier test of the thread activated."""
    translation.deactivate()
    yield
    translation.deactivate()
