"""Bearer-token authentication for the API.

`TokenAuth()` requires a valid token (401 otherwise) and puts the Django user in `request.auth`;
`TokenAuth(permission="registry.write")` also requires a named permission of
cepa.accounts.permissions (403 otherwise), checked before ninja reads the body.
`OptionalTokenAuth()` is for public endpoints: no header gives an AnonymousUser, a bad token 401.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from cepa.accounts import permissions
from cepa.accounts.selectors import active_token
from cepa.accounts.services import note_token_use
from cepa.errors import NotAuthenticated, role_may_not

BAD_TOKEN = _("the API token is not valid (unknown, revoked, or its user is inactive)")
# OpenAPI security for endpoints that work with or without a token.
OPTIONAL_SECURITY: dict[str, Any] = {"security": [{"TokenAuth": []}, {}]}


def current_user(request: HttpRequest) -> Any:
    """The user the auth class put on the request (an AnonymousUser on public endpoints without a token)."""
    return getattr(request, "auth", None) or AnonymousUser()


def user_for_bearer(request: HttpRequest) -> Any | None:
    """The user of the request's bearer token; None without an Authorization header; 401 for a bad one."""
    header = request.headers.get("Authorization")
    if not header:
        return None
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise NotAuthenticated("the Authorization header must be: Bearer TOKEN")
    token = active_token(raw.strip())
    if token is None:
        raise NotAuthenticated(BAD_TOKEN)
    note_token_use(token)
    return token.user


class TokenAuth(HttpBearer):
    def __init__(self, permission: str | None = None) -> None:
        super().__init__()
        self.permission = permission

    def __call__(self, request: HttpRequest) -> Any | None:
        user = user_for_bearer(request)
        if user is None:
            return None  # ninja answers 401
        if self.permission and not permissions.can(user, self.permission):
            raise role_may_not(permissions.role_of(user), f"do this ({self.permission})")
        return user

    def authenticate(
        self, request: HttpRequest, token: str
    ) -> Any | None:  # pragma: no cover - __call__ decides
        raise NotImplementedError


class OptionalTokenAuth:
    """Anonymous when no token is sent; deliberately without an OpenAPI scheme of its own."""

    def __call__(self, request: HttpRequest) -> Any:
        return user_for_bearer(request) or AnonymousUser()


token_auth = TokenAuth()
optional_auth = OptionalTokenAuth()
admin_auth = TokenAuth(permission="registry.write")
