"""HTTP caching (cepa.httpcache): validators from the registry's version, 304s before rendering, and
Cache-Control that shares only what anyone may read."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.http import HttpResponse
from django.test import Client
from django.utils.http import http_date

from cepa.history.models import RegistryVersion
from cepa.httpcache import PRIVATE, registry_version
from cepa.interchange.services import import_document
from cepa.testing.personas import persona
from cepa.web.tests.conftest import in_language, registry_document, signed_in

pytestmark = pytest.mark.usefixtures("demo")

DIRECTORY = "/directory/?product=0915&on=2026-06-01"
PUBLIC = "public, max-age=60"


def renamed_organisation() -> None:
    """A write through the importer: one organisation's English name changes."""
    document = registry_document()
    document["organisations"][0]["name"]["en"] = "Renamed Testing Ltd"
    import_document(actor="system:test", document=document, reason="rename")


def vary(response: Any) -> set[str]:
    return {part.strip() for part in response["Vary"].split(",")}


def test_a_public_page_carries_validators_and_public_cache_control(client: Client) -> None:
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert response["Cache-Control"] == PUBLIC
    assert {"Accept-Language", "Cookie"} <= vary(response)
    assert "Authorization" not in vary(response)
    at = RegistryVersion.objects.get(pk=1).at
    assert response["Last-Modified"] == http_date(
        max(
            at,
            dt.datetime.now(dt.UTC)
            .astimezone(dt.timezone(dt.timedelta(hours=8)))
            .replace(hour=0, minute=0, second=0, microsecond=0),
        ).timestamp()
    )
    assert response.cookies == {}


