"""Who am I: the account behind a token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cepa.accounts import permissions
from cepa.api.accounts.schemas import MeOut
from cepa.api.auth import current_user, token_auth
from cepa.api.errors import ErrorOut

router = Router(tags=["Accounts"])


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=token_auth)
def me(request: HttpRequest) -> dict[str, Any]:
    """The account the token belongs to, its role and (for applicants) organisation."""
    user = current_user(request)
    return {
        "username": user.get_username(),
        "role": permissions.role_of(user),
        "organisation": permissions.organisation_of(user),
    }
