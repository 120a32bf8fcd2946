"""Supporting documents (PDF uploads) and objections to approved applications."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.test import Client

from cepa.bodies.models import Designation, DesignationScope
from cepa.decisions.services import decide
from cepa.designation.models import Application, ApplicationDocument, Objection
from cepa.designation.tests.conftest import Clock, People
from cepa.designation.tests.helpers import PDF, error, get, post, upload
from cepa.designation.tests.test_transitions import application_in, snapshot
from cepa.history.models import Change

pytestmark = pytest.mark.django_db


# --- documents --------------------------------------------------------------------------------------------


def test_upload_list_and_download(api: Client, people: People, clock: Clock, media_root: Path) -> None:
    number = application_in(api, people, "draft")
    response = upload(api, number, people.delta, PDF, name="../../etc/report.pdf")
    assert response.status_code == 201, response.content
    digest = hashlib.sha256(PDF).hexdigest()
    document = response.json()
    assert (document["filename"], document["size"], document["sha256"], document["uploaded_by"]) == (
        "report.pdf",  # Django keeps only the base name
        len(PDF),
        digest,
        "delta",
    )
    stored = media_root / "designation" / "applications" / str(number) / f"{digest}.pdf"
    assert stored.read_bytes() == PDF
    listed = get(api, f"/applications/{number}/documents", people.delta).json()
    assert [d["id"] for d in listed] == [document["id"]]

    download = get(api, f"/applications/{number}/documents/{document['id']}", people.delta)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Checksum-SHA256"] == digest
    assert b"".join(download.streaming_content) == PDF


def test_documents_are_private_to_the_organisation_and_officers(
    api: Client, people: People, clock: Clock
) -> None:
    number = application_in(api, people, "submitted")
    document = upload(api, number, people.delta, PDF).json()["id"]
    path = f"/applications/{number}/documents/{document}"
    assert get(api, path, people.cnca).status_code == 200
    assert get(api, path, people.root).status_code == 200
    assert error(get(api, path, people.river))[:2] == (404, "NOT_FOUND")
    assert error(get(api, path))[:2] == (401, "NOT_AUTHENTICATED")
    assert error(get(api, f"/applications/{number}/documents/999999999", people.delta))[:2] == (
        404,
        "NOT_FOUND",
    )
    # Even once the application is public (approved), its documents are not.
    post(api, f"/applications/{number}/review", people.cnca, {"action": "start"})
    post(api, f"/applications/{number}/review", people.cnca, {"action": "approve"})
    assert get(api, f"/applications/{number}", people.river).json()["documents"] == []
    assert get(api, f"/applications/{number}/documents", people.river).json() == []


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        (b"GIF89a not a pdf", "application/pdf", (400, "BAD_REQUEST")),
        (PDF, "image/png", (400, "BAD_REQUEST")),
        (b"", "application/pdf", (400, "BAD_REQUEST")),
        (PDF + b"x" * 2048, "application/pdf", (413, "PAYLOAD_TOO_LARGE")),
    ],
)
def test_bad_uploads_store_nothing(
    api: Client,
    people: People,
    clock: Clock,
    settings: object,
    media_root: Path,
    data: bytes,
    content_type: str,
    expected: tuple[int, str],
) -> None:
    settings.CEPA_MAX_DOCUMENT_BYTES = 1024  # type: ignore[attr-defined]
    number = application_in(api, people, "draft")
    before = snapshot(number)
    assert error(upload(api, number, people.delta, data, content_type=content_type))[:2] == expected
    assert ApplicationDocument.objects.count() == 0
    assert not (media_root / "designation").exists()
    assert snapshot(number) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Starts like a PDF, but is not one (accepted before issue 12, finding 13).
        (b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "is not a PDF that can be read"),
        (b"%PDF-1.7\n" + b"<script>alert(1)</script>" * 20, "is not a PDF that can be read"),
        (PDF[: len(PDF) // 2], "is not a PDF that can be read"),  # a real PDF cut in half
    ],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(
    api: Client, people: People, clock: Clock, media_root: Path, data: bytes, message: str
) -> None:
    number = application_in(api, people, "draft")
    before = snapshot(number)
    response = upload(api, number, people.delta, data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "BAD_REQUEST"
    assert [e["field"] for e in body["errors"]] == ["file"]
    assert body["errors"][0]["message"].startswith(message), body
    assert ApplicationDocument.objects.count() == 0
    assert not (media_root / "designation").exists()
    assert snapshot(number) == before
    # The same application takes a real PDF.
    assert upload(api, number, people.delta, PDF).status_code == 201


def test_upload_refusals(api: Client, people: People, clock: Clock) -> None:
    number = application_in(api, people, "under_review")
    # Another organisation's application in review is not the user's to see: 404 (issue 12, finding 11).
    assert error(upload(api, number, people.river, PDF))[:2] == (404, "NOT_FOUND")
    assert error(upload(api, number, people.cnca, PDF))[:2] == (403, "FORBIDDEN")
    assert error(upload(api, 999999999, people.delta, PDF))[:2] == (404, "NOT_FOUND")
    assert error(upload(api, number, people.delta, PDF))[:2] == (409, "CONFLICT")
    not_multipart = post(api, f"/applications/{number}/documents", people.delta, {"file": "x"})
    assert error(not_multipart)[:2] == (400, "BAD_REQUEST")
    assert ApplicationDocument.objects.count() == 0


# --- objections -------------------------------------------------------------------------------------------


def approved(api: Client, people: People, clock: Clock) -> int:
    clock.set("2026-09-24T16:00:00+08:00")
    number = application_in(api, people, "approved")
    record = Application.objects.get(pk=number)
    assert (str(record.objection_period_ends), str(record.designation_from)) == ("2026-10-22", "2026-09-24")
    return number


def test_an_upheld_objection_ends_the_designation_the_day_before(
    api: Client, people: People, clock: Clock
) -> None:
    number = approved(api, people, clock)
    designation = f"CNCA-APPLICATION-{number}"
    assert decide("testing", subject="cn-lab-delta", product_type="0701", on="2026-09-23").failing == [
        "DESIGNATED"
    ]
    assert decide("testing", subject="cn-lab-delta", product_type="0701", on="2026-09-24").failing == []
    clock.set("2026-10-22T23:59:00+08:00")  # the last day of the period
    # An officer lodges one on behalf of a member of the public.
    lodged = post(
        api,
        f"/applications/{number}/objections",
        people.cnca,
        {"grounds": "Conflict of interest", "on_behalf_of": "Mr Lee"},
    )
    assert lodged.status_code == 201, lodged.content
    objection = lodged.json()["id"]
    assert (lodged.json()["status"], lodged.json()["on_behalf_of"], lodged.json()["lodged_by"]) == (
        "pending",
        "Mr Lee",
        "cnca",
    )
    clock.set("2026-10-26T10:00:00+08:00")
    upheld = post(
        api, f"/objections/{objection}/review", people.cnca, {"action": "uphold", "reason": "founded"}
    )
    assert upheld.status_code == 200, upheld.content
    assert [(h["from"], h["to"]) for h in upheld.json()["history"]] == [
        (None, "pending"),
        ("pending", "upheld"),
    ]

    # In force from the day of approval through the day before the objection was upheld.
    stored = Designation.objects.get(pk=designation)
    assert (str(stored.valid_from), str(stored.valid_until)) == ("2026-09-24", "2026-10-25")
    assert get(api, f"/designations/{designation}").json()["until"] == "2026-10-25"
    assert decide("testing", subject="cn-lab-delta", product_type="0701", on="2026-10-25").failing == []
    refused = decide("testing", subject="cn-lab-delta", product_type="0701", on="2026-10-26")
    assert refused.failing == ["DESIGNATED"]
    record = get(api, f"/applications/{number}", people.delta).json()
    assert (record["status"], record["designation"], record["designation_cancelled"]) == (
        "approved",
        designation,
        "2026-10-26T10:00:00+08:00",
    )
    assert record["history"][-1]["event"] == "objection_upheld"
    assert record["history"][-1]["reason"] == (
        f"objection {objection} upheld: founded; designation {designation} ends on 2026-10-25: "
        "the objection was upheld on 2026-10-26"
    )
    changes = Change.objects.filter(record_id=designation).values_list("action", "before", "after")
    assert [(action, (after or {}).get("until")) for action, _before, after in changes] == [
        ("create", None),
        ("update", "2026-10-25"),
    ]
    assert "designation CNCA-APPLICATION-" in Change.objects.last().changeset.reason  # type: ignore[union-attr]
    # Decided once; and the ended designation takes no more objections.
    again = post(api, f"/objections/{objection}/review", people.cnca, {"action": "dismiss", "reason": "x"})
    assert error(again)[:2] == (409, "CONFLICT")
    clock.set("2026-10-20T10:00:00+08:00")
    assert error(post(api, f"/applications/{number}/objections", people.river, {"grounds": "x"}))[:2] == (
        409,
        "CONFLICT",
    )


def test_an_earlier_until_stays(api: Client, people: People, clock: Clock) -> None:
    number = approved(api, people, clock)
    designation = f"CNCA-APPLICATION-{number}"
    Designation.objects.filter(pk=designation).update(valid_until="2026-10-01")
    clock.set("2026-10-09T10:00:00+08:00")
    objection = post(api, f"/applications/{number}/objections", people.river, {"grounds": "x"}).json()["id"]
    upheld = post(api, f"/objections/{objection}/review", people.cnca, {"action": "uphold", "reason": "y"})
    assert upheld.status_code == 200, upheld.content
    assert str(Designation.objects.get(pk=designation).valid_until) == "2026-10-01"
    assert "already ended on 2026-10-01" in get(api, f"/applications/{number}", people.delta).json()[
        "history"
    ][-1]["reason"]


def test_an_objection_upheld_on_the_day_of_approval_removes_the_designation(
    api: Client, people: People, clock: Clock
) -> None:
    number = approved(api, people, clock)
    designation = f"CNCA-APPLICATION-{number}"
    clock.set("2026-09-24T16:30:00+08:00")
    objection = post(api, f"/applications/{number}/objections", people.river, {"grounds": "x"}).json()["id"]
    clock.set("2026-09-24T23:59:00+08:00")  # still the day of approval in Beijing
    upheld = post(
        api, f"/objections/{objection}/review", people.cnca, {"action": "uphold", "reason": "founded"}
    )
    assert upheld.status_code == 200, upheld.content
    assert not Designation.objects.filter(pk=designation).exists()
    assert not DesignationScope.objects.filter(designation_id=designation).exists()
    assert decide("testing", subject="cn-lab-delta", product_type="0701", on="2026-09-24").failing == [
        "DESIGNATED"
    ]
    record = get(api, f"/applications/{number}", people.delta).json()
    assert (record["designation"], record["designation_cancelled"], record["designation_from"]) == (
        None,
        "2026-09-24T23:59:00+08:00",
        "2026-09-24",
    )
    assert record["history"][-1]["reason"] == (
        f"objection {objection} upheld: founded; designation {designation} removed: the objection was "
        "upheld on the day of approval (2026-09-24)"
    )
    assert list(Change.objects.filter(record_id=designation).values_list("action", flat=True)) == [
        "create",
        "delete",
    ]


def test_objection_refusals_change_nothing(api: Client, people: People, clock: Clock) -> None:
    number = approved(api, people, clock)
    draft = application_in(api, people, "under_review")
    assert error(post(api, f"/applications/{number}/objections", None, {"grounds": "x"}))[:2] == (
        401,
        "NOT_AUTHENTICATED",
    )
    # Another organisation's application that is not public: no such record for them.
    assert error(post(api, f"/applications/{draft}/objections", people.river, {"grounds": "x"}))[:2] == (
        404,
        "NOT_FOUND",
    )
    assert error(post(api, f"/applications/{draft}/objections", people.cnca, {"grounds": "x"}))[:2] == (
        409,
        "CONFLICT",
    )
    assert error(post(api, f"/applications/{number}/objections", people.river, {"grounds": " "}))[:2] == (
        400,
        "BAD_REQUEST",
    )
    clock.set("2026-10-23T00:00:00+08:00")
    assert error(post(api, f"/applications/{number}/objections", people.river, {"grounds": "late"})) == (
        422,
        "OBJECTION_PERIOD_ENDED",
        ["OBJECTION_PERIOD_ENDED"],
    )
    assert Objection.objects.count() == 0


def test_objection_review_refusals(api: Client, people: People, clock: Clock) -> None:
    number = approved(api, people, clock)
    clock.set("2026-10-02T10:00:00+08:00")
    objection = post(api, f"/applications/{number}/objections", people.river, {"grounds": "x"}).json()["id"]
    path = f"/objections/{objection}/review"
    assert error(post(api, path, people.delta, {"action": "uphold", "reason": "x"}))[:2] == (403, "FORBIDDEN")
    assert error(post(api, path, people.root, {"action": "uphold", "reason": "x"}))[:2] == (403, "FORBIDDEN")
    assert error(post(api, "/objections/999999999/review", people.cnca, "{"))[:2] == (404, "NOT_FOUND")
    assert error(post(api, path, people.cnca, {"action": "uphold"}))[:2] == (400, "BAD_REQUEST")
    assert Objection.objects.get().status == "pending"
    assert Designation.objects.filter(pk=f"CNCA-APPLICATION-{number}").exists()
    # Who sees the objection: officers, the applicant's organisation, whoever lodged it.
    assert get(api, f"/objections/{objection}", people.river).status_code == 200
    assert get(api, f"/objections/{objection}", people.delta).status_code == 200
    assert get(api, f"/objections/{objection}", people.hkas).status_code == 200
    assert get(api, f"/objections/{objection}", people.east).status_code == 404
    assert get(api, f"/applications/{number}", people.east).json()["objections"] == []
    assert get(api, f"/applications/{number}").status_code == 200  # published for objections
