"""The admin's model and app names, translated and pluralised properly (issue 11, point 7)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import translation

from cepa.enquiries.services import submit_enquiry

pytestmark = pytest.mark.django_db


def test_every_registered_model_has_a_translated_name_and_a_real_plural() -> None:
    for language in ("zh-hant", "zh-hans"):
        with translation.override(language):
            for model in admin.site._registry:
                if model._meta.app_label == "auth":
                    continue  # Django's own, translated by Django
                for name in (
                    model._meta.verbose_name,
                    model._meta.verbose_name_plural,
                    model._meta.app_config.verbose_name,
                ):
                    text = str(name)
                    assert not text.isascii() or text.startswith(("API", "CEPA")), (model, text)
    with translation.override("en"):
        plurals = {str(model._meta.verbose_name_plural) for model in admin.site._registry}
    assert "routine scope entries" in plurals
    assert [plural for plural in plurals if plural.endswith("ys")] == []  # "entrys", "categorys"


@pytest.mark.parametrize(
    "language,index,entries",
    [
        ("en", "Catalogue", "Routine scope entries"),
        ("zh-hant", "目錄", "常規指定範圍項目"),
        ("zh-hans", "目录", "常规指定范围项目"),
    ],
)
def test_the_admin_shows_them(admin_client: Client, language: str, index: str, entries: str) -> None:
    admin_client.cookies["django_language"] = language
    page = admin_client.get("/admin/").content.decode()
    assert index in page and entries in page
    listing = admin_client.get("/admin/catalogue/routinescopeentry/")
    assert listing.status_code == 200
    assert entries in listing.content.decode()


@pytest.mark.parametrize(
    "language,headers,filter_title",
    [
        ("en", ["Reference", "Submitted at", "Queue", "Product type", "Status", "Name"], "By status"),
        ("zh-hant", ["參考編號", "提交時間", "隊列", "產品類別", "狀態", "名稱"], "以 狀態"),
        ("zh-hans", ["参考编号", "提交时间", "队列", "产品类别", "状态", "名称"], "以 状态"),
    ],
)
def test_the_admin_column_headers_and_filters_are_translated(
    admin_client: Client, language: str, headers: list[str], filter_title: str
) -> None:
    submit_enquiry(actor="public:web", product_type="0701", name="Ann", email="ann@example.com", message="Hi")
    admin_client.cookies["django_language"] = language
    html = admin_client.get("/admin/enquiries/enquiry/").content.decode()
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert [h for h in headers if f">{h}</" not in head] == []
    assert filter_title in html
