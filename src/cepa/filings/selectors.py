"""Reads of agreement filings, scoped to the user (AgreementFiling.objects.restrict)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from cepa.decisions.terms import BEIJING
from cepa.filings.filters import FilingFilter
from cepa.filings.models import AgreementFiling, FilingTransition, procedure_for
from cepa.filters import filtered


def _stamp(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(BEIJING).isoformat()


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def filings(user: Any, **filters: Any) -> QuerySet[AgreementFiling]:
    return filtered(FilingFilter, AgreementFiling.objects.restrict(user, "view"), filters).order_by("id")


def filing_records(ids: Sequence[str]) -> list[dict[str, Any]]:
    """The filings of these ids with their history, in the given order. Two queries."""
    rows = {
        row["id"]: row
        for row in AgreementFiling.objects.filter(pk__in=list(ids)).values(
            "id",
            "kind",
            "party_id",
            "counterparty_id",
            "product_types",
            "valid_from",
            "valid_until",
            "status",
            "filed_at",
            "filed_by",
            "accepted_on",
            "returned_reason",
            "terminated_on",
            "expired_on",
            "agreement_id",
            "agreement__valid_from",
        )
    }
    history: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in FilingTransition.objects.filter(filing_id__in=list(rows)).order_by("at", "id"):
        history[event.filing_id].append(
            {
                "who": event.who,
                "when": _stamp(event.at),
                "from": event.from_status,
                "to": event.to_status,
                "reason": event.reason,
                "event": "transition",
            }
        )
    records = []
    for filing_id in ids:
        row = rows.get(filing_id)
        if row is None:
            continue
        records.append(
            {
                "id": row["id"],
                "kind": row["kind"],
                "party": row["party_id"],
                "counterparty": row["counterparty_id"],
                "product_types": list(row["product_types"]),
                "from": _day(row["valid_from"]),
                "until": _day(row["valid_until"]),
                "procedure": procedure_for(row["valid_from"]).value,
                "status": row["status"],
                "filed_at": _stamp(row["filed_at"]),
                "accepted_on": _day(row["accepted_on"]),
                "agreement": row["agreement_id"],
                "in_force_from": _day(row["agreement__valid_from"]),
                "returned_reason": row["returned_reason"] or None,
                "terminated_on": _day(row["terminated_on"]),
                "expired_on": _day(row["expired_on"]),
                "history": history[filing_id],
            }
        )
    return records


def filing_detail(filing_id: str) -> dict[str, Any] | None:
    if "\x00" in filing_id:
        return None
    records = filing_records([filing_id])
    return records[0] if records else None
