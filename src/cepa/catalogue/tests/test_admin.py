"""The catalogue in the admin: viewable, never addable, changeable or deletable."""

from __future__ import annotations

import pytest
from django.test import Client

from cepa.catalogue.models import ProductType

pytestmark = pytest.mark.django_db

MODELS = (
    "instrument", "catalogueversion", "category", "producttype", "producttypechange", "routinescopeentry",
    "contact", "referencedatarelease",
)


@pytest.fixture
def admin_client_(admin_client: Client) -> Client:
    return admin_client


@pytest.mark.parametrize("model", MODELS)
def test_every_model_is_listed_but_cannot_be_added(admin_client_: Client, model: str) -> None:
    assert admin_client_.get(f"/admin/catalogue/{model}/").status_code == 200
    assert admin_client_.get(f"/admin/catalogue/{model}/add/").status_code == 403


def test_a_product_type_is_view_only(admin_client_: Client) -> None:
    page = admin_client_.get("/admin/catalogue/producttype/0701/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = admin_client_.post("/admin/catalogue/producttype/0701/change/", {"name_en": "Fridges"})
    assert response.status_code == 403
    assert admin_client_.post("/admin/catalogue/producttype/0701/delete/", {"post": "yes"}).status_code == 403
    assert ProductType.objects.get(key="0701").name_en == "Household refrigerators and food freezers"
