"""Timestamps given to the reminder commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from cepa.interchange.records import parse_timestamp

EXIT_BAD_INPUT = 2


def parse_moment(value: str, option: str = "--now") -> dt.datetime:
    """ISO 8601; without an offset it is Beijing / Hong Kong time."""
    try:
        return parse_timestamp(value)
    except ValueError as error:
        raise CommandError(
            f"{option}: not an ISO 8601 timestamp: {value!r}", returncode=EXIT_BAD_INPUT
        ) from error
