"""Who may open the portal and the workbench: anonymous people sign in first, other roles get a 403 page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cepa.web.tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

PORTAL_PAGES = [
    "/portal/",
    "/portal/records/",
    "/portal/documents/",
    "/portal/expressions-of-interest/",
    "/portal/applications/",
    "/portal/applications/new/",
    "/portal/filings/",
    "/portal/filings/new/",
    "/portal/transfers/",
    "/portal/transfers/new/",
]
WORKBENCH_PAGES = ["/workbench/"]


@pytest.mark.parametrize("path", PORTAL_PAGES + WORKBENCH_PAGES)
def test_anonymous_is_sent_to_sign_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("username", ["hkas", "cnca", "ccaa", "root"])
@pytest.mark.parametrize("path", PORTAL_PAGES)
def test_portal_refuses_other_roles(client: Client, username: str, path: str) -> None:
    response = signed_in(client, username).get(path)
    assert response.status_code == 403
    assert "This part of the service is for staff of a registered body." in response.content.decode()


@pytest.mark.parametrize("username", ["pearl", "root"])
def test_workbench_refuses_applicants_and_administrators(client: Client, username: str) -> None:
    response = signed_in(client, username).get("/workbench/")
    assert response.status_code == 403
    assert "This part of the service is for officers of HKAS, CNCA and CCAA." in response.content.decode()


@pytest.mark.parametrize(
    "username,target",
    [
        ("pearl", "/portal/"),
        ("cnca", "/workbench/"),
        ("ccaa", "/workbench/"),
        ("hkas", "/workbench/"),
        ("root", "/admin/"),
    ],
)
def test_signing_in_lands_on_the_users_start_page(client: Client, username: str, target: str) -> None:
    response = signed_in(client, username).get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_header_links_to_the_portal_or_the_workbench(client: Client) -> None:
    html = signed_in(client, "pearl").get("/").content.decode()
    assert '<a href="/portal/">Your organisation</a>' in html
    assert "Workbench" not in html
    html = signed_in(Client(), "cnca").get("/").content.decode()
    assert '<a href="/workbench/">Workbench</a>' in html


def test_portal_records_show_only_the_own_organisation(client: Client) -> None:
    signed_in(client, "victoria")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/portal/records/")
    assert response.status_code == 200
    assert len(queries) <= 20
    html = response.content.decode()
    assert "hk-cb-victoria" in html
    assert "<h1>Your organisation's records</h1>" in html


def test_hkas_officer_sees_recent_accreditation_status_changes(client: Client) -> None:
    signed_in(client, "hkas")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/workbench/")
    assert response.status_code == 200
    assert len(queries) <= 20
    html = response.content.decode()
    assert "Recent status changes of accreditations" in html


@pytest.mark.parametrize("username", ["pearl", "xiangjiang", "victoria", "harbour"])
@pytest.mark.parametrize("path", PORTAL_PAGES)
def test_every_portal_page_for_every_kind_of_body(client: Client, username: str, path: str) -> None:
    signed_in(client, username)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert len(queries) <= 20
    assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize(
    ("username", "sections"),
    [
        ("hkas", ["accreditation-changes"]),
        ("cnca", ["queue-submitted", "queue-under-review", "queue-objections", "queue-filings"]),
        ("ccaa", ["queue-transfers"]),
    ],
)
def test_workbench_home_for_every_officer(client: Client, username: str, sections: list[str]) -> None:
    signed_in(client, username)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/workbench/")
    assert response.status_code == 200
    assert len(queries) <= 20
    # Each officer sees the queues of their own role, and only those.
    shown = re.findall(r'<h2 id="(queue-[\w-]+|accreditation-changes)"', response.content.decode())
    assert shown == sections
