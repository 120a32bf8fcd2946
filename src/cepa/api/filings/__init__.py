from cepa.api.filings.filings import router

__all__ = ["router"]
