"""Expressions of interest in a year's designation plans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction

from cepa.bodies.models import Organisation, Seat
from cepa.decisions.selectors import interest_deadline, interest_deadline_passed
from cepa.designation import clock
from cepa.designation.models import (
    ExpressionOfInterest,
)
from cepa.designation.records import EXPRESSIONS_OF_INTEREST
from cepa.designation.services.base import (
    _changes,
    _product_types,
    _require,
    _require_own,
    _year,
)
from cepa.errors import Conflict, ErrorCode, NotAllowed, NotFound, Refused

# --- expressions of interest ------------------------------------------------------------------------


def check_may_express_interest(*, user: Any, organisation: Any) -> None:
    """The checks that come before the body is read: the role, then the organisation."""
    _require(user, "expressions_of_interest.create", "express interest in designation plans")
    if isinstance(organisation, str):
        _require_own(user, organisation, "express interest for it")


def _next_expression_id(year: int) -> str:
    prefix = f"EOI-{year}-"
    taken = ExpressionOfInterest.objects.filter(id__startswith=prefix).values_list("id", flat=True)
    numbers = [int(i[len(prefix) :]) for i in taken if i[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def express_interest(
    *, actor: str, user: Any, organisation: str, year: int, product_types: Sequence[str], channel: str = "api"
) -> ExpressionOfInterest:
    """Records a Mainland body's written expression of interest in the year's designation plans.

    Accepted strictly before 1 April 00:00 Beijing time of `year` (else DEADLINE_PASSED)."""
    check_may_express_interest(user=user, organisation=organisation)
    body = Organisation.objects.filter(pk=organisation).first()
    if body is None:
        raise NotFound(f"no organisation with id {organisation!r}")
    if body.seat != Seat.MAINLAND:
        raise NotAllowed(
            f"{organisation} is not seated in the Mainland: only Mainland bodies express interest"
        )
    year = _year(year)
    codes = _product_types(product_types)
    moment = clock.now()
    deadline = interest_deadline(year)
    if moment >= deadline:
        raise Refused(
            interest_deadline_passed(year, moment),
            code=ErrorCode.DEADLINE_PASSED,
            failing=["DEADLINE_PASSED"],
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                expression = ExpressionOfInterest.objects.create(
                    id=_next_expression_id(year),
                    organisation=body,
                    year=year,
                    product_types=codes,
                    submitted=moment,
                )
                _changes(
                    actor=actor,
                    reason="expression of interest",
                    channel=channel,
                    record_type="expressions_of_interest",
                    record_id=expression.id,
                    action="create",
                    before=None,
                    after=EXPRESSIONS_OF_INTEREST.record_of(expression),
                )
                return expression
        except IntegrityError:
            continue  # another request took the same number at the same moment
    raise Conflict("could not number the expression of interest; try again")
