"""Labels of the workflow steps that are not status changes, and the colour of the tag each status gets
(the statuses' own labels are the models')."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Steps of a history that are not status changes.
EVENTS: dict[str, Promise] = {
    "document_added": _("Supporting document added"),
    "objection_lodged": _("Objection lodged"),
    "objection_upheld": _("Objection upheld"),
    "objection_dismissed": _("Objection dismissed"),
    "updated": _("Changed"),
    "period_recounted": _("Objection period counted again"),
    "designation_start_moved": _("Designation start moved to the day of approval"),
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


def tag(status: str | None) -> str:
    return TAGS.get(status or "", "neutral")
