"""Enquiries: sent by anyone (rate-limited per address like the site's form), answered by CNCA, and
followed by the enquirer with their reference and email."""

from cepa.api.enquiries.enquiries import router

__all__ = ["router"]
