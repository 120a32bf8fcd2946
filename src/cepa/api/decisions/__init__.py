"""The rules engine's decisions over HTTP."""

from cepa.api.decisions.decisions import router

__all__ = ["router"]
