"""Fixtures of the certificates tests: the API tests' registry (cepa.testing.registries), a chain on it
(a Hong Kong laboratory's report and a Hong Kong body's factory inspection for cn-cb-east, CNCA code 57)
and the staff of the bodies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cepa.certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateInspection,
    CertificateReport,
    FactoryInspection,
    InspectionInspector,
    TestReport,
)
from cepa.testing import personas
from cepa.testing.personas import Persona
from cepa.testing.registries import make_registry

NUMBER = "2025570701000001"  # year 2025, cn-cb-east (57), product type 0701, serial 1
TODAY = dt.date(2026, 12, 6)


def report(
    id_: str, laboratory: str, issued: str, *, product_type: str = "0701", body: str = "cn-cb-east"
) -> TestReport:
    return TestReport.objects.create(
        id=id_,
        laboratory_id=laboratory,
        product_type=product_type,
        issued=dt.date.fromisoformat(issued),
        certification_body_id=body,
    )


def inspection(
    id_: str,
    organisation: str,
    on: str,
    inspectors: list[str],
    *,
    product_type: str = "0701",
    body: str = "cn-cb-east",
) -> FactoryInspection:
    found = FactoryInspection.objects.create(
        id=id_,
        organisation_id=organisation,
        on_behalf_of_id=body,
        product_type=product_type,
        on=dt.date.fromisoformat(on),
    )
    for position, name in enumerate(inspectors):
        InspectionInspector.objects.create(inspection=found, inspector_id=name, position=position)
    return found


def certificate(
    number: str,
    issued: str,
    expires: str,
    reports: list[str],
    inspections: list[str] = (),  # type: ignore[assignment]
    *,
    events: list[tuple[str, str]] = (),  # type: ignore[assignment]
    issuer: str = "cn-cb-east",
    product_type: str = "0701",
    holder: str = "Pearl Appliances Ltd",
    **fields: Any,
) -> Certificate:
    found = Certificate.objects.create(
        id=number,
        holder_en=holder,
        product_type=product_type,
        issuer_id=issuer,
        issued=dt.date.fromisoformat(issued),
        expires=dt.date.fromisoformat(expires),
        **fields,
    )
    for position, id_ in enumerate(reports):
        CertificateReport.objects.create(certificate=found, test_report_id=id_, position=position)
    for position, id_ in enumerate(inspections):
        CertificateInspection.objects.create(certificate=found, inspection_id=id_, position=position)
    for position, (on, status) in enumerate(events):
        CertificateEvent.objects.create(
            certificate=found, position=position, on=dt.date.fromisoformat(on), status=status, reason="r"
        )
    return found


@pytest.fixture
def registry(db: None) -> None:
    make_registry()


@pytest.fixture
def chain(registry: None) -> Certificate:
    """A certificate of cn-cb-east issued 2025-06-01 on a report of hk-lab-harbour (2025-05-01, under
    its testing agreement, which ended 2026-02-28) and an inspection by hk-cb-lionrock's inspector
    (2025-05-15, under its factory inspection agreement, terminated 2025-07-01)."""
    report("HV-2025-0001", "hk-lab-harbour", "2025-05-01")
    inspection("FI-2025-0001", "hk-cb-lionrock", "2025-05-15", ["2024-CCC-HK-0007"])
    return certificate(NUMBER, "2025-06-01", "2030-05-31", ["HV-2025-0001"], ["FI-2025-0001"])


@pytest.fixture
def east_staff(registry: None) -> Persona:
    return personas.applicant("east", "cn-cb-east")


@pytest.fixture
def lab_staff(registry: None) -> Persona:
    return personas.applicant("harbour", "hk-lab-harbour")


@pytest.fixture
def lionrock_staff(registry: None) -> Persona:
    return personas.applicant("lionrock", "hk-cb-lionrock")
