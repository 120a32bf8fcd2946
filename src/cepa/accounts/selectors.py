"""Reads for accounts."""

from __future__ import annotations

from cepa.accounts.models import ApiToken
from cepa.accounts.services import token_digest


def active_token(raw: str) -> ApiToken | None:
    """The unrevoked token with this secret, with its user and profile (one query)."""
    if not raw or len(raw) > 200:
        return None
    return (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
