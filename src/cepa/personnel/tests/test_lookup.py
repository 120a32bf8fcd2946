"""The public lookup: is this person a registered CCC factory inspector on a date, for which body and
product families? By number, or by name with the body; in three languages; no account."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cepa.personnel import selectors
from cepa.personnel.models import Inspector
from cepa.personnel.services import registration, transfers
from cepa.personnel.tests.conftest import NUMBER, D

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(inspector: Inspector) -> Inspector:
    """Transferred from A to B on 2026-07-01."""
    transfer = transfers.request_transfer(
        actor="t", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2026-07-01")
    )
    transfers.review_transfer(actor="t", transfer_id=transfer.pk, action="approve")
    return inspector


def one(**arguments: Any) -> dict[str, Any]:
    (found,) = selectors.lookup(**arguments)
    return found


def test_by_number_on_a_date(moved: Inspector) -> None:
    before = one(number=NUMBER.lower(), on=D("2026-06-30"))
    assert (before["registered"], before["organisation"], before["grade"]) == (
        True,
        {"id": "hk-cb-a", "name": "Alpha Certification Ltd"},
        "inspector",
    )
    assert before["specialties"][0]["code"] == "07"
    assert before["specialties"][1]["code"] == "0915"
    assert before["answer"].startswith(
        "Ho Wing Sze (CCAA-2025-CCC-0001) is a registered CCC factory inspector on 2026-06-30, for Alpha "
        "Certification Ltd; grade: Inspector; specialties: 07 "
    )
    after = one(number=NUMBER, on=D("2026-07-01"))
    assert after["organisation"] == {"id": "cn-cb-b", "name": "Beta Certification Centre"}


def test_three_languages(moved: Inspector) -> None:
    hant = one(number=NUMBER, on=D("2026-06-30"), lang="zh-Hant")
    assert hant["organisation"]["name"] == "甲認證有限公司"
    assert hant["answer"].startswith(
        "何詠詩（CCAA-2025-CCC-0001）於 2026-06-30 是已註冊的 CCC 工廠檢查員，"
        "隸屬 甲認證有限公司；級別：檢查員"
    )
    hans = one(number=NUMBER, on=D("2026-06-30"), lang="zh-Hans")
    assert hans["answer"].startswith(
        "何咏诗（CCAA-2025-CCC-0001）于 2026-06-30 是已注册的 CCC 工厂检查员，"
        "隶属 甲认证有限公司；级别：检查员"
    )


def test_by_name_with_the_body(moved: Inspector) -> None:
    assert [r["id"] for r in selectors.lookup(name="何詠詩", organisation="hk-cb-a")] == [NUMBER]
    assert [r["id"] for r in selectors.lookup(name="ho wing", organisation="cn-cb-b")] == [NUMBER]
    assert selectors.lookup(name="ho wing", organisation="cn-cb-c") == []
    assert selectors.lookup(name="ho wing") == []  # a name alone is not enough
    asked_a = one(name="Ho", organisation="hk-cb-a", on=D("2026-08-01"))
    assert (asked_a["registered"], asked_a["with_organisation"]) == (True, False)
    assert asked_a["answer"].endswith(
        "On 2026-08-01 this inspector works for Beta Certification Centre, not for Alpha Certification Ltd."
    )


@pytest.mark.parametrize(
    ("status", "on", "asked", "registered", "answer"),
    [
        (None, "2024-12-31", "2024-12-31", False, "the registration starts on 2025-01-01."),
        (None, "2028-01-01", "2028-01-01", False, "the registration expired on 2027-12-31."),
        ("suspended", "2026-03-01", "2026-03-02", False, "the registration is suspended since 2026-03-01."),
        ("cancelled", "2026-03-01", "2026-03-02", False, "the registration was cancelled on 2026-03-01."),
        ("suspended", "2026-03-01", "2026-02-28", True, "specialties: 07 "),
    ],
)
def test_not_registered_answers(
    inspector: Inspector, status: str | None, on: str, asked: str, registered: bool, answer: str
) -> None:
    if status:
        registration.change_status(actor="t", inspector_id=NUMBER, status=status, on=D(on), reason="x")
    found = one(number=NUMBER, on=D(asked))
    assert found["registered"] is registered
    assert answer in found["answer"]


def test_api_needs_no_account_and_says_when_nothing_matches(moved: Inspector) -> None:
    client = Client()
    response = client.get(f"/api/v1/inspectors/lookup?number={NUMBER}&on=2026-06-30&lang=zh-Hans")
    assert response.status_code == 200
    body = response.json()
    assert (body["on"], body["items"][0]["registered"], body["items"][0]["organisation"]["id"]) == (
        "2026-06-30",
        True,
        "hk-cb-a",
    )
    none = client.get("/api/v1/inspectors/lookup?number=nobody&lang=zh-Hant").json()
    assert none["items"] == [] and none["answer"] == "沒有符合搜尋條件的註冊檢查員。"
    for bad in ("", "?name=Ho", "?number=x&on=2026-13-01", "?number=x&lang=fr"):
        assert client.get("/api/v1/inspectors/lookup" + bad).status_code == 400, bad


def test_lookup_query_budget(moved: Inspector, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6):
        assert len(selectors.lookup(number=NUMBER)) == 1
    with django_assert_max_num_queries(7):
        assert len(selectors.lookup(name="Ho", organisation="hk-cb-a")) == 1
