"""The registry's agreements and designations covering one product type."""

from __future__ import annotations

from collections.abc import Collection

from cepa.bodies.models import Agreement, Designation
from cepa.decisions.loader.common import _DATE
from cepa.decisions.prepared import Prepared, day
from cepa.rules import facts

# Each query comes in two forms: for given organisations (`ids`) or for all of them; the second form
# joins nothing it does not need, since bodies of other kinds simply go unasked.

_AGREEMENT_FIELDS = (
    "id",
    "kind",
    "party_id",
    "counterparty_id",
    "valid_from",
    "valid_until",
    "terminated_on",
)
_AGREEMENTS_BY_PARTY = Prepared(
    lambda code, kind, parties: (
        Agreement.objects.filter(kind=kind, scope_entries__product_type=code, party_id__in=parties)
        .order_by("id")
        .values_list(*_AGREEMENT_FIELDS)
    )
)
_AGREEMENTS_ALL = Prepared(
    lambda code, kind: (
        Agreement.objects.filter(kind=kind, scope_entries__product_type=code)
        .order_by("id")
        .values_list(*_AGREEMENT_FIELDS)
    )
)


def load_agreements(code: str, kind: str, parties: Collection[str] | None = None) -> list[facts.Agreement]:
    """Agreements of `kind` covering `code`, of the given parties (None: every party). One query."""
    if parties is None:
        rows = _AGREEMENTS_ALL.rows(code=code, kind=kind)
    else:
        rows = _AGREEMENTS_BY_PARTY.rows(code=code, kind=kind, parties=sorted(parties))
    scope = frozenset({code})  # one set shared by every agreement: thousands of them for all parties
    return [
        facts.agreement(
            id_,
            kind_,
            party,
            counterparty,
            scope,
            valid_from if valid_from.__class__ is _DATE else day(valid_from),
            valid_until if valid_until is None or valid_until.__class__ is _DATE else day(valid_until),
            terminated if terminated is None or terminated.__class__ is _DATE else day(terminated),
        )
        for id_, kind_, party, counterparty, valid_from, valid_until, terminated in rows
    ]


_DESIGNATION_FIELDS = ("id", "organisation_id", "role", "valid_from", "valid_until")
_DESIGNATIONS_BY_ORGANISATION = Prepared(
    lambda code, ids: (
        Designation.objects.filter(scope_entries__product_type=code, organisation_id__in=ids)
        .order_by("id")
        .values_list(*_DESIGNATION_FIELDS)
    )
)
_DESIGNATIONS_ALL = Prepared(
    lambda code: (
        Designation.objects.filter(scope_entries__product_type=code)
        .order_by("id")
        .values_list(*_DESIGNATION_FIELDS)
    )
)


def load_designations(code: str, organisations: Collection[str] | None = None) -> list[facts.Designation]:
    """Designations covering `code` of the given organisations (None: all). One query."""
    if organisations is None:
        rows = _DESIGNATIONS_ALL.rows(code=code)
    else:
        rows = _DESIGNATIONS_BY_ORGANISATION.rows(code=code, ids=sorted(organisations))
    scope = frozenset({code})  # shared, as for agreements
    return [
        facts.designation(
            id_,
            organisation,
            role,
            scope,
            valid_from if valid_from.__class__ is _DATE else day(valid_from),
            valid_until if valid_until is None or valid_until.__class__ is _DATE else day(valid_until),
        )
        for id_, organisation, role, valid_from, valid_until in rows
    ]
