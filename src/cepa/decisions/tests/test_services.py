from __future__ import annotations

import datetime as dt

import pytest

from cepa.decisions import services
from cepa.decisions.services import DecisionInputError, decide, designation_for_all, inspection_for_all
from cepa.rules.facts import BEIJING
from cepa.testing.factories import D, T, organisation

pytestmark = pytest.mark.usefixtures("registry")


def failing(decision: services.Decision) -> list[str]:
    return decision.failing


def test_testing_allowed_and_refused() -> None:
    assert decide("testing", subject="hk-lab-a", product_type="0701", on="2026-05-20").allowed is True
    refused = decide("testing", subject="hk-lab-a", product_type="0915", on="2026-05-01")
    assert failing(refused) == ["ACCREDITATION_SUSPENDED"]
    assert decide("testing", subject="hk-lab-a", product_type="0915", on="2026-08-01").allowed is True


def test_testing_mainland_and_overseas() -> None:
    assert failing(decide("testing", subject="cn-lab-m", product_type="0701", on="2026-05-20")) == [
        "DESIGNATED"
    ]
    overseas = decide("testing", subject="os-lab", product_type="0701", on="2026-05-20")
    assert [r.code for r in overseas.reasons] == ["KIND_NOT_ELIGIBLE"]


def test_removed_code_is_known_and_refused() -> None:
    decision = decide("testing", subject="hk-lab-a", product_type="0801", on="2026-05-20")
    assert "PRODUCT_IN_CATALOGUE" in failing(decision)


def test_inspection() -> None:
    assert decide(
        "inspection", subject="CCAA-0001", org="hk-cb-b", product_type="0702", on="2025-06-01"
    ).allowed
    suspended = decide("inspection", subject="CCAA-0001", org="hk-cb-b", product_type="0702", on="2025-02-09")
    assert failing(suspended) == ["REGISTERED", "ORG_AGREEMENT"]


def test_designation_routes() -> None:
    routine = decide("designation", subject="cn-lab-m", product_type="0701", at="2026-05-05T10:00:00+08:00")
    assert (routine.route, routine.allowed) == ("routine", True)
    open_ = decide("designation", subject="cn-lab-m", product_type="0915", at="2026-06-05T10:00:00+08:00")
    assert (open_.route, open_.plan, open_.allowed) == ("plan", "2026-1", True)
    # the draft plan's window is open on 2026-05-05 but drafts never count
    early = decide("designation", subject="cn-lab-m", product_type="0915", at="2026-05-05T10:00:00+08:00")
    assert (early.route, early.plan, failing(early)) == ("plan", None, ["PLAN_PUBLISHED"])
    gate = decide("designation", subject="hk-lab-a", product_type="0915", at="2026-06-05T10:00:00+08:00")
    assert (gate.route, failing(gate)) == ("none", ["MAINLAND_ESTABLISHED"])


def test_timestamp_without_offset_is_beijing_time() -> None:
    closed = decide("designation", subject="cn-lab-m", product_type="0915", at="2026-06-12T17:00:01")
    assert failing(closed) == ["WINDOW_OPEN"]
    last_second = decide("designation", subject="cn-lab-m", product_type="0915", at="2026-06-12T17:00:00")
    assert last_second.allowed is True
    utc = decide("designation", subject="cn-lab-m", product_type="0915", at="2026-06-12T09:00:00Z")
    assert utc.allowed is True
    assert utc.to_json()["at"] == "2026-06-12T17:00:00+08:00"


def test_enquiry() -> None:
    decision = decide("enquiry", product_type="2401", lang="zh-hant")
    out = decision.to_json()
    assert out["sector"] == "non_electrical_electronic"
    assert out["allowed"] is True
    assert out["reasons"] == []


def test_bundled_code_is_known() -> None:
    # 0907 is bundled with 0807 in the shipped catalogue, which is always loaded
    assert decide("enquiry", product_type="0907").sector == "electrical_electronic"


