"""Every kind of bad input names its JSON pointer and what is wrong, and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cepa.interchange.services import ImportProblem, ImportRefused, import_document
from cepa.interchange.tests.helpers import mutated, row_counts, sample

pytestmark = pytest.mark.django_db

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    """A change setting the value at a slash path such as agreements/1/counterparty."""

    def change(document: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split("/")]
        target: Any = document
        for part in parents:
            target = target[part]
        target[last] = value

    return change


def _delete(path: str) -> Change:
    def change(document: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split("/")]
        target: Any = document
        for part in parents:
            target = target[part]
        del target[last]

    return change


def _duplicate_first_organisation(document: dict[str, Any]) -> None:
    document["organisations"].append(dict(document["organisations"][0]))


CASES: dict[str, tuple[Change, list[str]]] = {
    "unknown reference": (
        _set("agreements/1/counterparty", "cn-cb-nowhere"),
        ['/agreements/1/counterparty: unknown organisation "cn-cb-nowhere"'],
    ),
    "unknown reference in an affiliation": (
        _set("inspectors/0/affiliations/0/organisation", "hk-cb-gone"),
        ['/inspectors/0/affiliations/0/organisation: unknown organisation "hk-cb-gone"'],
    ),
    "unknown product type code": (
        _set("designations/0/product_types/2", "0999"),
        ['/designations/0/product_types/2: unknown product type code "0999"'],
    ),
    "unknown specialty family": (
        _set("inspectors/0/specialties", ["07", "99"]),
        ['/inspectors/0/specialties/1: unknown product type family "99"'],
    ),
    "malformed product type code": (
        _set("agreements/0/product_types/0", "701"),
        ['/agreements/0/product_types/0: "701" is not a product type code (4 digits) or catalogue key'],
    ),
    "code listed twice": (
        _set("agreements/0/product_types", ["0701", "0702", "0701"]),
        ['/agreements/0/product_types/2: "0701" is listed twice'],
    ),
    "range ending before it starts": (
        _set("agreements/0/until", "2020-12-31"),
        ["/agreements/0/until: until 2020-12-31 is before from 2021-03-01"],
    ),
    "termination before the start": (
        _set("agreements/1/terminated_on", "2025-02-28"),
        ["/agreements/1/terminated_on: terminated_on 2025-02-28 is before from 2025-03-01"],
    ),
    "registration expiring before it starts": (
        _set("inspectors/0/expires", "2024-04-30"),
        ["/inspectors/0/expires: expires 2024-04-30 is before registered 2024-05-01"],
    ),
    "affiliation ending before it starts": (
        _set("inspectors/0/affiliations/0/until", "2024-01-01"),
        ["/inspectors/0/affiliations/0/until: until 2024-01-01 is before from 2024-05-01"],
    ),
    "window closing before it opens": (
        _set("plans/0/window/closes", "2026-06-01T17:00:00+08:00"),
        ["/plans/0/window/closes: closes 2026-06-01T17:00:00+08:00 is before "
         "opens 2026-06-02T09:00:00+08:00"],
    ),
    "id twice in one list": (
        _duplicate_first_organisation,
        ['/organisations/4/id: id "hk-lab-harbour" appears twice in organisations '
         "(first at /organisations/0)"],
    ),
    "malformed date": (
        _set("accreditations/1/granted", "2024-13-01"),
        ['/accreditations/1/granted: "2024-13-01" is not a valid date (YYYY-MM-DD)'],
    ),
    "date that does not exist": (
        _set("designations/0/from", "2017-02-29"),
        ['/designations/0/from: "2017-02-29" is not a valid date (YYYY-MM-DD)'],
    ),
    "date in another format": (
        _set("accreditations/0/events/0/on", "01/02/2026"),
        ['/accreditations/0/events/0/on: "01/02/2026" is not a valid date (YYYY-MM-DD)'],
    ),
    "date with a trailing newline": (
        _set("agreements/0/from", "2021-03-01\n"),
        ['/agreements/0/from: "2021-03-01\\n" is not a valid date (YYYY-MM-DD)'],
    ),
    "malformed timestamp": (
        _set("expressions_of_interest/0/submitted", "2026-03-20 11:15"),
        ['/expressions_of_interest/0/submitted: "2026-03-20 11:15" is not a valid timestamp '
         "(ISO 8601, such as 2026-06-16T09:00:00+08:00)"],
    ),
    "impossible time": (
        _set("plans/0/window/opens", "2026-06-02T25:00:00+08:00"),
        ['/plans/0/window/opens: "2026-06-02T25:00:00+08:00" is not a valid timestamp '
         "(ISO 8601, such as 2026-06-16T09:00:00+08:00)"],
    ),
    "missing required field": (
        _delete("agreements/0/party"),
        ["/agreements/0/party: missing required field"],
    ),
    "missing English name": (
        _set("organisations/2/name", {"zh-Hans": "华东产品认证中心"}),
        ["/organisations/2/name/en: missing required field"],
    ),
    "field the format does not have": (
        _set("organisations/0/website", "https://harbour.example"),
        ["/organisations/0/website: field not in the cepa-registry/1 format"],
    ),
    "personal data is not part of the format": (
        _set("inspectors/0/email", "wong@example.org"),
        ["/inspectors/0/email: field not in the cepa-registry/1 format"],
    ),
    "unknown top-level list": (
        _set("certificates", []),
        ["/certificates: field not in the cepa-registry/1 format"],
    ),
    "wrong format": (
        _set("format", "cepa-registry/2"),
        ['/format: wrong format "cepa-registry/2": expected "cepa-registry/1"'],
    ),
    "missing format": (
        _delete("format"),
        ["/format: missing required field"],
    ),
    "value outside its enumeration": (
        _set("organisations/0/seat", "HONG KONG"),
        ['/organisations/0/seat: "HONG KONG" is not one of: HK, MAINLAND, OVERSEAS'],
    ),
    "wrong type": (
        _set("organisations/0/hk_invested", "no"),
        ["/organisations/0/hk_invested: must be boolean, not a string"],
    ),
    "list that is not a list": (
        _set("agreements", {"id": "AGR-1"}),
        ["/agreements: must be array, not an object"],
    ),
    "event scope outside the accreditation's scope": (
        _set("accreditations/0/events/0/scope", ["0915", "0101"]),
        ["/accreditations/0/events/0/scope/1: \"0101\" is not in the accreditation's scope"],
    ),
    "event with an empty scope": (
        _set("accreditations/0/events/0/scope", []),
        ["/accreditations/0/events/0/scope: must list at least 1 item"],
    ),
    "inspector event setting nothing": (
        _set("inspectors/0/events", [{"on": "2025-01-10", "reason": "?"}]),
        ["/inspectors/0/events/0: must set status or grade"],
    ),
    "cnca code that is not two digits": (
        _set("organisations/2/cnca_code", "CQC"),
        ['/organisations/2/cnca_code: "CQC" is not a CNCA body code (2 digits)'],
    ),
    "cnca code with a trailing newline": (
        _set("organisations/2/cnca_code", "57\n"),
        ['/organisations/2/cnca_code: "57\\n" is not a CNCA body code (2 digits)'],
    ),
    "product type code with a trailing newline": (
        _set("plans/0/product_types", ["0915\n"]),
        ['/plans/0/product_types/0: "0915\\n" is not a product type code (4 digits) or catalogue key'],
    ),
    "empty id": (
        _set("plans/0/id", ""),
        ["/plans/0/id: must not be empty"],
    ),
    "id longer than the registry stores": (
        _set("inspectors/0/id", "X" * 101),
        ["/inspectors/0/id: is too long (at most 100 characters)"],
    ),
    "NUL character": (
        _set("organisations/0/note", "a\x00b"),
        ["/organisations/0/note: text may not contain NUL characters"],
    ),
    "unknown field in contact details": (
        _set("organisations/0/contact", {"phone": "+852 2345 6789", "fax": "+852 2345 6780"}),
        ["/organisations/0/contact/fax: field not in the cepa-registry/1 format"],
    ),
    "empty email": (
        _set("organisations/0/contact", {"email": ""}),
        ["/organisations/0/contact/email: must not be empty"],
    ),
    "empty website and phone": (
        _set("organisations/0/contact", {"website": "", "phone": ""}),
        ["/organisations/0/contact/phone: must not be empty",
         "/organisations/0/contact/website: must not be empty"],
    ),
    "address without English": (
        _set("organisations/0/contact", {"address": {"zh-Hant": "香港九龍"}}),
        ["/organisations/0/contact/address/en: missing required field"],
    ),
    "empty Chinese address": (
        _set("organisations/0/contact", {"address": {"en": "1 Harbour Road", "zh-Hans": ""}}),
        ["/organisations/0/contact/address/zh-Hans: must not be empty"],
    ),
    "address in an unknown language": (
        _set("organisations/0/contact", {"address": {"en": "1 Harbour Road", "fr": "1 rue du Port"}}),
        ["/organisations/0/contact/address/fr: field not in the cepa-registry/1 format"],
    ),
    "address that is text": (
        _set("organisations/0/contact", {"address": "1 Harbour Road"}),
        ["/organisations/0/contact/address: must be object, not a string"],
    ),
    "phone that is a number": (
        _set("organisations/0/contact", {"phone": 23456789}),
        ["/organisations/0/contact/phone: must be string, not a number"],
    ),
    "lone surrogate": (
        _set("organisations/1/name/zh-Hant", "\ud800"),
        ["/organisations/1/name/zh-Hant: text must be valid Unicode (it holds a lone surrogate)"],
    ),
}


def assert_refused(document: Any, expected: list[str], actor: str) -> None:
    before = row_counts()
    with pytest.raises(ImportRefused) as refused:
        import_document(actor=actor, document=document)
    assert [str(problem) for problem in refused.value.problems] == expected
    assert row_counts() == before


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_with_its_pointer(case: str, actor: str) -> None:
    change, expected = CASES[case]
    assert_refused(mutated(change), expected, actor)


@pytest.mark.parametrize("case", ["unknown reference", "range ending before it starts", "wrong format"])
def test_a_refusal_over_an_existing_registry_changes_nothing(case: str, actor: str) -> None:
    import_document(actor=actor, document=sample())
    change, expected = CASES[case]
    document = mutated(change)
    document["organisations"][0]["note"] = "would be an update"
    assert_refused(document, expected, actor)


def test_every_problem_is_reported_at_once_in_document_order(actor: str) -> None:
    def change(document: dict[str, Any]) -> None:
        document["inspectors"][0]["registered"] = "2024-5-1"
        document["agreements"][1]["party"] = "nobody"
        document["organisations"][3]["kind"] = "lab"
        document["agreements"][0]["product_types"].append("0000")

    assert_refused(mutated(change), [
        '/organisations/3/kind: "lab" is not one of: laboratory, certification_body, inspection_body',
        '/agreements/0/product_types/3: unknown product type code "0000"',
        '/agreements/1/party: unknown organisation "nobody"',
        '/inspectors/0/registered: "2024-5-1" is not a valid date (YYYY-MM-DD)',
    ], actor)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"format": "cepa-registry/1",', ": invalid JSON: Expecting property name enclosed in double quotes "
                                         "at line 1 column 30"),
        ("", ": invalid JSON: Expecting value at line 1 column 1"),
        ('{"format": NaN}', ": invalid JSON: NaN is not JSON"),
        (b'{"format": "\xff"}', ": invalid JSON: the document is not UTF-8 (byte 12)"),
        ("[]", ": the document must be a JSON object, not a list"),
    ],
)
def test_invalid_json_is_refused(text: str | bytes, expected: str, actor: str) -> None:
    assert_refused(text, [expected], actor)


def test_problems_are_objects_with_pointer_and_message(actor: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_document(actor=actor, document=mutated(_delete("format")))
    assert refused.value.problems == [ImportProblem("/format", "missing required field")]
    assert str(refused.value) == "/format: missing required field"


def test_a_pointer_escapes_slash_and_tilde(actor: str) -> None:
    def change(document: dict[str, Any]) -> None:
        document["organisations"][0]["a/b~c"] = 1

    assert_refused(mutated(change), [
        "/organisations/0/a~1b~0c: field not in the cepa-registry/1 format",
    ], actor)
