"""The filters of the designation workflows' lists, defined once (the API and the portal use them)."""

from __future__ import annotations

import django_filters

from cepa.bodies.models import DesignationRole
from cepa.designation.models import ApplicationStatus, PlanStatus
from cepa.filters import EnumFilter, TextFilter, YearFilter


class PlanFilter(django_filters.FilterSet):
    year = YearFilter()
    role = EnumFilter(DesignationRole)
    status = EnumFilter(PlanStatus)


class ExpressionOfInterestFilter(django_filters.FilterSet):
    organisation = TextFilter("organisation_id", max_length=200)
    year = YearFilter()


class ApplicationFilter(django_filters.FilterSet):
    status = EnumFilter(ApplicationStatus)
    organisation = TextFilter("organisation_id", max_length=200)
