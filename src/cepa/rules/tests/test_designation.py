from __future__ import annotations

from dataclasses import replace
from typing import Any

from cepa.rules import facts
from cepa.rules.designation import choose_plan, decide_designation, next_deadline
from cepa.rules.tests.builders import EOI, PLAN, D, T, codes, failing, reason, world

OPEN = "2026-06-20T10:00:00+08:00"


def ask(
    snapshot: facts.Snapshot, at: str = OPEN, subject: str = "cn-lab-m", code: str = "2301", lang: str = "en"
):
    return decide_designation(snapshot, subject=subject, product_type=code, at=T(at), lang=lang)


def test_plan_route_allowed_json() -> None:
    decision = ask(world())
    assert decision.allowed is True
    assert codes(decision) == [
        ("PLAN_PUBLISHED", True),
        ("WINDOW_OPEN", True),
        ("EXPRESSION_OF_INTEREST", True),
    ]
    assert decision.to_json() == {
        "question": "designation",
        "subject": "cn-lab-m",
        "product_type": "2301",
        "at": "2026-06-20T10:00:00+08:00",
        "allowed": True,
        "reasons": [r.to_json() for r in decision.reasons],
        "route": "plan",
        "plan": "2026-1",
        "window": {"opens": "2026-06-16T09:00:00+08:00", "closes": "2026-06-30T17:00:00+08:00"},
        "next_deadline": "2027-04-01T00:00:00+08:00",
    }
    assert reason(decision, "EXPRESSION_OF_INTEREST").refs == ("EOI-7",)
    assert reason(decision, "PLAN_PUBLISHED").message == (
        "Designation plan 2026-1 for laboratories covering 2301 was published on 2026-06-15"
    )


def test_gate_not_mainland_route_none_alone() -> None:
    for subject in ("hk-lab-a", "os-lab", "hk-cb-b"):
        decision = ask(world(), subject=subject)
        assert codes(decision) == [("MAINLAND_ESTABLISHED", False)]
        assert decision.route == "none"
        out = decision.to_json()
        assert out["route"] == "none"
        assert "plan" not in out and "window" not in out and "next_deadline" not in out
    assert ask(world(), subject="hk-lab-a").reasons[0].message == (
        "hk-lab-a is seated in Hong Kong, not the Mainland: bodies outside the Mainland take part through "
        "cooperation agreements, not designation"
    )


def test_routine_scope_alone_and_only_when_it_holds() -> None:
    decision = ask(world(), code="0701")
    assert codes(decision) == [("ROUTINE_SCOPE", True)]
    assert decision.route == "routine"
    assert decision.allowed is True
    out = decision.to_json()
    assert out["route"] == "routine"
    assert "plan" not in out
    assert reason(decision, "ROUTINE_SCOPE").message == (
        "0701 is in the routine designation scope for laboratories on 2026-06-20 (CNCA PN 2017 No.28): "
        "cn-lab-m may apply at any time"
    )


def test_routine_scope_not_for_certification_bodies() -> None:
    decision = ask(world(), subject="cn-cb-y", code="0701")
    assert decision.route == "plan"
    assert codes(decision) == [("PLAN_PUBLISHED", False)]
    out = decision.to_json()
    assert (out["plan"], out["window"], out["next_deadline"]) == (None, None, "2027-04-01T00:00:00+08:00")


def test_routine_scope_on_the_beijing_date_of_time() -> None:
    routine = [facts.RoutineScopeEntry("0915", D("2026-04-01"), D("2026-04-30"))]
    snapshot = world(routine_scope=routine)
    assert ask(snapshot, at="2026-03-31T15:59:59Z", code="0915").route == "plan"
    assert ask(snapshot, at="2026-03-31T16:00:00Z", code="0915").route == "routine"
    assert ask(snapshot, at="2026-04-30T23:59:59+08:00", code="0915").route == "routine"
    assert ask(snapshot, at="2026-05-01T00:00:00+08:00", code="0915").route == "plan"


def test_not_in_routine_scope_takes_plan_route_without_listing_it() -> None:
    decision = ask(world())
    assert "ROUTINE_SCOPE" not in [r.code for r in decision.reasons]


