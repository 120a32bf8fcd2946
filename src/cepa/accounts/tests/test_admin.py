"""The admin: every registry model, accounts and the history are listed and searchable, never editable."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.test import Client
from django.urls import reverse

from cepa.accounts.models import ApiToken
from cepa.accounts.services import create_token
from cepa.bodies.models import Organisation
from cepa.history.models import ChangeSet
from cepa.testing import personas
from cepa.testing.registries import make_registry

pytestmark = pytest.mark.django_db

VIEW_ONLY = [
    "bodies.organisation",
    "bodies.accreditation",
    "bodies.designation",
    "bodies.agreement",
    "personnel.inspector",
    "designation.plan",
    "designation.expressionofinterest",
    "history.changeset",
    "history.change",
    "accounts.profile",
    "accounts.apitoken",
]


@pytest.fixture
def client() -> Client:
    make_registry()
    return personas.admin(token=False).client()  # the token tests count the administrator's tokens


def url(model: str, view: str, *args: object) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_{view}", args=args)


@pytest.mark.parametrize("model", VIEW_ONLY)
def test_listed_and_view_only(client: Client, model: str) -> None:
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    model_admin = admin.site._registry[next(m for m in admin.site._registry if m._meta.label_lower == model)]
    request = response.wsgi_request
    assert (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    ) == (False, False, False)
    assert client.get(url(model, "add")).status_code == 403


@pytest.mark.parametrize(
    ("model", "query", "shown", "hidden"),
    [
        ("bodies.organisation", "?q=harbour", "hk-lab-harbour", "hk-cb-lionrock"),
        ("bodies.organisation", "?kind__exact=certification_body", "hk-cb-lionrock", "hk-lab-harbour"),
        ("bodies.accreditation", "?q=0915", "HOKLAS 950", "HKCAS 012/A"),
        ("personnel.inspector", "?q=wong", "2024-CCC-HK-0007", "2023/CCC/0001"),
        ("designation.plan", "?status__exact=draft", "2027-draft", "2026-1"),
    ],
)
def test_search_and_filters(client: Client, model: str, query: str, shown: str, hidden: str) -> None:
    """`shown` and `hidden` are primary keys: the filtered list links to the first and not the second
    (an ignored search or filter would still show `shown`)."""

    def listed(page: str) -> tuple[bool, bool]:
        links = [f'href="{url(model, "change", quote(pk))}' for pk in (shown, hidden)]
        return links[0] in page, links[1] in page

    assert listed(client.get(url(model, "changelist")).content.decode()) == (True, True)
    response = client.get(url(model, "changelist") + query)
    assert response.status_code == 200
    assert listed(response.content.decode()) == (True, False)


def test_record_pages_show_but_do_not_save(client: Client) -> None:
    page = client.get(url("bodies.organisation", "change", "hk-lab-harbour"))
    assert page.status_code == 200
    response = client.post(url("bodies.organisation", "change", "hk-lab-harbour"), {"name_en": "Hijacked"})
    assert response.status_code == 403
    assert Organisation.objects.get(pk="hk-lab-harbour").name_en == "Harbour Product Testing Ltd"
    assert (
        client.post(url("bodies.organisation", "delete", "hk-lab-harbour"), {"post": "yes"}).status_code
        == 403
    )
    assert Organisation.objects.filter(pk="hk-lab-harbour").exists()


def test_token_admin_hides_the_digest_and_revokes_through_the_service(client: Client) -> None:
    token, _ = create_token(actor="test", username="root")
    page = client.get(url("accounts.apitoken", "change", token.pk)).content.decode()
    assert token.prefix in page and token.digest not in page
    changesets = ChangeSet.objects.count()

    response = client.post(
        url("accounts.apitoken", "changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )

    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert ChangeSet.objects.count() == changesets + 1
    last = ChangeSet.objects.last()
    assert last is not None and (last.channel, last.actor) == ("admin", "admin:root")


def test_user_admin_shows_the_role(client: Client) -> None:
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    assert "admin" in response.content.decode()
