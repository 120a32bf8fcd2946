"""Registration, renewal, annual confirmation, status and grade changes: services and API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cepa.errors import Conflict, InvalidInput, Refused
from cepa.history.models import Change
from cepa.personnel.models import AnnualConfirmation, Inspector, InspectorEvent, Renewal
from cepa.personnel.services import personal_data, registration
from cepa.personnel.tests.conftest import NUMBER, PERSONAL, D
from cepa.reminders.models import Reminder
from cepa.testing.personas import Persona

pytestmark = pytest.mark.django_db

OLD = "CCAA-2020-CCC-0099"


@pytest.fixture
def old(bodies: None) -> Inspector:
    """Registered 2020-01-01 to 2022-12-31, born 15 Oct 1957 (65 on 15 Oct 2022)."""
    return registration.register_inspector(
        actor="test:registrar",
        id=OLD,
        name={"en": "Lam Kwok Wai"},
        grade="inspector",
        specialties=["07"],
        registered=D("2020-01-01"),
        organisation="hk-cb-a",
        date_of_birth=D("1957-10-15"),
        email="lam@example.hk",
    )


def snapshot(number: str) -> tuple[Any, ...]:
    inspector = Inspector.objects.get(pk=number)
    return (
        inspector.expires,
        inspector.grade,
        inspector.specialties,
        list(InspectorEvent.objects.filter(inspector_id=number).values_list("on", "status", "grade")),
        Renewal.objects.count(),
        AnnualConfirmation.objects.count(),
        Change.objects.exclude(record_type__startswith="accounts").count(),
    )


def refusal(call: Callable[[], Any]) -> list[str]:
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.failing


# --- registration ---------------------------------------------------------------------------------


def test_registration_defaults_to_a_three_year_term(old: Inspector) -> None:
    assert (old.registered, old.expires) == (D("2020-01-01"), D("2022-12-31"))
    record = Change.objects.get(record_type="inspectors", record_id=OLD).after
    assert record is not None and record["affiliations"] == [
        {"organisation": "hk-cb-a", "from": "2020-01-01"}
    ]
    # The change log keeps which personal fields were given, never their values.
    personal = Change.objects.get(record_type="personnel.personal_data", record_id=OLD)
    assert personal.after == {"fields": ["date_of_birth", "email"]}
    assert "lam@example.hk" not in json.dumps([c.after for c in Change.objects.all()])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": ""}, "id"),
        ({"id": " X"}, "id"),
        ({"name": {"fr": "x"}}, "name"),
        ({"name": {"zh-Hant": "林"}}, "name.en"),
        ({"grade": "chief"}, "grade"),
        ({"specialties": []}, "specialties"),
        ({"specialties": ["7"]}, "specialties"),
        ({"specialties": ["9999"]}, "specialties"),
        ({"specialties": ["98"]}, "specialties"),
        ({"expires": D("2019-12-31")}, "expires"),
        ({"organisation": "nowhere"}, "organisation"),
        ({"email": "not-an-address"}, "email"),
        ({"date_of_birth": D("2021-01-01")}, "date_of_birth"),
    ],
)
def test_registration_bad_input_names_the_field(bodies: None, changes: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {
        "actor": "test",
        "id": "N-1",
        "name": {"en": "Someone"},
        "grade": "inspector",
        "specialties": ["07"],
        "registered": D("2020-01-01"),
        **changes,
    }
    with pytest.raises(InvalidInput) as error:
        registration.register_inspector(**arguments)
    assert error.value.field == field
    assert not Inspector.objects.filter(pk=arguments["id"]).exists()


def test_registration_refusals(bodies: None, old: Inspector) -> None:
    base: dict[str, Any] = {
        "actor": "test",
        "name": {"en": "Someone"},
        "grade": "inspector",
        "specialties": ["07"],
        "registered": D("2026-01-01"),
    }
    assert refusal(lambda: registration.register_inspector(id="N-2", organisation="hk-lab", **base)) == [
        "NOT_CERTIFICATION_BODY"
    ]
    assert refusal(
        lambda: registration.register_inspector(id="N-3", date_of_birth=D("1960-12-31"), **base)
    ) == ["AGE_LIMIT"]
    with pytest.raises(Conflict) as taken:
        registration.register_inspector(id=OLD, **base)
    assert taken.value.code == "ALREADY_REGISTERED"
    assert Inspector.objects.count() == 1


def test_registration_schedules_expiry_and_confirmation_reminders(old: Inspector) -> None:
    reminders = {r.key: r for r in Reminder.objects.all()}
    assert set(reminders) == {f"inspector-expiry:{OLD}:2022-12-31", f"inspector-confirmation:{OLD}:2021"}
    expiry = reminders[f"inspector-expiry:{OLD}:2022-12-31"]
    assert (expiry.kind, expiry.organisation_id, expiry.emails) == ("inspector_expiry", "hk-cb-a", [])
    assert expiry.due.date().isoformat() == "2022-09-30"
    assert "2022-12-31" in expiry.context["body"]["zh-Hant"]


# --- renewal --------------------------------------------------------------------------------------


def test_renewal_keeps_the_number_and_extends_the_expiry_by_a_term(old: Inspector) -> None:
    renewal = registration.renew_registration(
        actor="test:registrar", inspector_id=OLD, applied_on=D("2022-09-30")
    )
    assert (renewal.previous_expires, renewal.expires) == (D("2022-12-31"), D("2025-12-31"))
    inspector = Inspector.objects.get(pk=OLD)
    assert (inspector.pk, inspector.registered, inspector.expires) == (OLD, D("2020-01-01"), D("2025-12-31"))
    # The old expiry reminder is withdrawn, the new one scheduled.
    statuses = dict(Reminder.objects.filter(kind="inspector_expiry").values_list("key", "status"))
    assert statuses == {
        f"inspector-expiry:{OLD}:2022-12-31": "cancelled",
        f"inspector-expiry:{OLD}:2025-12-31": "pending",
    }
    history = Client().get(f"/api/v1/inspectors/{OLD}").json()["history"]
    assert {"on": "2022-09-30", "event": "renewed", "from": "2022-12-31", "to": "2025-12-31"} in history


def test_renewal_before_the_window_is_refused(old: Inspector) -> None:
    before = snapshot(OLD)
    codes = refusal(
        lambda: registration.renew_registration(actor="t", inspector_id=OLD, applied_on=D("2022-09-29"))
    )
    assert codes == ["RENEWAL_WINDOW_NOT_OPEN"]
    assert snapshot(OLD) == before


def test_renewal_at_65_is_refused_and_at_64_allowed(old: Inspector) -> None:
    before = snapshot(OLD)
    with pytest.raises(Refused) as refused:
        registration.renew_registration(actor="t", inspector_id=OLD, applied_on=D("2022-10-15"))
    assert refused.value.failing == ["AGE_LIMIT"]
    assert refused.value.reasons[0].message() == (
        "The inspector is 65 on 2022-10-15; applications and renewals must be made before age 65."
    )
    assert (
        refused.value.reasons[0].message("zh-Hans")
        == "检查员于 2022-10-15 为 65 岁；申请及续期须于 65 岁前提出。"
    )
    assert snapshot(OLD) == before
    registration.renew_registration(actor="t", inspector_id=OLD, applied_on=D("2022-10-14"))
    assert Inspector.objects.get(pk=OLD).expires == D("2025-12-31")


def test_renewal_of_a_cancelled_registration_is_refused(old: Inspector) -> None:
    registration.change_status(
        actor="t", inspector_id=OLD, status="cancelled", on=D("2022-06-01"), reason="left"
    )
    before = snapshot(OLD)
    codes = refusal(
        lambda: registration.renew_registration(actor="t", inspector_id=OLD, applied_on=D("2022-10-01"))
    )
    assert codes == ["REGISTRATION_CANCELLED"]
    assert snapshot(OLD) == before


def test_renewal_after_expiry_or_without_birth_date_is_refused(old: Inspector, inspector: Inspector) -> None:
    assert refusal(
        lambda: registration.renew_registration(actor="t", inspector_id=OLD, applied_on=D("2023-01-01"))
    ) == ["REGISTRATION_EXPIRED", "AGE_LIMIT"]
    personal_data.update_personal_data(actor="t", inspector_id=NUMBER, values={"date_of_birth": None})
    assert refusal(
        lambda: registration.renew_registration(actor="t", inspector_id=NUMBER, applied_on=D("2025-01-02"))
    ) == ["RENEWAL_WINDOW_NOT_OPEN", "DATE_OF_BIRTH_UNKNOWN"]


def test_renewal_reasons_all_at_once(old: Inspector) -> None:
    registration.change_status(
        actor="t", inspector_id=OLD, status="cancelled", on=D("2021-06-01"), reason="left"
    )
    codes = refusal(
        lambda: registration.renew_registration(actor="t", inspector_id=OLD, applied_on=D("2022-10-20"))
    )
    assert codes == ["REGISTRATION_CANCELLED", "AGE_LIMIT"]


def test_renewal_twice_in_one_window_is_refused(old: Inspector) -> None:
    registration.renew_registration(actor="t", inspector_id=OLD, applied_on=D("2022-10-01"))
    assert refusal(
        lambda: registration.renew_registration(actor="t", inspector_id=OLD, applied_on=D("2022-10-02"))
    ) == ["RENEWAL_WINDOW_NOT_OPEN"]


# --- annual confirmation --------------------------------------------------------------------------


def test_annual_confirmations(old: Inspector) -> None:
    first = registration.confirm_annual(actor="t", inspector_id=OLD, confirmed_on=D("2020-12-20"))
    assert (first.year, first.due, first.confirmed_on) == (2021, D("2021-01-01"), D("2020-12-20"))
    with pytest.raises(Conflict) as twice:
        registration.confirm_annual(actor="t", inspector_id=OLD, year=2021, confirmed_on=D("2021-01-02"))
    assert twice.value.code == "ALREADY_CONFIRMED"
    assert refusal(lambda: registration.confirm_annual(actor="t", inspector_id=OLD, year=2023)) == [
        "CONFIRMATION_NOT_DUE"
    ]
    second = registration.confirm_annual(actor="t", inspector_id=OLD, confirmed_on=D("2021-12-30"))
    assert second.year == 2022
    assert Reminder.objects.filter(key=f"inspector-confirmation:{OLD}:2022").exists()
    assert AnnualConfirmation.objects.count() == 2


# --- status and grade -----------------------------------------------------------------------------


def test_status_changes_with_reasons_and_final_cancellation(
    inspector: Inspector, personas: Callable[[str], Persona]
) -> None:
    registration.change_status(
        actor="t",
        inspector_id=NUMBER,
        status="suspended",
        on=D("2025-06-01"),
        reason="no annual confirmation",
    )
    with pytest.raises(Conflict) as again:
        registration.change_status(
            actor="t", inspector_id=NUMBER, status="suspended", on=D("2025-07-01"), reason="x"
        )
    assert again.value.code == "STATUS_NOT_ALLOWED"
    assert refusal(
        lambda: registration.change_status(
            actor="t", inspector_id=NUMBER, status="active", on=D("2025-05-01"), reason="confirmed"
        )
    ) == ["EVENT_BEFORE_LATEST"]
    registration.change_status(
        actor="t", inspector_id=NUMBER, status="active", on=D("2025-07-01"), reason="confirmed"
    )
    registration.change_status(
        actor="t", inspector_id=NUMBER, status="cancelled", on=D("2025-09-01"), reason="retired"
    )
    before = snapshot(NUMBER)
    with pytest.raises(Conflict) as final:
        registration.change_status(
            actor="t", inspector_id=NUMBER, status="active", on=D("2025-10-01"), reason="x"
        )
    assert final.value.code == "REGISTRATION_CANCELLED"
    with pytest.raises(InvalidInput) as no_reason:
        registration.change_status(
            actor="t", inspector_id=NUMBER, status="suspended", on=D("2025-10-01"), reason=""
        )
    assert no_reason.value.field == "reason"
    assert snapshot(NUMBER) == before
    url = f"/api/v1/inspectors/{NUMBER}"
    for who, shown in (
        (None, False),
        (personas("staff_c"), False),
        (personas("registrar"), True),
        (personas("staff_a"), True),
    ):
        history = Client().get(url, headers=who.headers if who else {}).json()["history"]
        assert [(h["on"], h["to"], h.get("reason")) for h in history if h["event"] == "status"] == [
            ("2025-06-01", "suspended", "no annual confirmation" if shown else None),
            ("2025-07-01", "active", "confirmed" if shown else None),
            ("2025-09-01", "cancelled", "retired" if shown else None),
        ]


def test_grade_change_records_the_evidence(bodies: None) -> None:
    registration.register_inspector(
        actor="t",
        id="P-1",
        name={"en": "New Person"},
        grade="provisional",
        specialties=["0701"],
        registered=D("2025-01-01"),
        organisation="hk-cb-a",
    )
    event = registration.change_grade(
        actor="t",
        inspector_id="P-1",
        grade="inspector",
        on=D("2025-09-01"),
        evidence="CCAA letter 2025-88: five supervised inspections",
    )
    assert (event.grade, event.reason, event.status) == (
        "inspector",
        "CCAA letter 2025-88: five supervised inspections",
        "",
    )
    before = snapshot("P-1")
    assert refusal(
        lambda: registration.change_grade(
            actor="t", inspector_id="P-1", grade="inspector", on=D("2025-10-01"), evidence="again"
        )
    ) == ["GRADE_UNCHANGED"]
    with pytest.raises(InvalidInput) as no_evidence:
        registration.change_grade(
            actor="t", inspector_id="P-1", grade="senior", on=D("2025-10-01"), evidence=" "
        )
    assert no_evidence.value.field == "evidence"
    assert snapshot("P-1") == before
    # The grade at registration stays; the grade on a date follows the event.
    from cepa.decisions.services import decide

    assert [
        r.code
        for r in decide(
            "inspection", subject="P-1", org="hk-cb-a", product_type="0701", on="2025-08-31"
        ).reasons
        if not r.holds
    ] == ["GRADE"]
    assert decide("inspection", subject="P-1", org="hk-cb-a", product_type="0701", on="2025-09-01").allowed
    exported = Change.objects.filter(record_type="inspectors", record_id="P-1").last()
    assert exported is not None and exported.after["events"] == [
        {
            "on": "2025-09-01",
            "grade": "inspector",
            "reason": "CCAA letter 2025-88: five supervised inspections",
        }
    ]


# --- the API --------------------------------------------------------------------------------------


def _post(url: str, body: Any, who: Persona | None) -> Any:
    return Client().post(
        url, data=json.dumps(body), content_type="application/json", headers=who.headers if who else {}
    )


def test_api_registration_by_the_registrar_only(bodies: None, personas: Callable[[str], Persona]) -> None:
    body = {
        "id": "CCAA-2026-CCC-0042",
        "name": {"en": "Lee Siu Ming", "zh-Hant": "李小明"},
        "grade": "provisional",
        "specialties": ["07"],
        "registered": "2026-03-01",
        "organisation": "hk-cb-a",
        "date_of_birth": "1988-10-02",
        "identity_document": "Z1234567",
    }
    url = "/api/v1/inspectors/registrations"
    for who, status in (
        (None, 401),
        (personas("staff_a"), 403),
        (personas("admin"), 403),
        (personas("cnca"), 403),
    ):
        assert _post(url, body, who).status_code == status
    assert _post(url, {**body, "grade": "chief"}, personas("registrar")).status_code == 400
    assert _post(url, {**body, "organisation": "hk-lab"}, personas("registrar")).json()["failing"] == [
        "NOT_CERTIFICATION_BODY"
    ]
    assert not Inspector.objects.exists()
    created = _post(url, body, personas("registrar"))
    assert created.status_code == 201
    assert (created.json()["id"], created.json()["expires"], created.json()["organisation"]) == (
        "CCAA-2026-CCC-0042",
        "2029-02-28",
        "hk-cb-a",
    )
    assert "Z1234567" not in created.content.decode() and "1988" not in created.content.decode()
    assert _post(url, body, personas("registrar")).status_code == 409


def test_api_renewal_refusal_gives_the_reason(old: Inspector, personas: Callable[[str], Persona]) -> None:
    url = f"/api/v1/inspectors/{OLD}/renewals"
    before = snapshot(OLD)
    assert _post(url, {"applied_on": "2022-09-29"}, personas("staff_a")).status_code == 403
    assert _post("/api/v1/inspectors/none/renewals", {}, personas("registrar")).status_code == 404
    assert _post(url, {"applied_on": "29/09/2022"}, personas("registrar")).status_code == 400
    refused = _post(url, {"applied_on": "2022-09-29"}, personas("registrar"))
    assert (refused.status_code, refused.json()["failing"]) == (422, ["RENEWAL_WINDOW_NOT_OPEN"])
    assert refused.json()["message"] == (
        "Renewal can be applied for from 2022-09-30, 3 months before the registration expires on 2022-12-31."
    )
    assert _post(url, {"applied_on": "2022-10-15"}, personas("registrar")).json()["failing"] == ["AGE_LIMIT"]
    assert snapshot(OLD) == before
    done = _post(url, {"applied_on": "2022-10-14"}, personas("registrar"))
    assert (done.status_code, done.json()["expires"]) == (201, "2025-12-31")


def test_api_status_grade_and_confirmation(inspector: Inspector, personas: Callable[[str], Persona]) -> None:
    base = f"/api/v1/inspectors/{NUMBER}"
    suspended = _post(
        f"{base}/status", {"status": "suspended", "on": "2025-06-01", "reason": "late"}, personas("registrar")
    )
    assert suspended.status_code == 200
    assert suspended.json()["history"][-1] == {
        "on": "2025-06-01",
        "event": "status",
        "from": "active",
        "to": "suspended",
        "reason": "late",
    }
    again = _post(
        f"{base}/status", {"status": "suspended", "on": "2025-07-01", "reason": "x"}, personas("registrar")
    )
    assert (again.status_code, again.json()["code"]) == (409, "STATUS_NOT_ALLOWED")
    before = snapshot(NUMBER)
    assert (
        _post(
            f"{base}/status", {"status": "active", "on": "2025-07-01", "reason": "x"}, personas("staff_a")
        ).status_code
        == 403
    )
    assert snapshot(NUMBER) == before
    graded = _post(
        f"{base}/grade",
        {"grade": "senior", "on": "2025-08-01", "evidence": "CCAA decision 7"},
        personas("registrar"),
    )
    assert (graded.status_code, graded.json()["current_grade"]) == (200, "senior")
    # The inspector's own body records the annual confirmation; another body may not.
    before = snapshot(NUMBER)
    assert _post(f"{base}/confirmations", {"year": 2026}, personas("staff_c")).status_code == 403
    assert snapshot(NUMBER) == before
    confirmed = _post(
        f"{base}/confirmations", {"year": 2026, "confirmed_on": "2025-12-01"}, personas("staff_a")
    )
    assert confirmed.status_code == 201
    assert confirmed.json() == {
        "inspector": NUMBER,
        "year": 2026,
        "due": "2026-01-01",
        "confirmed_on": "2025-12-01",
        "next_due": "2027-01-01",
    }
    assert (
        _post(f"{base}/confirmations", {"year": 2026}, personas("registrar")).json()["code"]
        == "ALREADY_CONFIRMED"
    )
    assert PERSONAL["identity_document"] not in graded.content.decode()
