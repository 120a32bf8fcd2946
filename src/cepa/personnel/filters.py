"""The filters of the inspectors' and transfers' lists, defined once (the API and the web use them)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q, QuerySet

from cepa.bodies.filters import id_or_name_contains
from cepa.decisions.selectors import in_force_filter
from cepa.decisions.terms import BEIJING
from cepa.filters import EnumFilter, TextFilter
from cepa.personnel.models import Affiliation, Inspector, Transfer, TransferStatus


class InspectorFilter(django_filters.FilterSet):
    organisation = TextFilter(
        max_length=200, method="affiliated_today", description="Affiliated with this organisation today"
    )
    q = TextFilter(
        max_length=200, method="id_or_name", description="Text in the registration number or any of the names"
    )

    def affiliated_today(self, queryset: QuerySet[Inspector], name: str, value: str) -> QuerySet[Inspector]:
        today = dt.datetime.now(BEIJING).date()
        current = Affiliation.objects.filter(in_force_filter(today), organisation_id=value)
        return queryset.filter(pk__in=current.values("inspector_id"))

    def id_or_name(self, queryset: QuerySet[Inspector], name: str, value: str) -> QuerySet[Inspector]:
        return queryset.filter(id_or_name_contains(value))


class TransferFilter(django_filters.FilterSet):
    inspector = TextFilter("inspector_id", max_length=100)
    status = EnumFilter(TransferStatus)
    organisation = TextFilter(max_length=200, method="to_or_from")

    def to_or_from(self, queryset: QuerySet[Transfer], name: str, value: str) -> QuerySet[Transfer]:
        return queryset.filter(Q(to_organisation_id=value) | Q(from_organisation_id=value))
