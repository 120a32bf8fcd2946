"""The accounts behind API tokens."""

from cepa.api.accounts.me import router

__all__ = ["router"]
