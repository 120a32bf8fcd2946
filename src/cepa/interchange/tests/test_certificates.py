"""Test reports, factory inspections and certificates in `cepa-registry/1` (contract §1, rev. 2):
import with every refusal at its pointer and nothing written, idempotence, round trip and history."""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from cepa.certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateInspection,
    CertificateReport,
    FactoryInspection,
    InspectionInspector,
    TestReport,
)
from cepa.history.models import Change, ChangeSet
from cepa.interchange import services
from cepa.interchange.services import (
    ImportRefused,
    ListCounts,
    document_json,
    export_document,
    import_document,
)
from cepa.interchange.tests.helpers import canonical_form, row_counts, run_cepa, sample
from cepa.interchange.validation import CERTIFICATE_NUMBER_RULE

pytestmark = pytest.mark.django_db
import_command = importlib.import_module("cepa.interchange.management.commands.import")

NUMBER = "2025570701000123"
REPORT = {
    "id": "HV-2025-0412",
    "laboratory": "hk-lab-harbour",
    "product_type": "0701",
    "issued": "2025-05-02",
    "certification_body": "cn-cb-east",
}
INSPECTION = {
    "id": "FI-2025-88",
    "organisation": "hk-cb-lionrock",
    "on_behalf_of": "cn-cb-east",
    "inspectors": ["2024-CCC-HK-0007"],
    "product_type": "0701",
    "on": "2025-05-20",
}
CERTIFICATE = {
    "id": NUMBER,
    "holder": {"en": "Pearl Appliances Ltd", "zh-Hans": "珠江电器有限公司"},
    "product_type": "0701",
    "issuer": "cn-cb-east",
    "issued": "2025-06-01",
    "expires": "2030-05-31",
    "test_reports": ["HV-2025-0412"],
    "factory_inspections": ["FI-2025-88"],
    "events": [
        {"on": "2025-09-01", "status": "suspended", "reason": "factory moved"},
        {"on": "2025-10-15", "status": "valid"},
    ],
}


def document() -> dict[str, Any]:
    base = sample()
    base["test_reports"] = [copy.deepcopy(REPORT)]
    base["factory_inspections"] = [copy.deepcopy(INSPECTION)]
    base["certificates"] = [copy.deepcopy(CERTIFICATE)]
    return base


def only(**lists: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": "cepa-registry/1", **lists}


def problems_of(doc: dict[str, Any]) -> list[str]:
    """Imports a document that must be refused: its problems, after checking nothing was written."""
    before = row_counts()
    with pytest.raises(ImportRefused) as refused:
        import_document(actor="tester", document=doc)
    assert row_counts() == before
    return [str(problem) for problem in refused.value.problems]


CERTIFICATE_TABLES = [
    TestReport,
    FactoryInspection,
    InspectionInspector,
    Certificate,
    CertificateReport,
    CertificateInspection,
    CertificateEvent,
]


def certificate_rows() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in CERTIFICATE_TABLES}


# --- import, export, history --------------------------------------------------------------------------


def test_the_chain_imports_and_exports_in_its_canonical_form(actor: str) -> None:
    result = import_document(actor=actor, document=document())
    assert result.counts["test_reports"] == ListCounts(created=1)
    assert result.counts["factory_inspections"] == ListCounts(created=1)
    assert result.counts["certificates"] == ListCounts(created=1)
    assert certificate_rows() == {
        "TestReport": 1,
        "FactoryInspection": 1,
        "InspectionInspector": 1,
        "Certificate": 1,
        "CertificateReport": 1,
        "CertificateInspection": 1,
        "CertificateEvent": 2,
    }
    exported = export_document()
    assert exported == canonical_form(document())
    assert exported["certificates"][0] == CERTIFICATE
    assert list(exported)[-3:] == ["test_reports", "factory_inspections", "certificates"]
    stored = Certificate.objects.get()
    assert (stored.holder_en, stored.holder_zh_hant, stored.holder_zh_hans) == (
        "Pearl Appliances Ltd",
        "",
        "珠江电器有限公司",
    )


