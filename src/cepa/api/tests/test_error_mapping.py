"""The API's one mapping of the project's errors (cepa.errors): status and body per class, and the
message in the requested language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client, RequestFactory

from cepa.api.errors import error_response_for
from cepa.errors import (
    CepaError,
    Conflict,
    ErrorCode,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    Refused,
    role_may_not,
)
from cepa.testing.personas import persona
from cepa.testing.registries import make_registry


@dataclass(frozen=True)
class Reason:
    code: str

    def message(self, lang: str = "en") -> str:
        return {"en": "Too late.", "zh-Hant": "太遲了。"}.get(lang, "Too late.")


def answer(error: CepaError, path: str = "/api/v1/x", **headers: Any) -> tuple[int, dict[str, Any]]:
    response = error_response_for(RequestFactory().get(path, **headers), error)
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (NotAuthenticated("no token"), 401, {"code": "NOT_AUTHENTICATED", "message": "no token"}),
        (NotAllowed("not yours"), 403, {"code": "FORBIDDEN", "message": "not yours"}),
        (NotFound("no plan with id 'x'"), 404, {"code": "NOT_FOUND", "message": "no plan with id 'x'"}),
        (
            InvalidInput({"year": "must be a year", "from": "must be a date"}),
            400,
            {
                "code": "BAD_REQUEST",
                "message": "year: must be a year; from: must be a date",
                "errors": [
                    {"field": "year", "message": "must be a year"},
                    {"field": "from", "message": "must be a date"},
                ],
            },
        ),
        (
            InvalidInput([], summary="code: 'x' is neither", code=ErrorCode.IMPORT_REFUSED),
            400,
            {"code": "IMPORT_REFUSED", "message": "code: 'x' is neither"},
        ),
        (
            PayloadTooLarge("file", "is 11 bytes; the limit is 10 bytes"),
            413,
            {
                "code": "PAYLOAD_TOO_LARGE",
                "message": "file: is 11 bytes; the limit is 10 bytes",
                "errors": [{"field": "file", "message": "is 11 bytes; the limit is 10 bytes"}],
            },
        ),
        (
            Conflict("transfer 3 is already approved", code=ErrorCode.TRANSFER_DECIDED),
            409,
            {"code": "TRANSFER_DECIDED", "message": "transfer 3 is already approved"},
        ),
        (
            Refused(
                "not designated for 0701",
                code=ErrorCode.COUNTERPARTY_NOT_DESIGNATED,
                failing=["0701"],
                product_types=["0701"],
            ),
            422,
            {
                "code": "COUNTERPARTY_NOT_DESIGNATED",
                "message": "not designated for 0701",
                "failing": ["0701"],
                "product_types": ["0701"],
            },
        ),
        (
            Refused(reasons=[Reason("RANGE_ENDED")]),
            422,
            {
                "code": "REFUSED",
                "message": "Too late.",
                "failing": ["RANGE_ENDED"],
                "reasons": [{"code": "RANGE_ENDED", "message": "Too late."}],
            },
        ),
    ],
)
def test_each_error_has_its_status_and_body(error: CepaError, status: int, body: dict[str, Any]) -> None:
    assert answer(error) == (status, body)


def test_the_message_is_in_the_language_of_lang_or_accept_language() -> None:
    refused = Refused(reasons=[Reason("RANGE_ENDED")])
    assert answer(refused, "/api/v1/x?lang=zh-Hant")[1]["reasons"][0]["message"] == "太遲了。"
    forbidden = role_may_not("applicant", "review transfers")
    assert (
        answer(forbidden, HTTP_ACCEPT_LANGUAGE="zh-Hant")[1]["message"]
        == "角色 applicant 無權執行：review transfers"
    )
    assert answer(forbidden)[1]["message"] == "role applicant may not review transfers"


@pytest.mark.django_db
def test_api_errors_in_traditional_and_simplified_chinese() -> None:
    make_registry()
    client = Client()
    missing = client.get("/api/v1/agreements/filings", HTTP_ACCEPT_LANGUAGE="zh-Hant")
    assert (missing.status_code, missing.json()) == (
        401,
        {"code": "NOT_AUTHENTICATED", "message": "需要 API 權杖：Authorization: Bearer TOKEN"},
    )
    bad = client.get("/api/v1/agreements/filings?lang=zh-Hans", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.json()["message"] == "API 令牌无效（不存在、已撤销，或其用户已停用）"
    officer = persona("cnca", "cnca_officer")
    refused = client.post(
        "/api/v1/transfers/1/review?lang=zh-Hant",
        data={},
        content_type="application/json",
        headers=officer.headers,
    )
    assert (refused.status_code, refused.json()["message"]) == (
        403,
        "角色 cnca_officer 無權執行：review transfers",
    )
    english = client.get("/api/v1/agreements/filings")
    assert english.json()["message"] == "an API token is required: Authorization: Bearer TOKEN"
