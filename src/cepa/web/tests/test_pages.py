from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language,lang_attr,heading", [
    ("en", 'lang="en"', "Take part in China Compulsory Certification from Hong Kong"),
    ("zh-hant", 'lang="zh-Hant"', "從香港參與中國強制性產品認證"),
    ("zh-hans", 'lang="zh-Hans"', "从香港参与中国强制性产品认证"),
])
def test_home_in_each_language(client: Client, language: str, lang_attr: str, heading: str) -> None:
    client.cookies["django_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<html {lang_attr}>" in html
    assert f"<h1>{heading}</h1>" in html


def test_language_link_sets_cookie_and_returns(client: Client) -> None:
    response = client.get("/language/zh-hant/?next=/sources/")
    assert response.status_code == 302
    assert response["Location"] == "/sources/"
    assert response.cookies["django_language"].value == "zh-hant"


def test_language_link_refuses_foreign_redirect_and_unknown_language(client: Client) -> None:
    response = client.get("/language/fr/?next=https://example.org/")
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


@pytest.mark.parametrize("path", ["/sources/", "/accessibility/", "/accounts/login/"])
def test_public_pages_render(client: Client, path: str) -> None:
    assert client.get(path).status_code == 200


def test_sources_lists_every_instrument_with_its_certainty(client: Client) -> None:
    from django.utils.html import escape

    from cepa.catalogue.models import Instrument

    instruments = list(Instrument.objects.all())
    html = client.get("/sources/").content.decode()
    assert instruments, "the reference data loads instruments at migrate"
    for instrument in instruments:
        assert escape(instrument.title_en) in html
    assert "No instruments are loaded." not in html
    confirmed = sum(1 for i in instruments if i.confirmed)
    assert html.count('<span class="tag ok">Confirmed</span>') == confirmed
    assert html.count('<span class="tag warn">Uncertain</span>') == len(instruments) - confirmed
