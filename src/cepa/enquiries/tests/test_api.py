"""The enquiries API (issue 11, point 3): public sending, rate-limited per address together with the
site's form; CNCA's queues, reply, close and reopen; the enquirer's status by reference and email."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from cepa.enquiries import protection
from cepa.enquiries.models import Enquiry, EnquiryReply, EnquiryTransition
from cepa.testing.personas import Persona

pytestmark = pytest.mark.django_db

URL = "/api/v1/enquiries"
SENT: dict[str, Any] = {
    "product_type": "0701",
    "name": "Chan Tai Man",
    "email": "chan@example.com",
    "organisation": "Pearl Appliances Ltd",
    "message": "Who may test fridges?",
}


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    cache.clear()


def post(client: Client, path: str, data: Any = None, who: Persona | None = None, **headers: str) -> Any:
    if who is not None:
        headers["Authorization"] = f"Bearer {who.token}"
    return client.post(path, data=data, content_type="application/json", headers=headers)


def send(client: Client, **changes: Any) -> str:
    response = post(client, URL, {**SENT, **changes})
    assert response.status_code == 201, response.content
    return str(response.json()["reference"])


def test_anyone_sends_an_enquiry_and_gets_a_reference(client: Client) -> None:
    response = client.post(URL, SENT, content_type="application/json", headers={"Accept-Language": "zh-hant"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference", "status", "queue", "product_type", "submitted_at"}
    assert (body["status"], body["queue"], body["product_type"]) == ("new", "electrical_electronic", "0701")
    enquiry = Enquiry.objects.get(reference=body["reference"])
    assert (enquiry.name, enquiry.email, enquiry.language) == ("Chan Tai Man", "chan@example.com", "zh-Hant")
    assert send(client, language="en", product_type="2401")  # a language of its own, another sector


def test_bad_enquiries_name_the_field_and_store_nothing(client: Client) -> None:
    response = post(client, URL, {**SENT, "email": "nope", "product_type": "9999"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "product_type",
            "message": "unknown product type code '9999': no catalogue version has had it",
        },
        {"field": "email", "message": "is not a valid email address"},
    ]
    response = post(client, URL, {**SENT, "phone": "123"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "phone"
    assert Enquiry.objects.count() == 0


def test_the_limit_per_address_counts_the_form_and_the_api_together(client: Client) -> None:
    protection.count_submission("127.0.0.1")  # one through the site's form from the same address
    for _ in range(protection.LIMIT_PER_HOUR - 1):
        send(client)
    response = post(client, URL, SENT)
    assert response.status_code == 429
    assert response.json() == {
        "code": "THROTTLED",
        "message": "too many enquiries have been sent from your address; try again in an hour",
    }
    assert Enquiry.objects.count() == protection.LIMIT_PER_HOUR - 1
    assert protection.rate_limited("127.0.0.1")
    # Another address is not limited.
    assert Client(REMOTE_ADDR="192.0.2.9").post(URL, SENT, content_type="application/json").status_code == 201


def test_cnca_reads_the_queues_oldest_first(client: Client, cnca_officer: Persona) -> None:
    first, second = send(client), send(client)
    other = send(client, product_type="2401")
    auth = {"Authorization": f"Bearer {cnca_officer.token}"}
    listed = client.get(URL, headers=auth).json()
    assert [item["reference"] for item in listed["items"]] == [first, second, other]
    assert listed["count"] == 3
    electrical = client.get(URL, {"queue": "electrical_electronic"}, headers=auth).json()
    assert [item["reference"] for item in electrical["items"]] == [first, second]
    detail = client.get(f"{URL}/{first}", headers=auth).json()
    assert (detail["email"], detail["message"], detail["replies"]) == (
        "chan@example.com",
        SENT["message"],
        [],
    )
    assert [(h["event"], h["from"], h["to"], h["who"]) for h in detail["history"]] == [
        ("received", None, "new", "public")
    ]


def test_only_cnca_reads_and_answers(
    client: Client, applicant_a: Persona, ccaa_registrar: Persona, hkas_officer: Persona
) -> None:
    reference = send(client)
    assert client.get(URL).status_code == 401
    assert post(client, f"{URL}/{reference}/close", {}).status_code == 401
    for who in (applicant_a, ccaa_registrar, hkas_officer):
        auth = {"Authorization": f"Bearer {who.token}"}
        assert client.get(URL, headers=auth).status_code == 403
        assert client.get(f"{URL}/{reference}", headers=auth).status_code == 403
        assert post(client, f"{URL}/{reference}/reply", {"body": "Yes."}, who).status_code == 403
        assert post(client, f"{URL}/{reference}/close", {}, who).status_code == 403
    assert Enquiry.objects.get().status == "new"
    assert EnquiryTransition.objects.count() == 1


def test_reply_close_reopen_with_the_contracts_order_of_errors(
    client: Client, cnca_officer: Persona, django_capture_on_commit_callbacks: Any
) -> None:
    reference = send(client, language="zh-Hans")
    assert (
        post(client, f"{URL}/ENQ-NONE/reply", {"body": ""}, cnca_officer).status_code == 404
    )  # 404 before 400
    bad = post(client, f"{URL}/{reference}/reply", {"body": ""}, cnca_officer)
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "body")
    with django_capture_on_commit_callbacks(execute=True):
        replied = post(client, f"{URL}/{reference}/reply", {"body": "可以。"}, cnca_officer)
    assert replied.status_code == 200
    record = replied.json()
    assert record["status"] == "answered"
    assert [(r["body"], r["language"], r["sent_by"]) for r in record["replies"]] == [
        ("可以。", "zh-Hans", "cnca")
    ]
    assert mail.outbox[0].subject == f"您的查询 {reference}：国家认监委的回复"
    closed = post(client, f"{URL}/{reference}/close", None, cnca_officer)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    again = post(client, f"{URL}/{reference}/close", {"reason": ""}, cnca_officer)
    assert (again.status_code, again.json()["code"]) == (409, "CONFLICT")
    late = post(client, f"{URL}/{reference}/reply", {"body": "More."}, cnca_officer)
    assert late.status_code == 409
    assert post(client, f"{URL}/{reference}/reopen", {"reason": " "}, cnca_officer).status_code == 400
    reopened = post(client, f"{URL}/{reference}/reopen", {"reason": "asked again"}, cnca_officer)
    assert (reopened.status_code, reopened.json()["status"]) == (200, "answered")
    assert [(h["event"], h["from"], h["to"], h["reason"]) for h in reopened.json()["history"]] == [
        ("received", None, "new", ""),
        ("reply", "new", "answered", ""),
        ("close", "answered", "closed", ""),
        ("reopen", "closed", "answered", "asked again"),
    ]
    assert (EnquiryReply.objects.count(), len(mail.outbox)) == (1, 1)


def test_the_enquirer_sees_the_status_with_reference_and_email(client: Client, cnca_officer: Persona) -> None:
    reference = send(client)
    post(client, f"{URL}/{reference}/reply", {"body": "Yes."}, cnca_officer)
    response = post(client, f"{URL}/status", {"reference": reference.lower(), "email": "CHAN@example.com"})
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["status"]) == (reference, "answered")
    assert [r["body"] for r in body["replies"]] == ["Yes."]
    assert [(h["event"], h["to"]) for h in body["history"]] == [("received", "new"), ("reply", "answered")]
    assert "who" not in body["history"][0] and "email" not in body and "name" not in body
    wrong = post(client, f"{URL}/status", {"reference": reference, "email": "other@example.com"})
    assert (wrong.status_code, wrong.json()) == (
        404,
        {"code": "NOT_FOUND", "message": "no enquiry has this reference and email address"},
    )
    assert post(client, f"{URL}/status", {"reference": reference}).status_code == 400


def test_list_and_detail_query_budgets(
    client: Client, cnca_officer: Persona, django_assert_max_num_queries: Any
) -> None:
    references = [send(client) for _ in range(4)]
    auth = {"Authorization": f"Bearer {cnca_officer.token}"}
    with django_assert_max_num_queries(10):
        assert client.get(URL, headers=auth).json()["count"] == 4
    with django_assert_max_num_queries(5 + 3):  # the token's user and profile, then the record
        assert client.get(f"{URL}/{references[0]}", headers=auth).status_code == 200
