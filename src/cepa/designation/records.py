"""The canonical records of designation plans and expressions of interest (cepa.records)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cepa.designation.models import ExpressionOfInterest, Plan, PlanStatus
from cepa.records import (
    RecordType,
    Row,
    Rows,
    codes,
    format_date,
    format_timestamp,
    parse_date,
    parse_timestamp,
    put,
    recorded,
    recorded_values,
)

# plans: an interchange plan is a published plan; one closed early shows the early close.

def _plan_rows(record: Mapping[str, Any]) -> Rows:
    window = record["window"]
    return Rows(
        {
            "id": record["id"],
            "year": int(record["year"]),
            "role": record["role"],
            "product_types": codes(record["product_types"]),
            "status": PlanStatus.PUBLISHED,
            "published": parse_date(record["published"]),
            "opens": parse_timestamp(window["opens"]),
            "closes": parse_timestamp(window["closes"]),
            # Absent: none required unless the publisher says so (contract rev. 2).
            "requires_expression_of_interest": record.get("requires_expression_of_interest", False),
            "closed_early_at": None,
            "close_reason": "",
            **recorded_values(record),
        }
    )


def _plan_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    closes = row["closes"]
    if row["status"] == PlanStatus.CLOSED and row["closed_early_at"] is not None:
        closes = min(closes, row["closed_early_at"])
    record: dict[str, Any] = {
        "id": row["id"],
        "year": row["year"],
        "role": row["role"],
        "product_types": codes(row["product_types"]),
    }
    put(record, "published", format_date(row["published"]))
    record["window"] = {"opens": format_timestamp(row["opens"]), "closes": format_timestamp(closes)}
    record["requires_expression_of_interest"] = bool(row["requires_expression_of_interest"])
    return recorded(record, row)


# expressions of interest

def _eoi_rows(record: Mapping[str, Any]) -> Rows:
    return Rows(
        {
            "id": record["id"],
            "organisation_id": record["organisation"],
            "year": int(record["year"]),
            "product_types": codes(record["product_types"]),
            "submitted": parse_timestamp(record["submitted"]),
            **recorded_values(record),
        }
    )


def _eoi_record(row: Row, children: Mapping[str, Sequence[Row]]) -> dict[str, Any]:
    record = {
        "id": row["id"],
        "organisation": row["organisation_id"],
        "year": row["year"],
        "product_types": codes(row["product_types"]),
        "submitted": format_timestamp(row["submitted"]),
    }
    return recorded(record, row)


PLANS = RecordType(
    "plans", Plan, (), _plan_rows, _plan_record,
    kept_fields=("requirements_en", "requirements_zh_hant", "requirements_zh_hans"),
    excluded={"status": PlanStatus.DRAFT},
)
EXPRESSIONS_OF_INTEREST = RecordType(
    "expressions_of_interest", ExpressionOfInterest, (), _eoi_rows, _eoi_record,
)
