"""The write path: status changes, test reports and factory inspections; every refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from cepa.certificates import services
from cepa.certificates.models import Certificate, CertificateEvent, FactoryInspection, TestReport
from cepa.certificates.tests.conftest import NUMBER
from cepa.errors import Conflict, ErrorCode, InvalidInput, NotAllowed, NotFound
from cepa.history.models import Change
from cepa.testing.personas import Persona

NOW = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ACTOR = "user:east"


def snapshot() -> tuple[Any, ...]:
    """Everything a refused write must leave as it was."""
    return (
        list(CertificateEvent.objects.values_list("certificate_id", "position", "on", "status", "reason")),
        list(TestReport.objects.values_list("pk", flat=True)),
        list(FactoryInspection.objects.values_list("pk", flat=True)),
        Certificate.objects.count(),
        Change.objects.count(),
    )


def change(user: Any, action: str, reason: str = "factory failed follow-up", **options: Any) -> Certificate:
    return services.change_status(
        actor=ACTOR, user=user, number=NUMBER, action=action, reason=reason, now=NOW, **options
    )


def test_suspend_reinstate_then_revoke_with_history(chain: Certificate, east_staff: Persona) -> None:
    change(east_staff.user, "suspend", on=dt.date(2026, 11, 1))
    change(east_staff.user, "reinstate", "corrective actions verified", on=dt.date(2026, 11, 20))
    change(east_staff.user, "revoke", "misuse of the mark")
    events = list(
        CertificateEvent.objects.filter(certificate_id=NUMBER).values_list(
            "position", "on", "status", "reason"
        )
    )
    assert events == [
        (0, dt.date(2026, 11, 1), "suspended", "factory failed follow-up"),
        (1, dt.date(2026, 11, 20), "valid", "corrective actions verified"),
        (2, dt.date(2026, 12, 6), "revoked", "misuse of the mark"),
    ]
    changes = list(Change.objects.filter(record_id=NUMBER).order_by("id"))
    assert [c.action for c in changes] == ["transition", "transition", "transition"]
    assert changes[0].before is not None and "events" not in changes[0].before
    assert changes[0].after["events"] == [
        {"on": "2026-11-01", "status": "suspended", "reason": "factory failed follow-up"}
    ]
    assert changes[2].changeset.actor == ACTOR
    assert changes[2].changeset.reason == "misuse of the mark"


@pytest.mark.parametrize(
    ("options", "error", "code"),
    [
        ({"action": "suspend", "reason": "   "}, InvalidInput, ErrorCode.BAD_REQUEST),
        ({"action": "pause"}, InvalidInput, ErrorCode.BAD_REQUEST),
        ({"action": "suspend", "on": dt.date(2025, 5, 31)}, InvalidInput, ErrorCode.BAD_REQUEST),
        ({"action": "suspend", "on": dt.date(2026, 12, 7)}, InvalidInput, ErrorCode.BAD_REQUEST),
        ({"action": "reinstate"}, Conflict, ErrorCode.STATUS_NOT_ALLOWED),
    ],
)
def test_refused_changes_write_nothing(
    chain: Certificate, east_staff: Persona, options: dict[str, Any], error: type[Exception], code: ErrorCode
) -> None:
    before = snapshot()
    with pytest.raises(error) as raised:
        change(east_staff.user, **options)
    assert raised.value.code == code  # type: ignore[attr-defined]
    assert snapshot() == before


def test_revoked_is_final(chain: Certificate, east_staff: Persona) -> None:
    change(east_staff.user, "cancel", "holder asked", on=dt.date(2026, 10, 1))
    before = snapshot()
    for action in ("suspend", "reinstate", "revoke", "cancel"):
        with pytest.raises(Conflict) as raised:
            change(east_staff.user, action)
        assert "cancelled on 2026-12-06; that is final" in raised.value.message
    assert snapshot() == before


def test_an_event_before_the_latest_is_refused(chain: Certificate, east_staff: Persona) -> None:
    change(east_staff.user, "suspend", on=dt.date(2026, 11, 1))
    before = snapshot()
    with pytest.raises(InvalidInput) as raised:
        change(east_staff.user, "reinstate", on=dt.date(2026, 10, 1))
    assert raised.value.errors == {"on": "is before the certificate's latest event (2026-11-01)"}
    assert snapshot() == before


def test_only_the_issuers_staff_may_change_it(
    chain: Certificate, lionrock_staff: Persona, cnca_officer: Persona
) -> None:
    before = snapshot()
    with pytest.raises(NotAllowed) as raised:
        change(lionrock_staff.user, "suspend")
    assert raised.value.message == f"certificate {NUMBER} was issued by cn-cb-east, not by your body"
    for user in (cnca_officer.user, AnonymousUser()):
        with pytest.raises(NotAllowed):
            change(user, "suspend")
    assert snapshot() == before


def test_unknown_and_malformed_numbers_are_not_found(chain: Certificate, east_staff: Persona) -> None:
    for number in ("2025570701000002", "12", "2025570701000001\x00"):
        with pytest.raises(NotFound):
            services.change_status(
                actor=ACTOR, user=east_staff.user, number=number, action="suspend", reason="x", now=NOW
            )


def test_a_concurrent_change_loses_with_a_conflict(
    chain: Certificate, east_staff: Persona, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second of two suspensions read the certificate valid; it finds the first's event under the
    lock and is refused, nothing written."""
    check = services._check_transition

    def meanwhile(*args: Any, **kwargs: Any) -> None:
        check(*args, **kwargs)
        CertificateEvent.objects.create(
            certificate_id=NUMBER, position=0, on=dt.date(2026, 12, 6), status="suspended", reason="first"
        )

    monkeypatch.setattr(services, "_check_transition", meanwhile)
    with pytest.raises(Conflict) as raised:
        change(east_staff.user, "suspend")
    assert raised.value.message == f"certificate {NUMBER} changed meanwhile; it is now suspended"
    assert list(CertificateEvent.objects.values_list("reason", flat=True)) == ["first"]
    assert Change.objects.filter(record_id=NUMBER).count() == 0


