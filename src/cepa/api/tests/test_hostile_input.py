"""Input that used to end in a server error where the contract says 400 (exit 2): issue 12, finding 9.

JSON nested 100,000 deep to every JSON write of the API and to `cepa import`; far dates to the
designation question (API and command), registrations and plans; multipart bodies without a boundary
or with an oversized part header; a NUL character in a path or a query value (a server error on
PostgreSQL, which stores no NUL in text). Each answer is 400 naming what is wrong, and nothing is
written.
"""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from cepa.interchange.tests.helpers import run_cepa
from cepa.testing.hostile import World, call, caller, fill, make_world, row_counts, write_operations

pytestmark = pytest.mark.django_db

DEEP = ("[" * 100_000 + "]" * 100_000).encode()
DEEP_OBJECT = ('{"a":' * 100_000 + "1" + "}" * 100_000).encode()
FAR_AT = "9999-12-31T23:59:59+08:00"


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_json_nested_100000_deep_is_400_on_every_json_write(world: World, body: bytes) -> None:
    client = Client(raise_request_exception=False)
    # The writes that take a JSON body (those that take none, such as publish, ignore any).
    operations = [op for op in write_operations() if "application/json" in op.content_types]
    assert len(operations) >= 10
    before = row_counts()
    answers = {}
    for operation in operations:
        for role in ("admin", caller(operation.path)):
            response = call(client, operation, fill(operation.path, world.ids), body, world.people[role])
            answers[(str(operation), role)] = response.status_code
            assert response.status_code < 500, (str(operation), role, response.content[:300])
    # Each write whose caller reaches the body refuses it as malformed.
    judged = {key: status for key, status in answers.items() if status not in (401, 403, 404, 409)}
    assert judged and set(judged.values()) == {400}, answers
    assert row_counts() == before


def test_deep_import_body_names_the_nesting(world: World) -> None:
    response = Client().post(
        "/api/v1/import", DEEP, content_type="application/json", headers=world.people["admin"].headers
    )
    assert response.status_code == 400
    assert response.json()["message"] == "body: not valid JSON (nested deeper than 64 levels)"


def test_cepa_import_of_json_nested_100000_deep_exits_2(
    world: World, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    before = row_counts()
    for name, body in (("array", DEEP), ("object", DEEP_OBJECT)):
        path = tmp_path / f"{name}.json"
        path.write_bytes(body)
        code, out, err = run_cepa(capsys, "import", str(path))
        assert (code, out) == (2, ""), err
        assert err == ": invalid JSON: nested deeper than 64 levels\n"
    # Inside a record, deep but within what the reader follows: refused by the schema, named.
    nested: Any = 1
    for _ in range(500):
        nested = [nested]
    path = tmp_path / "record.json"
    path.write_text(json.dumps({"format": "cepa-registry/1", "organisations": [{"id": "x", "name": nested}]}))
    code, out, err = run_cepa(capsys, "import", str(path))
    assert (code, out, err) == (2, "", ": the document is nested deeper than 64 levels\n")
    assert row_counts() == before


@pytest.mark.parametrize("at", [FAR_AT, "0001-01-01T00:00:00+08:00"])
def test_designation_decision_at_a_far_time_is_400(world: World, at: str) -> None:
    response = Client().get(
        "/api/v1/decisions/designation", {"subject": "cn-cb-east", "product_type": "0701", "at": at}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "BAD_REQUEST"
    assert [e["field"] for e in body["errors"]] == ["at"]
    assert body["errors"][0]["message"] == (
        f"must be a day from 1900-01-01 to 2200-12-31; {at} is not"
    )


def test_designation_check_at_a_far_time_exits_2(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cepa(capsys, "check", "designation", "cn-cb-east", "0701", "--at", FAR_AT)
    assert (code, out) == (2, "")
    assert "must be a day from 1900-01-01 to 2200-12-31" in err


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"registered": "9999-12-31"}, "registered"),
        ({"expires": "9999-12-31"}, "expires"),
        ({"registered": "0001-01-01"}, "registered"),
    ],
)
def test_registration_with_a_far_date_is_400(world: World, changes: dict[str, str], field: str) -> None:
    body = {
        "id": "CCAA-FAR-1",
        "name": {"en": "Far Away"},
        "grade": "inspector",
        "specialties": ["07"],
        "registered": "2026-01-01",
        "organisation": "hk-cb-lionrock",
        **changes,
    }
    before = row_counts()
    response = Client().post(
        "/api/v1/inspectors/registrations",
        json.dumps(body),
        content_type="application/json",
        headers=world.people["ccaa"].headers,
    )
    assert response.status_code == 400, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("window", "field"),
    [
        ({"opens": "9999-12-01T00:00:00+08:00", "closes": FAR_AT}, "window.opens"),
        ({"opens": "2027-12-01T00:00:00+08:00", "closes": FAR_AT}, "window.closes"),
        ({"opens": "0001-01-01T00:00:00+08:00", "closes": "0001-01-02T00:00:00+08:00"}, "window.opens"),
    ],
)
def test_plan_with_a_far_window_is_400(world: World, window: dict[str, str], field: str) -> None:
    body = {"id": "PLAN-FAR", "year": 2027, "role": "laboratory", "product_types": ["0701"], "window": window}
    before = row_counts()
    response = Client().post(
        "/api/v1/plans",
        json.dumps(body),
        content_type="application/json",
        headers=world.people["cnca"].headers,
    )
    assert response.status_code == 400, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert row_counts() == before