def test_no_plan_published_yet() -> None:
    decision = ask(world(), at="2026-06-14T23:59:59+08:00")
    assert codes(decision) == [("PLAN_PUBLISHED", False)]
    assert decision.plan is None
    assert reason(decision, "PLAN_PUBLISHED").message == (
        "No designation plan for laboratories covering 2301 has been published by 2026-06-14; expressions of "
        "interest for the 2027 plans are due before 2027-04-01T00:00:00+08:00"
    )


def test_at_the_start_of_a_year_the_deadline_is_that_years() -> None:
    for at, year in (("2026-01-02T10:00:00+08:00", 2026), ("2026-03-31T23:59:59+08:00", 2026),
                     ("2026-04-01T00:00:00+08:00", 2027)):
        decision = ask(world(plans=[]), at=at)
        assert reason(decision, "PLAN_PUBLISHED").message.endswith(
            f"expressions of interest for the {year} plans are due before {year}-04-01T00:00:00+08:00"
        )
    chinese = ask(world(plans=[]), at="2026-01-02T10:00:00+08:00", lang="zh-Hant")
    assert "2026年計劃的意向須於2026-04-01T00:00:00+08:00前提出" in reason(chinese, "PLAN_PUBLISHED").message


def test_plan_published_on_the_date_of_time_in_beijing() -> None:
    # 2026-06-14T16:00Z is 2026-06-15 00:00 in Beijing: the publication day.
    decision = ask(world(), at="2026-06-14T16:00:00Z")
    assert reason(decision, "PLAN_PUBLISHED").holds is True
    window = reason(decision, "WINDOW_OPEN")
    assert (window.holds, window.message) == (
        False,
        "The application window of plan 2026-1 opens at 2026-06-16T09:00:00+08:00",
    )


def test_window_boundaries_inclusive() -> None:
    assert ask(world(), at="2026-06-16T09:00:00+08:00").allowed is True
    assert failing(ask(world(), at="2026-06-16T08:59:59+08:00")) == ["WINDOW_OPEN"]
    assert ask(world(), at="2026-06-30T17:00:00+08:00").allowed is True
    closed = ask(world(), at="2026-06-30T17:00:01+08:00")
    assert failing(closed) == ["WINDOW_OPEN"]
    assert reason(closed, "WINDOW_OPEN").message == (
        "The application window of plan 2026-1 closed at 2026-06-30T17:00:00+08:00"
    )
    assert ask(world(), at="2026-06-30T09:00:00Z").allowed is True  # 17:00 Beijing
    assert failing(ask(world(), at="2026-06-30T09:00:01Z")) == ["WINDOW_OPEN"]


def test_plan_closed_early_uses_the_earlier_close() -> None:
    early = replace(PLAN, status="closed", closed_early_at=T("2026-06-20T12:00:00+08:00"))
    assert ask(world(plans=[early]), at="2026-06-20T12:00:00+08:00").allowed is True
    decision = ask(world(plans=[early]), at="2026-06-20T12:00:01+08:00")
    assert failing(decision) == ["WINDOW_OPEN"]
    assert decision.to_json()["window"] == {
        "opens": "2026-06-16T09:00:00+08:00",
        "closes": "2026-06-20T12:00:00+08:00",
    }


def test_draft_plans_do_not_count() -> None:
    draft = replace(PLAN, status="draft")
    assert codes(ask(world(plans=[draft]))) == [("PLAN_PUBLISHED", False)]


def test_plan_for_another_kind_or_type_does_not_count() -> None:
    assert codes(ask(world(plans=[replace(PLAN, role=facts.CERTIFICATION_BODY)]))) == [
        ("PLAN_PUBLISHED", False)
    ]
    assert codes(ask(world(plans=[replace(PLAN, product_types=frozenset({"2401"}))]))) == [
        ("PLAN_PUBLISHED", False)
    ]


