"""Schemas the domains' APIs share."""

from __future__ import annotations

from ninja import Field, Schema


class Names(Schema):
    en: str
    zh_hant: str | None = Field(None, alias="zh-Hant")
    zh_hans: str | None = Field(None, alias="zh-Hans")


class Provenance(Schema):
    source: str | None = Field(None, description="Where the data comes from")
    note: str | None = None
