"""Cooperation agreement filings: filed by an applicant of the party, reviewed by CNCA."""

from cepa.api.filings.filings import router

__all__ = ["router"]