def test_certification_body_plan() -> None:
    plan = replace(PLAN, id="2026-CB", role=facts.CERTIFICATION_BODY, requires_expression_of_interest=False)
    decision = ask(world(plans=[plan]), subject="cn-cb-y", code="2301")
    assert codes(decision) == [("PLAN_PUBLISHED", True), ("WINDOW_OPEN", True)]
    assert decision.plan == "2026-CB"


def test_expression_of_interest_deadline_edges() -> None:
    on_time = replace(EOI, submitted=T("2026-03-31T23:59:59+08:00"))
    assert ask(world(expressions_of_interest=[on_time])).allowed is True
    late = replace(EOI, submitted=T("2026-04-01T00:00:00+08:00"))
    decision = ask(world(expressions_of_interest=[late]))
    assert failing(decision) == ["EXPRESSION_OF_INTEREST"]
    eoi = reason(decision, "EXPRESSION_OF_INTEREST")
    assert eoi.refs == ("EOI-7",)
    assert eoi.message == (
        "Plan 2026-1 requires an expression of interest submitted before 2026-04-01T00:00:00+08:00, that is "
        "by 31 March 2026 Beijing time ('before 1 April' excludes 1 April itself): EOI-7 of cn-lab-m was "
        "submitted at 2026-04-01T00:00:00+08:00"
    )
    assert eoi.basis.endswith("FAQ: written request to CNCA before 1 April each year")


def test_expression_of_interest_in_other_offsets() -> None:
    utc_late = replace(EOI, submitted=T("2026-03-31T16:00:00+00:00"))  # 1 April 00:00 Beijing
    assert failing(ask(world(expressions_of_interest=[utc_late]))) == ["EXPRESSION_OF_INTEREST"]
    utc_on_time = replace(EOI, submitted=T("2026-03-31T15:59:59+00:00"))
    assert ask(world(expressions_of_interest=[utc_on_time])).allowed is True


def test_expression_of_interest_must_match_year_type_and_subject() -> None:
    for eoi in (
        replace(EOI, year=2025),
        replace(EOI, product_types=frozenset({"0915"})),
        replace(EOI, organisation="cn-cb-y"),
    ):
        decision = ask(world(expressions_of_interest=[eoi]))
        assert failing(decision) == ["EXPRESSION_OF_INTEREST"]
        assert reason(decision, "EXPRESSION_OF_INTEREST").refs == ()


def test_expression_of_interest_not_listed_when_plan_does_not_require_one() -> None:
    plan = replace(PLAN, requires_expression_of_interest=False)
    decision = ask(world(plans=[plan], expressions_of_interest=[]))
    assert codes(decision) == [("PLAN_PUBLISHED", True), ("WINDOW_OPEN", True)]


def test_window_and_interest_fail_together() -> None:
    decision = ask(world(expressions_of_interest=[]), at="2026-07-01T00:00:00+08:00")
    assert failing(decision) == ["WINDOW_OPEN", "EXPRESSION_OF_INTEREST"]


# --- plan choice -----------------------------------------------------------------------------------


def plan(id_: str, opens: str, closes: str, **changes: Any) -> facts.Plan:
    return replace(PLAN, id=id_, opens=T(opens), closes=T(closes), **changes)


def test_open_plan_meeting_every_condition_is_preferred_over_smaller_id() -> None:
    needs_interest = plan("A", "2026-06-16T09:00", "2026-06-30T17:00", year=2027)  # no EOI for 2027
    complete = plan("B", "2026-06-16T09:00", "2026-06-30T17:00")
    snapshot = world(plans=[needs_interest, complete])
    decision = ask(snapshot)
    assert decision.plan == "B"
    assert decision.allowed is True


def test_open_plans_tie_on_smallest_id() -> None:
    snapshot = world(
        plans=[
            plan("B", "2026-06-16T09:00", "2026-06-30T17:00"),
            plan("A", "2026-06-17T09:00", "2026-06-25T17:00"),
        ]
    )
    assert ask(snapshot).plan == "A"


def test_open_plans_none_complete_smallest_id() -> None:
    snapshot = world(
        plans=[
            plan("B", "2026-06-16T09:00", "2026-06-30T17:00"),
            plan("A", "2026-06-16T09:00", "2026-06-30T17:00"),
        ],
        expressions_of_interest=[],
    )
    decision = ask(snapshot)
    assert decision.plan == "A"
    assert failing(decision) == ["EXPRESSION_OF_INTEREST"]


