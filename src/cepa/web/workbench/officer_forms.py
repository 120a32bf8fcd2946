"""What the officers' record pages share: a service's refusal of a field shown beside that field, and
lists of codes typed into one box."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext as _

from cepa.errors import InvalidInput

_SEPARATORS = re.compile(r"[\s,;，、]+")


def codes_of(text: str) -> list[str]:
    """Codes typed into one box, separated by spaces, commas or Chinese commas, each once, in order."""
    return list(dict.fromkeys(code for code in _SEPARATORS.split(text) if code))


def attach(form: forms.Form, error: InvalidInput, fields: Mapping[str, str] | None = None) -> None:
    """Puts each field a service refused beside the form's field of that name (through `fields` where
    the names differ); what matches no field goes to the top of the form."""
    for name, message in error.errors.items():
        field = (fields or {}).get(name, name)
        text = _("Not accepted: %(message)s") % {"message": message}
        form.add_error(field if field in form.fields else None, text)
