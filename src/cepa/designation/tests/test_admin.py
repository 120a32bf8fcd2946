"""The admin shows applications (with their history), objections and documents, view-only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cepa.designation.tests.conftest import Clock, People
from cepa.designation.tests.helpers import PDF, post, upload
from cepa.designation.tests.test_transitions import application_in
from cepa.testing.personas import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["application", "objection", "applicationdocument"])
def test_view_only(api: Client, people: People, clock: Clock, model: str) -> None:
    clock.set("2026-09-24T16:00:00+08:00")
    draft = application_in(api, people, "draft")
    upload(api, draft, people.delta, PDF)
    number = application_in(api, people, "approved")
    post(api, f"/applications/{number}/objections", people.river, {"grounds": "x"})
    staff = Client()
    sign_in(staff, get_user_model().objects.get(username="root"))
    listing = staff.get(reverse(f"admin:designation_{model}_changelist"))
    assert listing.status_code == 200
    model_admin = next(
        a for m, a in admin.site._registry.items() if m._meta.label_lower == f"designation.{model}"
    )
    first = model_admin.model._default_manager.order_by("pk").first()
    detail = staff.get(reverse(f"admin:designation_{model}_change", args=[first.pk]))
    assert detail.status_code == 200
    model_admin = next(
        a for m, a in admin.site._registry.items() if m._meta.label_lower == f"designation.{model}"
    )
    request = listing.wsgi_request
    assert (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    ) == (False, False, False)
    if model == "application":
        assert b"drafted" in detail.content  # the history inline
