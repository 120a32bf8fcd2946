from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from cepa.accounts import permissions
from cepa.designation.models import ExpressionOfInterest, Plan
from cepa.testing import personas
from cepa.testing.personas import Persona
from cepa.testing.registries import make_registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(
    hkas_officer: Persona, cnca_officer: Persona, ccaa_registrar: Persona, admin_user: Persona
) -> dict:
    make_registry()
    return {
        "anonymous": AnonymousUser(),
        "applicant": personas.applicant("app", "cn-lab-pearl").user,
        "hkas": hkas_officer.user,
        "cnca": cnca_officer.user,
        "ccaa": ccaa_registrar.user,
        "admin": admin_user.user,
        "superuser": get_user_model().objects.create_superuser("super", password=None),
    }


def test_roles(users: dict) -> None:
    assert [name for name, user in users.items() if permissions.is_admin(user)] == ["admin", "superuser"]
    assert [name for name, user in users.items() if permissions.is_officer(user)] == ["hkas", "cnca", "ccaa"]
    assert [name for name, user in users.items() if permissions.is_cnca_officer(user)] == ["cnca"]
    assert [name for name, user in users.items() if permissions.is_applicant(user)] == ["applicant"]
    assert permissions.role_of(users["anonymous"]) is None


def test_acts_for_organisation(users: dict) -> None:
    applicant = users["applicant"]
    assert permissions.acts_for_organisation(applicant, "cn-lab-pearl")
    assert not permissions.acts_for_organisation(applicant, "cn-cb-east")
    assert not permissions.acts_for_organisation(users["admin"], "cn-lab-pearl")
    assert not permissions.acts_for_organisation(users["anonymous"], "cn-lab-pearl")


def test_registry_writes_only_for_administrators(users: dict) -> None:
    allowed = [name for name, user in users.items() if permissions.can(user, "registry.write")]
    assert allowed == ["admin", "superuser"]


def test_draft_plans_only_for_cnca_officers_and_administrators(users: dict) -> None:
    seen = {
        name: sorted(Plan.objects.restrict(user, "view").values_list("id", flat=True))
        for name, user in users.items()
    }
    assert seen["anonymous"] == seen["applicant"] == seen["hkas"] == ["2026-1"]
    assert seen["cnca"] == seen["admin"] == ["2026-1", "2027-draft"]


def test_expressions_of_interest_scoped(users: dict) -> None:
    def seen(name: str) -> list[str]:
        return sorted(
            ExpressionOfInterest.objects.restrict(users[name], "view").values_list("id", flat=True)
        )

    assert seen("anonymous") == []
    assert seen("applicant") == ["EOI-2026-0031"]
    assert seen("hkas") == seen("cnca") == seen("ccaa") == seen("admin") == ["EOI-2026-0031", "EOI-2026-0040"]


def test_inactive_user_has_no_role(users: dict) -> None:
    admin = users["admin"]
    admin.is_active = False
    assert permissions.role_of(admin) is None
    assert not permissions.can(admin, "registry.write")
