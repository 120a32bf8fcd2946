"""Test support shared by every app: personas, record factories, small registries and their fixtures.

A plain package, not a Django app; the repository's conftest.py registers `cepa.testing.fixtures`.
"""

# The registry's version, read once by the HTTP caching (cepa.httpcache) before a public request's view:
# query budgets of public reads are the view's own plus this one.
VERSION_QUERY = 1
