"""`designation`: how may SUBJECT apply to be designated for PRODUCT_TYPE, as of AT? (contract §2)

Also the yearly deadlines the designation calendar runs on.
"""

from __future__ import annotations

import datetime as dt

from cepa.rules import messages
from cepa.rules.decision import Decision, Reasons, timestamp
from cepa.rules.facts import (
    BEIJING,
    LABORATORY,
    MAINLAND,
    ExpressionOfInterest,
    Plan,
    Snapshot,
    beijing_date,
)
from cepa.rules.status import known_organisation


def next_deadline(moment: dt.datetime) -> dt.datetime:
    """The first 1 April 00:00 Beijing time strictly after `moment`."""
    local = moment.astimezone(BEIJING)
    deadline = dt.datetime(local.year, 4, 1, tzinfo=BEIJING)
    if deadline <= moment:
        deadline = dt.datetime(local.year + 1, 4, 1, tzinfo=BEIJING)
    return deadline


def interest_deadline(year: int) -> dt.datetime:
    """Expressions of interest for `year` are due strictly before this moment."""
    return dt.datetime(year, 4, 1, tzinfo=BEIJING)


def decide_designation(
    snapshot: Snapshot, *, subject: str, product_type: str, at: dt.datetime, lang: str = "en"
) -> Decision:
    """How may SUBJECT apply to be designated for PRODUCT_TYPE (any of its codes, or its key), as of AT?"""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    body = known_organisation(snapshot, "subject", subject)
    reasons = Reasons("designation", lang)
    code = product_type
    key = snapshot.key_of(code)
    if body.seat != MAINLAND:
        items = reasons.gate(
            "MAINLAND_ESTABLISHED",
            "MAINLAND_ESTABLISHED.failed",
            [subject],
            subject=subject,
            seat=messages.term(body.seat, lang),
        )
        return Decision("designation", code, items, subject=subject, at=at, lang=lang, route="none")
    if body.kind == LABORATORY and _routine_scope(reasons, snapshot, subject, code, key, beijing_date(at)):
        return Decision(
            "designation", code, reasons.done(), subject=subject, at=at, lang=lang, route="routine"
        )
    return _plan_route(reasons, snapshot, subject, body.kind, code, key, at)


def _routine_scope(
    reasons: Reasons, snapshot: Snapshot, subject: str, code: str, key: str, day: dt.date
) -> bool:
    """ROUTINE_SCOPE, listed only when it holds: the type is in the routine-designation scope on the day."""
    routine = [r for r in snapshot.routine_scope.get(key, ()) if r.covers(day)]
    if not routine:
        return False
    instrument = routine[0].instrument
    reasons.add(
        "ROUTINE_SCOPE",
        True,
        "ROUTINE_SCOPE.held",
        [code],
        code=code,
        on=day,
        instrument=(
            instrument.in_lang(reasons.lang) if instrument else messages.basis("ROUTINE_SCOPE", reasons.lang)
        ),
        subject=subject,
    )
    return True


def _plan_route(
    reasons: Reasons, snapshot: Snapshot, subject: str, kind: str, code: str, key: str, at: dt.datetime
) -> Decision:
    """The plan route: PLAN_PUBLISHED, then WINDOW_OPEN and EXPRESSION_OF_INTEREST on that plan."""
    lang = reasons.lang
    deadline = next_deadline(at)
    plan = choose_plan(snapshot, subject, kind, key, at)
    _plan_published(reasons, plan, kind, code, at, deadline)
    if plan is None:
        return Decision(
            "designation",
            code,
            reasons.done(),
            subject=subject,
            at=at,
            lang=lang,
            route="plan",
            next_deadline=deadline,
        )
    _window_open(reasons, plan, at)
    if plan.requires_expression_of_interest:
        _expression_of_interest(reasons, snapshot, subject, plan, code, key)
    return Decision(
        "designation",
        code,
        reasons.done(),
        subject=subject,
        at=at,
        lang=lang,
        route="plan",
        plan=plan.id,
        window=(plan.opens, plan.effective_closes),
        next_deadline=deadline,
    )


