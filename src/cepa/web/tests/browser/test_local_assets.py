"""Every public page loads only from this site (issue 11, point 2): no script, stylesheet, image, font or
favicon from another host, so the site, and the API documentation, work without internet.

Requests to any other host are recorded and aborted, so a page that would reach out fails here instead
of waiting for a network it may not have. The API documentation is also checked in a real browser at
desktop and phone widths, in English, Traditional and Simplified Chinese, with axe-core.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from cepa.interchange.services import import_document
from cepa.web.tests.browser.conftest import axe_violations, screenshot
from cepa.web.tests.conftest import registry_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANG_ATTRS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}
WIDTHS = {"desktop": 1366, "phone": 390}
# Every page anyone may open without signing in (with a query where the page answers one).
PUBLIC_PAGES = [
    "/",
    "/sources/",
    "/accessibility/",
    "/accounts/login/",
    "/directory/",
    "/directory/?product=0701&on=2026-11-26&kind=laboratory",
    "/bodies/hk-lab-harbourview/?on=2026-06-01",
    "/who-can-test/",
    "/who-can-test/?product=0915&on=2026-06-01",
    "/enquiry/",
    "/enquiry/?product=0701",
    "/enquiry/status/",
    "/calendar/",
    "/inspectors/",
    "/inspectors/?number=CCAA-2023-CCC-0107",
    "/open-data/",
    "/notices/",
    "/notices/2025-W49/",
    "/api/v1/docs",
]


@pytest.fixture
def registry(transactional_db: None) -> None:
    import_document(actor="system:demo", document=registry_document(), reason="demo registry")


@pytest.fixture
def sized(browser: Any, live_server: Any) -> Iterator[Any]:
    """Opens a page at a given width; every request to another host is recorded and aborted."""
    contexts: list[Any] = []
    own_host = urlsplit(live_server.url).netloc

    def open_page(width: int) -> Any:
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.foreign = []  # type: ignore[attr-defined]

        def guard(route: Any) -> None:
            url = route.request.url
            if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own_host:
                page.foreign.append((route.request.resource_type, url))
                route.abort()
            else:
                route.continue_()

        context.route("**/*", guard)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_no_public_page_loads_anything_from_another_host(sized: Any, registry: None) -> None:
    page = sized(WIDTHS["desktop"])
    loaded: dict[str, list[str]] = {}
    page.on(
        "requestfinished", lambda request: loaded.setdefault(request.resource_type, []).append(request.url)
    )
    for path in PUBLIC_PAGES:
        response = page.goto(path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
    assert page.foreign == []
    # The check saw the kinds of asset it guards: stylesheets, scripts (Swagger UI) and the favicon.
    assert any(url.endswith("/static/web/site.css") for url in loaded["stylesheet"])
    assert any(url.endswith("/static/ninja/swagger-ui-bundle.js") for url in loaded["script"])
    assert any(url.endswith("/static/web/favicon.svg") for urls in loaded.values() for url in urls)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", list(LANG_ATTRS))
def test_api_documentation_works_offline_inside_the_site(
    sized: Any, registry: None, language: str, width: str
) -> None:
    page = sized(WIDTHS[width])
    page.goto(f"/language/{language}/?next=/api/v1/docs")
    assert page.locator("html").get_attribute("lang") == LANG_ATTRS[language]
    # The site's header and footer surround the reference.
    assert page.locator("header.site-header a.service-name").count() == 1
    assert page.locator("footer.site-footer").count() == 1
    # Swagger UI drew the reference from the OpenAPI document, with the decision and import requests.
    page.locator("#swagger-ui .opblock").first.wait_for()
    assert (
        page.locator("#swagger-ui .opblock-summary-path[data-path='/api/v1/decisions/{question}']").count()
        == 1
    )
    assert page.locator("#swagger-ui .opblock-summary-path[data-path='/api/v1/import']").count() == 1
    assert page.locator("#example-decision").count() == 1
    assert page.locator("#example-import").count() == 1
    assert page.foreign == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    assert axe_violations(page) == []
    screenshot(page, f"api-docs-{language}-{width}")
