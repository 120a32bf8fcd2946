"""What the personnel routes share, in the contract's order: 403 the role or organisation (the
service's own check, `base.require`), 404 the inspector (`inspector_or_404`), 400 the body, then
the service (409, 422)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from cepa.api.auth import current_user
from cepa.api.errors import parse_body
from cepa.api.personnel.schemas import Body
from cepa.api.routes import record_id_ok
from cepa.errors import NotFound
from cepa.personnel.models import Inspector
from cepa.personnel.services import base


def inspector_or_404(record_id: str) -> str:
    if not record_id_ok(record_id) or not Inspector.objects.filter(pk=record_id).exists():
        raise NotFound(f"no inspector with id {record_id!r}")
    return record_id


def registrar_write(
    request: HttpRequest,
    record_id: str,
    permission: str,
    schema: type[Body],
    call: Callable[[Any, Any], Any],
) -> Any:
    """403, 404, 400, then the service (which checks the user again; 409, 422): `call(user, body)`."""
    user = current_user(request)
    base.require(user, permission, record_id, what="change this registration")
    inspector_or_404(record_id)
    return call(user, parse_body(request, schema))
