"""JSON-lines logs: one JSON object per line, for a log shipper to read without parsing free text.

Every line has time (UTC, ISO 8601 with milliseconds), level, logger, message and request_id (the
request being served, "" outside one); the access log adds method, path, status and duration (ms);
an exception adds its traceback as `exception`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from cepa.ops.context import current_request_id

EXTRA_FIELDS = ("method", "path", "status", "duration")
# granian's logging configuration (`cepa serve --log-config`): its own lines through this formatter.
GRANIAN_LOG_CONFIG = Path(__file__).with_name("granian-log.json")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None)
            # Django's own request log lines (django.request) carry the request, written after the
            # middleware returned.
            or getattr(getattr(record, "request", None), "request_id", None)
            or current_request_id(),
        }
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
