"""Generated requests to the designation endpoints, as the roles that may act on them (a CNCA
officer and an applicant): none may end in a server error. The API's own schemathesis test covers
the anonymous public and an administrator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from cepa.api.tests.test_schemathesis import application
from cepa.designation.tests.conftest import Clock, People, make_bodies
from cepa.designation.tests.helpers import post

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    tag_regex="^(Designation plans|Designation applications|Expressions of interest)$"
)

EXAMPLES = settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@pytest.fixture
def workflow(db: Any) -> Iterator[dict[str, dict[str, str]]]:
    make_bodies()
    people = People()
    clock = Clock()
    with mock.patch("cepa.designation.clock.now", side_effect=clock.now):
        # An application in review and an approved one with an objection, for the generated ids to hit.
        api = Client()
        numbers = []
        for _ in range(2):
            body = {"organisation": "cn-lab-delta", "product_types": ["0701"]}
            number = post(api, "/applications", people.delta, body).json()["id"]
            post(api, f"/applications/{number}/submit", people.delta)
            post(api, f"/applications/{number}/review", people.cnca, {"action": "start"})
            numbers.append(number)
        post(api, f"/applications/{numbers[1]}/review", people.cnca, {"action": "approve"})
        post(api, f"/applications/{numbers[1]}/objections", people.river, {"grounds": "x"})
        # Django's test client connects these handlers again after each request: hold them off only now.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield {"cnca": people.cnca.headers, "delta": people.delta.headers}
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@schema.parametrize()
@EXAMPLES
def test_no_server_error_as_officer(case: schemathesis.Case, workflow: dict[str, dict[str, str]]) -> None:
    case.call_and_validate(headers=workflow["cnca"], checks=[not_a_server_error])


@schema.parametrize()
@EXAMPLES
def test_no_server_error_as_applicant(case: schemathesis.Case, workflow: dict[str, dict[str, str]]) -> None:
    case.call_and_validate(headers=workflow["delta"], checks=[not_a_server_error])