def test_languages_accepted_case_insensitively() -> None:
    for lang, canonical in (
        ("en", "en"),
        ("EN", "en"),
        ("zh-Hant", "zh-Hant"),
        ("zh-hant", "zh-Hant"),
        ("zh-Hans", "zh-Hans"),
        ("zh-HANS", "zh-Hans"),
    ):
        decision = decide("testing", subject="hk-lab-a", product_type="0701", on="2026-05-20", lang=lang)
        assert decision.lang == canonical
    chinese = decide("testing", subject="hk-lab-a", product_type="0701", on="2026-05-20", lang="zh-hans")
    assert chinese.lang == "zh-Hans"
    assert chinese.reasons[0].message == "0701于2026-05-20在CCC目录内"


def test_defaults_on_today_and_at_now_in_beijing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "today_in_beijing", lambda: D("2026-05-20"))
    monkeypatch.setattr(services, "now_in_beijing", lambda: T("2026-06-05T10:00:00+08:00"))
    assert decide("testing", subject="hk-lab-a", product_type="0701").on == D("2026-05-20")
    assert decide("designation", subject="cn-lab-m", product_type="0915").at == T("2026-06-05T10:00:00+08:00")


def test_today_in_beijing_is_the_beijing_date() -> None:
    now = dt.datetime.now(BEIJING)
    assert services.today_in_beijing() in {now.date(), (now + dt.timedelta(seconds=5)).date()}
    assert services.now_in_beijing().utcoffset() == dt.timedelta(hours=8)


def test_date_and_datetime_objects_accepted() -> None:
    assert decide("testing", subject="hk-lab-a", product_type="0701", on=D("2026-05-20")).allowed is True
    naive = dt.datetime(2026, 6, 5, 10)  # noqa: DTZ001 - a naive time is Beijing time, as in the contract
    assert decide("designation", subject="cn-lab-m", product_type="0915", at=naive).at == T(
        "2026-06-05T10:00"
    )
    aware = dt.datetime(2026, 6, 5, 2, tzinfo=dt.UTC)
    assert decide("designation", subject="cn-lab-m", product_type="0915", at=aware).to_json()["at"] == (
        "2026-06-05T10:00:00+08:00"
    )


