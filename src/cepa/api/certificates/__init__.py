"""Certificates and their chain (contract rev. 2): public reads (a certificate with its chain and the
`certificate` decision, the filtered list), and the writes of the people who own them (a certification
body issues and changes its certificates and records its factory inspections; a laboratory records
its test reports)."""

from cepa.api.certificates.certificates import router

__all__ = ["router"]
