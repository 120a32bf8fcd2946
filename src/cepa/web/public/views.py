"""The public pages. Views parse the request and render; the facts come from selectors and services."""

from __future__ import annotations

import json
import math
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cepa.bodies.models import Organisation, OrganisationKind
from cepa.catalogue import selectors as catalogue_selectors
from cepa.catalogue.models import Sector
from cepa.decisions.services import decide, testing_for_all, testing_for_laboratories
from cepa.decisions.terms import HK, MAINLAND
from cepa.enquiries import protection
from cepa.enquiries.services import submit_enquiry
from cepa.errors import InvalidInput
from cepa.reminders.calendar import designation_feed
from cepa.web.paging import page_numbers
from cepa.web.public import bodies, calendar, directory, inspectors, labels, opendata, products
from cepa.web.public.references import RefResolver
from cepa.web.public.text import beijing_today, local_name, page_language

DATE_ERROR = directory.DATE_ERROR


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=["%Y-%m-%d"],
                           error_messages={"invalid": DATE_ERROR})


# --- directory -------------------------------------------------------------------------------------

SORTABLE = (
    ("name", gettext_lazy("Body")), ("kind", gettext_lazy("Kind")), ("seat", gettext_lazy("Based in"))
)


def _sort_headers(request: HttpRequest, sort: str) -> list[dict[str, Any]]:
    """Column headers that sort the table: a link that sorts by the column, or reverses the order."""
    headers = []
    for key, label in SORTABLE:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        query = request.GET.copy()
        query["sort"] = f"-{key}" if current and not descending else key
        query.pop("page", None)
        aria_sort = ("descending" if descending else "ascending") if current else None
        headers.append({"label": label, "url": "?" + query.urlencode(), "aria_sort": aria_sort})
    return headers


