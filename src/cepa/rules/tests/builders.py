"""Hand-built facts for the engine's tests: a small world, changed per test with `world(...)`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cepa.rules import facts
from cepa.rules.facts import BEIJING

D = dt.date.fromisoformat


def T(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


EE = "electrical_electronic"
NON_EE = "non_electrical_electronic"

FIRST_CATALOGUE = facts.Name("AQSIQ/CNCA Public Notice 2001 No.33")
PN_2022_34 = facts.Name("SAMR Public Notice 2022 No.34")
PN_2023_10 = facts.Name("SAMR Public Notice 2023 No.10")


def in_catalogue(key: str, *periods: tuple[str, str | None], codes: tuple[str, ...] | None = None,
                 sector: str = "electrical_electronic") -> facts.ProductType:
    """A product type with periods given as (start, until) pairs; its codes default to its key."""
    return facts.ProductType(
        key,
        (key,) if codes is None else codes,
        tuple(
            facts.CataloguePeriod(
                D(start),
                D(until) if until else None,
                PN_2023_10 if start == "2023-08-01" else FIRST_CATALOGUE,
                PN_2022_34 if until else None,
            )
            for start, until in periods
        ),
        sector,
    )


CATALOGUE = [
    in_catalogue("0701", ("2002-05-01", None)),
    in_catalogue("0702", ("2002-05-01", None)),
    in_catalogue("0901", ("2002-05-01", None)),
    in_catalogue("0915", ("2023-08-01", None)),
    in_catalogue("0801", ("2002-05-01", "2022-10-10")),
    in_catalogue("2401", ("2002-05-01", None), sector=NON_EE),
    in_catalogue("2301", ("2002-05-01", None)),
    # One type under two codes, and one without a code in two periods.
    in_catalogue("0807", ("2002-05-01", None), codes=("0807", "0907")),
    in_catalogue("gas-alarms", ("2011-10-01", "2018-06-10"), ("2024-10-01", None), codes=()),
]

ORGANISATIONS = [
    facts.Organisation("hk-lab-a", facts.LABORATORY, facts.HK, name=facts.Name("Harbour Testing Ltd")),
    facts.Organisation("hk-cb-b", facts.CERTIFICATION_BODY, facts.HK),
    facts.Organisation("hk-ib", facts.INSPECTION_BODY, facts.HK),
    facts.Organisation("cn-cb-x", facts.CERTIFICATION_BODY, facts.MAINLAND),
    facts.Organisation("cn-cb-y", facts.CERTIFICATION_BODY, facts.MAINLAND, True),
    facts.Organisation("cn-lab-m", facts.LABORATORY, facts.MAINLAND, True),
    facts.Organisation("os-lab", facts.LABORATORY, facts.OVERSEAS),
    facts.Organisation("os-cb", facts.CERTIFICATION_BODY, facts.OVERSEAS),
]

HOKLAS_901 = facts.Accreditation(
    "HOKLAS 901", "hk-lab-a", facts.HOKLAS, D("2019-03-01"), frozenset({"0701", "0702", "0901", "0915"})
)
HKCAS_041 = facts.Accreditation(
    "HKCAS 041", "hk-cb-b", facts.HKCAS, D("2024-01-01"), frozenset({"0701", "0702"})
)

CB_DESIGNATION = facts.Designation(
    "CNCA-D-17",
    "cn-cb-x",
    facts.CERTIFICATION_BODY,
    frozenset({"0701", "0702", "0901", "0915"}),
    D("2018-01-01"),
)
TESTING_AGREEMENT = facts.Agreement(
    "AG-0001",
    facts.TESTING,
    "hk-lab-a",
    "cn-cb-x",
    frozenset({"0701", "0702", "0901", "0915"}),
    D("2021-01-01"),
    D("2027-12-31"),
)
INSPECTION_AGREEMENT = facts.Agreement(
    "AG-0002", facts.FACTORY_INSPECTION, "hk-cb-b", "cn-cb-x", frozenset({"0701", "0702"}), D("2025-03-01")
)

INSPECTOR = facts.Inspector(
    "CCAA-0001",
    "inspector",
    frozenset({"07", "0915"}),
    D("2023-02-01"),
    D("2026-01-31"),
    affiliations=(
        facts.Affiliation("hk-cb-b", D("2023-02-01"), D("2025-06-30")),
        facts.Affiliation("cn-cb-x", D("2025-07-01"), None),
    ),
)

PLAN = facts.Plan(
    "2026-1",
    2026,
    facts.LABORATORY,
    frozenset({"2301", "0915"}),
    D("2026-06-15"),
    T("2026-06-16T09:00:00+08:00"),
    T("2026-06-30T17:00:00+08:00"),
    True,
)
EOI = facts.ExpressionOfInterest(
    "EOI-7", "cn-lab-m", 2026, frozenset({"2301"}), T("2026-03-31T23:59:00+08:00")
)
ROUTINE = [facts.RoutineScopeEntry("0701", D("2017-09-29"), None, facts.Name("CNCA PN 2017 No.28"))]
CONTACTS = [
    facts.Contact(EE, facts.Name("Mr A"), facts.Name("CNCA", "國家認監委", "国家认监委"), "+86-10-1"),
    facts.Contact(NON_EE, facts.Name("Mr B"), facts.Name("CNCA"), "+86-10-2"),
]


def world(**changes: Any) -> facts.Snapshot:
    """The default world, with any list replaced (e.g. `accreditations=[...]`)."""
    lists: dict[str, Any] = {
        "organisations": ORGANISATIONS,
        "accreditations": [HOKLAS_901, HKCAS_041],
        "designations": [CB_DESIGNATION],
        "agreements": [TESTING_AGREEMENT, INSPECTION_AGREEMENT],
        "plans": [PLAN],
        "expressions_of_interest": [EOI],
        "inspectors": [INSPECTOR],
        "catalogue": CATALOGUE,
        "routine_scope": ROUTINE,
        "contacts": CONTACTS,
    }
    lists.update(changes)
    return facts.Snapshot.of(**lists)


def codes(decision: Any) -> list[tuple[str, bool]]:
    """The (code, holds) pairs of a decision, in order."""
    return [(reason.code, reason.holds) for reason in decision.reasons]


def failing(decision: Any) -> list[str]:
    return [reason.code for reason in decision.reasons if not reason.holds]


def reason(decision: Any, code: str) -> Any:
    (found,) = [r for r in decision.reasons if r.code == code]
    return found
