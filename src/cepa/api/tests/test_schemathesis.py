"""Generated requests for every operation of the OpenAPI document: none may end in a server error.

Runs in process against the WSGI application, on a database holding a small registry, once
anonymously and once with an administrator's token (so the writes and the importer are exercised).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from cepa.testing.personas import persona
from cepa.testing.registries import make_registry

django_application = get_wsgi_application()


def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Django's WSGI handler, its response read and closed at once: closing sends request_finished,
    which must happen while the fixture below holds the connection-closing handlers off."""
    result = django_application(environ, start_response)
    try:
        return [b"".join(result)]
    finally:
        result.close()


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # the same cases on every run
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def registry(db: Any) -> Iterator[dict[str, str]]:
    make_registry()
    # Called through WSGI, Django would close the test's connection (and its transaction) at the end
    # of each request; Django's own test client holds these signals off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield persona("root", "admin").headers
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@EXAMPLES
def test_no_server_error_anonymous(case: schemathesis.Case, registry: dict[str, str]) -> None:
    case.call_and_validate(checks=[not_a_server_error])


@schema.parametrize()
@EXAMPLES
def test_no_server_error_as_administrator(case: schemathesis.Case, registry: dict[str, str]) -> None:
    case.call_and_validate(headers=registry, checks=[not_a_server_error])
