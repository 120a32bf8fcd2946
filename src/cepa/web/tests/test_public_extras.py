"""Issue 11, point 11: a body page says when it was last updated (from its history); every record page
has a print stylesheet; the sign-in page says how to get an account."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cepa.web.tests.conftest import in_language

PRINT = '<link rel="stylesheet" href="/static/web/print.css" media="print">'


@pytest.mark.usefixtures("demo")
def test_a_body_page_says_when_it_was_last_updated(client: Client) -> None:
    html = client.get("/bodies/hk-lab-harbourview/").content.decode()
    found = re.search(
        r'<dt>Last updated</dt><dd id="last-updated"><time datetime="([^"]+)">([^<]+)</time> '
        r'<a href="#history">History of changes</a></dd>',
        html,
    )
    assert found is not None
    # The newest entry of the page's history of changes.
    first_entry = html.split('<h2 id="history">')[1].split("</li>")[0]
    assert f'<time datetime="{found.group(1)}">{found.group(2)}</time>' in first_entry


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(
    "path",
    [
        "/bodies/hk-lab-harbourview/",
        "/certificates/",
        "/inspectors/?number=CCAA-2023-CCC-0107",
        "/notices/",
        "/who-can-test/?product=0701",
        "/directory/",
    ],
)
def test_every_record_page_has_the_print_stylesheet(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    assert html.count(PRINT) == 1
    assert '<p class="print-only">Printed from <span class="codes">http://testserver' in html


def test_the_print_stylesheet_hides_the_navigation_and_forms() -> None:
    from pathlib import Path

    css = (Path(__file__).resolve().parents[1] / "static" / "web" / "print.css").read_text(encoding="utf-8")
    assert ".site-header, .site-footer, .service-nav, .skip-link, .no-print, form, .pagination, nav" in css
    assert ".print-only { display: block !important;" in css


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "transfers"),
    [
        ("en", "How to get an account", "its staff then request inspector transfers here."),
        ("zh-hant", "如何取得帳戶", "其職員其後可在此申請檢查員轉移。"),
        ("zh-hans", "如何获取账户", "其职员之后可在此申请检查员转移。"),
    ],
)
def test_the_sign_in_page_says_how_to_get_an_account(
    client: Client, language: str, heading: str, transfers: str
) -> None:
    html = in_language(client, language).get("/accounts/login/").content.decode()
    assert f'<h2 id="get-an-account">{heading}</h2>' in html
    assert transfers in html
    assert '<a href="/enquiry/">' in html


@pytest.mark.django_db
def test_the_demo_registry_publishes_contact_details(client: Client) -> None:
    from cepa.demo.registry import demo_document
    from cepa.interchange.services import import_document

    import_document(actor="system:demo", document=demo_document(), reason="demo registry")
    html = in_language(client, "zh-hant").get("/bodies/hk-lab-harbourview/").content.decode()
    contact = html.split('<h2 id="contact">')[1].split("</dl>")[0]
    assert "<dd>香港九龍觀塘虛構道1號海景中心12樓</dd>" in contact
    assert "+852 2000 0901" in contact
    assert '<a href="mailto:enquiries@harbourview.example">enquiries@harbourview.example</a>' in contact
