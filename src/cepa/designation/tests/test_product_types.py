"""Applications, expressions of interest and plans name product types as the catalogue does (contract
§1, rev. 2): a type by any of its codes (0807 and 0907 are one type) or, without a published code, by
its key; a name no catalogue has is refused naming the field, and nothing is written."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from cepa.designation import selectors
from cepa.designation.models import Application, ExpressionOfInterest, Plan
from cepa.designation.tests.conftest import Clock, People
from cepa.designation.tests.helpers import error, post
from cepa.history.models import ChangeSet

pytestmark = pytest.mark.django_db

WINDOW = {"opens": "2027-06-01T09:00:00+08:00", "closes": "2027-06-30T17:00:00+08:00"}


def plan(api: Client, people: People, codes: list[str], **more: Any) -> None:
    body = {"id": "2027-1", "year": 2027, "role": "laboratory", "product_types": codes, "window": WINDOW}
    assert post(api, "/plans", people.cnca, {**body, **more}).status_code == 201
    assert post(api, "/plans/2027-1/publish", people.cnca).status_code == 200


def written() -> tuple[int, ...]:
    return (
        Application.objects.count(),
        ExpressionOfInterest.objects.count(),
        Plan.objects.count(),
        ChangeSet.objects.count(),
    )


def apply(api: Client, people: People, codes: list[str]) -> Any:
    return post(api, "/applications", people.delta, {"organisation": "cn-lab-delta", "product_types": codes})


# --- applications --------------------------------------------------------------------------------


@pytest.mark.parametrize("codes", [["0907"], ["0807", "0907"]])
def test_a_plan_for_one_code_of_a_type_takes_applications_under_any(
    api: Client, people: People, clock: Clock, codes: list[str]
) -> None:
    clock.set("2027-05-20T10:00:00+08:00")
    plan(api, people, ["0807"])
    clock.set("2027-06-05T10:00:00+08:00")
    created = apply(api, people, codes)
    assert created.status_code == 201, created.content
    # One type, one route: not MIXED_ROUTES.
    assert (created.json()["product_types"], created.json()["route"], created.json()["plan"]) == (
        codes,
        "plan",
        "2027-1",
    )


def test_another_type_beside_a_bundled_one_still_mixes_routes(
    api: Client, people: People, clock: Clock
) -> None:
    clock.set("2027-05-20T10:00:00+08:00")
    plan(api, people, ["0807"])
    clock.set("2027-06-05T10:00:00+08:00")
    before = written()
    assert error(apply(api, people, ["0907", "0701"])) == (422, "MIXED_ROUTES", ["MIXED_ROUTES"])
    assert written() == before


def test_an_application_by_catalogue_key(api: Client, people: People, clock: Clock) -> None:
    clock.set("2027-05-20T10:00:00+08:00")
    plan(api, people, ["brake-linings"])
    clock.set("2027-06-05T10:00:00+08:00")
    created = apply(api, people, ["brake-linings"])
    assert created.status_code == 201, created.content
    assert (created.json()["product_types"], created.json()["plan"]) == (["brake-linings"], "2027-1")


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["no-such-type"], "unknown product type codes no-such-type"),
        (["0807", "Brake-Linings"], "malformed product type code 'Brake-Linings'"),
        (["08070"], "malformed product type code '08070'"),
    ],
)
def test_an_application_naming_no_catalogue_type_is_refused(
    api: Client, people: People, clock: Clock, codes: list[str], message: str
) -> None:
    before = written()
    response = apply(api, people, codes)
    assert error(response) == (400, "BAD_REQUEST", None)
    [problem] = response.json()["errors"]
    assert (problem["field"], problem["message"].startswith(message)) == (
        "product_types",
        True,
    ), problem
    assert written() == before


# --- expressions of interest and plans -------------------------------------------------------------


def test_interest_and_plans_by_bundled_code_and_key(api: Client, people: People, clock: Clock) -> None:
    clock.set("2027-03-01T10:00:00+08:00")
    interest = {"organisation": "cn-lab-delta", "year": 2027, "product_types": ["0907", "brake-linings"]}
    created = post(api, "/expressions-of-interest", people.delta, interest)
    assert created.status_code == 201, created.content
    assert created.json()["product_types"] == ["0907", "brake-linings"]
    clock.set("2027-05-20T10:00:00+08:00")
    plan(api, people, ["0807"], requires_expression_of_interest=True)
    # The plan names the type by 0807, the expression of interest by 0907: the body is concerned.
    assert [o.id for o in selectors.organisations_concerned(Plan.objects.get())] == ["cn-lab-delta"]


@pytest.mark.parametrize(
    ("path", "who", "body"),
    [
        ("/expressions-of-interest", "delta", {"organisation": "cn-lab-delta", "year": 2027}),
        ("/plans", "cnca", {"id": "2027-1", "year": 2027, "role": "laboratory", "window": WINDOW}),
    ],
)
@pytest.mark.parametrize("codes", [["no-such-type"], ["0907", "no-such-type"], ["BRAKE"]])
def test_interest_and_plans_naming_no_catalogue_type_are_refused(
    api: Client, people: People, clock: Clock, path: str, who: str, body: dict[str, Any], codes: list[str]
) -> None:
    clock.set("2027-03-01T10:00:00+08:00")
    before = written()
    response = post(api, path, getattr(people, who), {**body, "product_types": codes})
    assert error(response) == (400, "BAD_REQUEST", None)
    assert [problem["field"] for problem in response.json()["errors"]] == ["product_types"]
    assert written() == before


# --- cepa plans ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "required"),
    [((), False), (("--expression-of-interest",), True), (("--no-expression-of-interest",), False)],
)
def test_cepa_plans_create_requires_interest_only_when_asked(
    people: People, clock: Clock, flags: tuple[str, ...], required: bool
) -> None:
    clock.set("2027-05-20T10:00:00+08:00")
    out = StringIO()
    call_command(
        "plans", "create", "2027-1", "--year", "2027", "--role", "laboratory",
        "--product-types", "0907", "brake-linings", "--opens", WINDOW["opens"], "--closes", WINDOW["closes"],
        *flags, "--as", "cnca", stdout=out,
    )  # fmt: skip
    assert Plan.objects.get().requires_expression_of_interest is required
    assert Plan.objects.get().product_types == ["0907", "brake-linings"]


def test_a_plan_made_without_saying_requires_no_interest(people: People) -> None:
    import datetime as dt

    from cepa.rules.facts import BEIJING

    made = Plan.objects.create(
        id="2027-x", year=2027, role="laboratory", product_types=["0807"],
        opens=dt.datetime(2027, 6, 1, 9, tzinfo=BEIJING), closes=dt.datetime(2027, 6, 30, 17, tzinfo=BEIJING),
    )  # fmt: skip
    assert made.requires_expression_of_interest is False
