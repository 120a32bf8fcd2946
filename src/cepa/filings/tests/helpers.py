"""A small registry for the filings and reminders tests, built through the ORM."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

from cepa.bodies.models import (
    Accreditation,
    AccreditationScope,
    Agreement,
    AgreementScope,
    Designation,
    DesignationScope,
    Organisation,
)
from cepa.rules.facts import BEIJING

D = dt.date.fromisoformat


def today() -> dt.date:
    return dt.datetime.now(BEIJING).date()


def organisation(id_: str, kind: str, seat: str, **names: str) -> Organisation:
    return Organisation.objects.create(
        id=id_, kind=kind, seat=seat, name_en=id_.replace("-", " ").title(), **names
    )


def designate(id_: str, organisation_id: str, codes: list[str], start: str, until: str | None = None) -> None:
    designation = Designation.objects.create(
        id=id_,
        organisation_id=organisation_id,
        role="certification_body",
        valid_from=D(start),
        valid_until=D(until) if until else None,
    )
    DesignationScope.objects.bulk_create(
        [DesignationScope(designation=designation, product_type=code) for code in codes]
    )


def agreement(
    id_: str,
    party: str,
    counterparty: str,
    codes: list[str],
    start: dt.date,
    until: dt.date | None,
    kind: str = "testing",
    terminated_on: dt.date | None = None,
) -> Agreement:
    found = Agreement.objects.create(
        id=id_,
        kind=kind,
        party_id=party,
        counterparty_id=counterparty,
        valid_from=start,
        valid_until=until,
        terminated_on=terminated_on,
    )
    AgreementScope.objects.bulk_create([AgreementScope(agreement=found, product_type=c) for c in codes])
    return found


def make_world() -> None:
    """Hong Kong lab and CB, Mainland CBs (one designated for 0701/0702 open-ended and for 0915 until
    the end of 2026, one for nothing) and a Mainland lab; a HOKLAS accreditation of the lab."""
    organisation("hk-lab-a", "laboratory", "HK", name_zh_hant="海港測試")
    organisation("hk-cb-b", "certification_body", "HK")
    organisation("cn-cb-x", "certification_body", "MAINLAND", name_zh_hans="华东认证")
    organisation("cn-cb-y", "certification_body", "MAINLAND")
    organisation("cn-lab-z", "laboratory", "MAINLAND", name_zh_hans="珠江检测")
    designate("CNCA-X-1", "cn-cb-x", ["0701", "0702"], "2018-01-01")
    designate("CNCA-X-2", "cn-cb-x", ["0915"], "2018-01-01", "2026-12-31")
    hoklas = Accreditation.objects.create(
        id="HOKLAS 901", organisation_id="hk-lab-a", scheme="HOKLAS", granted=D("2019-03-01")
    )
    AccreditationScope.objects.bulk_create(
        [AccreditationScope(accreditation=hoklas, product_type=c) for c in ("0701", "0702", "0915")]
    )


def post(client: Client, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", headers=headers or {})