@require_GET
def directory_page(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    catalogue = products.Catalogue.load()
    filters = directory.DirectoryFilter(request.GET, catalogue, lang)
    form = filters.form
    context: dict[str, Any] = {"form": form, "catalogue": catalogue}
    if not filters.is_valid():
        context["candidates"] = form.product_choice.candidates
    else:
        sort = form.cleaned_data.get("sort") or "name"
        rows = directory.sort_rows(directory.search(filters), sort, lang)
        pages = max(1, math.ceil(len(rows) / directory.PAGE_SIZE))
        page = min(form.cleaned_data.get("page") or 1, pages)
        shown = rows[(page - 1) * directory.PAGE_SIZE: page * directory.PAGE_SIZE]
        code = form.product_choice.code
        decisions = {}
        if code:  # the rows of this page only
            shown_ids = [row["id"] for row in shown]
            decisions = {d.subject: d for d in testing_for_laboratories(code, shown_ids, filters.day, lang)}
        accreditations = directory.accreditations_of([row["id"] for row in shown])
        for row in shown:
            row["accreditations"] = accreditations.get(row["id"], [])
            row["decision"] = decisions.get(row["id"])
        download = request.GET.copy()
        for key in ("page", "sort"):
            download.pop(key, None)
        context.update(
            filters=filters, rows=shown, total=len(rows), page=page, pages=pages,
            page_numbers=page_numbers(page, pages), sort=sort, day=filters.day,
            product=form.product_choice.product, code=code, first=(page - 1) * directory.PAGE_SIZE + 1,
            last=(page - 1) * directory.PAGE_SIZE + len(shown),
            download_query=download.urlencode(), headers=_sort_headers(request, sort),
        )
    return render(request, "web/public/directory.html", context)


# --- body page -------------------------------------------------------------------------------------


class DayForm(forms.Form):
    on = _date_field(gettext_lazy("Show the status on"))


@require_GET
def body_page(request: HttpRequest, organisation_id: str) -> HttpResponse:
    form = DayForm(request.GET)
    day = (form.cleaned_data.get("on") if form.is_valid() else None) or beijing_today()
    page = bodies.body_page(organisation_id, day)
    if page is None:
        raise Http404(_("No body has this id."))
    catalogue = products.Catalogue.load()
    return render(request, "web/public/body.html", {
        "page": page, "form": form, "day": day, "org": page.organisation, "by_code": catalogue.by_code,
    })


# --- who can test ----------------------------------------------------------------------------------


class ProductDateForm(forms.Form):
    product = forms.CharField(label=gettext_lazy("Product type: code or name"), required=True, max_length=300,
                              error_messages={"required": gettext_lazy("Enter a product type code or name.")})
    on = _date_field(gettext_lazy("Date"))

    def __init__(self, data: Any, catalogue: products.Catalogue) -> None:
        super().__init__(data)
        self.catalogue = catalogue
        self.choice = products.ProductChoice("")

    def clean_product(self) -> str:
        value: str = self.cleaned_data["product"]
        self.choice = products.choose(value, self.catalogue)
        if not self.choice.chosen:
            raise forms.ValidationError(self.choice.error)
        return value


WHO_CAN_TEST_PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    """The page asked for (1 when absent or not a positive whole number)."""
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


@require_GET
def who_can_test(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    catalogue = products.Catalogue.load()
    asked = "product" in request.GET
    form = ProductDateForm(request.GET if asked else None, catalogue)
    context: dict[str, Any] = {"form": form, "catalogue": catalogue, "today": beijing_today()}
    if asked and form.is_valid():
        code = form.choice.code
        assert code is not None
        day = form.cleaned_data.get("on") or beijing_today()
        decisions = testing_for_all(code, day, lang)
        # The decisions are of every laboratory: their names by kind, not by thousands of ids.
        rows = Organisation.objects.filter(kind=OrganisationKind.LABORATORY).values(
            "id", *directory.NAME_FIELDS, "seat", "kind"
        )
        organisations = {row["id"]: row for row in rows}
        entries = [{"org": organisations[d.subject], "decision": d} for d in decisions]

        def by_name(entry: dict[str, Any]) -> str:
            return local_name(entry["org"], lang).text

        allowed = sorted((e for e in entries if e["decision"].allowed), key=by_name)
        hong_kong = [e for e in allowed if e["org"]["seat"] == HK]
        mainland = [e for e in allowed if e["org"]["seat"] == MAINLAND]
        refused = sorted((e for e in entries if not e["decision"].allowed), key=by_name)
        # One list in pages (Hong Kong, then the Mainland, then those that may not), each page's
        # entries with their reasons: at thousands of laboratories one page of all would be megabytes.
        for section, part in (("hong_kong", hong_kong), ("mainland", mainland), ("refused", refused)):
            for entry in part:
                entry["section"] = section
        ordered = hong_kong + mainland + refused
        pages = max(1, math.ceil(len(ordered) / WHO_CAN_TEST_PAGE_SIZE))
        page = min(_page_number(request), pages)
        shown = ordered[(page - 1) * WHO_CAN_TEST_PAGE_SIZE: page * WHO_CAN_TEST_PAGE_SIZE]
        resolver = RefResolver(entry["decision"] for entry in shown)
        for entry in shown:
            entry["reasons"] = resolver.reasons(entry["decision"])
        product = form.choice.product
        assert product is not None
        measures = catalogue_selectors.measure_on(day)
        context.update(
            code=code, product=product, day=day,
            history=catalogue_selectors.histories([product.key])[product.key],
            hong_kong=[e for e in shown if e["section"] == "hong_kong"],
            mainland=[e for e in shown if e["section"] == "mainland"],
            refused=[e for e in shown if e["section"] == "refused"],
            hong_kong_count=len(hong_kong), mainland_count=len(mainland), refused_count=len(refused),
            allowed_count=len(allowed), page=page, pages=pages, page_numbers=page_numbers(page, pages),
            # The decisions do not weigh where the product was made; before June 2020 that limited HK labs.
            # (catalogue_selectors.place_of_processing_mattered, from the measures already read.)
            measures=measures,
            place_mattered=bool(measures) and all(measure.place_restricted for measure in measures),
        )
    elif asked:
        context["candidates"] = form.choice.candidates
    return render(request, "web/public/who_can_test.html", context)


# --- enquiry ---------------------------------------------------------------------------------------


class EnquiryForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name"), max_length=200,
        error_messages={"required": gettext_lazy("Enter your name."),
                        "max_length": gettext_lazy("Your name must be 200 characters or fewer.")},
    )
    email = forms.EmailField(label=gettext_lazy("Email address"), max_length=254,
                             error_messages={"required": gettext_lazy("Enter your email address."),
                                             "invalid": gettext_lazy(
                                                 "Enter an email address like name@example.com.")})
    organisation = forms.CharField(label=gettext_lazy("Company or organisation (optional)"), max_length=200,
                                   required=False)
    message = forms.CharField(label=gettext_lazy("Your question"), widget=forms.Textarea, max_length=5000,
                              error_messages={"required": gettext_lazy("Enter your question."),
                                              "max_length": gettext_lazy(
                                                  "Your question must be 5,000 characters or fewer.")})
    # Spam protection: a field people never see, and when the form was first shown (signed).
    website = forms.CharField(required=False)
    started = forms.CharField(required=False, widget=forms.HiddenInput)


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


TOO_MANY = gettext_lazy(
    "Too many enquiries have been sent from your connection. Please try again in an hour."
)


def _spam_check(request: HttpRequest) -> tuple[str | None, int]:
    """A message and status when the submission looks automated; (None, 200) if not. How often an
    address sends, and whether the token was used before, are asked of the shared cache (`_admit`)
    only when the enquiry is about to be stored."""
    if request.POST.get("website"):
        return _("Your enquiry could not be sent. Please try again."), 400
    why = protection.token_problem(request.POST.get("started", ""))
    if why == "too_fast":
        return _("That was very quick. Please check your enquiry and send it again."), 400
    if why is not None:
        return _("This form has expired. Please check your enquiry and send it again."), 400
    return None, 200


def _admit(request: HttpRequest) -> tuple[str | None, int]:
    """Spends the form's token (once, across every worker) and counts the enquiry against the address's
    limit, just before it is stored: of two copies of one form sent at once, one goes through."""
    if not protection.use_token(request.POST.get("started", "")):
        return _("This form has already been sent. Please check your enquiry and send it again."), 400
    if not protection.admit_submission(_client_ip(request)):
        return str(TOO_MANY), 429
    return None, 200


@require_http_methods(["GET", "POST"])
def enquiry(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    catalogue = products.Catalogue.load()
    source = request.POST if request.method == "POST" else request.GET
    asked = "product" in source
    product_form = ProductDateForm({"product": source.get("product", "")} if asked else None, catalogue)
    context: dict[str, Any] = {"product_form": product_form, "catalogue": catalogue}
    if not (asked and product_form.is_valid()):
        if asked:
            context["candidates"] = product_form.choice.candidates
        return render(request, "web/public/enquiry_start.html", context)

    code = product_form.choice.code
    assert code is not None
    routing = decide("enquiry", product_type=code, lang=lang)
    context.update(code=code, product=product_form.choice.product, routing=routing,
                   sector_label=labels.label(Sector, routing.sector))
    status = 200
    if request.method == "POST":
        form = EnquiryForm(request.POST)
        problem, status = _spam_check(request)
        if problem is None and form.is_valid():
            problem, status = _admit(request)
        if problem is None and form.is_valid():
            data = form.cleaned_data
            try:
                sent = submit_enquiry(
                    actor="public:web", product_type=code, name=data["name"], email=data["email"],
                    organisation=data["organisation"], message=data["message"], language=lang,
                )
            except InvalidInput:  # the form checks the same; this only guards the service's own rules
                problem, status = _("Your enquiry could not be sent. Please try again."), 400
            else:
                request.session["enquiry_sent"] = {"reference": sent.reference, "product_type": code}
                return HttpResponseRedirect(reverse("enquiry-sent"))
        context["problem"] = problem
        # What was typed stays; a fresh start time lets the corrected form be sent.
        data = request.POST.copy()
        data["started"] = protection.issue_token()
        form = EnquiryForm(data)
        form.is_valid()
        status = status if status != 200 else 400
    else:
        form = EnquiryForm(initial={"started": protection.issue_token()})
    context["form"] = form
    return render(request, "web/public/enquiry.html", context, status=status)


@require_GET
def enquiry_sent(request: HttpRequest) -> HttpResponse:
    sent = request.session.get("enquiry_sent")
    if not sent:
        return HttpResponseRedirect(reverse("enquiry"))
    lang = page_language()
    routing = decide("enquiry", product_type=sent["product_type"], lang=lang)
    catalogue = products.Catalogue.load()
    return render(request, "web/public/enquiry_sent.html", {
        "reference": sent["reference"], "routing": routing, "code": sent["product_type"],
        "product": catalogue.by_code.get(sent["product_type"]),
        "sector_label": labels.label(Sector, routing.sector),
    })


# --- calendar --------------------------------------------------------------------------------------


@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    catalogue = products.Catalogue.load()
    return render(request, "web/public/calendar.html", {
        "calendar": calendar.calendar_now(), "by_code": catalogue.by_code,
    })


@require_GET
def calendar_ics(request: HttpRequest) -> HttpResponse:
    feed = designation_feed(calendar.calendar_now())
    response = HttpResponse(feed, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cepa-designation-calendar.ics"'
    return response


# --- inspectors ------------------------------------------------------------------------------------


@require_GET
def inspector_lookup(request: HttpRequest) -> HttpResponse:
    lang = page_language()
    bodies_list = inspectors.certification_bodies(lang)
    asked = any(key in request.GET for key in ("number", "name"))
    form = inspectors.LookupForm(request.GET if asked else None, bodies_list)
    context: dict[str, Any] = {"form": form, "today": beijing_today()}
    if asked and form.is_valid():
        day = form.cleaned_data.get("on") or beijing_today()
        catalogue = products.Catalogue.load()
        context.update(day=day, results=inspectors.lookup(form.cleaned_data, day, catalogue, lang))
    return render(request, "web/public/inspectors.html", context)


# --- open data -------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[directory.DirectoryForm, directory.DirectoryFilter | None]:
    filters = directory.DirectoryFilter(request.GET, products.Catalogue.load(), page_language())
    return filters.form, (filters if filters.is_valid() else None)


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    return render(request, "web/public/open_data.html", {
        "form": form, "filters": filters, "query": request.GET.urlencode(),
        "csv_files": list(opendata.CSV_FILES), "generated_at": timezone.now(),
    })


def _refuse_bad_filters(form: directory.DirectoryForm) -> HttpResponse:
    errors = "; ".join(
        f"{name}: {' '.join(str(message) for message in messages)}" for name, messages in form.errors.items()
    )
    return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")


@require_GET
def open_data_json(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return _refuse_bad_filters(form)
    body = json.dumps(opendata.public_document(filters), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cepa-registry.json"'
    return response


@require_GET
def open_data_csv(request: HttpRequest, file_name: str) -> HttpResponse:
    if file_name not in opendata.CSV_FILES:
        raise Http404(_("No such file."))
    form, filters = _filters(request)
    if filters is None:
        return _refuse_bad_filters(form)
    response = HttpResponse(opendata.csv_text(file_name, filters), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}.csv"'
    return response

