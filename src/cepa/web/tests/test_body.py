from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from cepa.interchange.services import import_document
from cepa.web.tests.conftest import in_language, registry_document

pytestmark = pytest.mark.usefixtures("demo")


def page_of(client: Client, organisation: str, **params: str) -> str:
    response = client.get(f"/bodies/{organisation}/", params)
    assert response.status_code == 200
    return response.content.decode()


def scope_rows(html: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r'<tr><th scope="row"><span class="codes">(\d{4})</span>.*?</th>'
        r'\s*<td[^>]*><span class="tag \w+">([^<]+)</span></td>'
        r"\s*<td[^>]*>([^<]*)</td></tr>", html, re.S)


def test_summary_and_accreditation_scope_with_status_on_the_date(client: Client) -> None:
    html = page_of(client, "hk-lab-harbourview", on="2026-06-01")
    assert "<h1>Harbourview Testing Laboratory Ltd</h1>" in html
    assert '<dd lang="zh-Hant">海景測試實驗所有限公司</dd>' in html
    assert "Statuses are shown as on 1 June 2026." in html
    assert '<section id="r-hoklas-901"' in html
    rows = scope_rows(html)
    assert rows[0] == ("0701", "Active", "16 April 2018")
    assert rows[-1] == ("0915", "Suspended", "1 May 2026")
    assert scope_rows(page_of(client, "hk-lab-harbourview", on="2026-09-01"))[-1] == (
        "0915", "Active", "1 August 2026")


def test_agreements_link_the_partner_and_say_whether_in_force(client: Client) -> None:
    html = page_of(client, "hk-lab-tai-po", on="2026-11-26")
    assert '<tr id="r-agr-t-2018-009">' in html
    assert '<a href="/bodies/cn-cb-donghai/">Donghai Certification Co Ltd</a>' in html
    assert "Terminated from 1 December 2025" in html
    assert '<span class="tag neutral">Not in force</span>' in html
    partner = page_of(client, "cn-cb-donghai")
    assert ('<a href="/bodies/hk-lab-tai-po/">Tai Po Switchgear Laboratory Ltd</a>'
            '<br><span class="muted">party</span>') in partner


def test_designations_of_a_mainland_body(client: Client) -> None:
    html = page_of(client, "cn-cb-huaxia", on="2026-11-26")
    assert re.findall(r'<section id="(r-cnca-[^"]+)"', html) == ["r-cnca-d-2017-081", "r-cnca-d-2023-081"]
    assert html.count('<span class="tag ok">In force</span>') >= 2


def test_inspectors_affiliated_on_the_date_show_public_fields_only(client: Client) -> None:
    html = page_of(client, "hk-cb-victoria", on="2026-11-26")
    names = re.findall(r'<a href="/inspectors/\?number=([^&]+)&amp;on=2026-11-26">', html)
    assert names == ["CCAA-2021-CCC-0105", "CCAA-2022-CCC-0101", "CCAA-2024-CCC-0103", "CCAA-2026-CCC-0102"]
    assert "@" not in html.split("<main")[1].split("</main>")[0]


def test_history_is_a_timeline_with_reasons(client: Client) -> None:
    document = registry_document()
    accreditation = next(a for a in document["accreditations"] if a["id"] == "HOKLAS 901")
    accreditation["events"].append({"on": "2026-11-20", "status": "suspended", "scope": ["0701"]})
    import_document(actor="user:hkas-officer", document={"format": "cepa-registry/1",
                                                           "accreditations": [accreditation]},
                    reason="HKAS notice of suspension", channel="api")
    html = page_of(client, "hk-lab-harbourview")
    timeline = html.split('<ol class="timeline">')[1].split("</ol>")[0]
    entries = re.findall(r"<li>(.*?)</li>", timeline, re.S)
    assert len(entries) == 4
    newest = " ".join(entries[0].split())
    assert "Changed: Accreditation <span class=\"codes\">HOKLAS 901</span>" in newest
    assert 'Fields changed: <span class="codes">events</span>' in newest
    assert "By an account, through the API" in newest
    assert 'Reason: <span lang="en">HKAS notice of suspension</span>' in newest
    oldest = " ".join(entries[-1].split())
    assert 'Added: Body <span class="codes">hk-lab-harbourview</span>' in oldest
    assert 'Reason: <span lang="en">demo registry</span>' in oldest


def test_unknown_body_is_404(client: Client) -> None:
    assert client.get("/bodies/no-such-body/").status_code == 404


def test_body_in_simplified_chinese(client: Client) -> None:
    html = in_language(client, "zh-hans").get("/bodies/cn-lab-bohai/", {"on": "2026-11-26"}).content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "<h1>渤海防爆检测中心</h1>" in html
    assert "显示的状态以 2026年11月26日 为准。" in html


def test_body_page_queries_are_bounded(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(15):
        page_of(client, "hk-cb-victoria")
    with django_assert_max_num_queries(15):
        page_of(client, "cn-cb-huaxia")


def test_contact_details_as_published(client: Client) -> None:
    from cepa.bodies.models import Organisation

    assert 'id="contact"' not in page_of(client, "hk-lab-harbourview")  # none published
    Organisation.objects.filter(pk="hk-lab-harbourview").update(contact={
        "address": {"en": "8 Harbour View Road, Kowloon", "zh-Hans": "九龙海景道 8 号"},
        "phone": "+852 2345 6789",
        "email": "ccc+lab@harbourview.example",
        "website": "https://harbourview.example/ccc?x=1&y=2",
    })
    html = page_of(client, "hk-lab-harbourview")
    assert '<h2 id="contact">Contact</h2>' in html
    assert "<dt>Address</dt><dd>8 Harbour View Road, Kowloon</dd>" in html
    assert "<dt>Phone</dt><dd>+852 2345 6789</dd>" in html
    assert ('<a href="mailto:ccc%2Blab@harbourview.example">ccc+lab@harbourview.example</a>') in html
    assert ('<a href="https://harbourview.example/ccc?x=1&amp;y=2" rel="noopener">'
            "https://harbourview.example/ccc?x=1&amp;y=2</a>") in html
    # In the page's language where given, else in English (marked as such).
    simplified = in_language(client, "zh-hans").get("/bodies/hk-lab-harbourview/").content.decode()
    assert "<dd>九龙海景道 8 号</dd>" in simplified
    traditional = in_language(client, "zh-hant").get("/bodies/hk-lab-harbourview/").content.decode()
    assert '<dd><span lang="en">8 Harbour View Road, Kowloon</span></dd>' in traditional


def test_a_website_that_is_not_a_web_address_is_not_a_link(client: Client) -> None:
    from cepa.bodies.models import Organisation

    Organisation.objects.filter(pk="hk-lab-harbourview").update(contact={"website": "javascript:alert(1)"})
    html = page_of(client, "hk-lab-harbourview")
    assert "<dt>Website</dt><dd>javascript:alert(1)</dd>" in html
    assert 'href="javascript' not in html
