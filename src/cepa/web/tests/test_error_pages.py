"""Errors in the site's clothes (issue 11, point 7): 404, 403 and 500 in the site's layout, in the reader's
language, each with a way on; the API keeps its JSON errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from cepa.urls import urlpatterns as site_urls
from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.django_db


def broken(request: Any) -> Any:
    raise RuntimeError("a bug")


def refused(request: Any) -> Any:
    raise PermissionDenied


urlpatterns = [path("test-broken/", broken), path("test-refused/", refused), *site_urls]
handler500 = "cepa.web.views.server_error"

WAY_ON = ['href="/directory/"', 'href="/who-can-test/"', 'href="/enquiry/"']


@pytest.mark.parametrize(
    "language,heading,lang",
    [
        ("en", "Page not found", "en"),
        ("zh-hant", "找不到網頁", "zh-Hant"),
        ("zh-hans", "找不到网页", "zh-Hans"),
    ],
)
def test_not_found_is_in_the_layout_and_language(
    client: Client, language: str, heading: str, lang: str
) -> None:
    for address in ("/no-such-page/", "/bodies/no-such-body/"):
        response = in_language(client, language).get(address)
        assert response.status_code == 404
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html
        assert f"<h1>{heading}</h1>" in html
        assert 'class="site-header"' in html and 'class="site-footer"' in html
        assert all(link in html for link in WAY_ON)


def test_the_api_keeps_json_errors(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "language,heading",
    [
        ("en", "You cannot open this page"),
        ("zh-hant", "你不能開啟此頁"),
        ("zh-hans", "您不能打开此页"),
    ],
)
def test_forbidden_is_in_the_layout_and_offers_sign_in(client: Client, language: str, heading: str) -> None:
    response = in_language(client, language).get("/test-refused/")
    assert response.status_code == 403
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'href="/accounts/login/?next=/test-refused/"' in html
    assert all(link in html for link in WAY_ON)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "language,heading",
    [
        ("en", "Sorry, something went wrong"),
        ("zh-hant", "抱歉，系統出現問題"),
        ("zh-hans", "抱歉，系统出现问题"),
    ],
)
def test_server_error_is_in_the_layout_and_language(language: str, heading: str) -> None:
    client = in_language(Client(raise_request_exception=False), language)
    response = client.get("/test-broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html
    assert all(link in html for link in WAY_ON)
