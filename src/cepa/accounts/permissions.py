"""Who may do and see what: every permission of the project lives here.

Predicates (`rules`) answer yes/no questions about a user (and an object); the scoping selectors
(`*_visible_to`) narrow a queryset to what a user may see, and every list and detail of the API
starts from them, so the API, the web and exports cannot disagree. A user is a Django user, or an
AnonymousUser for requests without a token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from cepa.accounts.models import Role
from cepa.bodies.models import Accreditation, Agreement, Designation, Organisation
from cepa.decisions.terms import BEIJING
from cepa.designation.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ExpressionOfInterest,
    Objection,
    Plan,
    PlanStatus,
)
from cepa.filings.models import AgreementFiling
from cepa.personnel.models import Affiliation, Inspector, Transfer

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


def current_organisation_of_inspector(inspector: Any, on: dt.date | None = None) -> str | None:
    """The organisation an inspector (an Inspector or its id) is affiliated with on `on` (default: today
    in Beijing), or None."""
    inspector_id = inspector if isinstance(inspector, str) else getattr(inspector, "pk", None)
    if inspector_id is None:
        return None
    day = on or dt.datetime.now(BEIJING).date()
    found = (
        Affiliation.objects.filter(inspector_id=inspector_id, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .values_list("organisation_id", flat=True)
        .first()
    )
    return str(found) if found is not None else None


@rules.predicate
def works_at_inspectors_body(user: Any, inspector: Any) -> bool:
    """The user is an applicant of the certification body the inspector is affiliated with today."""
    own = organisation_of(user)
    return own is not None and own == current_organisation_of_inspector(inspector)


@rules.predicate
def is_filing_party(user: Any, filing: Any) -> bool:
    """The user is an applicant of the party or the counterparty of an agreement filing."""
    own = organisation_of(user)
    return own is not None and own in (filing.party_id, filing.counterparty_id)


# Named permissions, tested with `can(user, name, obj)`. Other apps add theirs here.
permissions = rules.RuleSet()
permissions.add_rule("registry.write", is_admin)
permissions.add_rule("registry.import", is_admin)
permissions.add_rule("plans.view_drafts", is_admin | is_cnca_officer)
permissions.add_rule("expressions_of_interest.view_all", is_admin | is_officer)
permissions.add_rule("expressions_of_interest.view", is_admin | is_officer | is_applicant)
# The inspector register (CCAA). Personal data: the registrar and the inspector's own current body only.
permissions.add_rule("inspectors.register", is_ccaa_registrar)
permissions.add_rule("inspectors.manage", is_ccaa_registrar)
permissions.add_rule("inspectors.confirm", is_ccaa_registrar | (is_applicant & works_at_inspectors_body))
permissions.add_rule(
    "inspectors.view_personal_data", is_ccaa_registrar | (is_applicant & works_at_inspectors_body)
)
permissions.add_rule("inspectors.edit_personal_data", is_ccaa_registrar)
permissions.add_rule("inspectors.view_access_log", is_ccaa_registrar)
# Transfers: requested by an applicant of the new body (obj: its id), reviewed by the registrar.
permissions.add_rule("transfers.request", is_applicant & acts_for_organisation)
permissions.add_rule("transfers.review", is_ccaa_registrar)
permissions.add_rule("transfers.view", is_admin | is_ccaa_registrar | is_applicant)
# Designation workflows (cepa.designation.services checks these, then the organisation).
permissions.add_rule("expressions_of_interest.create", is_applicant)
permissions.add_rule("plans.manage", is_cnca_officer)
permissions.add_rule("applications.apply", is_applicant)
permissions.add_rule("applications.review", is_cnca_officer)
permissions.add_rule("applications.view_all", is_admin | is_officer)
permissions.add_rule("objections.lodge", is_authenticated)
permissions.add_rule("objections.review", is_cnca_officer)
permissions.add_rule("objections.view_all", is_admin | is_officer)
# Agreement filings (cepa.filings): filed by an applicant of the party (obj: its id), reviewed by CNCA;
# seen by officers, administrators and the two organisations; terminated by CNCA or either of them.
permissions.add_rule("filings.file", is_applicant & acts_for_organisation)
permissions.add_rule("filings.review", is_cnca_officer)
permissions.add_rule("filings.view_all", is_admin | is_officer)
permissions.add_rule("filings.view", is_admin | is_officer | (is_applicant & is_filing_party))
permissions.add_rule("filings.terminate", is_cnca_officer | (is_applicant & is_filing_party))
# Organisation calendars (cepa.reminders): the organisation's staff, officers and administrators.
permissions.add_rule("calendars.view", is_admin | is_officer | (is_applicant & acts_for_organisation))


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


def transfers_visible_to(user: Any) -> QuerySet[Transfer]:
    """The registrar and administrators see all; an applicant those to or from their organisation."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.CCAA_REGISTRAR):
        return Transfer.objects.all()
    own = organisation_of(user)
    if own is not None:
        return Transfer.objects.filter(Q(to_organisation_id=own) | Q(from_organisation_id=own))
    return Transfer.objects.none()


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


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """Approved applications are published for objections, so everyone sees them; an applicant also
    sees their organisation's; officers see every submitted one; administrators all, drafts too."""
    published = Q(status=ApplicationStatus.APPROVED)
    if is_admin(user):
        return Application.objects.all()
    if can(user, "applications.view_all"):
        return Application.objects.exclude(status=ApplicationStatus.DRAFT)
    own = organisation_of(user)
    if own is not None:
        return Application.objects.filter(published | Q(organisation_id=own))
    return Application.objects.filter(published)


def application_documents_visible_to(user: Any) -> QuerySet[ApplicationDocument]:
    """Supporting documents are not published: the applicant's organisation, officers and administrators."""
    if is_admin(user):
        return ApplicationDocument.objects.all()
    if can(user, "applications.view_all"):
        return ApplicationDocument.objects.exclude(application__status=ApplicationStatus.DRAFT)
    own = organisation_of(user)
    if own is not None:
        return ApplicationDocument.objects.filter(application__organisation_id=own)
    return ApplicationDocument.objects.none()


def objections_visible_to(user: Any) -> QuerySet[Objection]:
    """Officers and administrators see all; the applicant's organisation those against its
    applications; whoever lodged one sees it."""
    if can(user, "objections.view_all"):
        return Objection.objects.all()
    if role_of(user) is None:
        return Objection.objects.none()
    mine = Q(lodged_by=user.get_username())
    own = organisation_of(user)
    if own is not None:
        mine |= Q(application__organisation_id=own)
    return Objection.objects.filter(mine)


def filings_visible_to(user: Any) -> QuerySet[AgreementFiling]:
    """Officers and administrators see every filing; an applicant those of their organisation (as party
    or counterparty); nobody else any."""
    if can(user, "filings.view_all"):
        return AgreementFiling.objects.all()
    own = organisation_of(user)
    if own is not None:
        return AgreementFiling.objects.filter(Q(party_id=own) | Q(counterparty_id=own))
    return AgreementFiling.objects.none()
