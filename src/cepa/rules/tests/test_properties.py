"""Properties that hold for every snapshot: allowed exactly when no reason fails, gates alone, chaining."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cepa.rules import facts
from cepa.rules.decision import Decision
from cepa.rules.designation import decide_designation, next_deadline
from cepa.rules.inspection import decide_inspection
from cepa.rules.messages import CODES, GATES
from cepa.rules.status import accreditation_status
from cepa.rules.testing import decide_testing

CODES_POOL = ["0701", "0702", "0901"]
ORG_IDS = ["o1", "o2", "o3", "o4"]
START = dt.date(2024, 1, 1)

days = st.integers(min_value=0, max_value=60).map(lambda n: START + dt.timedelta(days=n))
maybe_days = st.none() | days
code_sets = st.frozensets(st.sampled_from(CODES_POOL), max_size=3)
moments = st.integers(min_value=0, max_value=60 * 24 * 4).map(
    lambda n: dt.datetime(2024, 1, 1, tzinfo=facts.BEIJING) + dt.timedelta(minutes=15 * n)
)
offsets = st.sampled_from([dt.UTC, facts.BEIJING, dt.timezone(dt.timedelta(hours=-5))])


def _periods(start: dt.date, removed: dt.date | None) -> tuple[facts.CataloguePeriod, ...]:
    """One period from `start` to the day before `removed` (none when that ends before it starts)."""
    until = None if removed is None else removed - dt.timedelta(days=1)
    return () if until is not None and until < start else (facts.CataloguePeriod(start, until),)


@st.composite
def snapshots(draw: st.DrawFn) -> facts.Snapshot:
    organisations = [
        facts.Organisation(
            org_id,
            draw(st.sampled_from([facts.LABORATORY, facts.CERTIFICATION_BODY, facts.INSPECTION_BODY])),
            draw(st.sampled_from([facts.HK, facts.MAINLAND, facts.OVERSEAS])),
        )
        for org_id in ORG_IDS
    ]
    events = st.builds(
        facts.AccreditationEvent,
        days,
        st.sampled_from([facts.ACTIVE, facts.SUSPENDED, facts.WITHDRAWN]),
        st.none() | code_sets,
    )
    accreditations = [
        facts.Accreditation(
            f"A{i}",
            draw(st.sampled_from(ORG_IDS)),
            draw(st.sampled_from([facts.HOKLAS, facts.HKCAS])),
            draw(days),
            draw(code_sets),
            tuple(draw(st.lists(events, max_size=4))),
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    designations = [
        facts.Designation(
            f"D{i}",
            draw(st.sampled_from(ORG_IDS)),
            draw(st.sampled_from([facts.LABORATORY, facts.CERTIFICATION_BODY])),
            draw(code_sets),
            draw(days),
            draw(maybe_days),
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    agreements = [
        facts.Agreement(
            f"G{i}",
            draw(st.sampled_from([facts.TESTING, facts.FACTORY_INSPECTION])),
            draw(st.sampled_from(ORG_IDS)),
            draw(st.sampled_from(ORG_IDS)),
            draw(code_sets),
            draw(days),
            draw(maybe_days),
            draw(maybe_days),
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    inspector_events = st.builds(
        facts.InspectorEvent,
        days,
        st.sampled_from(["", facts.ACTIVE, facts.SUSPENDED, facts.CANCELLED]),
        st.sampled_from(["", "provisional", "inspector", "senior"]),
    )
    inspector = facts.Inspector(
        "I1",
        draw(st.sampled_from(["provisional", "inspector", "senior"])),
        draw(st.frozensets(st.sampled_from(["07", "09", "0701", "0901"]), max_size=2)),
        draw(days),
        draw(days),
        tuple(
            facts.Affiliation(draw(st.sampled_from(ORG_IDS)), draw(days), draw(maybe_days))
            for _ in range(draw(st.integers(0, 3)))
        ),
        tuple(draw(st.lists(inspector_events, max_size=4))),
    )
    plans = []
    for i in range(draw(st.integers(0, 3))):
        opens = draw(moments)
        plans.append(
            facts.Plan(
                f"P{i}",
                2024,
                draw(st.sampled_from([facts.LABORATORY, facts.CERTIFICATION_BODY])),
                draw(code_sets),
                draw(maybe_days),
                opens,
                opens + dt.timedelta(hours=draw(st.integers(0, 24 * 20))),
                draw(st.booleans()),
                draw(st.sampled_from(["draft", "published", "closed"])),
                draw(st.none() | moments),
            )
        )
    eois = [
        facts.ExpressionOfInterest(
            f"E{i}",
            draw(st.sampled_from(ORG_IDS)),
            draw(st.sampled_from([2023, 2024])),
            draw(code_sets),
            draw(moments),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    catalogue = [
        facts.ProductType(code, (code,), _periods(draw(days), draw(maybe_days)), "electrical_electronic")
        for code in CODES_POOL
    ]
    routine = [facts.RoutineScopeEntry(code, draw(days), draw(maybe_days)) for code in draw(code_sets)]
    return facts.Snapshot.of(
        organisations=organisations,
        accreditations=accreditations,
        designations=designations,
        agreements=agreements,
        inspectors=[inspector],
        plans=plans,
        expressions_of_interest=eois,
        catalogue=catalogue,
        routine_scope=routine,
    )


def check_invariants(decision: Decision) -> None:
    listed = [reason.code for reason in decision.reasons]
    assert decision.allowed == all(reason.holds for reason in decision.reasons)
    assert decision.to_json()["allowed"] == decision.allowed
    assert len(listed) == len(set(listed))
    assert set(listed) <= set(CODES)
    gates = [reason for reason in decision.reasons if reason.code in GATES]
    if gates:
        assert len(decision.reasons) == 1
        assert gates[0].holds is False
    json.dumps(decision.to_json())


@settings(max_examples=300, deadline=None)
@given(snapshots(), st.sampled_from(ORG_IDS), st.sampled_from(CODES_POOL), days)
def test_testing_invariants(snapshot: facts.Snapshot, subject: str, code: str, on: dt.date) -> None:
    decision = decide_testing(snapshot, subject=subject, product_type=code, on=on)
    check_invariants(decision)
    listed = [reason.code for reason in decision.reasons]
    if "ACCREDITATION_SCOPE" in listed:
        assert "ACCREDITED" in listed and decision.reasons[listed.index("ACCREDITED")].holds
    if any(c.startswith("ACCREDITATION_") and c != "ACCREDITATION_SCOPE" for c in listed):
        assert decision.reasons[listed.index("ACCREDITATION_SCOPE")].holds
    if "PARTNER_DESIGNATED" in listed:
        assert decision.reasons[listed.index("AGREEMENT_IN_FORCE")].holds
    assert "ACCREDITATION_ACTIVE" not in [r.code for r in decision.reasons if not r.holds]


@settings(max_examples=300, deadline=None)
@given(snapshots(), st.sampled_from(ORG_IDS), st.sampled_from(CODES_POOL), days)
def test_inspection_invariants(snapshot: facts.Snapshot, org: str, code: str, on: dt.date) -> None:
    decision = decide_inspection(snapshot, subject="I1", org=org, product_type=code, on=on)
    check_invariants(decision)
    if decision.reasons[0].code != "KIND_NOT_ELIGIBLE":
        assert [r.code for r in decision.reasons][:5] == [
            "PRODUCT_IN_CATALOGUE", "REGISTERED", "GRADE", "SPECIALTY", "AFFILIATED"
        ]


@settings(max_examples=300, deadline=None)
@given(snapshots(), st.sampled_from(ORG_IDS), st.sampled_from(CODES_POOL), moments, offsets)
def test_designation_invariants(
    snapshot: facts.Snapshot, subject: str, code: str, at: dt.datetime, offset: dt.tzinfo
) -> None:
    decision = decide_designation(snapshot, subject=subject, product_type=code, at=at.astimezone(offset))
    check_invariants(decision)
    listed = [reason.code for reason in decision.reasons]
    assert (decision.route == "none") == (listed == ["MAINLAND_ESTABLISHED"])
    assert (decision.route == "routine") == (listed == ["ROUTINE_SCOPE"])
    if decision.route == "plan":
        assert listed[0] == "PLAN_PUBLISHED"
        assert (decision.plan is None) == (listed == ["PLAN_PUBLISHED"] and not decision.reasons[0].holds)
    # the same moment in another offset gives the same decision
    same = decide_designation(snapshot, subject=subject, product_type=code, at=at)
    assert same.to_json() == decision.to_json()


@given(moments, offsets)
def test_next_deadline_is_the_first_1_april_strictly_after(at: dt.datetime, offset: dt.tzinfo) -> None:
    deadline = next_deadline(at.astimezone(offset))
    local = deadline.astimezone(facts.BEIJING)
    assert (local.month, local.day, local.hour, local.minute, local.second) == (4, 1, 0, 0, 0)
    assert deadline > at
    assert dt.datetime(local.year - 1, 4, 1, tzinfo=facts.BEIJING) <= at


def naive_status(accreditation: facts.Accreditation, code: str, day: dt.date) -> str:
    """The contract's rule read literally, as an oracle."""
    relevant = [e for e in accreditation.events if e.on <= day and (e.scope is None or code in e.scope)]
    if any(e.status == facts.WITHDRAWN for e in relevant):
        return facts.WITHDRAWN
    if not relevant:
        return facts.ACTIVE
    latest = max(e.on for e in relevant)
    same_day = {e.status for e in relevant if e.on == latest}
    return facts.SUSPENDED if facts.SUSPENDED in same_day else facts.ACTIVE


@given(
    st.lists(
        st.builds(
            facts.AccreditationEvent,
            days,
            st.sampled_from([facts.ACTIVE, facts.SUSPENDED, facts.WITHDRAWN]),
            st.none() | code_sets,
        ),
        max_size=6,
    ),
    st.sampled_from(CODES_POOL),
    days,
)
def test_accreditation_status_matches_the_contract(
    events: list[facts.AccreditationEvent], code: str, day: dt.date
) -> None:
    accreditation = facts.Accreditation("A", "o1", facts.HOKLAS, START, frozenset(CODES_POOL), tuple(events))
    assert accreditation_status(accreditation, code, day)[0] == naive_status(accreditation, code, day)
