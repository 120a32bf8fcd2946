"""The filings API of contract §4: who may file and review, the checks' order, what acceptance does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from cepa.bodies.models import Agreement
from cepa.decisions.services import decide
from cepa.errors import InvalidInput
from cepa.filings.models import AgreementFiling, FilingStatus
from cepa.filings.services import submission
from cepa.filings.tests.conftest import People
from cepa.filings.tests.helpers import agreement, post, today
from cepa.history.models import Change, ChangeSet
from cepa.interchange.services import export_document
from cepa.reminders.models import Reminder

pytestmark = pytest.mark.django_db

FILINGS = "/api/v1/agreements/filings"
DAY = dt.timedelta(days=1)


def body(**changes: Any) -> dict[str, Any]:
    start = today() - 30 * DAY
    filing = {
        "kind": "testing",
        "party": "hk-lab-a",
        "counterparty": "cn-cb-x",
        "product_types": ["0701", "0702"],
        "from": start.isoformat(),
        "until": (today() + 3 * 365 * DAY).isoformat(),
    }
    filing.update(changes)
    return filing


def state() -> tuple[Any, ...]:
    """Everything a refused request must leave as it was."""
    return (
        list(
            AgreementFiling.objects.values_list(
                "id", "status", "accepted_on", "returned_reason", "terminated_on"
            )
        ),
        list(Agreement.objects.values_list("id", "valid_from", "valid_until", "terminated_on")),
        ChangeSet.objects.count(),
        Reminder.objects.count(),
    )


def file(client: Client, people: People, **changes: Any) -> str:
    response = post(client, FILINGS, body(**changes), people.lab.headers)
    assert response.status_code == 201, response.json()
    return str(response.json()["id"])


def review(client: Client, who: Any, filing_id: str, action: str, reason: str = "") -> Any:
    headers = who.headers if who else {}
    return post(client, f"{FILINGS}/{filing_id}/review", {"action": action, "reason": reason}, headers)


# --- filing --------------------------------------------------------------------------------------


def test_a_filing_is_refused_with_the_product_types_the_counterparty_is_not_designated_for(
    client: Client, people: People
) -> None:
    before = state()

    # 0701: designated open-ended; 0915: only until 2026-12-31, the range runs on; 2301: never.
    response = post(client, FILINGS, body(product_types=["2301", "0701", "0915"]), people.lab.headers)

    assert response.status_code == 422
    assert response.json() == {
        "code": "COUNTERPARTY_NOT_DESIGNATED",
        "message": response.json()["message"],
        "failing": ["0915", "2301"],
        "product_types": ["0915", "2301"],
    }
    assert "0915, 2301" in response.json()["message"]
    assert state() == before


def test_a_filing_within_the_counterpartys_designation_is_filed_with_its_history(
    client: Client, people: People
) -> None:
    start = today() - 30 * DAY
    response = post(client, FILINGS, body(product_types=["0702", "0701"]), people.lab.headers)

    assert response.status_code == 201
    found = response.json()
    assert found["id"] == f"AGF-{today().year}-0001"
    assert {
        key: found[key] for key in ("kind", "party", "counterparty", "product_types", "from", "status")
    } == {
        "kind": "testing",
        "party": "hk-lab-a",
        "counterparty": "cn-cb-x",
        "product_types": ["0701", "0702"],
        "from": start.isoformat(),
        "status": "filed",
    }
    assert found["accepted_on"] is None and found["agreement"] is None and found["in_force_from"] is None
    assert [(h["who"], h["from"], h["to"]) for h in found["history"]] == [("lab", None, "filed")]
    # Not in the registry, not exported, not used by decisions.
    assert not Agreement.objects.filter(pk=found["id"]).exists()
    assert found["id"] not in {a["id"] for a in export_document().get("agreements", [])}
    assert decide("testing", subject="hk-lab-a", product_type="0701", on=today()).allowed is False
    assert Change.objects.filter(record_type="agreement_filings", record_id=found["id"]).count() == 1


@pytest.mark.parametrize(
    ("start", "procedure"),
    [("2025-02-28", "approval"), ("2025-03-01", "filing")],
)
def test_the_record_says_which_cnca_procedure_applies_for_the_agreements_date(
    client: Client, people: People, start: str, procedure: str
) -> None:
    filing_id = file(client, people, **{"from": start})
    assert client.get(f"{FILINGS}/{filing_id}", headers=people.lab.headers).json()["procedure"] == procedure
    listed = client.get(FILINGS, headers=people.lab.headers).json()["items"]
    assert [(f["id"], f["procedure"]) for f in listed] == [(filing_id, procedure)]


def test_a_designation_within_part_of_the_range_fails_and_one_covering_it_passes(
    client: Client, people: People
) -> None:
    ends_2026 = body(product_types=["0915"], until="2026-12-31", **{"from": "2026-01-01"})
    assert post(client, FILINGS, ends_2026, people.lab.headers).status_code == 201
    open_ended = body(product_types=["0915"], until=None)
    refused = post(client, FILINGS, open_ended, people.lab.headers)
    assert refused.status_code == 422
    assert refused.json()["failing"] == ["0915"]


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        (None, 401, "NOT_AUTHENTICATED"),
        ("cb", 403, "FORBIDDEN"),
        ("partner", 403, "FORBIDDEN"),
        ("cnca", 403, "FORBIDDEN"),
        ("admin", 403, "FORBIDDEN"),
    ],
)
def test_only_an_applicant_of_the_party_files(
    client: Client, people: People, who: str | None, status: int, code: str
) -> None:
    headers = getattr(people, who).headers if who else {}
    before = state()

    response = post(client, FILINGS, body(), headers)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert state() == before


def test_filing_checks_run_in_the_contracts_order(client: Client, people: People) -> None:
    before = state()
    # The wrong organisation's applicant is refused before the malformed rest of the body is judged.
    assert post(client, FILINGS, {"party": "hk-cb-b", "kind": 7}, people.lab.headers).status_code == 403
    malformed = post(client, FILINGS, body(kind="calibration", product_types=["07"]), people.lab.headers)
    assert malformed.status_code == 400
    assert {e["field"] for e in malformed.json()["errors"]} == {"kind", "product_types.0"}
    assert post(client, FILINGS, "{not json", people.lab.headers).status_code == 400
    unknown = post(client, FILINGS, body(counterparty="cn-nobody"), people.lab.headers)
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == [
        {"field": "counterparty", "message": "no organisation with id 'cn-nobody'"}
    ]
    backwards = post(client, FILINGS, body(until="2020-01-01"), people.lab.headers)
    assert (backwards.status_code, backwards.json()["errors"][0]["field"]) == (400, "until")
    assert post(client, FILINGS, body(product_types=["0701", "0701"]), people.lab.headers).status_code == 400
    assert post(client, FILINGS, body(product_types=["9999"]), people.lab.headers).status_code == 400
    assert post(client, FILINGS, body(extra=1), people.lab.headers).status_code == 400
    assert state() == before


def test_the_party_must_be_a_hong_kong_body_of_the_agreements_kind(client: Client, people: People) -> None:
    before = state()
    response = post(client, FILINGS, body(kind="factory_inspection"), people.lab.headers)
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["failing"]) == (
        "PARTY_NOT_ELIGIBLE",
        ["PARTY_NOT_ELIGIBLE"],
    )
    assert state() == before
    inspection = post(client, FILINGS, body(kind="factory_inspection", party="hk-cb-b"), people.cb.headers)
    assert inspection.status_code == 201


# --- review --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "lab", "partner", "hkas", "ccaa", "admin"])
def test_only_a_cnca_officer_reviews(client: Client, people: People, who: str | None) -> None:
    filing_id = file(client, people)
    before = state()
    for action in ("accept", "return"):
        response = review(client, getattr(people, who) if who else None, filing_id, action, "no")
        assert response.status_code == (401 if who is None else 403)
    assert state() == before
    assert AgreementFiling.objects.get(pk=filing_id).status == FilingStatus.FILED


def test_review_checks_run_in_the_contracts_order(client: Client, people: People) -> None:
    filing_id = file(client, people)
    before = state()
    assert review(client, people.lab, "AGF-1900-0001", "accept").status_code == 403  # role before record
    assert review(client, people.cnca, "AGF-1900-0001", "accept").status_code == 404
    assert review(client, people.cnca, filing_id, "approve").status_code == 400
    no_reason = review(client, people.cnca, filing_id, "return", "  ")
    assert (no_reason.status_code, no_reason.json()["errors"][0]["field"]) == (400, "reason")
    assert state() == before


def test_accept_twice_or_return_an_accepted_filing_is_a_conflict(client: Client, people: People) -> None:
    filing_id = file(client, people)
    assert review(client, people.cnca, filing_id, "accept").status_code == 200
    before = state()

    again = review(client, people.cnca, filing_id, "accept")
    returned = review(client, people.cnca, filing_id, "return", "late")

    assert (again.status_code, again.json()["code"]) == (409, "CONFLICT")
    assert returned.status_code == 409
    assert state() == before


def test_an_accepted_filing_is_in_force_from_the_day_of_acceptance_within_its_range(
    client: Client, people: People
) -> None:
    until = today() + 400 * DAY
    filing_id = file(client, people, until=until.isoformat())
    assert decide("testing", subject="hk-lab-a", product_type="0701", on=today()).allowed is False

    response = review(client, people.cnca, filing_id, "accept", "in order")

    assert response.status_code == 200
    found = response.json()
    assert (found["status"], found["accepted_on"], found["in_force_from"], found["agreement"]) == (
        "accepted",
        today().isoformat(),
        today().isoformat(),
        filing_id,
    )
    assert [(h["who"], h["from"], h["to"], h["reason"]) for h in found["history"]][1:] == [
        ("cnca", "filed", "accepted", "in order")
    ]

    def allowed(day: dt.date) -> bool:
        return decide("testing", subject="hk-lab-a", product_type="0701", on=day).allowed

    assert [allowed(today() - DAY), allowed(today()), allowed(until), allowed(until + DAY)] == [
        False,
        True,
        True,
        False,
    ]
    in_force = decide("testing", subject="hk-lab-a", product_type="0701", on=today()).reasons
    assert [r.refs for r in in_force if r.code == "AGREEMENT_IN_FORCE"] == [(filing_id, "cn-cb-x")]
    # The registry holds an ordinary agreement (same shape in the export), with its history.
    exported = [a for a in export_document()["agreements"] if a["id"] == filing_id]
    assert exported == [
        {
            "id": filing_id,
            "kind": "testing",
            "party": "hk-lab-a",
            "counterparty": "cn-cb-x",
            "product_types": ["0701", "0702"],
            "from": today().isoformat(),
            "until": until.isoformat(),
            "source": f"CNCA agreement filing {filing_id}, accepted {today().isoformat()}",
        }
    ]
    assert Change.objects.get(record_type="agreements", record_id=filing_id).action == "create"
    assert client.get(f"/api/v1/agreements/{filing_id}").json()["from"] == today().isoformat()
    # The party's staff hear of it through a reminder row.
    assert Reminder.objects.get(kind="filing_reviewed").organisation_id == "hk-lab-a"


def test_a_filing_accepted_before_its_range_begins_is_in_force_from_its_from(
    client: Client, people: People
) -> None:
    start = today() + 10 * DAY
    filing_id = file(client, people, **{"from": start.isoformat()})
    assert review(client, people.cnca, filing_id, "accept").json()["in_force_from"] == start.isoformat()
    on = [
        decide("testing", subject="hk-lab-a", product_type="0702", on=d).allowed for d in (start - DAY, start)
    ]
    assert on == [False, True]


def test_a_returned_filing_keeps_its_reason_and_never_reaches_the_registry(
    client: Client, people: People
) -> None:
    filing_id = file(client, people)
    response = review(client, people.cnca, filing_id, "return", "the signed copy is missing")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["returned_reason"]) == (
        "returned",
        "the signed copy is missing",
    )
    assert not Agreement.objects.filter(pk=filing_id).exists()
    assert decide("testing", subject="hk-lab-a", product_type="0701", on=today()).allowed is False


def test_a_filing_whose_range_has_ended_cannot_be_accepted(client: Client, people: People) -> None:
    filing_id = file(client, people, **{"from": "2024-01-01", "until": "2025-12-31"})
    before = state()
    response = review(client, people.cnca, filing_id, "accept")
    assert (response.status_code, response.json()["failing"]) == (422, ["RANGE_ENDED"])
    assert state() == before


# --- termination ---------------------------------------------------------------------------------


def test_termination_ends_the_agreement_from_its_day(client: Client, people: People) -> None:
    filing_id = file(client, people)
    review(client, people.cnca, filing_id, "accept")
    ends = today() + 30 * DAY
    path = f"{FILINGS}/{filing_id}/terminate"
    before = state()
    # An applicant of neither organisation may not see the filing: 404, as for no such filing.
    assert post(client, path, {"on": ends.isoformat()}, people.cb.headers).status_code == 404
    assert post(client, path, {"on": "1999-01-01"}, people.partner.headers).status_code == 422
    assert post(client, path, {"when": "x"}, people.partner.headers).status_code == 400
    assert state() == before

    response = post(
        client, path, {"on": ends.isoformat(), "reason": "ended by consent"}, people.partner.headers
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["terminated_on"]) == ("terminated", ends.isoformat())
    assert Agreement.objects.get(pk=filing_id).terminated_on == ends
    on = [
        decide("testing", subject="hk-lab-a", product_type="0701", on=d).allowed for d in (ends - DAY, ends)
    ]
    assert on == [True, False]
    assert [a.get("terminated_on") for a in export_document()["agreements"] if a["id"] == filing_id] == [
        ends.isoformat()
    ]
    assert post(client, path, {"on": ends.isoformat()}, people.cnca.headers).status_code == 409


# --- reading -------------------------------------------------------------------------------------


def test_a_filing_is_seen_by_its_two_organisations_and_the_authorities(
    client: Client, people: People
) -> None:
    filing_id = file(client, people)
    path = f"{FILINGS}/{filing_id}"
    seen = {
        name: client.get(path, headers=getattr(people, name).headers).status_code
        for name in ("lab", "partner", "cb", "cnca", "hkas", "ccaa", "admin")
    }
    assert seen == {
        "lab": 200,
        "partner": 200,
        "cb": 404,  # not 403: a filing the user may not see answers as a missing one (issue 12, 11)
        "cnca": 200,
        "hkas": 200,
        "ccaa": 200,
        "admin": 200,
    }
    assert client.get(path).status_code == 401
    assert client.get(f"{FILINGS}/AGF-1900-0001", headers=people.lab.headers).status_code == 404
    assert client.get(FILINGS, headers=people.cb.headers).json()["count"] == 0
    assert [f["id"] for f in client.get(FILINGS, headers=people.partner.headers).json()["items"]] == [
        filing_id
    ]


def test_filings_do_not_shadow_the_registrys_agreements(client: Client, people: People) -> None:
    agreement("AG-0001", "hk-lab-a", "cn-cb-x", ["0701"], today(), None)
    assert client.get("/api/v1/agreements/AG-0001").json()["id"] == "AG-0001"
    listed = client.get(FILINGS, headers=people.cnca.headers)
    assert (listed.status_code, listed.json()["count"]) == (200, 0)
    assert client.get(FILINGS).status_code == 401  # the filings' list, not an agreement called "filings"


def test_list_and_detail_stay_within_their_query_budgets(
    client: Client, people: People, django_assert_max_num_queries: Any
) -> None:
    ids = [file(client, people) for _ in range(5)]
    for filing_id in ids[:3]:
        review(client, people.cnca, filing_id, "accept")
    with django_assert_max_num_queries(6):
        listed = client.get(FILINGS, headers=people.cnca.headers)
    assert listed.json()["count"] == 5
    assert [len(item["history"]) for item in listed.json()["items"]] == [2, 2, 2, 1, 1]
    with django_assert_max_num_queries(5):
        detail = client.get(f"{FILINGS}/{ids[0]}", headers=people.lab.headers)
    assert detail.status_code == 200


def test_ids_no_database_could_hold_are_simply_unknown(client: Client, people: People) -> None:
    # A NUL in the path is refused before any view runs: 400, as every path and query value with one
    # (issue 12, finding 9; it was 404 here, a server error elsewhere on PostgreSQL).
    assert client.get(f"{FILINGS}/AGF%00", headers=people.cnca.headers).status_code == 400
    assert review(client, people.cnca, "AGF%00", "accept").status_code == 400
    assert post(client, FILINGS, body(counterparty="cn\x00"), people.lab.headers).status_code == 400
    with pytest.raises(InvalidInput):
        submission.file_agreement(
            actor="test",
            kind="testing",
            party="hk-lab-a",
            counterparty="cn\x00",
            product_types=["0701"],
            valid_from=today(),
            valid_until=None,
        )


def test_refusals_name_no_organisation_and_hidden_filings_answer_as_missing(
    client: Client, people: People
) -> None:
    """Issue 12, finding 11: a refusal never says which organisation the caller acts for or which owns
    a record, and a filing the caller may not see answers exactly as a missing one."""
    filing_id = file(client, people)
    before = state()
    refused = post(client, FILINGS, body(party="hk-cb-b"), people.lab.headers)
    assert (refused.status_code, refused.json()) == (
        403,
        {"code": "FORBIDDEN", "message": "you may file agreements only for the organisation you act for"},
    )
    hidden = client.get(f"{FILINGS}/{filing_id}", headers=people.cb.headers)
    missing = client.get(f"{FILINGS}/AGF-1900-0001", headers=people.cb.headers)
    assert (hidden.status_code, hidden.json()) == (
        404,
        {"code": "NOT_FOUND", "message": f"no agreement filing with id {filing_id!r}"},
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "NOT_FOUND")
    assert state() == before