def test_a_matching_if_none_match_is_a_304_from_one_query(
    client: Client, django_assert_num_queries: Any
) -> None:
    etag = client.get(DIRECTORY)["ETag"]
    with django_assert_num_queries(1):
        again = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == PUBLIC
    # The strong form of the same tag, and a list holding it, match too (weak comparison).
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag.removeprefix("W/")).status_code == 304
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_write_changes_the_validators(client: Client) -> None:
    first = client.get(DIRECTORY)
    before = RegistryVersion.objects.get(pk=1).number
    renamed_organisation()
    assert RegistryVersion.objects.get(pk=1).number == before + 1
    after = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_the_validator_depends_on_language_query_and_the_day_in_beijing(client: Client) -> None:
    english = client.get(DIRECTORY)["ETag"]
    assert client.get(DIRECTORY)["ETag"] == english
    traditional = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert traditional["ETag"] != english
    assert traditional.content != client.get(DIRECTORY).content
    client.cookies["django_language"] = "zh-hans"
    assert client.get(DIRECTORY)["ETag"] not in (english, traditional["ETag"])
    del client.cookies["django_language"]
    assert client.get("/directory/?product=0915&on=2026-06-02")["ETag"] != english
    tomorrow = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date() + dt.timedelta(days=1)
    with mock.patch("cepa.httpcache.beijing_today", return_value=tomorrow):
        next_day = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=english)
    assert next_day.status_code == 200
    assert next_day["ETag"] != english
    midnight = dt.datetime.combine(tomorrow, dt.time(), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert next_day["Last-Modified"] == http_date(midnight.timestamp())


def test_if_modified_since(client: Client) -> None:
    last_modified = client.get(DIRECTORY)["Last-Modified"]
    assert client.get(DIRECTORY, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp())
    assert client.get(DIRECTORY, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # If-None-Match decides when both are sent.
    assert (
        client.get(DIRECTORY, HTTP_IF_MODIFIED_SINCE=last_modified, HTTP_IF_NONE_MATCH='"other"').status_code
        == 200
    )


@pytest.mark.parametrize(
    "path",
    [
        "/bodies/hk-lab-aberdeen/",
        "/who-can-test/?product=0915",
        "/",
        "/calendar/",
        "/open-data/cepa-registry.json",
    ],
)
def test_each_public_page_answers_304(client: Client, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    assert first["Cache-Control"] == PUBLIC
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_signed_in_reader_is_never_cached(client: Client, personas: Any) -> None:
    etag = client.get(DIRECTORY)["ETag"]
    signed_in(client, "harbour")
    response = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")


@pytest.mark.parametrize("path", ["/portal/", "/workbench/", "/admin/", "/accounts/login/"])
def test_private_faces_are_no_store_even_when_anonymous(client: Client, path: str) -> None:
    response = client.get(path)
    assert response["Cache-Control"] == PRIVATE
    assert not response.has_header("ETag")


def test_signed_in_faces_are_no_store(client: Client, personas: Any) -> None:
    signed_in(client, "hkas")
    response = client.get("/workbench/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_form_that_posts_is_not_shared(client: Client) -> None:
    """The enquiry form carries a CSRF token and sets its cookie: private, whoever asks."""
    response = client.get("/enquiry/", {"product": "0915"})
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert response["Cache-Control"] == PRIVATE
    assert not response.has_header("ETag")


def test_an_answer_that_sets_a_cookie_is_not_shared(client: Client) -> None:
    response = client.get("/language/zh-hant/", {"next": "/directory/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "zh-hant"
    assert response["Cache-Control"] == PRIVATE


def test_posts_and_errors_are_not_shared(client: Client) -> None:
    assert client.post("/directory/")["Cache-Control"] == PRIVATE  # 405
    missing = client.get("/bodies/no-such-body/")
    assert missing.status_code == 404
    assert missing["Cache-Control"] == PRIVATE
    assert not missing.has_header("ETag")


def test_api_reads_are_cached_for_anonymous_readers_only(client: Client) -> None:
    path = "/api/v1/organisations?limit=5"
    anonymous = client.get(path)
    assert anonymous.status_code == 200
    assert anonymous["Cache-Control"] == PUBLIC
    assert {"Accept-Language", "Cookie", "Authorization"} <= vary(anonymous)
    assert client.get(path, HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 304
    decision = client.get("/api/v1/decisions/testing", {"subject": "hk-lab-aberdeen", "product_type": "0915"})
    assert decision.status_code == 200
    assert decision["Cache-Control"] == PUBLIC
    token = persona("reader", "hkas_officer").token
    with_token = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert with_token.status_code == 200
    assert with_token["Cache-Control"] == PRIVATE
    assert not with_token.has_header("ETag")


def test_the_version_is_one_query_and_rises_with_each_change_set() -> None:
    start = RegistryVersion.objects.get(pk=1)
    version = registry_version("default")
    assert (version.number, version.at) == (start.number, start.at)
    assert len(version.release) == 64
    renamed_organisation()
    assert registry_version("default").number == start.number + 1


def test_a_public_page_is_kept_until_the_registry_changes(
    client: Client, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.CEPA_PAGE_CACHE_SECONDS = 600
    first = client.get(DIRECTORY)
    # The version, and the page from the cache: one more query when the cache is the database's.
    from_database = isinstance(caches["default"], DatabaseCache)
    with django_assert_num_queries(2 if from_database else 1):
        kept = client.get(DIRECTORY)
    assert kept.status_code == 200
    assert kept.content == first.content
    assert kept["ETag"] == first["ETag"]
    assert kept["Content-Type"] == first["Content-Type"]
    assert kept["Cache-Control"] == PUBLIC
    renamed_organisation()
    assert "Renamed Testing Ltd" in client.get("/directory/?on=2026-06-01&q=Renamed").content.decode()
    fresh = client.get(DIRECTORY)
    assert fresh["ETag"] != first["ETag"]
    # A signed-in reader's page is never taken from, nor put in, the cache.
    in_language(client, "en")
    client.cookies["sessionid"] = "x"
    private = client.get(DIRECTORY)
    assert private["Cache-Control"] == PRIVATE


def test_a_page_that_asks_for_a_csrf_token_is_not_shared(rf: Any) -> None:
    from django.middleware.csrf import get_token

    from cepa.httpcache import HttpCaching

    def form_view(request: Any) -> HttpResponse:
        return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")

    def plain_view(request: Any) -> HttpResponse:
        return HttpResponse("plain")

    assert HttpCaching(form_view)(rf.get("/directory/"))["Cache-Control"] == PRIVATE
    assert HttpCaching(plain_view)(rf.get("/directory/"))["Cache-Control"] == PUBLIC


def test_the_catalogue_is_read_once_per_registry_version(client: Client, settings: Any) -> None:
    settings.CEPA_PAGE_CACHE_SECONDS = 600
    first, _ = count_queries(client, "/bodies/hk-lab-aberdeen/")
    second, _ = count_queries(client, "/bodies/hk-lab-harbourview/")
    assert second == first - 1  # the product types, kept from the first page
    renamed_organisation()
    third, _ = count_queries(client, "/bodies/cn-lab-pearl-delta/")
    assert third == first


def count_queries(client: Client, path: str) -> tuple[int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_the_validator_depends_on_the_host(client: Client) -> None:
    here = client.get(DIRECTORY)["ETag"]
    assert client.get(DIRECTORY, HTTP_HOST="localhost")["ETag"] != here
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=here, HTTP_HOST="localhost").status_code == 200


def test_a_reader_with_a_message_waiting_is_not_served_from_caches(client: Client) -> None:
    etag = client.get(DIRECTORY)["ETag"]
    client.cookies["messages"] = "waiting"
    response = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_the_api_description_is_public_without_a_query(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        first = client.get("/api/v1/openapi.json")
    assert first.status_code == 200
    assert first["Cache-Control"] == PUBLIC
    with django_assert_num_queries(0):
        assert client.get("/api/v1/openapi.json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
