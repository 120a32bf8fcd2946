"""The checks the personnel routes share, in the contract's order: 403 the role or organisation
(`require`), 404 the inspector (`inspector_or_404`), then the services' errors as the API's
(`service_errors`: 400 naming the field, 404, 409, 422 with the failing codes)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest

from cepa.accounts import permissions
from cepa.api.auth import current_user
from cepa.api.errors import BadRequest, Conflict, Forbidden, NotFound, Refused, parse_body
from cepa.api.personnel.schemas import Body
from cepa.api.routes import record_id_ok
from cepa.personnel import services
from cepa.personnel.models import Inspector


@contextmanager
def service_errors(lang: str = "en") -> Iterator[None]:
    """The services' errors as the API's: 404, 400 naming the field, 409, 422 with the failing codes."""
    try:
        yield
    except services.NotFound as error:
        raise NotFound(error.message) from error
    except services.Conflict as error:
        raise Conflict(error.message, code=error.code) from error
    except services.PersonnelError as error:
        raise BadRequest(
            f"{error.field}: {error.message}", errors=[{"field": error.field, "message": error.message}]
        ) from error
    except services.Refusal as refusal:
        raise Refused(
            " ".join(reason.message(lang) for reason in refusal.reasons),
            failing=refusal.codes,
            reasons=[{"code": r.code, "message": r.message(lang)} for r in refusal.reasons],
        ) from refusal


def require(request: HttpRequest, permission: str, obj: Any = None, what: str = "do this") -> None:
    user = current_user(request)
    if not permissions.can(user, permission, obj):
        raise Forbidden(f"role {permissions.role_of(user) or 'none'} may not {what}")


def inspector_or_404(record_id: str) -> str:
    if not record_id_ok(record_id) or not Inspector.objects.filter(pk=record_id).exists():
        raise NotFound(f"no inspector with id {record_id!r}")
    return record_id


def registrar_write(
    request: HttpRequest, record_id: str, permission: str, schema: type[Body], call: Callable[[Any], Any]
) -> Any:
    """403, 404, 400, then the service (409, 422)."""
    require(request, permission, record_id, what="change this registration")
    inspector_or_404(record_id)
    body = parse_body(request, schema)
    with service_errors():
        return call(body)
