"""Institution transfer: the journey of the issue, every refusal, the API's order of errors, scoping."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cepa.decisions.services import decide
from cepa.errors import Conflict, InvalidInput, Refused
from cepa.history.models import Change
from cepa.personnel.models import Affiliation, Inspector, Transfer
from cepa.personnel.services import registration, transfers
from cepa.personnel.tests.conftest import NUMBER, D
from cepa.testing.personas import Persona

pytestmark = pytest.mark.django_db

URL = f"/api/v1/inspectors/{NUMBER}/transfers"


def post(client: Client, url: str, body: Any, who: Persona | None) -> Any:
    headers = who.headers if who else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", headers=headers)


def state() -> tuple[Any, ...]:
    """Everything a refused request must leave as it was."""
    inspector = Inspector.objects.get(pk=NUMBER)
    return (
        list(
            Affiliation.objects.filter(inspector_id=NUMBER)
            .order_by("id")
            .values_list("organisation_id", "valid_from", "valid_until")
        ),
        list(Transfer.objects.order_by("id").values_list("id", "status", "decided_by")),
        (inspector.grade, inspector.specialties, inspector.registered, inspector.expires),
        Change.objects.exclude(record_type__startswith="accounts").count(),
    )


def allowed(org: str, on: str) -> tuple[bool, list[str]]:
    decision = decide("inspection", subject=NUMBER, org=org, product_type="0701", on=on)
    return decision.allowed, [r.code for r in decision.reasons if not r.holds]


def test_journey_transfer_from_a_to_b_effective_1_july(
    inspector: Inspector, personas: Callable[[str], Persona]
) -> None:
    client = Client()
    assert allowed("hk-cb-a", "2026-06-30") == (True, [])
    assert allowed("cn-cb-b", "2026-07-01") == (False, ["AFFILIATED"])

    requested = post(
        client, URL, {"to_organisation": "cn-cb-b", "effective": "2026-07-01"}, personas("staff_b")
    )
    assert requested.status_code == 201, requested.content
    transfer = requested.json()
    assert (transfer["status"], transfer["from_organisation"], transfer["to_organisation"]) == (
        "requested",
        "hk-cb-a",
        "cn-cb-b",
    )
    assert transfer["requested_by"] == "user:staff_b"
    assert [(h["who"], h["from"], h["to"]) for h in transfer["history"]] == [
        ("user:staff_b", None, "requested")
    ]
    # Nothing moves before the registrar decides.
    assert allowed("cn-cb-b", "2026-07-01") == (False, ["AFFILIATED"])

    reviewed = post(
        client,
        f"/api/v1/transfers/{transfer['id']}/review",
        {"action": "approve", "reason": "checked"},
        personas("registrar"),
    )
    assert reviewed.status_code == 200, reviewed.content
    body = reviewed.json()
    assert (body["status"], body["decided_by"], body["reason"]) == ("approved", "user:registrar", "checked")
    assert [(h["who"], h["from"], h["to"], h["reason"]) for h in body["history"]] == [
        ("user:staff_b", None, "requested", ""),
        ("user:registrar", "requested", "approved", "checked"),
    ]

    # The decision follows the affiliation from its effective date.
    assert allowed("hk-cb-a", "2026-06-30") == (True, [])
    assert allowed("hk-cb-a", "2026-07-01") == (False, ["AFFILIATED"])
    assert allowed("cn-cb-b", "2026-06-30") == (False, ["AFFILIATED"])
    assert allowed("cn-cb-b", "2026-07-01") == (True, [])

    # Number, grade, specialties and expiry unchanged; no new registration.
    kept = Inspector.objects.get(pk=NUMBER)
    assert (kept.pk, kept.grade, kept.specialties, kept.registered, kept.expires) == (
        NUMBER,
        "inspector",
        ["07", "0915"],
        D("2025-01-01"),
        D("2027-12-31"),
    )
    assert Inspector.objects.count() == 1
    assert list(
        Affiliation.objects.filter(inspector_id=NUMBER)
        .order_by("valid_from")
        .values_list("organisation_id", "valid_from", "valid_until")
    ) == [
        ("hk-cb-a", D("2025-01-01"), D("2026-06-30")),
        ("cn-cb-b", D("2026-07-01"), None),
    ]

    # The public record shows the whole career across both bodies.
    detail = client.get(f"/api/v1/inspectors/{NUMBER}").json()
    assert detail["affiliations"] == [
        {"organisation": "hk-cb-a", "from": "2025-01-01", "until": "2026-06-30"},
        {"organisation": "cn-cb-b", "from": "2026-07-01"},
    ]
    assert [(h["on"], h["event"], h["from"], h["to"]) for h in detail["history"]] == [
        ("2025-01-01", "registered", None, "inspector"),
        ("2025-01-01", "affiliated", None, "hk-cb-a"),
        ("2026-07-01", "transferred", "hk-cb-a", "cn-cb-b"),
    ]
    assert (detail["status"], detail["organisation"]) == ("active", "cn-cb-b")

    # The change log has the transition and the inspector's before and after.
    changes = Change.objects.filter(changeset__reason="checked").order_by("id")
    assert [(c.record_type, c.record_id, c.action) for c in changes] == [
        ("transfers", str(transfer["id"]), "transition"),
        ("inspectors", NUMBER, "update"),
    ]


@pytest.mark.parametrize(
    ("to", "effective", "failing"),
    [
        ("hk-lab", "2026-07-01", ["NOT_CERTIFICATION_BODY"]),
        ("hk-cb-a", "2026-07-01", ["ALREADY_AFFILIATED"]),
        ("cn-cb-b", "2028-01-01", ["REGISTRATION_NOT_VALID"]),
        ("cn-cb-b", "2024-12-31", ["REGISTRATION_NOT_VALID", "LATER_AFFILIATION"]),
        ("cn-cb-b", "2025-01-01", ["AFFILIATION_STARTS_ON_EFFECTIVE"]),
    ],
)
def test_transfer_refusals_change_nothing(
    inspector: Inspector, to: str, effective: str, failing: list[str]
) -> None:
    before = state()
    with pytest.raises(Refused) as refused:
        transfers.request_transfer(
            actor="test", inspector_id=NUMBER, to_organisation=to, effective=D(effective)
        )
    assert refused.value.failing == failing
    assert state() == before


def test_transfer_of_a_cancelled_registration_is_refused(inspector: Inspector) -> None:
    registration.change_status(
        actor="test",
        inspector_id=NUMBER,
        status="cancelled",
        on=D("2026-03-01"),
        reason="ceased to work as inspector",
    )
    before = state()
    with pytest.raises(Refused) as refused:
        transfers.request_transfer(
            actor="test", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2026-02-01")
        )
    assert refused.value.failing == ["REGISTRATION_CANCELLED"]
    assert "2026-03-01" in refused.value.reasons[0].message()
    assert state() == before


def test_every_failing_rule_is_listed_at_once(inspector: Inspector) -> None:
    before = state()
    with pytest.raises(Refused) as refused:
        transfers.request_transfer(
            actor="test", inspector_id=NUMBER, to_organisation="hk-lab", effective=D("2030-01-01")
        )
    assert refused.value.failing == ["NOT_CERTIFICATION_BODY", "REGISTRATION_NOT_VALID"]
    assert state() == before


def test_a_second_pending_transfer_is_refused(inspector: Inspector) -> None:
    first = transfers.request_transfer(
        actor="test", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2026-07-01")
    )
    before = state()
    with pytest.raises(Refused) as refused:
        transfers.request_transfer(
            actor="test", inspector_id=NUMBER, to_organisation="cn-cb-c", effective=D("2026-09-01")
        )
    assert refused.value.failing == ["TRANSFER_PENDING"]
    assert str(first.pk) in refused.value.reasons[0].message()
    assert state() == before
    # Once the first is decided another may be asked for.
    transfers.review_transfer(actor="test:registrar", transfer_id=first.pk, action="refuse", reason="no")
    transfers.request_transfer(
        actor="test", inspector_id=NUMBER, to_organisation="cn-cb-c", effective=D("2026-09-01")
    )


def test_refusal_by_the_registrar_changes_no_affiliation(inspector: Inspector) -> None:
    transfer = transfers.request_transfer(
        actor="test", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2026-07-01")
    )
    before = state()
    with pytest.raises(InvalidInput) as missing:
        transfers.review_transfer(
            actor="test:registrar", transfer_id=transfer.pk, action="refuse", reason=" "
        )
    assert missing.value.field == "reason"
    assert state() == before
    refused = transfers.review_transfer(
        actor="test:registrar", transfer_id=transfer.pk, action="refuse", reason="not employed by B"
    )
    assert (refused.status, refused.reason) == ("refused", "not employed by B")
    assert state()[0] == before[0]
    decided = state()
    with pytest.raises(Conflict):
        transfers.review_transfer(actor="test:registrar", transfer_id=transfer.pk, action="approve")
    assert state() == decided


def test_approval_rechecks_the_rules(inspector: Inspector) -> None:
    transfer = transfers.request_transfer(
        actor="test", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2026-07-01")
    )
    registration.change_status(
        actor="test", inspector_id=NUMBER, status="cancelled", on=D("2026-05-01"), reason="misconduct"
    )
    before = state()
    with pytest.raises(Refused) as refused:
        transfers.review_transfer(actor="test:registrar", transfer_id=transfer.pk, action="approve")
    assert refused.value.failing == ["REGISTRATION_CANCELLED"]
    assert state() == before
    assert Transfer.objects.get(pk=transfer.pk).status == "requested"


# --- the API ------------------------------------------------------------------------------------------


def test_api_order_of_errors_for_a_request(inspector: Inspector, personas: Callable[[str], Persona]) -> None:
    client = Client()
    good = {"to_organisation": "cn-cb-b", "effective": "2026-07-01"}
    before = state()
    cases = [
        (None, URL, good, 401, "NOT_AUTHENTICATED"),
        (personas("registrar"), URL, good, 403, "FORBIDDEN"),  # only applicants ask
        (personas("staff_c"), URL, good, 403, "FORBIDDEN"),  # an unrelated body's staff
        (personas("staff_a"), URL, good, 403, "FORBIDDEN"),  # the old body cannot ask for the new one
        (personas("staff_c"), "/api/v1/inspectors/nobody/transfers", good, 403, "FORBIDDEN"),
        (personas("staff_b"), "/api/v1/inspectors/nobody/transfers", good, 404, "NOT_FOUND"),
        (personas("staff_b"), URL, "{not json", 400, "BAD_REQUEST"),
        (personas("staff_b"), URL, {"to_organisation": "cn-cb-b", "effective": "1 July"}, 400, "BAD_REQUEST"),
        (personas("staff_b"), URL, {**good, "extra": 1}, 400, "BAD_REQUEST"),
        (personas("staff_b"), URL, {**good, "effective": "2029-01-01"}, 422, "REFUSED"),
    ]
    for who, url, body, status, code in cases:
        response = post(client, url, body, who)
        assert (response.status_code, response.json()["code"]) == (status, code), (who, body)
    assert state() == before
    refused = post(client, URL, {**good, "effective": "2029-01-01"}, personas("staff_b")).json()
    assert refused["failing"] == ["REGISTRATION_NOT_VALID"]
    assert refused["reasons"][0]["code"] == "REGISTRATION_NOT_VALID"


def test_api_new_body_not_a_certification_body_is_422(
    inspector: Inspector, personas: Callable[[str], Persona]
) -> None:
    response = post(
        Client(), URL, {"to_organisation": "hk-lab", "effective": "2026-07-01"}, personas("staff_lab")
    )
    assert (response.status_code, response.json()["failing"]) == (422, ["NOT_CERTIFICATION_BODY"])
    response = post(
        Client(), URL, {"to_organisation": "hk-cb-a", "effective": "2026-07-01"}, personas("staff_a")
    )
    assert (response.status_code, response.json()["failing"]) == (422, ["ALREADY_AFFILIATED"])


def test_api_review_order_of_errors(inspector: Inspector, personas: Callable[[str], Persona]) -> None:
    client = Client()
    transfer = transfers.request_transfer(
        actor="user:staff_b", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2026-07-01")
    )
    url = f"/api/v1/transfers/{transfer.pk}/review"
    approve = {"action": "approve", "reason": ""}
    before = state()
    cases = [
        (None, url, approve, 401),
        (personas("staff_b"), url, approve, 403),
        (personas("staff_c"), url, approve, 403),
        (personas("cnca"), url, approve, 403),
        (personas("registrar"), "/api/v1/transfers/999999/review", approve, 404),
        (personas("registrar"), "/api/v1/transfers/x1/review", approve, 404),
        (personas("registrar"), url, {"action": "maybe"}, 400),
        (personas("registrar"), url, {"action": "refuse"}, 400),  # a refusal needs a reason
    ]
    for who, path, body, status in cases:
        response = post(client, path, body, who)
        assert response.status_code == status, (who, path, body, response.content)
    assert state() == before
    assert post(client, url, approve, personas("registrar")).status_code == 200
    again = post(client, url, approve, personas("registrar"))
    assert (again.status_code, again.json()["code"]) == (409, "TRANSFER_DECIDED")


def test_get_transfer_is_scoped(inspector: Inspector, personas: Callable[[str], Persona]) -> None:
    client = Client()
    transfer = transfers.request_transfer(
        actor="user:staff_b", inspector_id=NUMBER, to_organisation="cn-cb-b", effective=D("2026-07-01")
    )
    url = f"/api/v1/transfers/{transfer.pk}"
    assert client.get(url).status_code == 401
    for name in ("registrar", "admin", "staff_a", "staff_b"):
        response = client.get(url, headers=personas(name).headers)
        assert response.status_code == 200, name
        assert (response.json()["status"], response.json()["history"][0]["to"]) == ("requested", "requested")
    assert client.get(url, headers=personas("staff_c").headers).status_code == 404
    assert client.get(url, headers=personas("cnca").headers).status_code == 403
    listed = client.get("/api/v1/transfers", headers=personas("staff_c").headers).json()
    assert listed["count"] == 0
    listed = client.get("/api/v1/transfers?status=requested", headers=personas("staff_a").headers).json()
    assert [t["id"] for t in listed["items"]] == [transfer.pk]


def test_transfer_query_budgets(
    inspector: Inspector, personas: Callable[[str], Persona], django_assert_max_num_queries: Any
) -> None:
    client = Client()
    registrar = personas("registrar").headers
    for effective, to in (("2026-03-01", "cn-cb-b"), ("2026-06-01", "cn-cb-c")):
        transfer = transfers.request_transfer(
            actor="test", inspector_id=NUMBER, to_organisation=to, effective=D(effective)
        )
        transfers.review_transfer(actor="test", transfer_id=transfer.pk, action="approve")
    # Token (1) + last use (≤1) + scope/count/ids/records/history.
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/transfers?limit=500", headers=registrar).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"/api/v1/transfers/{transfer.pk}", headers=registrar).status_code == 200