def test_optional_fields_are_left_out_of_export_when_empty(actor: str) -> None:
    doc = document()
    bare = {key: value for key, value in CERTIFICATE.items() if key not in {"factory_inspections", "events"}}
    doc["certificates"] = [{**bare, "factory_inspections": [], "events": [], "source": "", "note": "n"}]
    import_document(actor=actor, document=doc)
    assert export_document()["certificates"] == [{**bare, "note": "n"}]


def test_export_import_into_an_empty_registry_export_is_identical(actor: str) -> None:
    with transaction.atomic():
        import_document(actor=actor, document=document())
        first = document_json(export_document())
        transaction.set_rollback(True)
    assert Certificate.objects.count() == 0
    import_document(actor=actor, document=first)
    assert document_json(export_document()) == first


def test_the_same_document_twice_writes_nothing_and_records_no_history(actor: str) -> None:
    import_document(actor=actor, document=document())
    changesets = ChangeSet.objects.count()
    rows = certificate_rows()
    result = import_document(actor=actor, document=document())
    assert result.changeset_id is None
    assert result.counts["certificates"] == ListCounts(unchanged=1)
    assert result.counts["test_reports"] == ListCounts(unchanged=1)
    assert result.counts["factory_inspections"] == ListCounts(unchanged=1)
    assert ChangeSet.objects.count() == changesets
    assert certificate_rows() == rows


def test_every_new_record_is_in_the_history(actor: str) -> None:
    result = import_document(actor=actor, document=document())
    assert result.changeset_id is not None
    changes = Change.objects.filter(changeset_id=result.changeset_id)
    created = {
        (c.record_type, c.record_id): c.after
        for c in changes.filter(record_type__in=["test_reports", "factory_inspections", "certificates"])
    }
    assert created == {
        ("test_reports", "HV-2025-0412"): REPORT,
        ("factory_inspections", "FI-2025-88"): INSPECTION,
        ("certificates", NUMBER): CERTIFICATE,
    }
    assert set(changes.values_list("action", flat=True)) == {"create"}


def test_a_certificate_is_replaced_as_a_whole_with_its_history(actor: str) -> None:
    import_document(actor=actor, document=document())
    revoked = {**copy.deepcopy(CERTIFICATE), "events": [{"on": "2026-01-05", "status": "revoked"}]}
    del revoked["factory_inspections"]
    result = import_document(actor=actor, document=only(certificates=[revoked]), reason="revoked")
    assert result.counts["certificates"] == ListCounts(updated=1)
    assert result.changeset_id is not None
    change = Change.objects.get(changeset_id=result.changeset_id)
    assert (change.record_type, change.record_id, change.action) == ("certificates", NUMBER, "update")
    assert change.before == CERTIFICATE
    assert change.after == revoked
    assert export_document()["certificates"] == [revoked]
    assert list(CertificateEvent.objects.values_list("status", flat=True)) == ["revoked"]
    assert CertificateInspection.objects.count() == 0
    assert FactoryInspection.objects.count() == 1  # records the document does not mention stay


def test_inspectors_keep_their_order(actor: str) -> None:
    doc = document()
    doc["inspectors"].append({**copy.deepcopy(doc["inspectors"][0]), "id": "2024-CCC-HK-0001"})
    doc["factory_inspections"][0]["inspectors"] = ["2024-CCC-HK-0007", "2024-CCC-HK-0001"]
    import_document(actor=actor, document=doc)
    assert export_document()["factory_inspections"][0]["inspectors"] == [
        "2024-CCC-HK-0007",
        "2024-CCC-HK-0001",
    ]


