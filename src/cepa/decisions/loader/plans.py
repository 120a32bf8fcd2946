"""Published designation plans and the expressions of interest."""

from __future__ import annotations

from collections.abc import Collection

from cepa.decisions.loader.common import _codes
from cepa.decisions.prepared import Prepared, flag, json_value, maybe_day, maybe_moment, moment
from cepa.designation.models import ExpressionOfInterest, Plan, PlanStatus
from cepa.rules import facts

_PLANS = Prepared(
    lambda: (
        Plan.objects.filter(status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED])
        .order_by("id")
        .values_list(
            "id",
            "year",
            "role",
            "product_types",
            "status",
            "published",
            "opens",
            "closes",
            "requires_expression_of_interest",
            "closed_early_at",
        )
    )
)


def load_plans(code: str) -> list[facts.Plan]:
    """Published plans (published or closed early) covering `code`. One query; drafts never count."""
    plans = []
    for (
        id_,
        year,
        role,
        product_types,
        status,
        published,
        opens,
        closes,
        requires,
        closed_early,
    ) in _PLANS.rows():
        codes = _codes(json_value(product_types))
        if code in codes:
            plans.append(
                facts.Plan(
                    id=id_,
                    year=year,
                    role=role,
                    product_types=codes,
                    published=maybe_day(published),
                    opens=moment(opens),
                    closes=moment(closes),
                    requires_expression_of_interest=flag(requires),
                    status=status,
                    closed_early_at=maybe_moment(closed_early),
                )
            )
    return plans


def plan_of_record(record: Plan) -> facts.Plan:
    """The facts of a plan a page has already read (no query)."""
    return facts.Plan(
        id=record.id,
        year=record.year,
        role=record.role,
        product_types=_codes(record.product_types),
        published=record.published,
        opens=record.opens,
        closes=record.closes,
        requires_expression_of_interest=record.requires_expression_of_interest,
        status=record.status,
        closed_early_at=record.closed_early_at,
    )


_EOI_FIELDS = ("id", "organisation_id", "year", "product_types", "submitted")
_EOIS_BY_ORGANISATION = Prepared(
    lambda ids: (
        ExpressionOfInterest.objects.filter(organisation_id__in=ids).order_by("id").values_list(*_EOI_FIELDS)
    )
)
_EOIS_ALL = Prepared(lambda: ExpressionOfInterest.objects.order_by("id").values_list(*_EOI_FIELDS))


def load_expressions_of_interest(organisations: Collection[str] | None) -> list[facts.ExpressionOfInterest]:
    rows = (
        _EOIS_ALL.rows() if organisations is None else _EOIS_BY_ORGANISATION.rows(ids=sorted(organisations))
    )
    return [
        facts.ExpressionOfInterest(
            id_, organisation, year, _codes(json_value(product_types)), moment(submitted)
        )
        for id_, organisation, year, product_types, submitted in rows
    ]
