"""No page names an asset on another host (issue 11, point 2); the API documentation sits in the
site's layout, in the reader's language, with worked examples. The browser test
(browser/test_local_assets.py) also catches what scripts load; this one reads the HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/sources/",
    "/accessibility/",
    "/accounts/login/",
    "/directory/",
    "/bodies/hk-lab-harbourview/?on=2026-06-01",
    "/who-can-test/",
    "/who-can-test/?product=0701",
    "/enquiry/",
    "/enquiry/?product=0701",
    "/enquiry/status/",
    "/calendar/",
    "/inspectors/",
    "/open-data/",
    "/api/v1/docs",
]


class Assets(HTMLParser):
    """The URLs a page loads by itself: scripts, stylesheets, icons, images, media, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") in ("stylesheet", "icon", "preload", "manifest"):
            self.urls.append(values.get("href") or "")
        elif tag in ("script", "img", "source", "iframe", "audio", "video", "embed") and values.get("src"):
            self.urls.append(values["src"] or "")
        elif tag == "object" and values.get("data"):
            self.urls.append(values["data"] or "")


def assets_of(html: str) -> list[str]:
    parser = Assets()
    parser.feed(html)
    # url(...) in style attributes or blocks
    parser.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", html)
    return parser.urls


def test_every_public_page_loads_assets_from_this_site_only(client: Client, demo: None) -> None:
    for language in ("en", "zh-hant", "zh-hans"):
        in_language(client, language)
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 200, path
            urls = assets_of(response.content.decode())
            assert "/static/web/site.css" in urls, path
            assert "/static/web/favicon.svg" in urls, path
            foreign = [url for url in urls if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)]
            assert foreign == [], path


def test_the_favicon_is_served_here(client: Client) -> None:
    response = client.get("/static/web/favicon.svg")
    assert response.status_code == 200
    assert b"<svg" in response.getvalue()


@pytest.mark.parametrize(
    "language,heading,example",
    [
        ("en", "API documentation", "Example: ask whether a laboratory may test a product"),
        ("zh-hant", "API 文件", "示例：查詢實驗室可否測試某產品"),
        ("zh-hans", "API 文档", "示例：查询实验室可否测试某产品"),
    ],
)
def test_api_documentation_is_inside_the_site_with_worked_examples(
    client: Client, language: str, heading: str, example: str
) -> None:
    response = in_language(client, language).get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert example in html
    assert assets_of(html) == [
        "/static/web/favicon.svg",
        "/static/web/site.css",
        "/static/web/print.css",
        "/static/ninja/swagger-ui.css",
        "/static/web/api-docs.css",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    # The worked examples: a decision with curl and with Python, an import with both.
    assert (
        'curl "http://testserver/api/v1/decisions/testing?subject=hk-lab-harbourview&amp;product_type=0701'
        in html
    )
    assert "urllib.request.urlopen(url)" in html
    assert 'curl -X POST "http://testserver/api/v1/import"' in html
    assert '"http://testserver/api/v1/import",' in html
    # Swagger UI reads its settings from a data block: the document here, no validator badge.
    assert (
        '{"layout": "BaseLayout", "deepLinking": false, "validatorUrl": null, "url": "/api/v1/openapi.json"}'
        in html
    )
