"""The filters of the agreement filings' list, defined once (the API and the portal use them)."""

from __future__ import annotations

import django_filters

from cepa.bodies.models import AgreementKind
from cepa.filings.models import FilingStatus
from cepa.filters import EnumFilter, TextFilter


class FilingFilter(django_filters.FilterSet):
    status = EnumFilter(FilingStatus)
    kind = EnumFilter(AgreementKind)
    party = TextFilter("party_id", max_length=200)
    counterparty = TextFilter("counterparty_id", max_length=200)