def _part(header: bytes) -> bytes:
    return (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        + header
        + b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--B--\r\n"
    )


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--B\r\n\r\nx\r\n--B--\r\n", "multipart/form-data"),  # no boundary
        (b"--B\r\n\r\nx\r\n--B--\r\n", "multipart/form-data; boundary="),  # an empty one
        (_part(b"X-Long: " + b"a" * 2000 + b"\r\n"), "multipart/form-data; boundary=B"),  # a header over 1 KB
    ],
    ids=["no-boundary", "empty-boundary", "long-part-header"],
)
def test_malformed_multipart_upload_is_400(world: World, body: bytes, content_type: str) -> None:
    before = row_counts()
    response = Client(raise_request_exception=False).post(
        f"/api/v1/applications/{world.ids['application_id']}/documents",
        body,
        content_type=content_type,
        headers=world.people["mainland"].headers,
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "BAD_REQUEST"
    assert response.json()["message"].startswith("body: not a valid multipart/form-data body")
    assert row_counts() == before


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/history/a\x00b", {}, "path"),
        ("/api/v1/organisations/a\x00b", {}, "path"),
        ("/api/v1/inspectors/a\x00b", {}, "path"),
        ("/api/v1/applications/1\x00", {}, "path"),
        ("/api/v1/organisations", {"kind": "a\x00b"}, "kind"),
        ("/api/v1/decisions/testing", {"subject": "a\x00b", "product_type": "0701"}, "subject"),
        ("/api/v1/inspectors", {"organisation": "x", "q\x00": "y"}, "q\\x00"),
    ],
)
def test_nul_in_a_path_or_query_value_is_400(
    world: World, path: str, query: dict[str, str], field: str
) -> None:
    response = Client().get(path, query, headers=world.people["admin"].headers)
    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "BAD_REQUEST",
            "message": f"{field}: may not contain NUL characters",
            "errors": [{"field": field, "message": "may not contain NUL characters"}],
        },
    )


@pytest.mark.parametrize("path", ["/organisations/a\x00b", "/inspectors/", "/en/inspectors/"])
def test_nul_on_a_page_is_400(world: World, path: str) -> None:
    response = Client().get(path, {"q": "a\x00b"})
    assert response.status_code == 400


def test_cepa_import_with_a_lone_surrogate_exits_2_with_the_problem_escaped(
    world: World, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by the fuzz test: the compiled schema check and the command's report of the problems
    both failed on text that is not valid Unicode."""
    before = row_counts()
    path = tmp_path / "surrogate.json"
    path.write_bytes(b'{"format": ["\\ud800"]}')
    code, out, err = run_cepa(capsys, "import", str(path))
    assert (code, out) == (2, "")
    assert err == (
        '/format: wrong format ["\\ud800"]: expected "cepa-registry/1"\n'
        "/format/0: text must be valid Unicode (it holds a lone surrogate)\n"
    )
    assert row_counts() == before


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OverflowError("date value out of range"), "body: holds a date or number out of the range"),
        (RecursionError("maximum recursion depth exceeded"), "body: nested deeper than 64 levels"),
    ],
)
def test_the_net_under_the_parsers_answers_400(world: World, error: Exception, message: str) -> None:
    """What the parsers do not catch first (a computation from input that overflows or recurses too
    deep) is still bad input, never a server error."""
    with mock.patch("cepa.api.decisions.decisions.decide", side_effect=error):
        response = Client().get(
            "/api/v1/decisions/testing", {"subject": "hk-lab-harbour", "product_type": "0701"}
        )
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"
    assert response.json()["message"].startswith(message)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--B\r\n\r\nx\r\n--B--\r\n", "multipart/form-data"),
        (_part(b"X-Long: " + b"a" * 2000 + b"\r\n"), "multipart/form-data; boundary=B"),
    ],
    ids=["no-boundary", "long-part-header"],
)
def test_malformed_multipart_to_a_page_is_400(world: World, body: bytes, content_type: str) -> None:
    client = world.people["mainland"].client()  # signing in logs the access (django-axes)
    before = row_counts()
    path = f"/portal/applications/{world.ids['application_id']}/documents/"
    response = client.post(path, body, content_type=content_type)
    assert response.status_code == 400
    assert row_counts() == before