@pytest.mark.parametrize(
    ("question", "arguments", "field", "message"),
    [
        (
            "licensing",
            {"product_type": "0701"},
            "question",
            "unknown question 'licensing': use one of testing, inspection, designation, enquiry, certificate",
        ),
        ("testing", {"product_type": "0701"}, "subject", "required by the testing question"),
        ("testing", {"subject": "hk-lab-a"}, "product_type", "required by the testing question"),
        (
            "inspection",
            {"subject": "CCAA-0001", "product_type": "0701"},
            "org",
            "required by the inspection question",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "0701", "at": "2026-01-01T00:00"},
            "at",
            "not accepted by the testing question",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "org": "hk-cb-b", "product_type": "0701"},
            "org",
            "not accepted by the testing question",
        ),
        (
            "designation",
            {"subject": "cn-lab-m", "product_type": "0915", "on": "2026-01-01"},
            "on",
            "not accepted by the designation question",
        ),
        (
            "enquiry",
            {"product_type": "0701", "subject": "hk-lab-a"},
            "subject",
            "not accepted by the enquiry question",
        ),
        (
            "enquiry",
            {"product_type": "0701", "on": "2026-01-01"},
            "on",
            "not accepted by the enquiry question",
        ),
        (
            "testing",
            {"subject": "nobody", "product_type": "0701"},
            "subject",
            "no organisation with id 'nobody'",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "9999"},
            "product_type",
            "unknown product type code '9999': no catalogue version has had it",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "07"},
            "product_type",
            "malformed product type code '07': expected 4 digits or a catalogue key",
        ),
        (
            "enquiry",
            {"product_type": "ABCD"},
            "product_type",
            "malformed product type code 'ABCD': expected 4 digits or a catalogue key",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "0701", "on": "2026-13-01"},
            "on",
            "no such date '2026-13-01'",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "0701", "on": "2026-02-30"},
            "on",
            "no such date '2026-02-30'",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "0701", "on": "20260101"},
            "on",
            "malformed date '20260101': expected YYYY-MM-DD",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "0701", "on": "2026-01-01T00:00"},
            "on",
            "malformed date '2026-01-01T00:00': expected YYYY-MM-DD",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "0701", "on": ""},
            "on",
            "malformed date '': expected YYYY-MM-DD",
        ),
        (
            "designation",
            {"subject": "cn-lab-m", "product_type": "0915", "at": "2026-06-05"},
            "at",
            "malformed timestamp '2026-06-05': expected ISO 8601 such as 2026-06-05T10:00:00+08:00",
        ),
        (
            "designation",
            {"subject": "cn-lab-m", "product_type": "0915", "at": "tomorrow"},
            "at",
            "malformed timestamp 'tomorrow': expected ISO 8601 such as 2026-06-05T10:00:00+08:00",
        ),
        (
            "designation",
            {"subject": "cn-lab-m", "product_type": "0915", "at": "2026-06-05T25:00:00"},
            "at",
            "no such time '2026-06-05T25:00:00'",
        ),
        (
            "inspection",
            {"subject": "nobody", "org": "hk-cb-b", "product_type": "0701"},
            "subject",
            "no inspector with registration number 'nobody'",
        ),
        (
            "inspection",
            {"subject": "CCAA-0001", "org": "nobody", "product_type": "0701"},
            "org",
            "no organisation with id 'nobody'",
        ),
        (
            "designation",
            {"subject": "nobody", "product_type": "0701"},
            "subject",
            "no organisation with id 'nobody'",
        ),
        (
            "testing",
            {"subject": "hk-lab-a", "product_type": "0701", "lang": "fr"},
            "lang",
            "unknown language 'fr': use one of en, zh-Hant, zh-Hans",
        ),
    ],
)
def test_bad_input(question: str, arguments: dict[str, str], field: str, message: str) -> None:
    with pytest.raises(DecisionInputError) as error:
        decide(question, **arguments)  # type: ignore[arg-type]
    assert (error.value.field, error.value.message) == (field, message)
    assert str(error.value) == f"{field}: {message}"


def test_testing_for_all_decides_every_laboratory() -> None:
    decisions = services.testing_for_all("0701", on="2026-05-20")
    assert [(d.subject, d.allowed) for d in decisions] == [
        ("cn-lab-m", False),
        ("hk-lab-a", True),
        ("os-lab", False),
    ]
    single = decide("testing", subject="hk-lab-a", product_type="0701", on="2026-05-20")
    assert decisions[1].to_json() == single.to_json()
    for decision in decisions:
        assert (
            decision.to_json()
            == decide("testing", subject=decision.subject, product_type="0701", on="2026-05-20").to_json()
        )


def test_for_all_validates_input() -> None:
    with pytest.raises(DecisionInputError) as error:
        services.testing_for_all("9999", on="2026-05-20")
    assert error.value.field == "product_type"
    with pytest.raises(DecisionInputError):
        services.testing_for_all("0701", on="2026/05/20")


def test_inspection_for_all_matches_single_decisions() -> None:
    organisation("hk-ib", "inspection_body", "HK")
    decisions = inspection_for_all("0702", on="2025-06-01")
    assert [(d.subject, d.org, d.allowed) for d in decisions] == [("CCAA-0001", "hk-cb-b", True)]
    single = decide("inspection", subject="CCAA-0001", org="hk-cb-b", product_type="0702", on="2025-06-01")
    assert decisions[0].to_json() == single.to_json()


def test_designation_for_all_matches_single_decisions() -> None:
    decisions = designation_for_all("0915", at="2026-06-05T10:00:00+08:00")
    assert [d.subject for d in decisions] == ["cn-cb-x", "cn-lab-m"]
    for decision in decisions:
        single = decide(
            "designation", subject=decision.subject, product_type="0915", at="2026-06-05T10:00:00+08:00"
        )
        assert decision.to_json() == single.to_json()
