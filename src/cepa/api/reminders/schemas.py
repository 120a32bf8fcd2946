"""The query of an organisation's calendar feed."""

from __future__ import annotations

from ninja import Schema


class CalendarParams(Schema):
    lang: str = "en"
    key: str | None = None
