"""Hypothesis strategies for valid cepa-registry/1 documents."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

# Codes every shipped catalogue version lineage has had (checked against known_codes() in the tests).
CODES = ["0101", "0701", "0702", "0703", "0901", "0915", "1001", "2301"]
FAMILIES = ["01", "07", "09", "23"]

TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=12
)
IDS = st.text(alphabet="abcXYZ019- /~", min_size=1, max_size=6)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))
OFFSETS = st.sampled_from([None, 0, 8, -5, 14])


def _put_optional(draw: st.DrawFn, record: dict[str, Any], key: str, values: st.SearchStrategy[Any]) -> None:
    """Sets an optional field sometimes; the value may be "empty" (null, "") where the format allows."""
    if draw(st.booleans()):
        record[key] = draw(values)


def _recorded(draw: st.DrawFn, record: dict[str, Any]) -> dict[str, Any]:
    _put_optional(draw, record, "source", st.one_of(st.just(""), TEXT))
    _put_optional(draw, record, "note", TEXT)
    return record


def _names(draw: st.DrawFn) -> dict[str, str]:
    names = {"en": draw(TEXT)}
    _put_optional(draw, names, "zh-Hant", TEXT)
    _put_optional(draw, names, "zh-Hans", st.one_of(st.just(""), TEXT))
    return names


def _codes(draw: st.DrawFn, pool: list[str] | None = None, min_size: int = 0) -> list[str]:
    return draw(st.lists(st.sampled_from(pool or CODES), unique=True, min_size=min_size, max_size=4))


def _range(draw: st.DrawFn) -> tuple[str, str | None]:
    start = draw(DATES)
    if draw(st.booleans()):
        return start.isoformat(), None
    return start.isoformat(), (start + timedelta(days=draw(st.integers(0, 4000)))).isoformat()


def _timestamp(draw: st.DrawFn, moment: datetime) -> str:
    offset = draw(OFFSETS)
    if offset is None:  # no offset: Beijing time
        return moment.astimezone(timezone(timedelta(hours=8))).replace(tzinfo=None).isoformat()
    return moment.astimezone(timezone(timedelta(hours=offset))).isoformat()


def _moment(draw: st.DrawFn) -> datetime:
    day = draw(DATES)
    seconds = draw(st.integers(0, 86_399))
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    org_ids = draw(st.lists(IDS, unique=True, min_size=1, max_size=4))
    document: dict[str, Any] = {"format": "cepa-registry/1"}
    organisations = []
    for org_id in org_ids:
        org = {
            "id": org_id,
            "name": _names(draw),
            "kind": draw(st.sampled_from(["laboratory", "certification_body", "inspection_body"])),
            "seat": draw(st.sampled_from(["HK", "MAINLAND", "OVERSEAS"])),
        }
        _put_optional(draw, org, "hk_invested", st.booleans())
        _put_optional(draw, org, "cnca_code", st.one_of(st.none(), st.from_regex(r"\A[0-9]{2}\Z")))
        organisations.append(_recorded(draw, org))
    document["organisations"] = organisations
    orgs = st.sampled_from(org_ids)

    record: dict[str, Any]
    accreditations = []
    for acc_id in draw(st.lists(IDS, unique=True, max_size=3)):
        scope = _codes(draw, min_size=1)
        record = {
            "id": acc_id, "organisation": draw(orgs),
            "scheme": draw(st.sampled_from(["HOKLAS", "HKCAS", "HKIAS", "CNAS"])),
            "scope": scope, "granted": draw(DATES).isoformat(),
        }
        events = []
        for _ in range(draw(st.integers(0, 3))):
            event = {"on": draw(DATES).isoformat(),
                     "status": draw(st.sampled_from(["active", "suspended", "withdrawn"]))}
            _put_optional(draw, event, "scope", st.just(_codes(draw, scope, min_size=1)))
            _put_optional(draw, event, "reason", TEXT)
            _put_optional(draw, event, "basis", TEXT)
            events.append(_recorded(draw, event))
        _put_optional(draw, record, "events", st.just(events))
        accreditations.append(_recorded(draw, record))
    document["accreditations"] = accreditations

    designations = []
    for des_id in draw(st.lists(IDS, unique=True, max_size=3)):
        start, end = _range(draw)
        record = {"id": des_id, "organisation": draw(orgs),
                  "role": draw(st.sampled_from(["certification_body", "laboratory"])),
                  "product_types": _codes(draw), "from": start}
        _put_optional(draw, record, "until", st.just(end))
        _put_optional(draw, record, "basis", TEXT)
        designations.append(_recorded(draw, record))
    document["designations"] = designations

    agreements = []
    for agr_id in draw(st.lists(IDS, unique=True, max_size=3)):
        start, end = _range(draw)
        record = {"id": agr_id, "kind": draw(st.sampled_from(["testing", "factory_inspection", "sampling"])),
                  "party": draw(orgs), "counterparty": draw(orgs), "product_types": _codes(draw),
                  "from": start}
        _put_optional(draw, record, "until", st.just(end))
        terminated = date.fromisoformat(start) + timedelta(days=draw(st.integers(0, 900)))
        _put_optional(draw, record, "terminated_on", st.sampled_from([None, terminated.isoformat()]))
        agreements.append(_recorded(draw, record))
    document["agreements"] = agreements

    plans = []
    for plan_id in draw(st.lists(IDS, unique=True, max_size=2)):
        opens = _moment(draw)
        closes = opens + timedelta(seconds=draw(st.integers(0, 90 * 86_400)))
        record = {"id": plan_id, "year": draw(st.integers(2000, 2035)),
                  "role": draw(st.sampled_from(["certification_body", "laboratory"])),
                  "product_types": _codes(draw), "published": draw(DATES).isoformat(),
                  "window": {"opens": _timestamp(draw, opens), "closes": _timestamp(draw, closes)},
                  "requires_expression_of_interest": draw(st.booleans())}
        plans.append(_recorded(draw, record))
    document["plans"] = plans

    expressions = []
    for eoi_id in draw(st.lists(IDS, unique=True, max_size=2)):
        record = {"id": eoi_id, "organisation": draw(orgs), "year": draw(st.integers(2000, 2035)),
                  "product_types": _codes(draw), "submitted": _timestamp(draw, _moment(draw))}
        expressions.append(_recorded(draw, record))
    document["expressions_of_interest"] = expressions

    inspectors = []
    for inspector_id in draw(st.lists(IDS, unique=True, max_size=2)):
        registered = draw(DATES)
        affiliations = []
        for _ in range(draw(st.integers(0, 2))):
            start, end = _range(draw)
            affiliation: dict[str, Any] = {"organisation": draw(orgs), "from": start}
            _put_optional(draw, affiliation, "until", st.just(end))
            affiliations.append(affiliation)
        events = []
        for _ in range(draw(st.integers(0, 3))):
            change: dict[str, Any] = {"on": draw(DATES).isoformat()}
            sets = draw(st.sampled_from(["status", "grade", "both"]))
            if sets in ("status", "both"):
                change["status"] = draw(st.sampled_from(["active", "suspended", "cancelled"]))
            if sets in ("grade", "both"):
                change["grade"] = draw(st.sampled_from(["provisional", "inspector", "senior"]))
            _put_optional(draw, change, "reason", TEXT)
            events.append(_recorded(draw, change))
        record = {"id": inspector_id, "name": _names(draw),
                  "grade": draw(st.sampled_from(["provisional", "inspector", "senior"])),
                  "specialties": draw(st.lists(st.sampled_from(CODES + FAMILIES), unique=True, max_size=3)),
                  "registered": registered.isoformat(),
                  "expires": (registered + timedelta(days=draw(st.integers(0, 2000)))).isoformat(),
                  "affiliations": affiliations}
        _put_optional(draw, record, "events", st.just(events))
        inspectors.append(_recorded(draw, record))
    document["inspectors"] = inspectors
    if draw(st.booleans()):
        _certificates(draw, document, org_ids, [record["id"] for record in inspectors])
    # Every top-level list is optional.
    for name in ("designations", "agreements", "plans", "expressions_of_interest", "inspectors"):
        if draw(st.booleans()) and not document[name]:
            del document[name]
    return document


def _certificates(
    draw: st.DrawFn, document: dict[str, Any], org_ids: list[str], inspector_ids: list[str]
) -> None:
    """A certificate with its reports and inspections (rev. 2): its number fits its issuer's cnca_code
    (given to the issuer here), its product type and the year of `issued`."""
    orgs = st.sampled_from(org_ids)
    issuer_index = draw(st.integers(0, len(org_ids) - 1))
    issuer = document["organisations"][issuer_index]
    cnca_code = draw(st.from_regex(r"\A[0-9]{2}\Z"))
    issuer["cnca_code"] = cnca_code
    code = draw(st.sampled_from(CODES))
    issued = draw(DATES)
    report_ids = draw(st.lists(IDS, unique=True, min_size=1, max_size=2))
    reports = []
    for report_id in report_ids:
        report = {"id": report_id, "laboratory": draw(orgs), "product_type": code,
                  "issued": draw(DATES).isoformat(), "certification_body": draw(orgs)}
        reports.append(_recorded(draw, report))
    inspections = []
    if inspector_ids:
        for inspection_id in draw(st.lists(IDS, unique=True, max_size=2)):
            inspection = {
                "id": inspection_id, "organisation": draw(orgs), "on_behalf_of": draw(orgs),
                "inspectors": draw(st.lists(st.sampled_from(inspector_ids), unique=True, min_size=1)),
                "product_type": code, "on": draw(DATES).isoformat(),
            }
            inspections.append(_recorded(draw, inspection))
    expires = issued + timedelta(days=draw(st.integers(0, 2000)))
    year = issued.year - draw(st.integers(0, 3))
    number = f"{year:04d}{cnca_code}{code}{draw(st.integers(0, 999_999)):06d}"
    certificate: dict[str, Any] = {
        "id": number, "holder": _names(draw), "product_type": code, "issuer": issuer["id"],
        "issued": issued.isoformat(), "expires": expires.isoformat(),
        "test_reports": draw(st.permutations(report_ids)),
    }
    _put_optional(draw, certificate, "factory_inspections", st.just([i["id"] for i in inspections]))
    events = []
    for _ in range(draw(st.integers(0, 3))):
        on = issued + timedelta(days=draw(st.integers(0, (expires - issued).days)))
        status = draw(st.sampled_from(["valid", "suspended", "revoked", "cancelled"]))
        event: dict[str, Any] = {"on": on.isoformat(), "status": status}
        _put_optional(draw, event, "reason", TEXT)
        events.append(_recorded(draw, event))
    _put_optional(draw, certificate, "events", st.just(events))
    document["test_reports"] = reports
    document["factory_inspections"] = inspections
    document["certificates"] = [_recorded(draw, certificate)]
