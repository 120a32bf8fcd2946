"""Settings every test starts from."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def no_kept_pages(settings: Any) -> None:
    """Public pages are not kept in the cache (cepa.httpcache): many tests change rows directly, not through
    the services that raise the registry's version, and then read the page again. The tests of the cache
    turn it on."""
    settings.CEPA_PAGE_CACHE_SECONDS = 0