def choose_plan(snapshot: Snapshot, subject: str, role: str, code: str, at: dt.datetime) -> Plan | None:
    """The plan PLAN_PUBLISHED is judged on (contract §2), or None when no plan qualifies. `code`: any
    name of the product type."""
    day = beijing_date(at)
    key = snapshot.key_of(code)
    plans = [p for p in snapshot.plans if p.role == role and key in p.product_types and p.is_published(day)]
    if not plans:
        return None
    open_now = [p for p in plans if p.window_open(at)]
    if open_now:
        complete = [
            p
            for p in open_now
            if not p.requires_expression_of_interest or _interest(snapshot, subject, p, key)[0] is not None
        ]
        return min(complete or open_now, key=lambda p: p.id)
    upcoming = [p for p in plans if p.opens > at]
    if upcoming:
        return min(upcoming, key=lambda p: (p.opens, p.id))
    latest_close = max(p.effective_closes for p in plans)
    return min((p for p in plans if p.effective_closes == latest_close), key=lambda p: p.id)


def _plan_published(
    reasons: Reasons, plan: Plan | None, role: str, code: str, at: dt.datetime, deadline: dt.datetime
) -> None:
    """PLAN_PUBLISHED: a plan for the subject's kind covering the code was published by the day."""
    role_name = messages.term(f"plural:{role}", reasons.lang)
    if plan is None:
        reasons.add(
            "PLAN_PUBLISHED",
            False,
            "PLAN_PUBLISHED.failed",
            [],
            role=role_name,
            code=code,
            on=beijing_date(at),
            # The plans whose deadline it is: at the start of a year, that year's, not the next.
            year=deadline.year,
            deadline=timestamp(deadline),
        )
        return
    reasons.add(
        "PLAN_PUBLISHED",
        True,
        "PLAN_PUBLISHED.held",
        [plan.id],
        plan=plan.id,
        role=role_name,
        code=code,
        published=plan.published,
    )


def _window_open(reasons: Reasons, plan: Plan, at: dt.datetime) -> None:
    """WINDOW_OPEN: the plan's window (to its effective close) holds AT."""
    if plan.window_open(at):
        reasons.add(
            "WINDOW_OPEN",
            True,
            "WINDOW_OPEN.held",
            [plan.id],
            plan=plan.id,
            opens=timestamp(plan.opens),
            closes=timestamp(plan.effective_closes),
        )
    elif at < plan.opens:
        reasons.add(
            "WINDOW_OPEN",
            False,
            "WINDOW_OPEN.failed.not_yet",
            [plan.id],
            plan=plan.id,
            opens=timestamp(plan.opens),
        )
    else:
        reasons.add(
            "WINDOW_OPEN",
            False,
            "WINDOW_OPEN.failed.closed",
            [plan.id],
            plan=plan.id,
            closes=timestamp(plan.effective_closes),
        )


def _interest(
    snapshot: Snapshot, subject: str, plan: Plan, key: str
) -> tuple[ExpressionOfInterest | None, ExpressionOfInterest | None]:
    """(an expression of interest that counts for the plan, else one that came too late). `key`: the
    type's canonical key."""
    deadline = interest_deadline(plan.year)
    relevant = [
        e
        for e in snapshot.expressions_of_interest.get(subject, ())
        if e.year == plan.year and key in e.product_types
    ]
    on_time = [e for e in relevant if e.submitted < deadline]
    if on_time:
        return on_time[0], None
    return None, (relevant[0] if relevant else None)


def _expression_of_interest(
    reasons: Reasons, snapshot: Snapshot, subject: str, plan: Plan, code: str, key: str
) -> None:
    """EXPRESSION_OF_INTEREST: one for the plan's year covering the type, submitted before its deadline."""
    used, late = _interest(snapshot, subject, plan, key)
    due = timestamp(interest_deadline(plan.year))
    if used is not None:
        reasons.add(
            "EXPRESSION_OF_INTEREST",
            True,
            "EXPRESSION_OF_INTEREST.held",
            [used.id],
            subject=subject,
            code=code,
            year=plan.year,
            eoi=used.id,
            submitted=timestamp(used.submitted),
            deadline=due,
        )
    elif late is not None:
        reasons.add(
            "EXPRESSION_OF_INTEREST",
            False,
            "EXPRESSION_OF_INTEREST.failed.late",
            [late.id],
            plan=plan.id,
            subject=subject,
            eoi=late.id,
            submitted=timestamp(late.submitted),
            deadline=due,
            year=plan.year,
        )
    else:
        reasons.add(
            "EXPRESSION_OF_INTEREST",
            False,
            "EXPRESSION_OF_INTEREST.failed",
            [],
            plan=plan.id,
            subject=subject,
            code=code,
            year=plan.year,
            deadline=due,
        )
