"""Translated labels of the workflows' statuses and steps (the models' own labels are English only),
and the colour of the tag each status gets."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cepa.web.public.labels import label

APPLICATION_STATUSES: dict[str, Promise] = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "under_review": _("Under review"),
    "information_requested": _("Information requested"),
    "approved": _("Approved"),
    "refused": _("Refused"),
    "withdrawn": _("Withdrawn"),
}
OBJECTION_STATUSES: dict[str, Promise] = {
    "pending": _("Waiting for a decision"),
    "upheld": _("Upheld"),
    "dismissed": _("Dismissed"),
}
FILING_STATUSES: dict[str, Promise] = {
    "filed": _("Filed"),
    "accepted": _("Accepted"),
    "returned": _("Returned"),
    "terminated": _("Terminated"),
    "expired": _("Expired"),
}
TRANSFER_STATUSES: dict[str, Promise] = {
    "requested": _("Requested"),
    "approved": _("Approved"),
    "refused": _("Refused"),
}
ROUTES: dict[str, Promise] = {
    "routine": _("Routine designation (any time)"),
    "plan": _("Designation plan"),
}
# Steps of a history that are not status changes.
EVENTS: dict[str, Promise] = {
    "document_added": _("Supporting document added"),
    "objection_lodged": _("Objection lodged"),
    "objection_upheld": _("Objection upheld"),
    "objection_dismissed": _("Objection dismissed"),
    "updated": _("Changed"),
}
TAGS: dict[str, str] = {
    "draft": "neutral",
    "submitted": "neutral",
    "under_review": "warn",
    "information_requested": "warn",
    "approved": "ok",
    "refused": "bad",
    "withdrawn": "neutral",
    "pending": "warn",
    "upheld": "bad",
    "dismissed": "ok",
    "filed": "warn",
    "accepted": "ok",
    "returned": "bad",
    "terminated": "neutral",
    "expired": "neutral",
    "requested": "warn",
}
# A status reads like any coded value: its translated label, else the code itself.
status_label = label


def tag(status: str | None) -> str:
    return TAGS.get(status or "", "neutral")
