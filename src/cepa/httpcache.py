"""HTTP caching of what anyone may read: validators from the registry's version, 304s before rendering,
and Cache-Control that a reverse proxy or CDN can honour. Nothing private is ever cacheable.

A request is *public* when it is a GET or HEAD, carries neither a session cookie, a waiting message
(the messages cookie) nor an Authorization header, and is not for the portal, the workbench, the admin,
signing in or the enquiry journey. Its validator is made before the view runs, from one small query
(the registry's version number and time, and the loaded reference-data release) and from what else the
answer depends on: the host, path and query string, the language, today's date in Beijing (decisions
and statuses default to "today" there, so the answer changes at Beijing midnight) and the deployed code
(CEPA_RELEASE). A matching If-None-Match (or, without one, an If-Modified-Since not older than the
version) is answered 304 without running the view.

The version is read at most once every CEPA_VERSION_MEMO_SECONDS per process and database (0: every
request): a 304 then costs no query at all. The memo is forgotten as soon as a change set this process
wrote commits (cepa.history.generation), so a writer's next read sees its write; other processes see it
within the period. A client that just wrote (the read-your-writes cookie of cepa.ops.middleware) always
reads the version afresh, from the primary: it may have written through another process.

A public request's 200 answer is also kept in the shared cache (CEPA_PAGE_CACHE_SECONDS, 0 for never) under
its ETag, so the next reader of the same page, language and day at the same registry version gets it without
the view running: the key changes with every write, so a kept page is never stale.

A public request's 200 answer gets ETag, Last-Modified, `Cache-Control: public, max-age=N` and Vary, unless
the answer is personal after all: it sets a cookie, carries a CSRF token (a form that posts), or already
says it is private. Every other answer gets `Cache-Control: private, no-store`.

This module sits beside the faces (web and API alike use it) and reads two tables by name, so that it
depends on no app's selectors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import get_language_from_request

from cepa.catalogue.models import ReferenceDataRelease
from cepa.decisions.terms import BEIJING
from cepa.history import generation
from cepa.history.models import RegistryVersion
from cepa.ops.middleware import WROTE_COOKIE

# Never cacheable, whoever asks: the signed-in faces, the admin, signing in, switching language, and the
# enquiry journey (a form that posts, then a page of the session).
PRIVATE_PREFIXES = ("/portal/", "/workbench/", "/admin/", "/accounts/", "/language/", "/enquiry/")
API_PREFIX = "/api/"

PRIVATE = "private, no-store"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Version:
    """The registry's version: raised by every change set (cepa.history), with the catalogue release."""

    number: int
    at: dt.datetime | None
    release: str


# Public answers that depend on the code alone (CEPA_RELEASE), never on the registry: no query for them.
CODE_ONLY_PATHS = frozenset({"/api/v1/openapi.json", "/api/v1/docs"})
NO_VERSION = Version(0, None, "")

# The version read at the start of the current public request (None outside one): what the request's
# pages may key process-wide memos on, as cepa.web.public.products does the catalogue.
_current: ContextVar[Version | None] = ContextVar("cepa_registry_version", default=None)


def current_version() -> Version | None:
    return _current.get()


