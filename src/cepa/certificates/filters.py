"""The filters of the certificates' list, defined once (the API, the pages and the downloads use them).

`laboratory` and `inspector` follow the chain: a certificate citing a report of the laboratory, or an
inspection by the inspector. `status` is judged on the day `on` (today in Beijing if not given)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q, QuerySet

from cepa.catalogue.selectors import same_type
from cepa.certificates.models import (
    Certificate,
    CertificateInspection,
    CertificateReport,
    CertificateStatus,
)
from cepa.certificates.status import status_expression
from cepa.decisions.terms import BEIJING
from cepa.filters import CodeFilter, DateFilter, EnumFilter, TextFilter


class CertificateFilter(django_filters.FilterSet):
    holder = TextFilter(
        max_length=200, method="holder_contains", description="Text in the holder's name (any language)"
    )
    issuer = TextFilter("issuer_id", max_length=200, description="The issuing certification body's id")
    product_type = CodeFilter(method="of_type", description="The certificate's product type (any code of it)")
    laboratory = TextFilter(
        max_length=200, method="tested_by", description="Cites a test report of this laboratory"
    )
    inspector = TextFilter(
        max_length=200, method="inspected_by", description="Cites a factory inspection by this inspector"
    )
    status = EnumFilter(CertificateStatus, method="with_status", description="The status on the day `on`")
    on = DateFilter(method="same", description="The day `status` is judged on; today in Beijing if not given")

    def holder_contains(
        self, queryset: QuerySet[Certificate], name: str, value: str
    ) -> QuerySet[Certificate]:
        return queryset.filter(
            Q(holder_en__icontains=value)
            | Q(holder_zh_hant__icontains=value)
            | Q(holder_zh_hans__icontains=value)
        )

    def of_type(self, queryset: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        return queryset.filter(product_type__in=sorted(same_type([value])))

    # `id IN (…)` rather than a correlated EXISTS: the database starts from the laboratory's reports or
    # the inspector's entries, not from every certificate (see selectors.current_with_laboratory).
    def tested_by(self, queryset: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        cited = CertificateReport.objects.filter(test_report__laboratory_id=value).values("certificate_id")
        return queryset.filter(id__in=cited)

    def inspected_by(self, queryset: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        cited = CertificateInspection.objects.filter(
            inspection__inspector_entries__inspector_id=value
        ).values("certificate_id")
        return queryset.filter(id__in=cited)

    @property
    def day(self) -> dt.date:
        on: dt.date | None = self.form.cleaned_data.get("on")
        return on or dt.datetime.now(BEIJING).date()

    def with_status(self, queryset: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        return queryset.alias(status_on_day=status_expression(self.day)).filter(status_on_day=value)

    def same(self, queryset: QuerySet[Certificate], name: str, value: dt.date) -> QuerySet[Certificate]:
        return queryset  # read by `status` (and by the records, for the status they show)
