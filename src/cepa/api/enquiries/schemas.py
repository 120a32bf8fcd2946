"""Enquiries as the API takes and shows them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from cepa.catalogue.models import Sector
from cepa.enquiries.models import EnquiryStatus
from cepa.enquiries.services import MAX_MESSAGE, MAX_REASON, MAX_REPLY

Language = Literal["en", "zh-Hant", "zh-Hans"]


class EnquiryIn(Schema):
    product_type: str = Field(..., min_length=1, max_length=60, description="A code or a catalogue key")
    name: str = Field(..., min_length=1, max_length=200)
    email: str = Field(..., min_length=3, max_length=254)
    organisation: str = Field("", max_length=200)
    message: str = Field(..., min_length=1, max_length=MAX_MESSAGE)
    language: Language | None = Field(
        None, description="The language CNCA replies in; default the request's (`lang`, else Accept-Language)"
    )

    model_config = {"extra": "forbid"}


class ReplyIn(Schema):
    body: str = Field(..., min_length=1, max_length=MAX_REPLY, description="Sent to the enquirer by email")

    model_config = {"extra": "forbid"}


class ReasonIn(Schema):
    reason: str = Field("", max_length=MAX_REASON)

    model_config = {"extra": "forbid"}


class StatusIn(Schema):
    reference: str = Field(..., min_length=1, max_length=20)
    email: str = Field(..., min_length=1, max_length=254, description="The address the enquiry was sent with")

    model_config = {"extra": "forbid"}


class ReceivedOut(Schema):
    reference: str = Field(..., description="Quote it to CNCA; with your email it shows the status")
    status: EnquiryStatus
    queue: Sector
    product_type: str
    submitted_at: dt.datetime


class ReplyOut(Schema):
    sent_at: dt.datetime
    sent_by: str
    language: Language
    subject: str
    body: str


class EnquiryHistoryOut(Schema):
    who: str
    when: dt.datetime
    event: Literal["received", "reply", "close", "reopen"]
    from_: EnquiryStatus | None = Field(None, alias="from")
    to: EnquiryStatus
    reason: str


class EnquiryOut(Schema):
    reference: str
    product_type: str
    queue: Sector
    status: EnquiryStatus
    name: str
    email: str
    organisation: str
    message: str
    language: Language
    submitted_at: dt.datetime
    replies: list[ReplyOut]
    history: list[EnquiryHistoryOut]


class EnquirerReplyOut(Schema):
    sent_at: dt.datetime
    subject: str
    body: str


class EnquirerHistoryOut(Schema):
    when: dt.datetime
    event: Literal["received", "reply", "close", "reopen"]
    to: EnquiryStatus


class EnquirerStatusOut(Schema):
    reference: str
    product_type: str
    queue: Sector
    status: EnquiryStatus
    submitted_at: dt.datetime
    replies: list[EnquirerReplyOut]
    history: list[EnquirerHistoryOut]


class EnquiryFilters(Schema):
    queue: Sector | None = Field(None, description="The sector's queue")
    status: EnquiryStatus | None = None
    open: bool = Field(False, description="Only new and answered enquiries (ignored with `status`)")
