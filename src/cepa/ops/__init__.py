"""Running the registry: read replicas and their router, the request context (request id, read-your-writes),
JSON-lines logs, the health check, and backup and restore.

Domain apps may read this package's request context (cepa.ops.context); it imports no domain app.
"""
