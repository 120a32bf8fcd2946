"""Links to the decision files (cepa.web.public.decision_files) for a product type and a day, with the
messages in the page's language."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import template

from cepa.web.public.text import page_language

register = template.Library()


@register.simple_tag
def decision_file_query(code: str, day: dt.date) -> str:
    return urlencode({"product_type": code, "on": day.isoformat(), "lang": page_language()})