def test_references_resolve_against_records_already_stored(actor: str) -> None:
    import_document(actor=actor, document=document())
    second = {**copy.deepcopy(CERTIFICATE), "id": "2025570701000124", "events": []}
    result = import_document(actor=actor, document=only(certificates=[second]))
    assert result.counts["certificates"] == ListCounts(created=1)
    inspection = {**INSPECTION, "id": "FI-2"}
    result = import_document(actor=actor, document=only(factory_inspections=[inspection]))
    assert result.counts["factory_inspections"] == ListCounts(created=1)


def test_codes_of_one_type_are_interchangeable(actor: str) -> None:
    doc = document()
    doc["designations"][0]["product_types"].append("0807")
    doc["test_reports"][0]["product_type"] = "0807"
    doc["factory_inspections"][0]["product_type"] = "0907"
    doc["certificates"][0].update(id="2025570907000123", product_type="0807")
    result = import_document(actor=actor, document=doc)
    assert result.counts["certificates"] == ListCounts(created=1)
    doc["certificates"][0].update(id="2025570807000124")
    import_document(actor=actor, document=doc)


def test_a_type_without_a_published_code_does_not_check_digits_7_to_10(actor: str) -> None:
    doc = document()
    doc["test_reports"][0]["product_type"] = "ebike-chargers"
    doc["factory_inspections"][0]["product_type"] = "ebike-chargers"
    doc["certificates"][0].update(id="2025579999000123", product_type="ebike-chargers")
    assert import_document(actor=actor, document=doc).counts["certificates"] == ListCounts(created=1)


@pytest.mark.parametrize("year", ["2025", "2024", "1999"])
def test_the_year_may_be_that_of_issued_or_earlier(actor: str, year: str) -> None:
    doc = document()
    doc["certificates"][0]["id"] = f"{year}570701000123"
    assert import_document(actor=actor, document=doc).counts["certificates"] == ListCounts(created=1)


@pytest.mark.parametrize(("on", "expires"), [("2025-06-01", "2025-06-01"), ("2030-05-31", "2030-05-31")])
def test_events_on_the_days_of_issued_and_expires_are_accepted(actor: str, on: str, expires: str) -> None:
    doc = document()
    doc["certificates"][0].update(expires=expires, events=[{"on": on, "status": "cancelled"}])
    assert import_document(actor=actor, document=doc).counts["certificates"] == ListCounts(created=1)


# --- refusals: each names its pointer and writes nothing ----------------------------------------------

Change_ = Callable[[dict[str, Any]], None]


def setting(path: str, value: Any) -> Change_:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split("/")]
        target: Any = doc
        for part in parents:
            target = target[part]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value

    return change


DELETE = object()
RULE = CERTIFICATE_NUMBER_RULE