# --- test reports ---------------------------------------------------------------------------------


def record_report(user: Any, **overrides: Any) -> TestReport:
    values: dict[str, Any] = {
        "report_id": "HV-2026-0412",
        "laboratory": "hk-lab-harbour",
        "product_type": "0701",
        "issued": dt.date(2026, 3, 2),
        "certification_body": "cn-cb-east",
    }
    values.update(overrides)
    return services.record_test_report(actor="user:harbour", user=user, now=NOW, **values)


def test_a_laboratory_records_its_report(lab_staff: Persona) -> None:
    report = record_report(lab_staff.user)
    assert (report.pk, report.laboratory_id, report.certification_body_id) == (
        "HV-2026-0412",
        "hk-lab-harbour",
        "cn-cb-east",
    )
    change = Change.objects.get(record_type="test_reports")
    assert change.after == {
        "id": "HV-2026-0412",
        "laboratory": "hk-lab-harbour",
        "product_type": "0701",
        "issued": "2026-03-02",
        "certification_body": "cn-cb-east",
    }


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"product_type": "07x"},
            {"product_type": "malformed product type code '07x': expected 4 digits or a catalogue key"},
        ),
        (
            {"product_type": "9999"},
            {"product_type": "unknown product type code '9999': no catalogue version has had it"},
        ),
        (
            {"certification_body": "hk-lab-harbour"},
            {"certification_body": "hk-lab-harbour is a laboratory, not a certification_body"},
        ),
        ({"certification_body": "nobody"}, {"certification_body": "no organisation with id 'nobody'"}),
        ({"issued": dt.date(2026, 12, 7)}, {"issued": "is after today (2026-12-06)"}),
        (
            {"report_id": " HV-1"},
            {"id": "must be the report's number: 1 to 100 characters, no surrounding spaces"},
        ),
    ],
)
def test_bad_reports_are_refused(
    lab_staff: Persona, overrides: dict[str, Any], errors: dict[str, str]
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput) as raised:
        record_report(lab_staff.user, **overrides)
    assert raised.value.errors == errors
    assert snapshot() == before


def test_a_report_number_twice_is_a_conflict(lab_staff: Persona) -> None:
    record_report(lab_staff.user)
    before = snapshot()
    with pytest.raises(Conflict) as raised:
        record_report(lab_staff.user)
    assert raised.value.code == ErrorCode.ALREADY_EXISTS
    assert snapshot() == before


def test_only_the_laboratorys_staff_record_its_reports(east_staff: Persona, cnca_officer: Persona) -> None:
    before = snapshot()
    with pytest.raises(NotAllowed):
        record_report(east_staff.user)
    with pytest.raises(NotAllowed):
        record_report(cnca_officer.user)
    assert snapshot() == before


# --- factory inspections --------------------------------------------------------------------------


def record_inspection(user: Any, **overrides: Any) -> FactoryInspection:
    values: dict[str, Any] = {
        "inspection_id": "FI-2026-88",
        "organisation": "hk-cb-lionrock",
        "on_behalf_of": "cn-cb-east",
        "inspectors": ["2024-CCC-HK-0007"],
        "product_type": "0701",
        "on": dt.date(2026, 3, 20),
    }
    values.update(overrides)
    return services.record_factory_inspection(actor="user:lionrock", user=user, now=NOW, **values)


def test_a_body_records_its_inspection(lionrock_staff: Persona) -> None:
    record_inspection(lionrock_staff.user)
    assert Change.objects.get(record_type="factory_inspections").after == {
        "id": "FI-2026-88",
        "organisation": "hk-cb-lionrock",
        "on_behalf_of": "cn-cb-east",
        "inspectors": ["2024-CCC-HK-0007"],
        "product_type": "0701",
        "on": "2026-03-20",
    }


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"inspectors": []}, {"inspectors": "must be a non-empty list of ids"}),
        ({"inspectors": ["nobody"]}, {"inspectors": "no inspector with registration number nobody"}),
        (
            {"inspectors": ["2024-CCC-HK-0007", "2024-CCC-HK-0007"]},
            {"inspectors": "listed more than once: 2024-CCC-HK-0007"},
        ),
        (
            {"on_behalf_of": "hk-lab-harbour"},
            {"on_behalf_of": "hk-lab-harbour is a laboratory, not a certification_body"},
        ),
        ({"on": "2026-03-20"}, {"on": "must be a date (YYYY-MM-DD)"}),
    ],
)
def test_bad_inspections_are_refused(
    lionrock_staff: Persona, overrides: dict[str, Any], errors: dict[str, str]
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput) as raised:
        record_inspection(lionrock_staff.user, **overrides)
    assert raised.value.errors == errors
    assert snapshot() == before


def test_only_the_bodys_staff_record_its_inspections(lab_staff: Persona) -> None:
    before = snapshot()
    with pytest.raises(NotAllowed):
        record_inspection(lab_staff.user)
    assert snapshot() == before