def test_open_plan_beats_an_upcoming_one() -> None:
    snapshot = world(
        plans=[
            plan("A", "2026-06-25T09:00", "2026-06-30T17:00"),
            plan("Z", "2026-06-16T09:00", "2026-06-30T17:00"),
        ]
    )
    assert ask(snapshot).plan == "Z"


def test_soonest_opening_when_none_open() -> None:
    snapshot = world(
        plans=[
            plan("A", "2026-07-20T09:00", "2026-07-30T17:00"),
            plan("B", "2026-07-10T09:00", "2026-07-30T17:00"),
            plan("C", "2026-06-01T09:00", "2026-06-10T17:00", published=D("2026-05-01")),
        ]
    )
    decision = ask(snapshot)
    assert decision.plan == "B"
    assert failing(decision) == ["WINDOW_OPEN"]


def test_soonest_opening_ties_on_smallest_id() -> None:
    snapshot = world(
        plans=[
            plan("B", "2026-07-10T09:00", "2026-07-30T17:00"),
            plan("A", "2026-07-10T09:00", "2026-07-20T17:00"),
        ]
    )
    assert ask(snapshot).plan == "A"


def test_last_closed_when_all_closed() -> None:
    snapshot = world(
        plans=[
            plan("A", "2026-06-16T09:00", "2026-06-18T17:00"),
            plan("B", "2026-06-16T09:00", "2026-06-19T17:00"),
            plan(
                "C",
                "2026-06-16T09:00",
                "2026-06-25T17:00",
                status="closed",
                closed_early_at=T("2026-06-17T10:00:00+08:00"),
            ),
        ]
    )
    assert ask(snapshot).plan == "B"


def test_last_closed_ties_on_smallest_id() -> None:
    snapshot = world(
        plans=[
            plan("B", "2026-06-16T09:00", "2026-06-18T17:00"),
            plan("A", "2026-06-17T09:00", "2026-06-18T17:00"),
        ]
    )
    assert ask(snapshot).plan == "A"


def test_unpublished_plans_are_not_chosen() -> None:
    later = plan("A", "2026-06-16T09:00", "2026-06-30T17:00", published=D("2026-06-21"))
    snapshot = world(
        plans=[later, plan("B", "2026-06-01T09:00", "2026-06-10T17:00", published=D("2026-05-01"))]
    )
    assert ask(snapshot).plan == "B"
    chosen = choose_plan(snapshot, "cn-lab-m", facts.LABORATORY, "2301", T("2026-06-21T00:00"))
    assert chosen is not None and chosen.id == "A"


# --- next deadline ---------------------------------------------------------------------------------


def test_next_deadline_strictly_after() -> None:
    assert next_deadline(T("2026-03-31T23:59:59+08:00")) == T("2026-04-01T00:00:00+08:00")
    assert next_deadline(T("2026-04-01T00:00:00+08:00")) == T("2027-04-01T00:00:00+08:00")
    assert next_deadline(T("2026-03-31T16:00:00+00:00")) == T("2027-04-01T00:00:00+08:00")
    assert next_deadline(T("2026-03-31T15:59:59+00:00")) == T("2026-04-01T00:00:00+08:00")
    assert next_deadline(T("2026-01-01T00:00:00+08:00")) == T("2026-04-01T00:00:00+08:00")
    assert next_deadline(T("2025-12-31T16:30:00-08:00")) == T("2026-04-01T00:00:00+08:00")


def test_at_is_shown_in_beijing_time() -> None:
    decision = ask(world(), at="2026-06-20T02:00:00Z")
    assert decision.to_json()["at"] == "2026-06-20T10:00:00+08:00"


def test_chinese_plan_messages() -> None:
    decision = ask(world(), lang="zh-Hans", at="2026-07-01T00:00:00+08:00")
    assert reason(decision, "WINDOW_OPEN").message == "计划2026-1的申请期已于2026-06-30T17:00:00+08:00结束"