def registry_version(alias: str) -> Version:
    """One query: the version row and the loaded reference-data release (either may be absent)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    versions = quote(RegistryVersion._meta.db_table)
    releases = quote(ReferenceDataRelease._meta.db_table)
    sql = (
        f"SELECT (SELECT number FROM {versions} WHERE id = 1), (SELECT at FROM {versions} WHERE id = 1), "
        f"(SELECT MAX(checksum) FROM {releases})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        number, at, release = cursor.fetchone()
    if isinstance(at, str):  # SQLite through a raw cursor
        at = dt.datetime.fromisoformat(at)
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return Version(number or 0, at, release or "")


# The version per database alias: (generation when read, read until, version). See the docstring.
_memo: dict[str, tuple[int, float, Version]] = {}


def memoized_version(request: HttpRequest, alias: str) -> Version:
    seconds = settings.CEPA_VERSION_MEMO_SECONDS
    if seconds <= 0 or WROTE_COOKIE in request.COOKIES:
        return registry_version(alias)
    now = time.monotonic()
    current = generation.generation()
    kept = _memo.get(alias)
    if kept is not None and kept[0] == current and now < kept[1]:
        return kept[2]
    # The generation is taken before the query: a commit while it runs makes what it read stale at once.
    version = registry_version(alias)
    _memo[alias] = (current, now + seconds, version)
    return version


def is_public_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "HTTP_AUTHORIZATION" in request.META:
        return False
    if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:  # a message waits to be shown
        return False
    return not request.path_info.startswith(PRIVATE_PREFIXES)


def beijing_today() -> dt.date:
    return dt.datetime.now(BEIJING).date()


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: dt.datetime


def validators(request: HttpRequest, version: Version, today: dt.date) -> Validators:
    """The ETag and Last-Modified of a public request's answer, known before the view runs."""
    language = get_language_from_request(request)
    key = "\n".join(
        (
            str(version.number),
            version.at.isoformat() if version.at else "",
            version.release,
            getattr(settings, "CEPA_RELEASE", ""),
            language,
            today.isoformat(),
            request.scheme or "",
            request.META.get("HTTP_HOST", ""),  # pages may link to themselves in full
            request.path,
            request.META.get("QUERY_STRING", ""),
        )
    )
    digest = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    # An answer about "today" is new at Beijing midnight even when nothing was written.
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=BEIJING)
    changed = max(version.at or EPOCH, midnight)
    return Validators(etag=f'W/"{digest}"', last_modified=changed)


def not_modified(request: HttpRequest, found: Validators) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present; otherwise If-Modified-Since."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        etags = parse_etags(if_none_match)
        if etags == ["*"]:
            return True
        # Weak comparison: W/"x" and "x" match.
        wanted = found.etag.removeprefix("W/")
        return any(tag.removeprefix("W/") == wanted for tag in etags)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(found.last_modified.timestamp()) <= since


def response_is_personal(request: HttpRequest, response: HttpResponse) -> bool:
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    control = response.get("Cache-Control", "").lower()
    return "private" in control or "no-store" in control


def cache_control_public(response: HttpResponse, request: HttpRequest, found: Validators) -> None:
    response["ETag"] = found.etag
    response["Last-Modified"] = http_date(found.last_modified.timestamp())
    response["Cache-Control"] = f"public, max-age={settings.CEPA_HTTP_MAX_AGE}"
    vary = ["Accept-Language", "Cookie"]
    if request.path_info.startswith(API_PREFIX):
        vary.append("Authorization")
    patch_vary_headers(response, vary)


def _kept_key(found: Validators) -> str:
    return f"cepa:page:{found.etag}"


def _keep(response: HttpResponse, found: Validators) -> None:
    seconds = settings.CEPA_PAGE_CACHE_SECONDS
    if seconds <= 0 or response.streaming or len(response.content) > settings.CEPA_PAGE_CACHE_MAX_BYTES:
        return
    headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
    caches["default"].set(_kept_key(found), (response.content, headers), seconds)


def _kept(found: Validators) -> HttpResponse | None:
    if settings.CEPA_PAGE_CACHE_SECONDS <= 0:
        return None
    kept = caches["default"].get(_kept_key(found))
    if kept is None:
        return None
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


class HttpCaching:
    """The middleware (after WhiteNoise, before the session): see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_public_request(request):
            response = self.get_response(request)
            response["Cache-Control"] = PRIVATE
            return response
        if request.path_info in CODE_ONLY_PATHS:
            version = NO_VERSION
        else:
            version = memoized_version(request, router.db_for_read(RegistryVersion))
        token = _current.set(version)
        try:
            return self._public(request, version)
        finally:
            _current.reset(token)

    def _public(self, request: HttpRequest, version: Version) -> HttpResponse:
        found = validators(request, version, beijing_today())
        if not_modified(request, found):
            unchanged = HttpResponseNotModified()
            cache_control_public(unchanged, request, found)
            return unchanged
        # Answers of the code alone are quick to make and must not need the cache (nor its database).
        keeping = version is not NO_VERSION
        kept = _kept(found) if keeping else None
        if kept is not None:
            return kept
        response = self.get_response(request)
        if response.status_code == 200 and not response_is_personal(request, response):
            cache_control_public(response, request, found)
            if keeping:
                _keep(response, found)
        else:
            response["Cache-Control"] = PRIVATE
        return response
