"""The portal's forms. They check what a person can get wrong (missing, malformed, unknown codes) and
say so in the page's language; the services check the rest again and decide."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cepa.catalogue.models import CODE_OR_KEY
from cepa.catalogue.selectors import unknown_names
from cepa.dates import FIRST_DAY, LAST_DAY
from cepa.web.public.products import Catalogue, choose

CODE = re.compile(CODE_OR_KEY)
SEPARATORS = re.compile(r"[\s,;，、；]+")


def parse_codes(text: str) -> list[str]:
    """Product type codes (or catalogue keys) typed as a list: separated by commas, spaces or Chinese
    commas."""
    return [part for part in SEPARATORS.split(text or "") if part]


def check_codes(codes: Sequence[str]) -> list[str]:
    """The codes, sorted and without repeats; a ValidationError names the first bad one."""
    for code in codes:
        if not CODE.fullmatch(code):
            message = _("“%(code)s” is not a product type code: codes have 4 digits, such as 0914.")
            raise forms.ValidationError(message % {"code": code})
    unknown = unknown_names(codes)
    if unknown:
        raise forms.ValidationError(_("No product type has the code %(code)s.") % {"code": unknown[0]})
    return sorted(set(codes))


PARTS = re.compile(r"[,;，、；]+")


def resolve_product_types(text: str) -> list[str]:
    """Product types typed as a list separated by commas: codes (several to a part, separated by spaces),
    catalogue keys, or names, everyday names and synonyms in any of the three languages (one to a part),
    found by the public pages' product search. The codes (or keys), sorted; a ValidationError names the
    first entry that is not a code or that names no product type, or several."""
    parts = [part.split() for part in PARTS.split(text or "") if part.split()]
    slugs = {token for tokens in parts for token in tokens if not token.isdigit() and CODE.fullmatch(token)}
    unknown = set(unknown_names(sorted(slugs))) if slugs else set()
    catalogue: Catalogue | None = None
    codes: list[str] = []
    for tokens in parts:
        coded = all(token.isascii() and (token.isdigit() or CODE.fullmatch(token)) for token in tokens)
        if coded and (any(token.isdigit() for token in tokens) or not unknown.intersection(tokens)):
            codes.extend(tokens)  # codes and keys: check_codes flags the malformed and the unknown
            continue
        catalogue = catalogue or Catalogue.load()
        choice = choose(" ".join(tokens), catalogue)
        if choice.code is not None:
            codes.append(choice.code)
        elif choice.product is not None and not choice.candidates:
            codes.append(choice.product.key)
        elif coded and not choice.candidates:
            codes.extend(tokens)  # a word that names nothing: flagged as an unknown code
        else:
            raise forms.ValidationError(choice.error)
    return check_codes(codes)


class ExpressionOfInterestForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Year of the designation plans"),
        min_value=1900,
        max_value=9999,
        error_messages={
            "required": gettext_lazy("Enter the year of the designation plans, such as 2027."),
            "invalid": gettext_lazy("Enter the year as 4 digits, such as 2027."),
            "min_value": gettext_lazy("Enter the year as 4 digits, such as 2027."),
            "max_value": gettext_lazy("Enter the year as 4 digits, such as 2027."),
        },
    )
    product_types = forms.CharField(
        label=gettext_lazy("Product type codes"),
        max_length=2000,
        required=False,
        error_messages={"required": gettext_lazy("Enter at least one product type code.")},
    )
    # Product types to tick, as the application form offers them: those of the year's plans for bodies
    # of its kind and those of its accreditation scope (issue 11, point 10).
    suggested = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, data: Any = None, *, choices: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cast(forms.ChoiceField, self.fields["suggested"]).choices = list(choices)
        self.fields["suggested"].label = gettext_lazy("Product types")

    def clean_product_types(self) -> list[str]:
        return resolve_product_types(self.cleaned_data.get("product_types", ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        codes = sorted(set(data.get("suggested") or []) | set(data.get("product_types") or []))
        if not codes and "product_types" not in self.errors and "suggested" not in self.errors:
            if cast(forms.ChoiceField, self.fields["suggested"]).choices:
                self.add_error("product_types", _("Choose at least one product type, or type its code."))
            else:
                self.add_error("product_types", _("Enter at least one product type code."))
        data["product_types"] = codes
        return data


class ApplicationForm(forms.Form):
    """Product types to apply for: ticked from the suggestions, or typed."""

    suggested = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    other = forms.CharField(label=gettext_lazy("Other product type codes"), required=False, max_length=2000)

    def __init__(self, data: Any = None, *, choices: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["suggested"]).choices = list(choices)
        self.fields["suggested"].label = gettext_lazy("Product types")

    def clean_other(self) -> list[str]:
        return resolve_product_types(self.cleaned_data.get("other", ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        codes = sorted(set(data.get("suggested") or []) | set(data.get("other") or []))
        if not codes and not self.errors:
            field = "suggested" if cast(forms.ChoiceField, self.fields["suggested"]).choices else "other"
            self.add_error(field, _("Choose at least one product type, or type its code."))
        data["product_types"] = codes
        return data


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Supporting document (PDF)"),
        error_messages={
            "required": gettext_lazy("Choose a PDF file to upload."),
            "empty": gettext_lazy("The file is empty. Choose a PDF file with content."),
            "invalid": gettext_lazy("Choose a PDF file to upload."),
        },
    )


class ReasonForm(forms.Form):
    """An optional reason, for an applicant's withdrawal."""

    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _date(label: Any, required: bool) -> forms.DateField:
    """A day the application accepts (cepa.dates: 1900-01-01 to 2200-12-31), checked on the form so the
    field itself says what is wrong."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
        error_messages={
            "required": gettext_lazy("Enter the date, such as 2027-01-31."),
            "invalid": gettext_lazy("Enter a real date as year-month-day, such as 2027-01-31."),
        },
    )


class FilingForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of agreement"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the kind of agreement."),
            "invalid_choice": gettext_lazy("Choose the kind of agreement."),
        },
    )
    counterparty = forms.ChoiceField(
        label=gettext_lazy("Mainland certification body"),
        error_messages={
            "required": gettext_lazy("Choose the Mainland certification body."),
            "invalid_choice": gettext_lazy("Choose the Mainland certification body."),
        },
    )
    product_types = forms.CharField(
        label=gettext_lazy("Product type codes"),
        max_length=2000,
        error_messages={"required": gettext_lazy("Enter at least one product type code.")},
    )
    valid_from = _date(gettext_lazy("In force from"), True)
    valid_until = _date(gettext_lazy("In force until (optional)"), False)

    def __init__(
        self,
        data: Any = None,
        *,
        kinds: Sequence[tuple[str, str]],
        counterparties: Sequence[tuple[str, str]],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        cast(forms.ChoiceField, self.fields["kind"]).choices = list(kinds)
        cast(forms.ChoiceField, self.fields["counterparty"]).choices = [
            ("", _("Choose a body")),
            *counterparties,
        ]

    def clean_product_types(self) -> list[str]:
        return check_codes(parse_codes(self.cleaned_data["product_types"]))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, until = data.get("valid_from"), data.get("valid_until")
        if start and until and until < start:
            self.add_error("valid_until", _("The end date must be the same as or after the start date."))
        return data


class TerminationForm(forms.Form):
    on = _date(gettext_lazy("First day the agreement is no longer in force"), True)
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TransferForm(forms.Form):
    inspector = forms.CharField(
        label=gettext_lazy("Registration number of the inspector"),
        max_length=100,
        error_messages={"required": gettext_lazy("Enter the inspector's registration number.")},
    )
    effective = _date(gettext_lazy("First day with your organisation"), True)

    def clean_inspector(self) -> str:
        return str(self.cleaned_data["inspector"]).strip()
