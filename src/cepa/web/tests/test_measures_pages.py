"""The CEPA measures on the sources page, the uncertain facts beside them, and the place-of-processing notice
on the page that shows testing decisions for Hong Kong laboratories."""

from __future__ import annotations

import pytest
from django.test import Client

from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.django_db

# (language, heading of the timeline, a measure's name, its place, heading of the uncertain list, a gap)
LANGUAGES = [
    ("en", "CEPA measures over time", "CEPA Supplement VII: CCC testing pilot", "Processed in Hong Kong",
     "Where the sources run out", "Instruments not confirmed"),
    ("zh-hant", "CEPA 措施的演變", "《CEPA》補充協議七：強制性產品認證檢測試點", "在香港加工",
     "資料來源未能確定之處", "未確定的法律文件"),
    ("zh-hans", "CEPA 措施的演变", "《CEPA》补充协议七：强制性产品认证检测试点", "在香港加工",
     "资料来源未能确定之处", "未确定的法律文件"),
]


@pytest.mark.parametrize("language,timeline,pilot,place,uncertain,instruments", LANGUAGES)
def test_the_sources_page_shows_the_measures_and_where_the_sources_run_out(
    client: Client, language: str, timeline: str, pilot: str, place: str, uncertain: str, instruments: str,
) -> None:
    html = in_language(client, language).get("/sources/").content.decode()
    assert f'<h2 id="measures">{timeline}</h2>' in html
    assert f'<h2 id="uncertain">{uncertain}</h2>' in html
    assert f"<h3>{instruments}</h3>" in html
    row = html.split('<tr id="r-cepa-supplement-vii-ccc-pilot">')[1].split("</tr>")[0]
    assert pilot in row and place in row
    # Every measure has a row, in order, and the eight with an uncertain part are marked and listed.
    timeline_html = html.split('<h2 id="measures">')[1].split('<h2 id="uncertain">')[0]
    assert timeline_html.count('<tr id="r-') == 11
    assert timeline_html.index("r-cepa-supplement-vii") < timeline_html.index("r-amendment-2019-measure-1")
    assert timeline_html.count('<span class="tag warn">') == 8
    gaps = html.split('<h2 id="uncertain">')[1]
    assert gaps.count('<a href="#r-') == 8
    assert "2017" in gaps and ("2015" in gaps)


def test_the_sources_page_in_english_names_the_gaps() -> None:
    html = Client().get("/sources/").content.decode()
    gaps = html.split('<h2 id="uncertain">')[1]
    assert "CNCA Public Notice 2017 No.1" in gaps
    assert "(text not found)" in gaps
    assert "Annex 1 (product field division table)" in gaps
    assert "(the fields or products it covers were not read)" in gaps
    assert "54 of 117 periods of product types in the catalogue have an inferred start or end." in gaps
    assert "76 of 183 spans of conformity routes are inferred." in gaps
    assert "3 of 29 product types in the routine designation scope are inferred." in gaps
    row = html.split('<tr id="r-cepa-supplement-vii-ccc-pilot">')[1].split("</tr>")[0]
    assert '<td data-label="Signed">2010-05</td>' in row
    assert "1 January 2011 <span class=\"muted\">(only the month was read)</span>" in row
    assert "31 March 2012 <span class=\"muted\">(end inferred)</span>" in row
    row = html.split('<tr id="r-amendment-2019-measure-1-any-origin">')[1].split("</tr>")[0]
    assert '<td data-label="Signed">21 November 2019</td>' in row
    assert "Any origin, including outside China" in row


NOTICE = 'id="place-of-processing"'


@pytest.mark.usefixtures("demo")
def test_the_notice_appears_for_a_day_before_june_2020_and_not_after(client: Client) -> None:
    before = client.get("/who-can-test/", {"product": "0701", "on": "2020-05-31"}).content.decode()
    assert before.count(NOTICE) == 1
    notice = before.split(NOTICE)[1].split("</div>")[0]
    assert "On 31 May 2020 a Hong Kong laboratory could do CCC testing only for products processed" in notice
    assert "CEPA Supplement VIII: every CCC product processed in Hong Kong: Processed in Hong Kong" in notice
    assert "Guangdong Agreement" in notice and "Exchange of Letters" in notice
    assert '<a href="/sources/#measures">See the CEPA measures over time</a>' in notice
    # The notice sits with the Hong Kong laboratories, before the Mainland ones.
    assert before.index(NOTICE) < before.index("<h3>Mainland laboratories</h3>")

    after = client.get("/who-can-test/", {"product": "0701", "on": "2020-06-01"}).content.decode()
    assert NOTICE not in after
    assert "<h3>Hong Kong laboratories</h3>" in after


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("language,text", [
    ("zh-hant", "在 2020年5月31日，香港實驗室只可為在當時生效的 CEPA 措施所容許的地方加工或生產的產品"),
    ("zh-hans", "在 2020年5月31日，香港实验室只可为在当时生效的 CEPA 措施所允许的地方加工或生产的产品"),
])
def test_the_notice_is_translated(client: Client, language: str, text: str) -> None:
    html = in_language(client, language).get("/who-can-test/", {"product": "0701", "on": "2020-05-31"})
    assert text in html.content.decode()


@pytest.mark.usefixtures("demo")
def test_before_the_first_measure_the_page_says_there_was_none(client: Client) -> None:
    html = client.get("/who-can-test/", {"product": "0701", "on": "2010-12-31"}).content.decode()
    notice = html.split(NOTICE)[1].split("</div>")[0]
    assert "On 31 December 2010 no CEPA measure yet let Hong Kong laboratories do CCC testing." in notice