CASES: dict[str, tuple[Change_, list[str]]] = {
    "number not 16 digits": (
        setting("certificates/0/id", "202557070100012"),
        [f'/certificates/0/id: "202557070100012" is not a CCC certificate number: {RULE}'],
    ),
    "number with letters": (
        setting("certificates/0/id", "2025570701A00123"),
        [f'/certificates/0/id: "2025570701A00123" is not a CCC certificate number: {RULE}'],
    ),
    "year after the year of issued": (
        setting("certificates/0/id", "2026570701000123"),
        [
            '/certificates/0/id: digits 1-4 of "2026570701000123" (year 2026) are after the year of issued '
            f"(2025): {RULE}"
        ],
    ),
    "another body's cnca_code": (
        setting("certificates/0/id", "2025580701000123"),
        [
            '/certificates/0/id: digits 5-6 of "2025580701000123" (58) are not the cnca_code of issuer '
            f'"cn-cb-east" (57): {RULE}'
        ],
    ),
    "issuer without cnca_code": (
        setting("certificates/0/issuer", "hk-cb-lionrock"),
        [
            '/certificates/0/issuer: issuer "hk-cb-lionrock" has no cnca_code: digits 5-6 of a CCC '
            "certificate number are its issuer's CNCA code"
        ],
    ),
    "another product type's code": (
        setting("certificates/0/id", "2025570702000123"),
        [
            '/certificates/0/id: digits 7-10 of "2025570702000123" (0702) are not a code of the '
            f'certificate\'s product type "0701" (0701): {RULE}'
        ],
    ),
    "expires before issued": (
        setting("certificates/0/expires", "2025-05-31"),
        [
            "/certificates/0/events/0/on: event on 2025-09-01 is after expires 2025-05-31",
            "/certificates/0/events/1/on: event on 2025-10-15 is after expires 2025-05-31",
            "/certificates/0/expires: expires 2025-05-31 is before issued 2025-06-01",
        ],
    ),
    "no test report": (
        setting("certificates/0/test_reports", []),
        ["/certificates/0/test_reports: must list at least 1 item"],
    ),
    "a report cited twice": (
        setting("certificates/0/test_reports", ["HV-2025-0412", "HV-2025-0412"]),
        ['/certificates/0/test_reports/1: "HV-2025-0412" is listed twice'],
    ),
    "unknown test report": (
        setting("certificates/0/test_reports/0", "HV-nowhere"),
        ['/certificates/0/test_reports/0: unknown test report "HV-nowhere"'],
    ),
    "unknown factory inspection": (
        setting("certificates/0/factory_inspections/0", "FI-nowhere"),
        ['/certificates/0/factory_inspections/0: unknown factory inspection "FI-nowhere"'],
    ),
    "report of another product type": (
        setting("test_reports/0/product_type", "0702"),
        [
            '/certificates/0/test_reports/0: test report "HV-2025-0412" is for product type "0702", not the '
            'certificate\'s product type "0701"'
        ],
    ),
    "inspection of another product type": (
        setting("factory_inspections/0/product_type", "0915"),
        [
            '/certificates/0/factory_inspections/0: factory inspection "FI-2025-88" is for product type '
            '"0915", not the certificate\'s product type "0701"'
        ],
    ),
    "inspection without inspectors": (
        setting("factory_inspections/0/inspectors", []),
        ["/factory_inspections/0/inspectors: must list at least 1 item"],
    ),
    "unknown inspector": (
        setting("factory_inspections/0/inspectors/0", "CCAA-nobody"),
        ['/factory_inspections/0/inspectors/0: unknown inspector "CCAA-nobody"'],
    ),
    "event before issued": (
        setting("certificates/0/events/0/on", "2025-05-31"),
        ["/certificates/0/events/0/on: event on 2025-05-31 is before issued 2025-06-01"],
    ),
    "event after expires": (
        setting("certificates/0/events/1/on", "2030-06-01"),
        ["/certificates/0/events/1/on: event on 2030-06-01 is after expires 2030-05-31"],
    ),
    "unknown event status": (
        setting("certificates/0/events/0/status", "withdrawn"),
        ['/certificates/0/events/0/status: "withdrawn" is not one of: valid, suspended, revoked, cancelled'],
    ),
    "unknown laboratory": (
        setting("test_reports/0/laboratory", "hk-lab-gone"),
        ['/test_reports/0/laboratory: unknown organisation "hk-lab-gone"'],
    ),
    "unknown certification body of a report": (
        setting("test_reports/0/certification_body", "cn-cb-gone"),
        ['/test_reports/0/certification_body: unknown organisation "cn-cb-gone"'],
    ),
    "unknown on_behalf_of": (
        setting("factory_inspections/0/on_behalf_of", "cn-cb-gone"),
        ['/factory_inspections/0/on_behalf_of: unknown organisation "cn-cb-gone"'],
    ),
    "unknown issuer": (
        setting("certificates/0/issuer", "cn-cb-gone"),
        ['/certificates/0/issuer: unknown organisation "cn-cb-gone"'],
    ),
    "unknown product type code of a report": (
        setting("test_reports/0/product_type", "0999"),
        ['/test_reports/0/product_type: unknown product type code "0999"'],
    ),
    "unknown product type code of a certificate": (
        setting("certificates/0/product_type", "0999"),
        ['/certificates/0/product_type: unknown product type code "0999"'],
    ),
    "malformed date": (
        setting("factory_inspections/0/on", "2025-02-30"),
        ['/factory_inspections/0/on: "2025-02-30" is not a valid date (YYYY-MM-DD)'],
    ),
    "missing holder": (
        setting("certificates/0/holder", DELETE),
        ["/certificates/0/holder: missing required field"],
    ),
    "holder without en": (
        setting("certificates/0/holder", {"zh-Hans": "珠江电器有限公司"}),
        ["/certificates/0/holder/en: missing required field"],
    ),
    "missing certification body": (
        setting("test_reports/0/certification_body", DELETE),
        ["/test_reports/0/certification_body: missing required field"],
    ),
    "field not in the format": (
        setting("certificates/0/scope", ["0701"]),
        ["/certificates/0/scope: field not in the cepa-registry/1 format"],
    ),
    "field not in the format on an event": (
        setting("certificates/0/events/0/basis", "x"),
        ["/certificates/0/events/0/basis: field not in the cepa-registry/1 format"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refused_document_names_each_problem_and_writes_nothing(case: str) -> None:
    change, expected = CASES[case]
    doc = document()
    change(doc)
    assert problems_of(doc) == expected


@pytest.mark.parametrize("list_name", ["test_reports", "factory_inspections", "certificates"])
def test_an_id_twice_in_one_list_is_refused(list_name: str) -> None:
    doc = document()
    doc[list_name].append(copy.deepcopy(doc[list_name][0]))
    first = doc[list_name][0]["id"]
    assert problems_of(doc) == [
        f'/{list_name}/1/id: id "{first}" appears twice in {list_name} (first at /{list_name}/0)'
    ]


def test_a_stored_certificate_refuses_a_new_cnca_code_for_its_issuer(actor: str) -> None:
    import_document(actor=actor, document=document())
    east = copy.deepcopy(sample()["organisations"][2])
    assert east["id"] == "cn-cb-east"
    rows = certificate_rows()
    changed = problems_of(only(organisations=[{**east, "cnca_code": "58"}]))
    assert changed == [
        '/organisations/0/cnca_code: the cnca_code of "cn-cb-east" is changed to "58", so the numbers of '
        f"certificates it issued no longer fit (digits 5-6 are the issuer's CNCA code): {NUMBER}"
    ]
    removed = {key: value for key, value in east.items() if key != "cnca_code"}
    assert problems_of(only(organisations=[removed])) == [
        '/organisations/0/cnca_code: the cnca_code of "cn-cb-east" is removed, so the numbers of '
        f"certificates it issued no longer fit (digits 5-6 are the issuer's CNCA code): {NUMBER}"
    ]
    assert certificate_rows() == rows
    # The same code again, or a new code for a body that issued nothing, is fine.
    assert import_document(actor=actor, document=only(organisations=[east])).changeset_id is None
    lionrock = copy.deepcopy(sample()["organisations"][1])
    import_document(actor=actor, document=only(organisations=[{**lionrock, "cnca_code": "58"}]))


def test_the_number_is_checked_against_the_issuers_code_after_the_import(actor: str) -> None:
    doc = document()
    doc["organisations"][2]["cnca_code"] = "58"
    doc["certificates"][0]["id"] = "2025580701000123"
    assert import_document(actor=actor, document=doc).counts["certificates"] == ListCounts(created=1)
    # Stored now: a later document citing the stored issuer is checked against its stored code.
    second = {**copy.deepcopy(CERTIFICATE), "id": "2025570701000999"}
    assert problems_of(only(certificates=[second])) == [
        '/certificates/0/id: digits 5-6 of "2025570701000999" (57) are not the cnca_code of issuer '
        f'"cn-cb-east" (58): {RULE}'
    ]


def test_a_stored_report_of_another_type_is_refused_at_the_citing_pointer(actor: str) -> None:
    import_document(actor=actor, document=document())
    import_document(
        actor=actor, document=only(test_reports=[{**REPORT, "id": "HV-9", "product_type": "0702"}])
    )
    second = {
        **copy.deepcopy(CERTIFICATE),
        "id": "2025570701000124",
        "test_reports": ["HV-2025-0412", "HV-9"],
    }
    assert problems_of(only(certificates=[second])) == [
        '/certificates/0/test_reports/1: test report "HV-9" is for product type "0702", not the '
        'certificate\'s product type "0701"'
    ]


# --- the streamed import of a file (services.import_file) ---------------------------------------------


@pytest.fixture
def parts_of_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of one record each, so every reference and id twice crosses parts."""
    monkeypatch.setattr(services, "PART", 1)


def write(tmp_path: Path, doc: Any, name: str = "doc.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return str(path)


@pytest.mark.usefixtures("parts_of_one")
def test_a_streamed_file_imports_as_the_document_would(actor: str, tmp_path: Path) -> None:
    doc = document()
    doc["test_reports"].append({**REPORT, "id": "HV-2"})
    doc["certificates"].append(
        {**copy.deepcopy(CERTIFICATE), "id": "2025570701000124", "test_reports": ["HV-2"]}
    )
    result = services.import_file(actor=actor, path=write(tmp_path, doc), reason="streamed")
    assert result.counts["certificates"] == ListCounts(created=2)
    assert result.counts["test_reports"] == ListCounts(created=2)
    assert result.counts["organisations"] == ListCounts(created=4)
    assert list(result.counts) == list(services.LISTS)
    assert export_document() == canonical_form(doc)
    assert result.changeset_id is not None
    assert ChangeSet.objects.filter(pk=result.changeset_id).count() == 1
    assert Change.objects.filter(changeset_id=result.changeset_id).count() == 12 + 5
    again = services.import_file(actor=actor, path=write(tmp_path, doc), reason="again")
    assert again.changeset_id is None
    assert again.counts["certificates"] == ListCounts(unchanged=2)


@pytest.mark.usefixtures("parts_of_one")
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_streamed_file_is_refused_as_the_document_would_be(case: str, tmp_path: Path) -> None:
    change, expected = CASES[case]
    doc = document()
    change(doc)
    before = row_counts()
    with pytest.raises(ImportRefused) as refused:
        services.import_file(actor="tester", path=write(tmp_path, doc))
    assert [str(p) for p in refused.value.problems] == expected
    assert row_counts() == before


@pytest.mark.usefixtures("parts_of_one")
def test_a_streamed_file_finds_ids_twice_across_parts_and_problems_in_later_parts(tmp_path: Path) -> None:
    doc = document()
    doc["certificates"].append(copy.deepcopy(CERTIFICATE))
    doc["certificates"].append({**copy.deepcopy(CERTIFICATE), "id": "2025570701000999", "issuer": "nowhere"})
    before = row_counts()
    with pytest.raises(ImportRefused) as refused:
        services.import_file(actor="tester", path=write(tmp_path, doc))
    assert [str(p) for p in refused.value.problems] == [
        f'/certificates/1/id: id "{NUMBER}" appears twice in certificates (first at /certificates/0)',
        '/certificates/2/issuer: unknown organisation "nowhere"',
    ]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format": "cepa-registry/1", "certificates": [{"id": 1},', "invalid JSON: "),
        ("[1, 2]", "the document must be a JSON object, not a list"),
        ('{"format": "cepa-registry/1"} x', "invalid JSON: Extra data at line 1 column 31"),
    ],
)
def test_a_streamed_file_that_is_not_a_document_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        services.import_file(actor="tester", path=str(path))
    (problem,) = refused.value.problems
    assert problem.pointer == ""
    assert problem.message.startswith(message)


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "cepa-registry/1", "test_reports": [{"id": 1}, ]}',
        '{"format": "cepa-registry/1", "test_reports": [{"id": 1},\n\n  ,{"id": 2}]}',
        '{"format": "cepa-registry/1", "test_reports": [{"id": 1} {"id": 2}]}',
        '{"format": "cepa-registry/1", "test_reports": [{"id": 1},\n  {"id": 2}\n  x]}',
        '{"format": "cepa-registry/1", "test_reports": [{"id": 1}, \n',
    ],
)
def test_a_streamed_file_names_a_json_error_where_the_document_would(tmp_path: Path, text: str) -> None:
    from cepa.interchange.validation import parse

    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as whole:
        parse(text)
    with pytest.raises(ImportRefused) as refused:
        services.import_file(actor="tester", path=str(path))
    assert [str(p) for p in refused.value.problems] == [str(p) for p in whole.value.problems]


def test_cepa_import_streams_a_large_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(import_command, "STREAM_FROM", 0)
    called: list[str] = []
    original = services.import_file

    def spy(**arguments: Any) -> Any:
        called.append(arguments["path"])
        return original(**arguments)

    monkeypatch.setattr(import_command, "import_file", spy)
    path = write(tmp_path, document())
    code, out, err = run_cepa(capsys, "import", path)
    assert (code, err) == (0, "")
    assert called == [path]
    assert "certificates: 1 created, 0 updated, 0 unchanged" in out
    bad = document()
    bad["certificates"][0]["id"] = "1"
    code, out, err = run_cepa(capsys, "import", write(tmp_path, bad, "bad.json"))
    assert (code, out) == (2, "")
    assert err == f'/certificates/0/id: "1" is not a CCC certificate number: {RULE}\n'


# One read of a file in export order; two in any other, with the same outcome.


def reversed_keys(doc: dict[str, Any]) -> dict[str, Any]:
    """The same document with its lists in the opposite order: certificates before what they cite,
    the organisations last."""
    return dict(reversed(list(doc.items())))


def count_first_passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    called: list[str] = []
    original = services._first_pass

    def spy(path: str) -> Any:
        called.append(path)
        return original(path)

    monkeypatch.setattr(services, "_first_pass", spy)
    return called


@pytest.mark.usefixtures("parts_of_one")
def test_a_streamed_file_in_export_order_is_read_once(
    actor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_passes = count_first_passes(monkeypatch)
    doc = document()
    result = services.import_file(actor=actor, path=write(tmp_path, doc), reason="once")
    assert first_passes == []
    assert result.counts["certificates"] == ListCounts(created=1)
    assert export_document() == canonical_form(doc)
    assert result.changeset_id is not None
    assert Change.objects.filter(changeset_id=result.changeset_id).count() == 12 + 3


@pytest.mark.usefixtures("parts_of_one")
@pytest.mark.parametrize(
    "reorder",
    [
        pytest.param(reversed_keys, id="certificates first, organisations last"),
        pytest.param(
            lambda doc: {
                **{key: value for key, value in doc.items() if key != "organisations"},
                "organisations": doc["organisations"],
            },
            id="organisations after the streamed lists",
        ),
        pytest.param(
            lambda doc: {**doc, "factory_inspections": [], "certificates": doc["certificates"]},
            id="an empty streamed list between two others",
        ),
    ],
)
def test_a_streamed_file_in_another_order_is_read_twice_and_imports_the_same(
    actor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reorder: Callable[[Any], Any]
) -> None:
    first_passes = count_first_passes(monkeypatch)
    doc = reorder(document())
    if not doc["factory_inspections"]:
        del doc["certificates"][0]["factory_inspections"]
    path = write(tmp_path, doc)
    changesets = ChangeSet.objects.count()
    result = services.import_file(actor=actor, path=path, reason="twice")
    assert first_passes == [path]
    assert export_document() == canonical_form(doc)
    assert ChangeSet.objects.count() == changesets + 1
    assert result.changeset_id is not None
    assert Change.objects.filter(changeset_id=result.changeset_id).count() == sum(
        len(doc[name]) for name in services.LISTS if name in doc
    )


@pytest.mark.usefixtures("parts_of_one")
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_streamed_file_in_another_order_is_refused_as_the_document_would_be(
    case: str, tmp_path: Path
) -> None:
    change, expected = CASES[case]
    doc = document()
    change(doc)
    before = row_counts()
    with pytest.raises(ImportRefused) as refused:
        services.import_file(actor="tester", path=write(tmp_path, reversed_keys(doc)))
    assert [str(p) for p in refused.value.problems] == expected
    assert row_counts() == before


BARE_CERTIFICATE = {k: v for k, v in CERTIFICATE.items() if k not in {"events", "factory_inspections"}}
FULL_REPORT = {**REPORT, "source": "lab register", "note": "re-issued"}
FULL_INSPECTION = {**INSPECTION, "inspectors": ["b", "a"], "note": "second visit", "source": ""}
FULL_CERTIFICATE = {
    **CERTIFICATE,
    "holder": {"en": "Pearl", "zh-Hant": "珠江", "zh-Hans": ""},
    "factory_inspections": [],
    "events": [
        {"on": "2025-09-01", "status": "suspended", "reason": "", "source": "notice 7", "note": "n"},
        {"on": "2025-10-15", "status": "valid", "reason": "fixed"},
    ],
    "source": "",
    "note": "transferred",
}


@pytest.mark.parametrize(
    ("list_name", "record"),
    [
        ("test_reports", REPORT),
        ("test_reports", FULL_REPORT),
        ("factory_inspections", INSPECTION),
        ("factory_inspections", FULL_INSPECTION),
        ("certificates", CERTIFICATE),
        ("certificates", FULL_CERTIFICATE),
        ("certificates", {**CERTIFICATE, "events": []}),
        ("certificates", BARE_CERTIFICATE),
    ],
)
def test_import_rows_give_what_to_rows_and_to_record_give(list_name: str, record: dict[str, Any]) -> None:
    """The streamed import's one step (RecordType.import_rows) against the general two."""
    from cepa.interchange.records import RECORD_TYPES
    from cepa.records import format_date

    record_type = RECORD_TYPES[list_name]
    direct = record_type.import_rows
    assert direct is not None
    parent, links, after = direct.build(copy.deepcopy(record), lambda day: f"day {day}")
    rows = record_type.to_rows(copy.deepcopy(record))

    def shown(row: dict[str, Any], names: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(
            f"day {format_date(row[name])}" if name in {"issued", "expires", "on"} else row[name]
            for name in names
        )

    assert parent == shown(rows.parent, direct.parent)
    assert list(links) == [
        [shown(row, names) for row in rows.children[child.key]]
        for child, names in zip(record_type.children, direct.children, strict=True)
    ]
    assert json.dumps(after) == json.dumps(record_type.to_record(rows.parent, rows.children))


@pytest.mark.parametrize("list_name", ["test_reports", "factory_inspections", "certificates"])
def test_a_valid_part_takes_the_quick_check_and_the_direct_rows(actor: str, list_name: str) -> None:
    """The streamed import's speed-ups are in use, not silently bypassed: a valid part of each list passes
    the quick check (which answers True only when the full checks find nothing), and each list's
    import_rows follows its tables' columns (else `direct_columns` turns the direct path off)."""
    from cepa.interchange.services import check_context, direct_columns
    from cepa.interchange.validation import Problems, quick_part_ok, semantic_problems

    doc = document()
    part = {"format": doc["format"], list_name: doc.pop(list_name)}
    for later in ("certificates", "factory_inspections", "test_reports"):
        if later == list_name:
            break
        doc.pop(later)  # what the part cites is stored; what cites the part is not
    import_document(actor=actor, document=doc)
    context = check_context()
    problems = Problems()
    semantic_problems(part, context, problems)
    assert not problems
    assert quick_part_ok(part, context, duplicate_ids=True, clean_text=False)
    assert direct_columns(list_name) is not None
