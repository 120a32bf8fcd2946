"""Issue 12 finding 14: a Content-Security-Policy on every page (no inline script or style), secure
cookies and HSTS when served over HTTPS (one setting, CEPA_HTTPS), and `cepa check --deploy` clean
under the production settings of docs/security.md."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client, override_settings

from cepa.testing.personas import persona, sign_in

PACKAGE = Path(__file__).resolve().parents[1]
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}
PRODUCTION = {
    "CEPA_HTTPS": "1",
    "CEPA_ALLOWED_HOSTS": "registry.example.org",
    "CEPA_DEBUG": "0",
}


def policy(response: Any) -> set[str]:
    """The policy's directives (django-csp writes them in no fixed order)."""
    return set(response["Content-Security-Policy"].split("; "))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/directory/",
        "/enquiry/",
        "/accounts/login/",
        "/open-data/",
        "/api/v1/docs",
        "/api/v1/organisations",
        "/no-such-page/",
    ],
)
def test_every_page_carries_the_policy(path: str) -> None:
    response = Client().get(path)
    assert policy(response) == POLICY


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/workbench/", "/admin/", "/accounts/verify/"])
def test_signed_in_pages_carry_the_policy(path: str) -> None:
    role = "admin" if path == "/admin/" else "cnca_officer"
    client = sign_in(Client(), persona("someone", role, token=False).user)
    response = client.get(path)
    assert response.status_code in (200, 302)
    assert policy(response) == POLICY


@pytest.mark.django_db
def test_the_api_documentation_loads_nothing_from_elsewhere() -> None:
    html = Client().get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith(("/", "#")) for source in sources), sources


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")(?![^>]*nonce=)[^>]*>"),
        "inline script",
    ),
    (re.compile(r"<style(?![^>]*nonce=)[^>]*>"), "inline style element"),
    (re.compile(r"\sstyle=\""), "style attribute"),
    (re.compile(r"\son[a-z]+=\""), "event handler attribute"),
    (re.compile(r"javascript:"), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}: {what}"
        for path in sorted(PACKAGE.rglob("templates/**/*.html"))
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# --- HTTPS ----------------------------------------------------------------------------------------


def cepa(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Not the test run's own switches: the browser tests allow async-unsafe calls in this process.
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CEPA_HTTPS") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environ = inherited | env
    environ["PYTHONPATH"] = str(PACKAGE.parent)
    return subprocess.run(
        [sys.executable, "-c", "from cepa.cli import main; main()", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**more: str) -> dict[str, str]:
    return {**PRODUCTION, "CEPA_SECRET_KEY": secrets.token_urlsafe(50), **more}


def test_check_deploy_is_clean_under_the_production_settings() -> None:
    run = cepa("check", "--deploy", "--fail-level", "WARNING", **production())
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    assert run.stdout == "System check identified no issues (0 silenced).\n"


def test_without_https_check_deploy_names_what_is_missing() -> None:
    env = production()
    del env["CEPA_HTTPS"]
    run = cepa("check", "--deploy", "--fail-level", "WARNING", **env)
    assert run.returncode == 1
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in run.stderr


def https_settings(**env: str) -> dict[str, Any]:
    code = (
        "import json, cepa.settings as s; print(json.dumps({k: getattr(s, k, None) for k in ["
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'LANGUAGE_COOKIE_SECURE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SECURE_PROXY_SSL_HEADER']}))"
    )
    environ = {k: v for k, v in os.environ.items() if k != "CEPA_HTTPS"} | env
    environ["PYTHONPATH"] = str(PACKAGE.parent)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def test_one_setting_turns_on_secure_cookies_hsts_and_the_redirect() -> None:
    assert https_settings(CEPA_HTTPS="1") == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    assert https_settings()["SECURE_HSTS_SECONDS"] is None


SERVED_OVER_HTTPS = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
}


@pytest.mark.django_db
@override_settings(**SERVED_OVER_HTTPS)
def test_over_https_cookies_are_secure_and_hsts_is_sent() -> None:
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    page = client.get("/accounts/login/")
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page.cookies["csrftoken"]["secure"] is True
    language = client.get("/language/zh-hant/?next=/")
    assert language.cookies["django_language"]["secure"] is True
    # Plain HTTP is sent to HTTPS.
    plain = Client().get("/directory/")
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/directory/")


@pytest.mark.django_db
def test_admin_lists_have_no_inline_style() -> None:
    """Django's change list has an inline style for lists without actions; the project's takes it from
    a file."""
    from django.contrib import admin

    from cepa.history.models import ChangeSet

    client = sign_in(Client(), persona("root", "admin", token=False).user)
    model_admin = admin.site._registry[ChangeSet]
    with (
        mock.patch.object(model_admin, "actions_on_top", False),
        mock.patch.object(model_admin, "actions_on_bottom", False),
    ):
        html = client.get("/admin/history/changeset/").content.decode()
    assert "<style" not in html
    assert 'href="/static/web/admin-without-actions.css"' in html
    assert 'href="/static/admin/css/changelists.css"' in html
