"""Who may do and see what: every permission of the project lives here.

Predicates (`rules`) answer yes/no questions about a user (and an object); the scoping selectors
(`*_visible_to`) narrow a queryset to what a user may see, and every list and detail of the API
starts from them, so the API, the web and exports cannot disagree. A user is a Django user, or an
AnonymousUser for requests without a token.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from cepa.accounts.models import Role
from cepa.bodies.models import Accreditation, Agreement, Designation, Organisation
from cepa.designation.models import ExpressionOfInterest, Plan, PlanStatus
from cepa.personnel.models import Inspector

OFFICER_ROLES = frozenset({Role.HKAS_OFFICER, Role.CNCA_OFFICER, Role.CCAA_REGISTRAR})


def role_of(user: Any) -> str | None:
    """The user's role; a superuser without a profile counts as an administrator."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return str(user.profile.role)
    except ObjectDoesNotExist:
        return Role.ADMIN.value if user.is_superuser else None


def organisation_of(user: Any) -> str | None:
    """The id of the organisation an applicant acts for (None for every other role)."""
    if role_of(user) != Role.APPLICANT:
        return None
    return str(user.profile.organisation_id)


def _organisation_id(organisation: Any) -> str | None:
    if organisation is None:
        return None
    return organisation if isinstance(organisation, str) else str(organisation.pk)


@rules.predicate
def is_authenticated(user: Any) -> bool:
    return role_of(user) is not None


@rules.predicate
def is_admin(user: Any) -> bool:
    return role_of(user) == Role.ADMIN


@rules.predicate
def is_applicant(user: Any) -> bool:
    return role_of(user) == Role.APPLICANT


@rules.predicate
def is_hkas_officer(user: Any) -> bool:
    return role_of(user) == Role.HKAS_OFFICER


@rules.predicate
def is_cnca_officer(user: Any) -> bool:
    return role_of(user) == Role.CNCA_OFFICER


@rules.predicate
def is_ccaa_registrar(user: Any) -> bool:
    return role_of(user) == Role.CCAA_REGISTRAR


@rules.predicate
def is_officer(user: Any) -> bool:
    """Any of the authorities' roles (HKAS, CNCA, CCAA)."""
    return role_of(user) in OFFICER_ROLES


@rules.predicate
def acts_for_organisation(user: Any, organisation: Any) -> bool:
    """The user is an applicant of this organisation (an Organisation or its id)."""
    own = organisation_of(user)
    return own is not None and own == _organisation_id(organisation)


# Named permissions, tested with `can(user, name, obj)`. Other apps add theirs here.
permissions = rules.RuleSet()
permissions.add_rule("registry.write", is_admin)
permissions.add_rule("registry.import", is_admin)
permissions.add_rule("plans.view_drafts", is_admin | is_cnca_officer)
permissions.add_rule("expressions_of_interest.view_all", is_admin | is_officer)
permissions.add_rule("expressions_of_interest.view", is_admin | is_officer | is_applicant)


def can(user: Any, name: str, obj: Any = None) -> bool:
    return bool(permissions.test_rule(name, user, obj))


# Scoping selectors: one per model, the starting point of every list and detail.


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.all()


def accreditations_visible_to(user: Any) -> QuerySet[Accreditation]:
    return Accreditation.objects.all()


def designations_visible_to(user: Any) -> QuerySet[Designation]:
    return Designation.objects.all()


def agreements_visible_to(user: Any) -> QuerySet[Agreement]:
    return Agreement.objects.all()


def inspectors_visible_to(user: Any) -> QuerySet[Inspector]:
    """Every inspector is public; callers show only the public fields (see personnel.selectors)."""
    return Inspector.objects.all()


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    """Published (and closed) plans for everyone; drafts only for CNCA officers and administrators."""
    if can(user, "plans.view_drafts"):
        return Plan.objects.all()
    return Plan.objects.exclude(status=PlanStatus.DRAFT)


def expressions_of_interest_visible_to(user: Any) -> QuerySet[ExpressionOfInterest]:
    """Officers and administrators see all; an applicant sees their organisation's; nobody else any."""
    if can(user, "expressions_of_interest.view_all"):
        return ExpressionOfInterest.objects.all()
    own = organisation_of(user)
    if own is not None:
        return ExpressionOfInterest.objects.filter(organisation_id=own)
    return ExpressionOfInterest.objects.none()
