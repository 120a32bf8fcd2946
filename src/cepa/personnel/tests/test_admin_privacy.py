"""Finding 4 of issue 12: the admin neither filters nor searches on personal data, and every view of an
inspector's page there is logged like the API's reads."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client

from cepa.accounts.services import create_user
from cepa.enquiries.models import Enquiry
from cepa.personnel.models import Inspector, PersonalDataAccess
from cepa.personnel.tests.conftest import NUMBER
from cepa.testing.personas import sign_in
from cepa.viewonly import PERSONAL_DATA_FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def root() -> Client:
    create_user(actor="t", username="root", role="admin", password="a-long-password")
    return sign_in(Client(), get_user_model().objects.get(username="root"))


@pytest.mark.parametrize(
    "query",
    [
        "date_of_birth=1971-03-09",
        "date_of_birth__year=1971",
        "identity_document__startswith=R4",
        "email__contains=ho.wing",
        "phone__startswith=%2B852",
    ],
)
def test_the_inspector_list_refuses_a_filter_on_personal_data(
    inspector: Inspector, root: Client, query: str
) -> None:
    response = root.get(f"/admin/personnel/inspector/?{query}")
    assert response.status_code == 400
    assert NUMBER not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_the_inspector_list_still_filters_on_public_fields(inspector: Inspector, root: Client) -> None:
    response = root.get("/admin/personnel/inspector/?grade=inspector")
    assert response.status_code == 200
    assert NUMBER in response.content.decode()


def test_enquiries_are_not_found_by_the_enquirers_address(db: None, root: Client) -> None:
    Enquiry.objects.create(
        reference="ENQ-1",
        product_type="0701",
        queue="electrical_electronic",
        name="Chan Siu Ming",
        email="chan@example.hk",
        message="where do I go",
        language="en",
        submitted_at="2026-01-05T10:00:00+08:00",
    )
    assert root.get("/admin/enquiries/enquiry/?email=chan@example.hk").status_code == 400
    assert root.get("/admin/enquiries/enquiry/?name__startswith=Chan").status_code == 400
    searched = root.get("/admin/enquiries/enquiry/?q=chan@example.hk")
    assert (searched.status_code, "ENQ-1" in searched.content.decode()) == (200, False)
    assert "ENQ-1" in root.get("/admin/enquiries/enquiry/?q=ENQ-1").content.decode()


def test_no_admin_filters_searches_or_dates_on_personal_data() -> None:
    found = []
    for model, model_admin in admin.site._registry.items():
        personal = PERSONAL_DATA_FIELDS | set(getattr(model_admin, "personal_fields", ()))
        filters: list[Any] = list(model_admin.list_filter)
        named: list[str] = [
            *(str(f if isinstance(f, str) else f[0]) for f in filters if not isinstance(f, type)),
            *model_admin.search_fields,
            *([str(model_admin.date_hierarchy)] if model_admin.date_hierarchy else []),
        ]
        found += [
            f"{model._meta.label}: {name}" for name in named if set(name.lstrip("^=@").split("__")) & personal
        ]
    assert found == []


def test_viewing_an_inspector_in_the_admin_is_logged(inspector: Inspector, root: Client) -> None:
    page = root.get(f"/admin/personnel/inspector/{quote(NUMBER)}/change/")
    assert page.status_code == 200
    logged = list(PersonalDataAccess.objects.values_list("actor", "inspector_id", "channel"))
    assert logged == [("user:root", NUMBER, "admin")]
    fields = PersonalDataAccess.objects.get().fields
    assert "name_en" in fields and "inspectorevent" in fields
    assert not set(fields) & PERSONAL_DATA_FIELDS  # the page shows none of them
    root.get(f"/admin/personnel/inspector/{quote(NUMBER)}/change/")
    assert PersonalDataAccess.objects.count() == 2


def test_a_missing_inspector_logs_nothing(inspector: Inspector, root: Client) -> None:
    assert root.get("/admin/personnel/inspector/nobody/change/").status_code == 302
    assert root.get("/admin/personnel/inspector/").status_code == 200  # the list is not a record's page
    assert not PersonalDataAccess.objects.exists()
