"""Test support shared by every app: personas, record factories, small registries and their fixtures.

A plain package, not a Django app; the repository's conftest.py registers `cepa.testing.fixtures`.
"""

# The registry's version, read once by the HTTP caching (cepa.httpcache) before a public request's view:
# query budgets of public reads are the view's own plus this one. Tests read it on every request (the
# process's memo of it, CEPA_VERSION_MEMO_SECONDS, is off in tests: src/cepa/conftest.py); in production
# most public requests find it in the memo and make no such query.
VERSION_QUERY = 1
