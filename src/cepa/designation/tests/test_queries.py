"""Query budgets: a detail in at most 5 queries, a list in at most 10, whatever the number of rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cepa.designation.tests.conftest import Clock, People
from cepa.designation.tests.helpers import PDF, get, post, upload
from cepa.designation.tests.test_transitions import application_in

pytestmark = pytest.mark.django_db


def test_application_detail_and_list_budgets(
    api: Client, people: People, clock: Clock, django_assert_max_num_queries: Any
) -> None:
    clock.set("2026-09-24T16:00:00+08:00")
    numbers = [application_in(api, people, status) for status in ("approved", "submitted", "draft") * 4]
    number = numbers[0]
    for _ in range(3):
        upload(api, numbers[1], people.delta, PDF + str(_).encode())
        objection = post(api, f"/applications/{number}/objections", people.river, {"grounds": "x"}).json()[
            "id"
        ]
    for who in (people.delta, people.cnca, people.root, people.river, None):
        get(api, "/applications", who)  # the token's last use is written once a minute, not counted here
        with django_assert_max_num_queries(5):
            assert get(api, f"/applications/{number}", who).status_code == 200
        with django_assert_max_num_queries(5):
            assert get(api, f"/applications/{numbers[1]}", who).status_code in (200, 404)
        with django_assert_max_num_queries(10):
            response = get(api, "/applications?limit=500", who)
            assert response.status_code == 200
    assert response.json()["count"] == 4  # the anonymous public sees the approved ones
    with django_assert_max_num_queries(5):
        assert len(get(api, f"/applications/{numbers[1]}/documents", people.delta).json()) == 3
    with django_assert_max_num_queries(5):
        assert get(api, f"/objections/{objection}", people.cnca).status_code == 200


def test_plan_and_interest_budgets(
    api: Client, people: People, clock: Clock, django_assert_max_num_queries: Any
) -> None:
    clock.set("2027-03-01T10:00:00+08:00")
    for year in (2027, 2028):
        for who, org in ((people.delta, "cn-lab-delta"), (people.east, "cn-cb-east")):
            post(
                api,
                "/expressions-of-interest",
                who,
                {"organisation": org, "year": year, "product_types": ["0915"]},
            )
    for index in range(5):
        window = {"opens": "2027-06-01T09:00:00+08:00", "closes": "2027-06-30T17:00:00+08:00"}
        body = {
            "id": f"P{index}",
            "year": 2027,
            "role": "laboratory",
            "product_types": ["0915"],
            "window": window,
        }
        post(api, "/plans", people.cnca, body)
        post(api, f"/plans/P{index}/publish", people.cnca)
    get(api, "/plans", people.cnca)
    with django_assert_max_num_queries(5):
        assert len(get(api, "/plans/P0", people.cnca).json()["history"]) == 2
    with django_assert_max_num_queries(10):
        assert get(api, "/plans?limit=500", people.cnca).json()["count"] == 5
    with django_assert_max_num_queries(5):
        assert (
            len(get(api, "/expressions-of-interest/by-product-type", people.cnca).json()[0]["expressions"])
            == 4
        )
