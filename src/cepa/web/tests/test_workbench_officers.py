"""The officers' whole job in the workbench (issue 11, point 6): CNCA's decided cases, expressions of
interest and plans; CCAA's inspector register; HKAS's accreditations. Each action through its page,
a success and a refusal that changes nothing; who may open the pages; query budgets; three languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cepa.bodies import services as bodies
from cepa.bodies.models import AccreditationEvent
from cepa.designation import services
from cepa.designation.models import Application, Plan
from cepa.errors import InvalidInput, NotAllowed
from cepa.history.models import Change
from cepa.personnel.models import AnnualConfirmation, Inspector, InspectorEvent, Renewal
from cepa.personnel.selectors import beijing_today
from cepa.personnel.services import registration
from cepa.rules.facts import BEIJING
from cepa.web.tests.conftest import in_language, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

# A signed-in officer's request reads the session, the user, its role and second factor: a few queries
# that every page pays before its own.
SIGNED_IN = 4


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def changes(record_type: str, record_id: str) -> int:
    return Change.objects.filter(record_type=record_type, record_id=record_id).count()


# --- CNCA: plans ------------------------------------------------------------------------------------


def draft(plan_id: str = "2027-lab-1", **options: Any) -> Plan:
    year = beijing_today().year + 1
    return services.create_plan(
        actor="user:cnca",
        user=user("cnca"),
        id=plan_id,
        year=year,
        role="laboratory",
        product_types=["0701"],
        window={"opens": f"{year}-03-01T09:00:00+08:00", "closes": f"{year}-03-31T17:00:00+08:00"},
        **options,
    )


def plan_form(**changes: str) -> dict[str, str]:
    year = beijing_today().year + 1
    return {
        "id": "2027-lab-9",
        "year": str(year),
        "role": "laboratory",
        "product_types": "0701, 0702",
        "opens": f"{year}-03-01T09:00",
        "closes": f"{year}-03-31T17:00",
        **changes,
    }


def test_plans_list_shows_drafts_and_published_within_budget(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    draft()
    signed_in(client, "cnca")
    with django_assert_max_num_queries(10):
        response = client.get("/workbench/plans/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/workbench/plans/2027-lab-1/">2027-lab-1</a>' in html
    assert 'href="/workbench/plans/2026-3/">2026-3</a>' in html
    assert client.get("/workbench/plans/?status=draft").content.decode().count("/workbench/plans/20") == 1


def test_a_draft_plan_is_made_through_the_page(client: Client) -> None:
    signed_in(client, "cnca")
    response = client.post("/workbench/plans/new/", plan_form())
    assert response.status_code == 302
    assert response["Location"] == "/workbench/plans/2027-lab-9/"
    plan = Plan.objects.get(pk="2027-lab-9")
    assert (plan.status, plan.product_types, plan.role) == ("draft", ["0701", "0702"], "laboratory")
    assert plan.opens == dt.datetime(plan.year, 3, 1, 9, 0, tzinfo=BEIJING)
    assert plan.events.count() == 1


def test_a_plan_form_with_a_window_backwards_is_refused_beside_the_field(client: Client) -> None:
    signed_in(client, "cnca")
    year = beijing_today().year + 1
    response = client.post("/workbench/plans/new/", plan_form(closes=f"{year}-02-01T09:00"))
    assert response.status_code == 400
    html = response.content.decode()
    assert '<p class="field-error" id="id_closes-error">' in html
    assert "The window must close after it opens." in html
    assert not Plan.objects.filter(pk="2027-lab-9").exists()


def test_a_plan_id_taken_is_refused(client: Client) -> None:
    signed_in(client, "cnca")
    response = client.post("/workbench/plans/new/", plan_form(id="2026-3"))
    assert response.status_code == 400
    assert "A plan with this id already exists. Choose another id." in response.content.decode()
    assert Plan.objects.get(pk="2026-3").year == 2026


def test_publishing_asks_for_confirmation_then_publishes(client: Client) -> None:
    draft()
    signed_in(client, "cnca")
    asked = client.post("/workbench/plans/2027-lab-1/", {"action": "publish"})
    assert asked.status_code == 200
    assert "Publish this plan?" in asked.content.decode()
    assert Plan.objects.get(pk="2027-lab-1").status == "draft"
    done = client.post("/workbench/plans/2027-lab-1/", {"action": "publish", "confirmed": "yes"})
    assert done.status_code == 302
    plan = Plan.objects.get(pk="2027-lab-1")
    assert (plan.status, plan.published) == ("published", beijing_today())
    assert changes("plans", "2027-lab-1") == 1  # from publication on, a registry record
    page = client.get("/workbench/plans/2027-lab-1/").content.decode()
    assert "Plan 2027-lab-1 published: the public and the decisions see it now." in page


def test_publishing_a_published_plan_is_a_conflict_and_changes_nothing(client: Client) -> None:
    draft()
    services.publish_plan(actor="user:cnca2", user=user("cnca2"), plan_id="2027-lab-1")
    signed_in(client, "cnca")
    before = Plan.objects.get(pk="2027-lab-1").events.count()
    response = client.post("/workbench/plans/2027-lab-1/", {"action": "publish", "confirmed": "yes"})
    assert response.status_code == 409
    assert "Someone else changed this plan first: it is now Published. Nothing was changed." in (
        response.content.decode()
    )
    assert Plan.objects.get(pk="2027-lab-1").events.count() == before


def test_closing_needs_a_reason_and_a_confirmation(client: Client) -> None:
    draft()
    services.publish_plan(actor="user:cnca", user=user("cnca"), plan_id="2027-lab-1")
    signed_in(client, "cnca")
    missing = client.post("/workbench/plans/2027-lab-1/", {"action": "close", "reason": " "})
    assert missing.status_code == 400
    assert "Enter the reason for closing the plan early." in missing.content.decode()
    asked = client.post("/workbench/plans/2027-lab-1/", {"action": "close", "reason": "Budget withdrawn"})
    assert asked.status_code == 200
    assert "window now?" in asked.content.decode()
    assert Plan.objects.get(pk="2027-lab-1").status == "published"
    done = client.post(
        "/workbench/plans/2027-lab-1/", {"action": "close", "reason": "Budget withdrawn", "confirmed": "yes"}
    )
    assert done.status_code == 302
    plan = Plan.objects.get(pk="2027-lab-1")
    assert (plan.status, plan.close_reason) == ("closed", "Budget withdrawn")


def test_plan_page_within_budget(client: Client, django_assert_max_num_queries: Any) -> None:
    draft()
    signed_in(client, "cnca")
    with django_assert_max_num_queries(5 + SIGNED_IN):
        response = client.get("/workbench/plans/2027-lab-1/")
    assert response.status_code == 200
    assert "Publish the plan" in response.content.decode()


# --- CNCA: decided cases and expressions of interest --------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.moment = dt.datetime(2026, 11, 20, 10, 0, tzinfo=BEIJING)

    def now(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def clock() -> Iterator[Clock]:
    frozen = Clock()
    with mock.patch("cepa.designation.clock.now", side_effect=frozen.now):
        yield frozen


def decide(
    clock: Clock, username: str, organisation: str, codes: list[str], action: str, at: str
) -> Application:
    clock.moment = dt.datetime.fromisoformat(at)
    application = services.create_application(
        actor=f"user:{username}", user=user(username), organisation=organisation, product_types=codes
    )
    services.submit_application(actor=f"user:{username}", user=user(username), application_id=application.pk)
    services.review_application(
        actor="user:cnca", user=user("cnca"), application_id=application.pk, action="start"
    )
    services.review_application(
        actor="user:cnca", user=user("cnca"), application_id=application.pk, action=action, reason="Checked"
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def cases(clock: Clock) -> dict[str, Application]:
    refused = decide(clock, "pearl", "cn-lab-pearl-delta", ["0915"], "refuse", "2026-11-12T09:00:00+08:00")
    approved = decide(clock, "bohai", "cn-lab-bohai", ["0701"], "approve", "2026-11-18T09:00:00+08:00")
    return {"refused": refused, "approved": approved}


def test_decided_cases_are_found_by_status_body_product_type_and_date(
    client: Client, cases: dict[str, Application], django_assert_max_num_queries: Any
) -> None:
    signed_in(client, "cnca")
    refused, approved = (
        f"/workbench/applications/{cases['refused'].pk}/",
        f"/workbench/applications/{cases['approved'].pk}/",
    )
    with django_assert_max_num_queries(10):
        everything = client.get("/workbench/decided/").content.decode()
    assert everything.index(approved) < everything.index(refused)  # the latest decision first
    by_status = client.get("/workbench/decided/?status=refused").content.decode()
    assert refused in by_status and approved not in by_status
    by_body = client.get("/workbench/decided/?body=bohai").content.decode()
    assert approved in by_body and refused not in by_body
    by_type = client.get("/workbench/decided/?product_type=0915").content.decode()
    assert refused in by_type and approved not in by_type
    by_date = client.get(
        "/workbench/decided/?decided_from=2026-11-18&decided_until=2026-11-18"
    ).content.decode()
    assert approved in by_date and refused not in by_date


def test_a_bad_date_in_the_search_is_named(client: Client, cases: dict[str, Application]) -> None:
    signed_in(client, "cnca")
    response = client.get("/workbench/decided/?decided_from=18/11/2026")
    assert response.status_code == 400
    assert '<p class="field-error" id="id_decided_from-error">' in response.content.decode()


def test_expressions_of_interest_grouped_by_product_type_and_year(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    signed_in(client, "cnca")
    with django_assert_max_num_queries(10):
        response = client.get("/workbench/interest/?year=2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h3 id="pt-1"><span class="codes">0914</span> <span class="muted">(bodies: 3)</span></h3>' in html
    assert "EOI-2026-0019" in html and "EOI-2025-0031" not in html


# --- CCAA: the inspector register ----------------------------------------------------------------------


def status_form(
    status: str, reason: str = "Complaint under investigation", on: dt.date | None = None
) -> dict[str, str]:
    day = on or beijing_today()
    return {
        "action": "status",
        "status-status": status,
        "status-on": day.isoformat(),
        "status-reason": reason,
    }


def test_inspector_register_lists_and_filters_within_budget(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    signed_in(client, "ccaa")
    with django_assert_max_num_queries(10):
        response = client.get("/workbench/inspectors/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/workbench/inspectors/CCAA-2022-CCC-0101/">CCAA-2022-CCC-0101</a>' in html
    found = client.get("/workbench/inspectors/?q=Lee+Ka").content.decode()
    assert "CCAA-2026-CCC-0102" in found and "CCAA-2022-CCC-0101" not in found


def test_inspector_page_within_budget(client: Client, django_assert_max_num_queries: Any) -> None:
    signed_in(client, "ccaa")
    with django_assert_max_num_queries(5 + SIGNED_IN + 3):  # + the renewals, confirmations, bodies' names
        response = client.get("/workbench/inspectors/CCAA-2022-CCC-0101/")
    assert response.status_code == 200
    assert "Chan Siu Ming" in response.content.decode()


def test_an_inspector_is_registered_through_the_page(client: Client) -> None:
    signed_in(client, "ccaa")
    response = client.post(
        "/workbench/inspectors/new/",
        {
            "id": "CCAA-2026-CCC-0999",
            "name_en": "Yip Tsz Wai",
            "name_zh_hant": "葉子慧",
            "grade": "provisional",
            "specialties": "07",
            "registered": beijing_today().isoformat(),
            "organisation": "hk-cb-victoria",
            "date_of_birth": "1985-06-01",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/workbench/inspectors/CCAA-2026-CCC-0999/"
    inspector = Inspector.objects.get(pk="CCAA-2026-CCC-0999")
    assert (inspector.name_en, inspector.grade, inspector.specialties) == (
        "Yip Tsz Wai",
        "provisional",
        ["07"],
    )
    assert changes("inspectors", "CCAA-2026-CCC-0999") == 1


def test_a_registration_with_an_unknown_specialty_is_refused_beside_the_field(client: Client) -> None:
    signed_in(client, "ccaa")
    response = client.post(
        "/workbench/inspectors/new/",
        {
            "id": "CCAA-X",
            "name_en": "Yip",
            "grade": "inspector",
            "specialties": "99",
            "registered": "2026-11-02",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<p class="field-error" id="id_specialties-error">' in html
    assert "&#x27;99&#x27; is not in any version of the CCC catalogue" in html
    assert not Inspector.objects.filter(pk="CCAA-X").exists()


def test_suspend_then_reinstate_through_the_page(client: Client) -> None:
    signed_in(client, "ccaa")
    page = "/workbench/inspectors/CCAA-2022-CCC-0101/"
    recorded = changes("inspectors", "CCAA-2022-CCC-0101")
    response = client.post(page, status_form("suspended"))
    assert response.status_code == 302
    event = InspectorEvent.objects.filter(inspector_id="CCAA-2022-CCC-0101").latest("position")
    assert (event.status, event.on, event.reason) == (
        "suspended",
        beijing_today(),
        "Complaint under investigation",
    )
    shown = client.get(page).content.decode()
    assert "Registration CCAA-2022-CCC-0101 suspended." in shown
    assert '<span class="tag warn">Suspended</span>' in shown
    back = client.post(page, status_form("active", "Cleared", beijing_today() + dt.timedelta(days=1)))
    assert back.status_code == 302
    assert changes("inspectors", "CCAA-2022-CCC-0101") == recorded + 2


def test_reinstating_an_active_inspector_is_a_conflict_and_changes_nothing(client: Client) -> None:
    signed_in(client, "ccaa")
    before = InspectorEvent.objects.count()
    recorded = changes("inspectors", "CCAA-2022-CCC-0101")
    response = client.post("/workbench/inspectors/CCAA-2022-CCC-0101/", status_form("active"))
    assert response.status_code == 409
    assert "someone else changed it first. Nothing was changed" in response.content.decode()
    assert InspectorEvent.objects.count() == before
    assert changes("inspectors", "CCAA-2022-CCC-0101") == recorded


def test_a_status_change_without_a_reason_names_the_field(client: Client) -> None:
    signed_in(client, "ccaa")
    response = client.post("/workbench/inspectors/CCAA-2022-CCC-0101/", status_form("suspended", reason=""))
    assert response.status_code == 400
    assert '<p class="field-error" id="id_status-reason-error">' in response.content.decode()
    assert not InspectorEvent.objects.filter(inspector_id="CCAA-2022-CCC-0101", status="suspended").exists()


def test_cancelling_asks_for_confirmation_then_is_final(client: Client) -> None:
    signed_in(client, "ccaa")
    page = "/workbench/inspectors/CCAA-2022-CCC-0101/"
    asked = client.post(page, status_form("cancelled", "Left the profession"))
    assert asked.status_code == 200
    assert "Cancel this registration?" in asked.content.decode()
    assert not InspectorEvent.objects.filter(inspector_id="CCAA-2022-CCC-0101", status="cancelled").exists()
    done = client.post(page, {**status_form("cancelled", "Left the profession"), "confirmed": "yes"})
    assert done.status_code == 302
    assert InspectorEvent.objects.filter(inspector_id="CCAA-2022-CCC-0101", status="cancelled").count() == 1
    assert "The registration is cancelled; nothing more can be changed." in client.get(page).content.decode()


def test_regrade_through_the_page_and_the_same_grade_refused(client: Client) -> None:
    signed_in(client, "ccaa")
    page = "/workbench/inspectors/CCAA-2026-CCC-0102/"
    form = {"action": "grade", "grade-on": beijing_today().isoformat(), "grade-evidence": "Assessment passed"}
    same = client.post(page, {**form, "grade-grade": "provisional"})
    assert same.status_code == 422
    assert (
        "The rules do not allow this now. Nothing was changed: see the reasons below."
        in same.content.decode()
    )
    assert not InspectorEvent.objects.filter(inspector_id="CCAA-2026-CCC-0102").exclude(grade="").exists()
    done = client.post(page, {**form, "grade-grade": "inspector"})
    assert done.status_code == 302
    event = InspectorEvent.objects.filter(inspector_id="CCAA-2026-CCC-0102").latest("position")
    assert (event.grade, event.reason) == ("inspector", "Assessment passed")


def renewable() -> Inspector:
    """Registered one term ago less a month: its renewal window is open."""
    today = beijing_today()
    return registration.register_inspector(
        actor="user:ccaa",
        id="CCAA-RENEW-1",
        name={"en": "Mok Ka Lok"},
        grade="inspector",
        specialties=["07"],
        registered=today.replace(year=today.year - 3) + dt.timedelta(days=30),
        organisation="hk-cb-victoria",
        date_of_birth=dt.date(1980, 1, 1),
    )


def test_renewal_through_the_page_and_before_the_window_refused(client: Client) -> None:
    inspector = renewable()
    signed_in(client, "ccaa")
    early = client.post("/workbench/inspectors/CCAA-2022-CCC-0101/", {"action": "renew"})
    assert early.status_code == 422
    assert Renewal.objects.filter(inspector_id="CCAA-2022-CCC-0101").count() == 0
    done = client.post(f"/workbench/inspectors/{inspector.pk}/", {"action": "renew"})
    assert done.status_code == 302
    renewal = Renewal.objects.get(inspector_id=inspector.pk)
    assert renewal.previous_expires == inspector.expires
    assert Inspector.objects.get(pk=inspector.pk).expires > inspector.expires


def test_annual_confirmation_through_the_page_and_a_future_date_refused(client: Client) -> None:
    signed_in(client, "ccaa")
    page = "/workbench/inspectors/CCAA-2022-CCC-0101/"
    before = AnnualConfirmation.objects.filter(inspector_id="CCAA-2022-CCC-0101").count()
    future = (beijing_today() + dt.timedelta(days=3)).isoformat()
    refused = client.post(page, {"action": "confirm", "confirm-confirmed_on": future})
    assert refused.status_code == 400
    assert '<p class="field-error" id="id_confirm-confirmed_on-error">' in refused.content.decode()
    assert AnnualConfirmation.objects.filter(inspector_id="CCAA-2022-CCC-0101").count() == before
    done = client.post(page, {"action": "confirm"})
    assert done.status_code == 302
    assert AnnualConfirmation.objects.filter(inspector_id="CCAA-2022-CCC-0101").count() == before + 1


# --- HKAS: accreditations ------------------------------------------------------------------------------


def event_form(**changes: Any) -> dict[str, Any]:
    return {
        "status": "suspended",
        "extent": "part",
        "scope": ["0701"],
        "on": beijing_today().isoformat(),
        "reason": "Proficiency test failed",
        **changes,
    }


def test_accreditations_list_and_page_within_budget(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    signed_in(client, "hkas")
    with django_assert_max_num_queries(10):
        listed = client.get("/workbench/accreditations/")
    assert 'href="/workbench/accreditations/HOKLAS%20901/">HOKLAS 901</a>' in listed.content.decode()
    with django_assert_max_num_queries(5 + SIGNED_IN):
        page = client.get("/workbench/accreditations/HOKLAS%20901/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Voluntary suspension while the battery test" in html


def test_suspending_part_of_a_scope_through_the_page(client: Client) -> None:
    signed_in(client, "hkas")
    recorded = changes("accreditations", "HOKLAS 901")
    response = client.post("/workbench/accreditations/HOKLAS%20901/", event_form())
    assert response.status_code == 302
    event = AccreditationEvent.objects.filter(accreditation_id="HOKLAS 901").latest("position")
    assert (event.status, event.scope, event.on, event.reason) == (
        "suspended",
        ["0701"],
        beijing_today(),
        "Proficiency test failed",
    )
    assert changes("accreditations", "HOKLAS 901") == recorded + 1
    assert (
        "Accreditation HOKLAS 901: suspension recorded."
        in client.get("/workbench/accreditations/HOKLAS%20901/").content.decode()
    )


def test_part_of_a_scope_with_no_product_type_is_refused(client: Client) -> None:
    signed_in(client, "hkas")
    before = AccreditationEvent.objects.count()
    response = client.post("/workbench/accreditations/HOKLAS%20901/", event_form(scope=[]))
    assert response.status_code == 400
    assert "Choose at least one product type, or the whole accreditation." in response.content.decode()
    assert AccreditationEvent.objects.count() == before


def test_reinstating_what_was_withdrawn_is_a_conflict(client: Client) -> None:
    signed_in(client, "hkas")
    before = AccreditationEvent.objects.count()
    recorded = changes("accreditations", "HOKLAS 902")
    response = client.post(
        "/workbench/accreditations/HOKLAS%20902/", event_form(status="active", scope=["0807"])
    )
    assert response.status_code == 409
    assert "withdrawal is final" in response.content.decode()
    assert AccreditationEvent.objects.count() == before
    assert changes("accreditations", "HOKLAS 902") == recorded


def test_withdrawing_asks_for_confirmation(client: Client) -> None:
    signed_in(client, "hkas")
    page = "/workbench/accreditations/HOKLAS%20903/"
    asked = client.post(page, event_form(status="withdrawn", extent="whole", scope=[]))
    assert asked.status_code == 200
    assert "Withdraw these product types?" in asked.content.decode()
    assert not AccreditationEvent.objects.filter(accreditation_id="HOKLAS 903").exists()
    done = client.post(page, {**event_form(status="withdrawn", extent="whole", scope=[]), "confirmed": "yes"})
    assert done.status_code == 302
    event = AccreditationEvent.objects.get(accreditation_id="HOKLAS 903")
    assert (event.status, event.scope) == ("withdrawn", None)


def test_the_service_refuses_other_roles_and_codes_outside_the_scope() -> None:
    before = AccreditationEvent.objects.filter(accreditation_id="HOKLAS 901").count()
    with pytest.raises(NotAllowed):
        bodies.record_accreditation_event(
            actor="user:cnca",
            user=user("cnca"),
            accreditation_id="HOKLAS 901",
            status="suspended",
            on=beijing_today(),
            scope=None,
            reason="x",
        )
    with pytest.raises(InvalidInput) as refused:
        bodies.record_accreditation_event(
            actor="user:hkas",
            user=user("hkas"),
            accreditation_id="HOKLAS 901",
            status="suspended",
            on=beijing_today(),
            scope=["2201"],
            reason="x",
        )
    assert refused.value.errors == {"scope": "2201 not in the accreditation's scope"}
    assert AccreditationEvent.objects.filter(accreditation_id="HOKLAS 901").count() == before


# --- who may open what, and the three languages ---------------------------------------------------------

PAGES = {
    "cnca": [
        "/workbench/plans/",
        "/workbench/plans/new/",
        "/workbench/plans/2026-3/",
        "/workbench/decided/",
        "/workbench/interest/",
        "/workbench/objections/",
    ],
    "ccaa": [
        "/workbench/inspectors/",
        "/workbench/inspectors/new/",
        "/workbench/inspectors/CCAA-2022-CCC-0101/",
    ],
    "hkas": ["/workbench/accreditations/", "/workbench/accreditations/HOKLAS%20901/"],
}


@pytest.mark.parametrize("owner", sorted(PAGES))
def test_other_roles_get_403(client: Client, owner: str) -> None:
    also = {"cnca": ["/workbench/plans/2026-3/change/"]}.get(owner, [])
    for other in ("cnca", "ccaa", "hkas", "pearl"):
        if other == owner:
            continue
        signed_in(client, other)
        for url in [*PAGES[owner], *also]:
            assert client.get(url).status_code == 403, (other, url)
            if url.endswith(
                ("/plans/", "/decided/", "/interest/", "/objections/", "/inspectors/", "/accreditations/")
            ):
                continue  # lists are read only
            assert client.post(url, {"action": "publish", "confirmed": "yes"}).status_code == 403, (
                other,
                url,
            )
    assert Plan.objects.get(pk="2026-3").status == "published"


def test_anonymous_people_sign_in_first(client: Client) -> None:
    for url in [url for urls in PAGES.values() for url in urls]:
        response = client.get(url)
        assert (response.status_code == 302 and "/signin" in response["Location"]) or "login" in response[
            "Location"
        ], url


def test_unknown_records_are_404(client: Client) -> None:
    signed_in(client, "cnca")
    assert client.get("/workbench/plans/nope/").status_code == 404
    signed_in(client, "ccaa")
    assert client.get("/workbench/inspectors/nope/").status_code == 404
    signed_in(client, "hkas")
    assert client.get("/workbench/accreditations/nope/").status_code == 404


HEADINGS = {
    "en": ["Designation plans", "Inspector register", "Accreditations"],
    "zh-Hant": ["指定計劃", "檢查員登記冊", "認可"],
    "zh-Hans": ["指定计划", "检查员登记册", "认可"],
}


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_pages_in_three_languages(client: Client, language: str) -> None:
    plans, register, accreditations = HEADINGS[language]
    for username, url, heading in (
        ("cnca", "/workbench/plans/", plans),
        ("ccaa", "/workbench/inspectors/", register),
        ("hkas", "/workbench/accreditations/", accreditations),
    ):
        signed_in(client, username, language)
        for page in PAGES[username]:
            response = client.get(page)
            assert response.status_code == 200, page
            assert f'<html lang="{language}"' in response.content.decode(), page
        assert f"<h1>{heading}</h1>" in client.get(url).content.decode()


def test_the_applicants_eligibility_is_shown_beside_the_decision(client: Client, clock: Clock) -> None:
    clock.moment = dt.datetime(2026, 11, 20, 10, 0, tzinfo=BEIJING)
    application = services.create_application(
        actor="user:pearl", user=user("pearl"), organisation="cn-lab-pearl-delta", product_types=["0915"]
    )
    services.submit_application(actor="user:pearl", user=user("pearl"), application_id=application.pk)
    signed_in(client, "cnca")
    html = client.get(f"/workbench/applications/{application.pk}/").content.decode()
    assert html.index('<h2 id="eligibility">The applicant\'s eligibility now</h2>') < html.index(
        '<h2 id="decide">Decide</h2>'
    )
    assert '<h3 id="eligibility-0915"><span class="codes">0915</span>:' in html
    decided = decide(clock, "bohai", "cn-lab-bohai", ["0701"], "refuse", "2026-11-21T09:00:00+08:00")
    assert 'id="eligibility"' not in client.get(f"/workbench/applications/{decided.pk}/").content.decode()


def test_a_draft_is_changed_through_the_page(client: Client) -> None:
    draft()
    signed_in(client, "cnca")
    shown = client.get("/workbench/plans/2027-lab-1/change/").content.decode()
    assert 'name="product_types" value="0701"' in shown
    year = beijing_today().year + 1
    response = client.post(
        "/workbench/plans/2027-lab-1/change/",
        plan_form(product_types="0701 0915", requires_expression_of_interest="on"),
    )
    assert response.status_code == 302
    plan = Plan.objects.get(pk="2027-lab-1")
    assert (plan.product_types, plan.requires_expression_of_interest) == (["0701", "0915"], True)
    assert plan.closes == dt.datetime(year, 3, 31, 17, 0, tzinfo=BEIJING)
    assert plan.events.count() == 2


def test_a_published_plans_fixed_fields_are_not_changed_here(client: Client) -> None:
    draft()
    services.publish_plan(actor="user:cnca", user=user("cnca"), plan_id="2027-lab-1")
    signed_in(client, "cnca")
    # Only the requirements stay open (test_workbench_plan_texts); the product types sent are ignored.
    response = client.post("/workbench/plans/2027-lab-1/change/", plan_form(product_types="0915"))
    assert response.status_code == 302
    assert Plan.objects.get(pk="2027-lab-1").product_types == ["0701"]


def test_a_draft_change_with_an_unknown_product_type_is_refused_beside_the_field(client: Client) -> None:
    draft()
    signed_in(client, "cnca")
    response = client.post("/workbench/plans/2027-lab-1/change/", plan_form(product_types="0701 9999"))
    assert response.status_code == 400
    assert '<p class="field-error" id="id_product_types-error">' in response.content.decode()
    assert Plan.objects.get(pk="2027-lab-1").product_types == ["0701"]


def test_objections_are_listed_with_their_period(
    client: Client, cases: dict[str, Application], clock: Clock, django_assert_max_num_queries: Any
) -> None:
    approved = cases["approved"]
    clock.moment = dt.datetime(2026, 11, 19, 9, 0, tzinfo=BEIJING)
    objection = services.lodge_objection(
        actor="user:pearl", user=user("pearl"), application_id=approved.pk, grounds="Scope not covered"
    )
    signed_in(client, "cnca")
    with django_assert_max_num_queries(10):
        response = client.get("/workbench/objections/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="/workbench/objections/{objection.pk}/">Objection {objection.pk}</a>' in html
    assert approved.objection_period_ends is not None
    day = approved.objection_period_ends
    assert f'">ends {day.day} {day:%B} {day.year}</td>' in html  # the cell, labelled for phones
    assert "No objection matches." in client.get("/workbench/objections/?status=upheld").content.decode()


# The objection period's last day is included, a Beijing day: "ends" through it, "ended" from the next.
PERIOD_WORDS = {
    "en": ("ends {d} December 2026", "ended {d} December 2026"),
    "zh-hant": ("於2026年12月{d}日結束", "已於2026年12月{d}日結束"),
    "zh-hans": ("于2026年12月{d}日结束", "已于2026年12月{d}日结束"),
}
STATUS_WORDS = {
    "en": (
        "objections may be lodged until {d} December 2026",
        "the objection period ended {d} December 2026.",
    ),
    "zh-hant": ("異議可於 2026年12月{d}日 或之前提出", "異議期已於2026年12月{d}日結束。"),
    "zh-hans": ("异议可于 2026年12月{d}日 或之前提出", "异议期已于2026年12月{d}日结束。"),
}


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_the_objection_period_reads_ends_through_its_last_day_and_ended_after(
    client: Client, cases: dict[str, Application], clock: Clock, language: str
) -> None:
    approved = cases["approved"]
    ends = approved.objection_period_ends
    assert ends == dt.date(2026, 12, 9)  # 15 Mainland working days after 18 November 2026
    clock.moment = dt.datetime(2026, 12, 9, 9, 0, tzinfo=BEIJING)
    objection = services.lodge_objection(
        actor="user:pearl", user=user("pearl"), application_id=approved.pk, grounds="Scope not covered"
    )
    running, ended = (words.format(d=9) for words in PERIOD_WORDS[language])
    status_running, status_ended = (words.format(d=9) for words in STATUS_WORDS[language])
    pages = {
        "cnca": [
            f"/workbench/objections/{objection.pk}/",
            "/workbench/objections/",
            "/workbench/decided/",
            f"/workbench/applications/{approved.pk}/",
        ],
        "bohai": [f"/portal/applications/{approved.pk}/"],
    }
    # 23:59 on the last day (Beijing), then 00:00 the next day; 16:00 UTC is midnight in Beijing.
    for moment, words, absent, status in (
        (dt.datetime(2026, 12, 9, 23, 59, tzinfo=BEIJING), running, ended, status_running),
        (dt.datetime(2026, 12, 9, 16, 0, tzinfo=dt.UTC), ended, running, status_ended),
    ):
        clock.moment = moment
        for username, urls in pages.items():
            signed_in(client, username, language)
            for url in urls:
                html = client.get(url).content.decode()
                assert words in html, (moment, url)
                assert f">{absent}<" not in html, (moment, url)
        portal = client.get(f"/portal/applications/{approved.pk}/").content.decode()
        assert status in portal, moment


def test_the_public_body_page_says_the_designation_line_in_both_chinese_languages(
    client: Client, cases: dict[str, Application], clock: Clock
) -> None:
    approved = cases["approved"]
    assert approved.designation_id is not None and approved.plan_id is None  # a routine designation
    hant = f"國家認監委於2026年11月18日公布指定決定（申請 {approved.pk}，屬常規指定）；"
    hans = f"国家认监委于2026年11月18日公布指定决定（申请 {approved.pk}，属常规指定）；"
    lines = {
        "zh-hant": (f"{hant}異議期於2026年12月9日結束。", f"{hant}異議期已於2026年12月9日結束。"),
        "zh-hans": (f"{hans}异议期于2026年12月9日结束。", f"{hans}异议期已于2026年12月9日结束。"),
    }
    for language, (running, ended) in lines.items():
        in_language(client, language)
        clock.moment = dt.datetime(2026, 12, 9, 23, 59, tzinfo=BEIJING)
        html = client.get("/bodies/cn-lab-bohai/").content.decode()
        assert f"<dd>{running}</dd>" in html
        assert "CNCA designation decision" not in html
        clock.moment = dt.datetime(2026, 12, 10, 0, 0, tzinfo=BEIJING)
        html = client.get("/bodies/cn-lab-bohai/").content.decode()
        assert f"<dd>{ended}</dd>" in html
