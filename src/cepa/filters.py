"""The kinds of filter the registry's lists use, for the FilterSets each app defines once per model
(`<app>/filters.py`) and the API, the web directory and the open-data downloads all apply.

Each filter knows its value's Python type and its constraints (`annotation`, `constraints`), so the API
documents and checks a query parameter exactly as the FilterSet's form checks the same value.
This module imports no app but the catalogue (the product-type pattern).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Choices, Model, QuerySet
from django.utils.translation import gettext_lazy as _

from cepa.catalogue.models import CODE_OR_KEY

M = TypeVar("M", bound=Model)

NO_NUL = r"^[^\x00]*$"


class Documented(django_filters.Filter):
    """A filter with what the API needs: the value's type and its constraints (pydantic Field keywords)."""

    annotation: Any = str

    def __init__(self, *args: Any, description: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.description = description

    @property
    def constraints(self) -> dict[str, Any]:
        return {"description": self.description} if self.description else {}


class TextFilter(Documented):
    """Free text, kept as typed (not stripped). Django's CharField refuses a NUL character; the API says
    so with the default `pattern`."""

    field_class = forms.CharField

    def __init__(
        self,
        *args: Any,
        max_length: int | None = None,
        pattern: str = NO_NUL,
        **kwargs: Any,
    ) -> None:
        validators = [] if pattern == NO_NUL else [RegexValidator(pattern)]
        super().__init__(*args, max_length=max_length, strip=False, validators=validators, **kwargs)
        self.max_length = max_length
        self.pattern = pattern

    @property
    def constraints(self) -> dict[str, Any]:
        limits = {"max_length": self.max_length} if self.max_length else {}
        return {**limits, "pattern": self.pattern, **super().constraints}


class CodeFilter(TextFilter):
    """A product type: four digits, or the catalogue key of a type without a published code (rev. 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, pattern=CODE_OR_KEY, **kwargs)


class AnyCaseChoiceField(forms.ChoiceField):
    """A choice typed in any casing is the choice itself: the open-data files write coded values in lower
    case (`hk`, `hoklas`) where the registry keeps the contract's (`HK`, `HOKLAS`), and a value copied
    from one should filter the other."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        for key, _label in list(self.choices):  # type: ignore[arg-type]
            if str(key).casefold() == text.casefold():
                return str(key)
        return text


class EnumFilter(Documented):
    """One of a model's choices (the API documents the choices class by name)."""

    field_class = AnyCaseChoiceField

    def __init__(self, choices: type[Choices], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices.choices, **kwargs)
        self.annotation = choices


class DateFilter(Documented):
    """A day written year-month-day."""

    annotation = dt.date
    field_class = forms.DateField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            *args,
            input_formats=["%Y-%m-%d"],
            error_messages={"invalid": _("Enter the date as year-month-day, for example 2026-11-26.")},
            **kwargs,
        )


class YearFilter(Documented):
    annotation = int
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1900, max_value=9999, **kwargs)

    @property
    def constraints(self) -> dict[str, Any]:
        return {"ge": 1900, "le": 9999, **super().constraints}


# The words pydantic reads as a boolean, so the web and the API take the same values.
TRUE_WORDS = frozenset({"1", "on", "t", "true", "y", "yes"})
FALSE_WORDS = frozenset({"0", "off", "f", "false", "n", "no"})


class YesNoField(forms.ChoiceField):
    """A select of yes and no whose value is True or False (None when left empty)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[("yes", "yes"), ("no", "no")], **kwargs)

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value is True or value is False:
            return value
        word = str(value or "").strip().lower()
        if not word:
            return None
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class YesNoFilter(Documented):
    annotation = bool
    field_class = YesNoField


def filtered(
    filterset: type[django_filters.FilterSet], queryset: QuerySet[M], data: Mapping[str, Any]
) -> QuerySet[M]:
    """`queryset` narrowed by `filterset` with these values (typed or as strings); a value left empty or
    None is no filter. A bad value raises ValidationError naming the field; an unknown name is a
    mistake in the caller, so TypeError."""
    unknown = set(data) - set(filterset.base_filters)
    if unknown:
        raise TypeError(f"{filterset.__name__} has no filter {', '.join(sorted(unknown))}")
    found = filterset(dict(data), queryset=queryset)
    if not found.is_valid():
        raise ValidationError(found.errors)
    return found.qs
