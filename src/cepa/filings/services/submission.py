"""Filing an agreement: the input checks, the rules it must meet (the party's kind, the counterparty's
designation), its number."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from cepa.bodies.models import (
    Agreement,
    AgreementKind,
    DesignationRole,
    DesignationScope,
    Organisation,
    OrganisationKind,
    Seat,
)
from cepa.catalogue.models import CODE_OR_KEY
from cepa.catalogue.selectors import code_index, unknown_names
from cepa.dates import out_of_range
from cepa.decisions.terms import beijing_date
from cepa.errors import Conflict, ErrorCode, InvalidInput, Refused
from cepa.filings.models import AgreementFiling, FilingStatus
from cepa.filings.services.base import _transition, check_may_file
from cepa.history.services import record_changes

CODE = re.compile(CODE_OR_KEY)
ID_PREFIX = "AGF"
# Which kind of Hong Kong body may be the party of each kind of agreement (contract §2: testing by a
# laboratory; factory inspection and sampling by a certification body).
PARTY_KIND = {
    AgreementKind.TESTING: OrganisationKind.LABORATORY,
    AgreementKind.FACTORY_INSPECTION: OrganisationKind.CERTIFICATION_BODY,
    AgreementKind.SAMPLING: OrganisationKind.CERTIFICATION_BODY,
}


def _validate_filing(
    *, kind: Any, party: Any, counterparty: Any, product_types: Any, valid_from: Any, valid_until: Any
) -> tuple[list[str], dict[str, Organisation]]:
    errors: dict[str, str] = {}
    if kind not in AgreementKind.values:
        errors["kind"] = f"must be one of {', '.join(AgreementKind.values)}"
    codes: list[str] = []
    if not isinstance(product_types, (list, tuple)) or not product_types:
        errors["product_types"] = (
            "must be a non-empty list of product type codes (4 digits) or catalogue keys"
        )
    else:
        malformed = [c for c in product_types if not isinstance(c, str) or not CODE.fullmatch(c)]
        repeated = sorted({c for c in product_types if isinstance(c, str) and product_types.count(c) > 1})
        if malformed:
            errors["product_types"] = (
                f"malformed product type codes {malformed!r}: expected 4 digits or a catalogue key"
            )
        elif repeated:
            errors["product_types"] = f"listed more than once: {', '.join(repeated)}"
        else:
            unknown = unknown_names(product_types)
            if unknown:
                errors["product_types"] = (
                    f"unknown product type codes {', '.join(unknown)}: no catalogue version has had them"
                )
            codes = sorted(product_types)
    if not isinstance(valid_from, dt.date):
        errors["from"] = "must be a date (YYYY-MM-DD)"
    if valid_until is not None and not isinstance(valid_until, dt.date):
        errors["until"] = "must be a date (YYYY-MM-DD) or null"
    for field, value in (("from", valid_from), ("until", valid_until)):
        if field not in errors and (message := out_of_range(field, value)):
            errors[field] = message
    if not errors.get("until") and isinstance(valid_from, dt.date) and isinstance(valid_until, dt.date) and (
        valid_until < valid_from
    ):
        errors["until"] = f"ends ({valid_until}) before it starts ({valid_from})"
    ids = {"party": party, "counterparty": counterparty}
    # An id no database could hold (NUL) is simply unknown; PostgreSQL would refuse the query.
    lookup = [v for v in ids.values() if isinstance(v, str) and "\x00" not in v]
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=lookup)}
    for field, value in ids.items():
        if not isinstance(value, str) or not value:
            errors[field] = "must be an organisation id"
        elif value not in found:
            errors[field] = f"no organisation with id {value!r}"
    if not errors and party == counterparty:
        errors["counterparty"] = "must be another organisation than the party"
    if errors:
        raise InvalidInput(errors)
    return codes, found


def _covers(
    intervals: Iterable[tuple[dt.date, dt.date | None]], start: dt.date, until: dt.date | None
) -> bool:
    """Whether the union of the (inclusive) intervals covers every day from `start` to `until`."""
    cursor = start
    for begins, ends in sorted(intervals, key=lambda interval: interval[0]):
        if begins > cursor:
            return False  # a gap: the intervals after this one begin later still
        if ends is None:
            return True
        if ends >= cursor:
            cursor = ends + dt.timedelta(days=1)
        if until is not None and cursor > until:
            return True
    return False


def undesignated_product_types(
    counterparty: str, codes: Sequence[str], start: dt.date, until: dt.date | None
) -> list[str]:
    """The codes for which `counterparty` is not a designated certification body on every day of the
    range (designations may follow one another without a gap). A designation names the type under any of
    its codes or its key (contract §1, rev. 2). Two queries."""
    index = code_index()
    keys = {index.get(code, code) for code in codes}
    names = {*codes, *(name for name, key in index.items() if key in keys)}
    intervals: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    rows = DesignationScope.objects.filter(
        designation__organisation_id=counterparty,
        designation__role=DesignationRole.CERTIFICATION_BODY,
        product_type__in=sorted(names),
    ).values_list("product_type", "designation__valid_from", "designation__valid_until")
    for code, begins, ends in rows:
        intervals[index.get(code, code)].append((begins, ends))
    return [code for code in codes if not _covers(intervals[index.get(code, code)], start, until)]


def _check_rules(
    *,
    kind: str,
    party: Organisation,
    counterparty: Organisation,
    codes: list[str],
    valid_from: dt.date,
    valid_until: dt.date | None,
) -> None:
    expected = PARTY_KIND[AgreementKind(kind)]
    if party.seat != Seat.HK or party.kind != expected:
        with translation.override("en"):  # a service's message is English, whatever the request's language
            detail = (
                f"the party of a {kind} agreement must be a Hong Kong {expected.label.lower()}; "
                f"{party.pk} is a {party.get_kind_display().lower()} seated in {party.get_seat_display()}"
            )
        raise Refused(detail, code=ErrorCode.PARTY_NOT_ELIGIBLE, failing=["PARTY_NOT_ELIGIBLE"])
    failing = undesignated_product_types(counterparty.pk, codes, valid_from, valid_until)
    if failing:
        raise Refused(
            f"{counterparty.pk} is not a designated certification body for {', '.join(failing)} on "
            f"every day from {valid_from} to {valid_until or 'open end'}",
            code=ErrorCode.COUNTERPARTY_NOT_DESIGNATED,
            failing=failing,
            product_types=failing,
        )


def _next_id(year: int) -> str:
    prefix = f"{ID_PREFIX}-{year}-"
    taken = set(AgreementFiling.objects.filter(id__startswith=prefix).values_list("id", flat=True))
    taken |= set(Agreement.objects.filter(id__startswith=prefix).values_list("id", flat=True))
    numbers = [int(i[len(prefix) :]) for i in taken if i[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def file_agreement(
    *,
    actor: str,
    kind: str,
    party: str,
    counterparty: str,
    product_types: Sequence[str],
    valid_from: dt.date,
    valid_until: dt.date | None,
    user: Any = None,
    channel: str = "api",
    now: dt.datetime | None = None,
) -> AgreementFiling:
    """Files a cooperation agreement (status `filed`). Refused, writing nothing, when the counterparty
    is not a designated certification body for some product type on every day of the range."""
    if not actor:
        raise ValueError("actor is required")
    if user is not None:
        check_may_file(user=user, party=party)
    moment = now or timezone.now()
    codes, organisations = _validate_filing(
        kind=kind,
        party=party,
        counterparty=counterparty,
        product_types=product_types,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    _check_rules(
        kind=kind,
        party=organisations[party],
        counterparty=organisations[counterparty],
        codes=codes,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                filing = AgreementFiling.objects.create(
                    id=_next_id(beijing_date(moment).year),
                    kind=kind,
                    party_id=party,
                    counterparty_id=counterparty,
                    product_types=codes,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    status=FilingStatus.FILED,
                    filed_at=moment,
                    filed_by=actor,
                )
                created = _transition(
                    filing, actor=actor, at=moment, old=None, reason="", channel=channel, before=None
                )
                record_changes(actor=actor, reason="", channel=channel, changes=[created])
            return filing
        except IntegrityError:
            continue  # another filing took the number: take the next one
    raise Conflict("could not number the filing; try again")
