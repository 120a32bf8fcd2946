"""The applicant portal's designation pages: expressions of interest and applications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.designation.models import Application, ApplicationDocument, ExpressionOfInterest
from cepa.history.models import Change
from cepa.rules.facts import BEIJING
from cepa.testing import factories
from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=BEIJING)
PDF = factories.pdf()  # a real PDF: one that merely starts with %PDF- is refused


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with mock.patch("cepa.designation.clock.now", return_value=NOW):
        yield


def create(client: Client, *codes: str, other: str = "") -> Application:
    response = client.post("/portal/applications/new/", {"suggested": list(codes), "other": other})
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.order_by("-id").first()
    assert application is not None
    assert response["Location"] == f"/portal/applications/{application.pk}/"
    return application


# --- expressions of interest ----------------------------------------------------------------------


def test_expression_of_interest_page_shows_the_deadline_and_earlier_ones(client: Client) -> None:
    signed_in(client, "pearl")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portal/expressions-of-interest/")
    assert response.status_code == 200
    assert len(queries) <= 20
    html = response.content.decode()
    assert "Expressions of interest for 2027 close at the end of 31 March 2027, 23:59 Beijing time." in html
    assert 'value="2027"' in html
    assert "EOI-2026-0008" in html and "EOI-2025-0031" in html
    assert "EOI-2026-0019" not in html  # another organisation's


def test_expression_of_interest_is_recorded_and_the_page_redirects(client: Client) -> None:
    signed_in(client, "pearl")
    data = {"year": "2027", "product_types": "2401，0915 2401"}
    response = client.post("/portal/expressions-of-interest/", data)
    assert response.status_code == 302
    assert response["Location"] == "/portal/expressions-of-interest/"
    created = ExpressionOfInterest.objects.get(organisation_id="cn-lab-pearl-delta", year=2027)
    assert created.product_types == ["0915", "2401"]
    assert created.submitted == NOW
    html = client.get(response["Location"]).content.decode()
    assert f"Expression of interest {created.pk} sent for 2027." in html


def test_expression_of_interest_after_the_deadline_is_refused_with_the_reason(client: Client) -> None:
    signed_in(client, "pearl")
    before = ExpressionOfInterest.objects.count()
    response = client.post("/portal/expressions-of-interest/", {"year": "2026", "product_types": "0915"})
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        "Expressions of interest for 2026 closed at the end of 31 March 2026 (Beijing time). "
        "You can still express interest in the 2027 plans."
    ) in html
    assert '<a href="#id_year">' in html
    assert 'value="0915"' in html  # what was typed stays
    assert ExpressionOfInterest.objects.count() == before


def test_expression_of_interest_refusal_in_chinese(client: Client) -> None:
    signed_in(client, "pearl", "zh-hant")
    response = client.post("/portal/expressions-of-interest/", {"year": "2026", "product_types": "0915"})
    assert response.status_code == 422
    assert "2026年的意向已於2026年3月31日（北京時間）結束接收" in response.content.decode()


@pytest.mark.parametrize(
    "data,field,message",
    [
        (
            {"year": "", "product_types": "0915"},
            "year",
            "Enter the year of the designation plans, such as 2027.",
        ),
        ({"year": "27", "product_types": "0915"}, "year", "Enter the year as 4 digits, such as 2027."),
        (
            {"year": "2027", "product_types": ""},
            "product_types",
            "Choose at least one product type, or type its code.",
        ),
        (
            {"year": "2027", "product_types": "09"},
            "product_types",
            "“09” is not a product type code: codes have 4 digits, such as 0914.",
        ),
        ({"year": "2027", "product_types": "9999"}, "product_types", "No product type has the code 9999."),
    ],
)
def test_expression_of_interest_form_errors_link_to_the_field(
    client: Client, data: dict[str, str], field: str, message: str
) -> None:
    signed_in(client, "pearl")
    response = client.post("/portal/expressions-of-interest/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<li><a href="#id_{field}">{message}</a></li>' in html
    assert f'<p class="field-error" id="id_{field}-error">' in html
    assert ExpressionOfInterest.objects.filter(year=2027).count() == 1  # only the demo's


def test_a_hong_kong_body_may_not_express_interest(client: Client) -> None:
    signed_in(client, "harbour")
    response = client.post("/portal/expressions-of-interest/", {"year": "2027", "product_types": "0915"})
    assert response.status_code == 403
    assert "Your account may not do this for this record. Nothing was changed." in response.content.decode()
    assert not ExpressionOfInterest.objects.filter(organisation_id="hk-lab-harbourview").exists()


# --- applications ---------------------------------------------------------------------------------


def test_new_application_offers_plan_and_routine_product_types(client: Client) -> None:
    signed_in(client, "pearl")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portal/applications/new/")
    assert response.status_code == 200
    assert len(queries) <= 20
    html = response.content.decode()
    assert 'id="plan-0915"' in html  # plan 2026-3 (laboratories)
    assert 'id="routine-0701"' in html  # routine designation
    assert 'id="plan-2401"' in html  # plan 2027-1, not yet open
    assert 'id="plan-2306"' not in html  # 2027-2 is for certification bodies


def test_apply_within_a_plan_window_and_submit(client: Client) -> None:
    signed_in(client, "pearl")
    application = create(client, "0914", "0915")
    assert (application.status, application.route, application.plan_id) == ("draft", "plan", "2026-3")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/portal/applications/{application.pk}/")
    assert len(queries) <= 20
    html = response.content.decode()
    assert f"Draft application {application.pk} created." in html
    assert "Ready to submit" in html
    assert "Add your supporting documents, then submit the application." in html
    assert html.count('<li class="holds">') == 6  # three conditions for each product type

    response = client.post(f"/portal/applications/{application.pk}/submit/", {"confirmed": "yes"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.submitted == NOW
    html = client.get(response["Location"]).content.decode()
    assert f"Application {application.pk} submitted to CNCA." in html
    assert "Nothing to do now: CNCA will start reviewing your application." in html
    assert "Status changed from Draft to Submitted" in html


def test_submit_outside_the_window_shows_the_reasons_and_changes_nothing(client: Client) -> None:
    signed_in(client, "bohai")
    application = create(client, other="2401")
    assert (application.route, application.plan_id) == ("plan", "2027-1")
    changes = Change.objects.count()
    response = client.post(f"/portal/applications/{application.pk}/submit/", {"confirmed": "yes"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "The rules do not allow this now. Nothing was changed: see the reasons below." in html
    assert '<a href="#can-submit">' in html
    assert "<details open><summary>Why was this refused?</summary>" in html
    assert html.count('<li class="fails">') == 1  # the window (the expression of interest is there)
    assert "WINDOW_OPEN" in html
    application.refresh_from_db()
    assert application.status == "draft"
    assert Change.objects.count() == changes


def test_submit_refusal_reasons_in_simplified_chinese(client: Client) -> None:
    signed_in(client, "bohai")
    application = create(client, other="2401")
    signed_in(client, "bohai", "zh-hans")
    response = client.post(f"/portal/applications/{application.pk}/submit/", {"confirmed": "yes"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "规则现时不容许此操作。没有作出任何更改：请参阅下列原因。" in html
    assert "计划2027-1的申请期" in html  # the engine's message in Simplified Chinese


def test_mixed_routes_are_refused_with_each_product_types_route(client: Client) -> None:
    signed_in(client, "pearl")
    before = Application.objects.count()
    response = client.post("/portal/applications/new/", {"suggested": ["0701", "0915"]})
    assert response.status_code == 422
    html = response.content.decode()
    assert "These product types take different routes to designation." in html
    assert "Routine designation (any time)" in html and "Designation plan 2026-3" in html
    assert 'id="routine-0701" checked' in html  # the ticks stay
    assert Application.objects.count() == before


def test_a_hong_kong_body_cannot_apply_and_sees_why(client: Client) -> None:
    signed_in(client, "harbour")
    response = client.post("/portal/applications/new/", {"other": "0915"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "MAINLAND_ESTABLISHED" in html
    assert not Application.objects.filter(organisation_id="hk-lab-harbourview").exists()


def test_new_application_needs_a_product_type(client: Client) -> None:
    signed_in(client, "pearl")
    response = client.post("/portal/applications/new/", {"other": ""})
    assert response.status_code == 400
    assert (
        '<a href="#id_suggested">Choose at least one product type, or type its code.</a>'
        in response.content.decode()
    )


def test_upload_a_pdf_and_download_it(client: Client, tmp_path: object, settings: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    signed_in(client, "pearl")
    application = create(client, "0915")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("scope.pdf", PDF, content_type="application/pdf")
    response = client.post(f"/portal/applications/{application.pk}/documents/", {"file": upload})
    assert response.status_code == 302
    document = ApplicationDocument.objects.get(application=application)
    assert (document.filename, document.size) == ("scope.pdf", len(PDF))
    html = client.get(f"/portal/applications/{application.pk}/").content.decode()
    assert "Document scope.pdf added." in html
    assert "Supporting document added" in html
    download = client.get(f"/portal/applications/{application.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_upload_refuses_what_is_not_a_pdf(client: Client, tmp_path: object, settings: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    signed_in(client, "pearl")
    application = create(client, "0915")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notes.pdf", b"hello", content_type="application/pdf")
    response = client.post(f"/portal/applications/{application.pk}/documents/", {"file": upload})
    assert response.status_code == 400
    assert '<a href="#id_file">The file must be a PDF document.</a>' in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    response = client.post(f"/portal/applications/{application.pk}/documents/", {})
    assert response.status_code == 400
    assert '<a href="#id_file">Choose a PDF file to upload.</a>' in response.content.decode()


def test_withdraw_a_draft(client: Client) -> None:
    signed_in(client, "pearl")
    application = create(client, "0915")
    response = client.post(f"/portal/applications/{application.pk}/withdraw/", {"reason": "Not ready"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    html = client.get(response["Location"]).content.decode()
    assert "Status changed from Draft to Withdrawn" in html
    assert "Reason: Not ready" in html
    # A second withdrawal is a conflict: said clearly, nothing changes.
    changes = Change.objects.count()
    response = client.post(f"/portal/applications/{application.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 409
    assert "Someone else changed this record after you opened the page" in response.content.decode()
    assert Change.objects.count() == changes


def test_another_organisations_application_is_not_found_and_unchanged(client: Client) -> None:
    signed_in(client, "pearl")
    application = create(client, "0915")
    other = signed_in(Client(), "bohai")
    assert other.get(f"/portal/applications/{application.pk}/").status_code == 404
    confirmed = {"confirmed": "yes"}
    assert other.post(f"/portal/applications/{application.pk}/submit/", confirmed).status_code == 404
    assert other.post(f"/portal/applications/{application.pk}/withdraw/", {}).status_code == 404
    application.refresh_from_db()
    assert application.status == "draft"
    listed = other.get("/portal/applications/").content.decode()
    assert f"/portal/applications/{application.pk}/" not in listed


def test_applications_list_shows_status_and_next_action(client: Client) -> None:
    signed_in(client, "pearl")
    application = create(client, "0915")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/portal/applications/").content.decode()
    assert len(queries) <= 20
    assert f'<a href="/portal/applications/{application.pk}/">Application {application.pk}</a>' in html
    assert '<span class="tag neutral">Draft</span>' in html


def test_portal_forms_need_the_csrf_token() -> None:
    client = signed_in(Client(enforce_csrf_checks=True), "pearl")
    response = client.post("/portal/expressions-of-interest/", {"year": "2027", "product_types": "0915"})
    assert response.status_code == 403
    assert not ExpressionOfInterest.objects.filter(organisation_id="cn-lab-pearl-delta", year=2027).exists()


def test_start_page_lists_the_sections_with_the_next_action(client: Client) -> None:
    signed_in(client, "pearl")
    create(client, "0915")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portal/")
    assert response.status_code == 200
    assert len(queries) <= 20
    html = response.content.decode()
    assert "Drafts to complete and submit: 1." in html
    assert '<span class="tag warn">Action needed</span>' in html
    assert "Expressions of interest for 2027 are open until 31 March 2027." in html
    assert "Inspector transfers" not in html  # a laboratory employs no inspectors


def test_documents_page_lists_the_organisations_documents(
    client: Client, tmp_path: object, settings: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    signed_in(client, "pearl")
    application = create(client, "0915")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        f"/portal/applications/{application.pk}/documents/",
        {"file": SimpleUploadedFile("scope.pdf", PDF, content_type="application/pdf")},
    )
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/portal/documents/").content.decode()
    assert len(queries) <= 20
    assert "scope.pdf" in html
    assert "scope.pdf" not in signed_in(Client(), "bohai").get("/portal/documents/").content.decode()
