"""Who may do what: the roles' predicates and the named permissions of the project.

Predicates (`rules`) answer yes/no questions about a user (and an object); `can(user, name, obj)`
tests a named permission. Which rows a user may see is each model's own QuerySet
(`Model.objects.restrict(user, "view")`, cepa.accounts.querysets), next to the model, built on these
predicates; an app whose rule needs its own records adds it to `permissions` (cepa.personnel.
permissions). This module imports no domain app. A user is a Django user, or an AnonymousUser for
requests without a token.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import ObjectDoesNotExist

from cepa.accounts.models import Role

OFFICER_ROLES = frozenset({Role.HKAS_OFFICER, Role.CNCA_OFFICER, Role.CCAA_REGISTRAR})


def role_of(user: Any) -> str | None:
    """The user's role; a superuser without a profile counts as an administrator."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return str(user.profile.role)
    except ObjectDoesNotExist:
        return Role.ADMIN.value if user.is_superuser else None


# Roles that sign in to the web with a second factor (TOTP): those who decide and administer.
SECOND_FACTOR_ROLES = OFFICER_ROLES | {Role.ADMIN}


def needs_second_factor(user: Any) -> bool:
    """The user signs in with a password and a code from an authenticator app (officers and
    administrators; staff of Django's admin site, whatever their role)."""
    return role_of(user) in SECOND_FACTOR_ROLES or bool(getattr(user, "is_staff", False))


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


@rules.predicate
def is_filing_party(user: Any, filing: Any) -> bool:
    """The user is an applicant of the party or the counterparty of an agreement filing."""
    own = organisation_of(user)
    return own is not None and own in (filing.party_id, filing.counterparty_id)


@rules.predicate
def is_certificate_issuer(user: Any, certificate: Any) -> bool:
    """The user is an applicant of the certification body that issued the certificate."""
    own = organisation_of(user)
    return own is not None and own == getattr(certificate, "issuer_id", None)


# Named permissions, tested with `can(user, name, obj)`. Other apps add theirs here.
permissions = rules.RuleSet()
permissions.add_rule("registry.write", is_admin)
permissions.add_rule("registry.import", is_admin)
# Accreditations (cepa.bodies.services): HKAS records their status changes.
permissions.add_rule("accreditations.change_status", is_hkas_officer)
permissions.add_rule("plans.view_drafts", is_admin | is_cnca_officer)
permissions.add_rule("expressions_of_interest.view_all", is_admin | is_officer)
permissions.add_rule("expressions_of_interest.view", is_admin | is_officer | is_applicant)
# The inspector register (CCAA). Personal data: the registrar and the inspector's own current body only.
permissions.add_rule("inspectors.register", is_ccaa_registrar)
permissions.add_rule("inspectors.manage", is_ccaa_registrar)
# inspectors.confirm and inspectors.view_personal_data (the inspector's own current body too) need the
# affiliations: cepa.personnel.permissions adds them.
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
# Certificates and their chain (cepa.certificates): a certification body's staff issue and change its
# own certificates and record its factory inspections; a laboratory's staff record its test reports
# (obj: the organisation's id, or the certificate); officers see every body's affected certificates.
permissions.add_rule("certificates.issue", is_applicant & acts_for_organisation)
permissions.add_rule("certificates.change", is_applicant & is_certificate_issuer)
permissions.add_rule("test_reports.record", is_applicant & acts_for_organisation)
permissions.add_rule("factory_inspections.record", is_applicant & acts_for_organisation)
permissions.add_rule("certificates.view_affected", is_admin | is_officer)
# Organisation calendars (cepa.reminders): the organisation's staff, officers and administrators.
permissions.add_rule("calendars.view", is_admin | is_officer | (is_applicant & acts_for_organisation))
# Enquiries (cepa.enquiries): CNCA answers them; administrators may read them.
permissions.add_rule("enquiries.view", is_admin | is_cnca_officer)
permissions.add_rule("enquiries.answer", is_cnca_officer)


def can(user: Any, name: str, obj: Any = None) -> bool:
    return bool(permissions.test_rule(name, user, obj))
