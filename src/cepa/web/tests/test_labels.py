"""Every coded value the models allow has a translated label, and no label waits for a value that
cannot occur (else a page would show the raw code, or the catalogue would carry dead strings)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.db import models

from cepa.bodies.models import (
    AccreditationStatus,
    AgreementKind,
    DesignationRole,
    OrganisationKind,
    Scheme,
    Seat,
)
from cepa.catalogue.models import ConformityRoute, Sector
from cepa.designation.models import ApplicationStatus, ObjectionStatus, Route
from cepa.filings.models import FilingStatus
from cepa.personnel.models import Grade, InspectorStatus, TransferStatus
from cepa.web.portal import labels as portal
from cepa.web.public import labels as public

TABLES: list[tuple[Mapping[str, object], type[models.TextChoices]]] = [
    (public.KINDS, OrganisationKind),
    (public.SEATS, Seat),
    (public.SCHEME_HINTS, Scheme),
    (public.ROLES, DesignationRole),
    (public.PLAN_ROLES, DesignationRole),
    (public.AGREEMENT_KINDS, AgreementKind),
    (public.ACCREDITATION_STATUSES, AccreditationStatus),
    (public.INSPECTOR_STATUSES, InspectorStatus),
    (public.GRADES, Grade),
    (public.SECTORS, Sector),
    (public.ROUTES, ConformityRoute),
    (portal.APPLICATION_STATUSES, ApplicationStatus),
    (portal.OBJECTION_STATUSES, ObjectionStatus),
    (portal.FILING_STATUSES, FilingStatus),
    (portal.TRANSFER_STATUSES, TransferStatus),
    (portal.ROUTES, Route),
]


@pytest.mark.parametrize(("table", "choices"), TABLES, ids=[c.__name__ for _, c in TABLES])
def test_label_table_covers_exactly_the_model_choices(
    table: Mapping[str, object], choices: type[models.TextChoices]
) -> None:
    assert sorted(table) == sorted(choices.values)


def test_every_status_has_a_tag_colour() -> None:
    statuses = {*portal.APPLICATION_STATUSES, *portal.OBJECTION_STATUSES, *portal.FILING_STATUSES}
    statuses |= set(portal.TRANSFER_STATUSES)
    assert sorted(portal.TAGS) == sorted(statuses)
