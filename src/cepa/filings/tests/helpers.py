"""Helpers of the filings and reminders tests: today in Beijing, their records, their requests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

from cepa.bodies.models import Agreement
from cepa.rules.facts import BEIJING
from cepa.testing import factories


def today() -> dt.date:
    return dt.datetime.now(BEIJING).date()


# The filings' own argument orders: every designation here is of a certification body, and most
# agreements are testing agreements.
def designate(id_: str, organisation_id: str, codes: list[str], start: str, until: str | None = None) -> None:
    factories.designation(id_, organisation_id, "certification_body", codes, start, until)


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
    return factories.agreement(id_, kind, party, counterparty, codes, start, until, terminated_on)


def post(client: Client, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", headers=headers or {})
