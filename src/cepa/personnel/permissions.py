"""The inspector register's permissions that need its own records: staff of the certification body an
inspector works for today may confirm the registration and read the personal data. Added to
cepa.accounts.permissions when the app is ready (PersonnelConfig.ready)."""

from __future__ import annotations

from typing import Any

import rules

from cepa.accounts.permissions import is_applicant, is_ccaa_registrar, organisation_of, permissions
from cepa.personnel.models import Affiliation


@rules.predicate
def works_at_inspectors_body(user: Any, inspector: Any) -> bool:
    """The user is an applicant of the certification body the inspector (or its id) is affiliated with
    today."""
    own = organisation_of(user)
    return own is not None and own == Affiliation.objects.organisation_on(inspector)


permissions.add_rule("inspectors.confirm", is_ccaa_registrar | (is_applicant & works_at_inspectors_body))
permissions.add_rule(
    "inspectors.view_personal_data", is_ccaa_registrar | (is_applicant & works_at_inspectors_body)
)
