"""The public body pages, the directory and the certificate pages in Traditional and Simplified Chinese
hold no English words of the site's own (issue 11, point 8). What may stay in Latin letters: text marked
as another language (`lang`: names and notes as their source gives them), codes and record ids, and the
proper names and acronyms below."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from cepa.bodies.models import Organisation
from cepa.certificates.models import Certificate
from cepa.decisions.terms import REASON_CODES
from cepa.demo.registry import demo_document
from cepa.interchange.services import import_document
from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.django_db

# Proper names, acronyms and formats, used as they are in Chinese text too.
ALLOWED = {
    "CCC",
    "CNCA",
    "CCAA",
    "HKAS",
    "HOKLAS",
    "HKCAS",
    "HKIAS",
    "CNAS",
    "CEPA",
    "SAMR",
    "JSON",
    "CSV",
    "SHA",
    "API",
    "QR",
    "PDF",
    "Registry",  # "CEPA Registry", the site's name
    *REASON_CODES,  # the decisions' reason codes, which messages quote (GRADE, REGISTERED)
}
# Record ids and codes: a word with a digit, a slug (cn-cb-huaxia), an id's letters (AGR-T, TR-DEMO) or a
# reason code (AGREEMENT_IN_FORCE).
ID = re.compile(r"[A-Za-z]*\d[\w.-]*|[a-z]+(?:-[a-z0-9]+)+|[A-Z]+(?:[-_][A-Z0-9]+)+")
URL_OR_EMAIL = re.compile(r"https?://\S+|\S+@\S+")
# Units after a number, as product names write them (450/750 V, 500 W), are single letters and pass.
SKIPPED_TAGS = {"code", "script", "style", "svg", "time"}


class _Words(HTMLParser):
    """Words in Latin letters in <main>, outside text marked as another language, codes and ids."""

    def __init__(self, page_lang: str) -> None:
        super().__init__()
        self.page_lang = page_lang
        self.stack: list[tuple[str, bool]] = []
        self.in_main = False
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.in_main = True
        found = dict(attrs)
        other_lang = found.get("lang") not in (None, self.page_lang)
        skip = other_lang or tag in SKIPPED_TAGS or "codes" in (found.get("class") or "").split()
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr"):
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main = False
        while self.stack:
            opened, _skip = self.stack.pop()
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.in_main or any(skip for _tag, skip in self.stack):
            return
        data = URL_OR_EMAIL.sub(" ", data)
        for token in re.findall(r"[A-Za-z0-9][A-Za-z0-9_.-]*", data):
            token = token.rstrip(".")
            if not token.isdigit() and len(token) > 1 and not ID.fullmatch(token) and token not in ALLOWED:
                self.words.append(token)


@pytest.mark.parametrize("language,page_lang", [("zh-hant", "zh-Hant"), ("zh-hans", "zh-Hans")])
def test_public_pages_in_chinese_have_no_english_words_of_their_own(
    client: Client, language: str, page_lang: str
) -> None:
    import_document(actor="system:demo", document=demo_document(), reason="demo registry")
    urls = [f"/bodies/{pk}/" for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True)]
    urls += ["/directory/", "/certificates/"]
    urls += [f"/certificates/{pk}/" for pk in Certificate.objects.order_by("pk").values_list("pk", flat=True)]
    in_language(client, language)
    found: dict[str, list[str]] = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        parser = _Words(page_lang)
        parser.feed(response.content.decode())
        if parser.words:
            found[url] = sorted(set(parser.words))
    assert found == {}
