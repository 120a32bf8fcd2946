"""The public change history of registry records."""

from cepa.api.history.history import router

__all__ = ["router"]
