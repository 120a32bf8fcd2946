"""The decision form of every record page: an action, a reason (always required, so every decision
explains itself), and the version of the record the officer saw."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a decision."),
            "invalid_choice": gettext_lazy("Choose one of the decisions listed."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Enter the reason for the decision."),
            "max_length": gettext_lazy("The reason must be 5,000 characters or fewer."),
        },
    )
    # What the officer saw when the page was shown; a different version means someone acted first.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, data: Any = None, *, actions: Sequence[tuple[str, str]], seen: str = "") -> None:
        super().__init__(data, initial={"seen": seen})
        cast(forms.ChoiceField, self.fields["action"]).choices = list(actions)


def choices(actions: Sequence[tuple[str, Any]]) -> list[tuple[str, str]]:
    """(action, label) pairs with their lazy labels translated now."""
    return [(key, str(text)) for key, text in actions]


def shown_form(
    form: DecisionForm | None, *, actions: Sequence[tuple[str, str]], seen: str, problem: str
) -> DecisionForm:
    """The form a record page shows: the posted one with its errors; or, first and after a refusal or
    a conflict, a fresh one offering what the record allows now and keeping the typed reason."""
    if form is not None and not problem:
        return form
    typed = form.data.get("reason", "") if form is not None else ""
    fresh = DecisionForm(actions=actions, seen=seen)
    if typed:
        fresh.initial["reason"] = typed
    return fresh
