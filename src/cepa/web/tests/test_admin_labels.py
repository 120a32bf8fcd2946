"""Every label the admin shows, in Chinese (issue 11, point 7): field labels, help texts, fieldset titles,
inline headings, column headers, filter titles and action names of every registered model.

The pages are built from the admin site's registry, so a new model, field or action without a translation
fails here. A label is read from the page's own context (lazy, so it can be read again in English) and
must differ from its English form and appear on the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.utils import model_format_dict, quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import camel_case_to_spaces

from cepa.accounts.models import ApiToken
from cepa.bodies.models import Accreditation, Organisation
from cepa.designation.models import Application, ApplicationDocument, Objection
from cepa.enquiries.models import Enquiry
from cepa.filings.models import AgreementFiling
from cepa.personnel.models import Inspector, PersonalDataAccess, Transfer
from cepa.reminders.models import Delivery, LanguagePreference, Reminder
from cepa.testing.factories import T, certificate, factory_inspection, test_report
from cepa.web.tests.conftest import signed_in

pytestmark = pytest.mark.django_db

CHINESE = ("zh-hant", "zh-hans")


def one_of_every_admin_model() -> None:
    """A record of each registered model the demo registry has none of (the admin adds none itself)."""
    at = T("2026-03-02T10:00")
    root = get_user_model().objects.get(username="root")
    lab, body = (
        Organisation.objects.filter(kind=kind).order_by("pk")[0]
        for kind in ("laboratory", "certification_body")
    )
    inspector = Inspector.objects.order_by("pk")[0]
    ApiToken.objects.create(user=root, prefix="cepa_abc", digest="0" * 64, created_at=at)
    attempt = {"user_agent": "Firefox", "http_accept": "text/html", "path_info": "/sign-in"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)
    test_report("TR-1", lab.pk, "0701", "2026-01-05", body.pk)
    factory_inspection("FI-1", body.pk, body.pk, [inspector.pk], "0701", "2026-01-06")
    certificate(
        "C-1", body.pk, "0701", "2026-01-07", "2031-01-06", ["TR-1"], ["FI-1"], [("2026-01-07", "valid")]
    )
    application = Application.objects.create(organisation=lab, route="routine", created=at)
    ApplicationDocument.objects.create(
        application=application,
        file="a.pdf",
        filename="a.pdf",
        size=1,
        sha256="0" * 64,
        uploaded=at,
        uploaded_by="pearl",
    )
    Objection.objects.create(application=application, grounds="Too close", lodged=at, lodged_by="ann")
    Enquiry.objects.create(
        reference="E-1",
        product_type="0701",
        queue="electrical_electronic",
        name="Ann",
        email="ann@example.com",
        message="Hi",
        submitted_at=at,
    )
    AgreementFiling.objects.create(
        id="F-1",
        kind="cooperation",
        party=lab,
        counterparty=body,
        valid_from=at.date(),
        status="filed",
        filed_at=at,
        filed_by="pearl",
    )
    PersonalDataAccess.objects.create(at=at, actor="user:ccaa", inspector_id=inspector.pk)
    Transfer.objects.create(
        inspector=inspector, to_organisation=body, effective=at.date(), requested_by="ccaa", requested_at=at
    )
    reminder = Reminder.objects.create(
        key="r-1", kind="plan_closes", due=at, created_at=at, created_by="system"
    )
    Delivery.objects.create(reminder=reminder, email="ann@example.com", language="en")
    LanguagePreference.objects.create(user=root, language="zh-hant")
    Group.objects.create(name="registrars")


def page_urls(model: type[Model], model_admin: admin.ModelAdmin[Any], request: Any) -> list[str]:
    """The model's list, its add page where there is one, and the change (or view) page of a record."""
    info = (model._meta.app_label, model._meta.model_name)
    urls = [reverse("admin:{}_{}_changelist".format(*info))]
    if model_admin.has_add_permission(request):
        urls.append(reverse("admin:{}_{}_add".format(*info)))
    record = model._default_manager.order_by("pk").first()
    assert record is not None, f"no {model._meta.label} to open: add one in one_of_every_admin_model"
    urls.append(reverse("admin:{}_{}_change".format(*info), args=[quote(record.pk)]))
    return urls


def labels(response: Any) -> Iterator[tuple[str, Any]]:
    """(where, label) of every label the page's context holds."""
    context = response.context
    if "adminform" in context:
        for fieldset in context["adminform"]:
            if fieldset.name:
                yield "fieldset", fieldset.name
            for line in fieldset:
                for field in line:
                    shown = field.field if field.is_readonly else vars(field.field)
                    yield (
                        f"field {field.field['name'] if field.is_readonly else field.field.name}",
                        (shown["label"]),
                    )
                    if shown.get("help_text"):
                        yield "help text", shown["help_text"]
        for inline in context["inline_admin_formsets"]:
            yield "inline heading", inline.opts.verbose_name_plural
            for column in inline.fields():
                if not column.get("widget", {}).get("is_hidden"):
                    yield f"inline column {column['name']}", column["label"]
                if column.get("help_text"):
                    yield "inline help text", column["help_text"]
    if "cl" in context:
        changelist = context["cl"]
        for header in result_headers(changelist):
            if "action-checkbox-column" not in str(header["class_attrib"]):  # the select-all box, Django's
                yield "column", header["text"]
        for spec in changelist.filter_specs:
            yield "filter", spec.title
        for _name, (_function, _action, description) in changelist.model_admin.get_actions(
            response.wsgi_request
        ).items():
            yield "action", description


def shown_on(html: str, text: str, model: type[Model], language: str) -> set[str]:
    """Of `text` (and its escaped form), what the page shows; an action's name names the model."""
    if "%(" in text:
        with translation.override(language):
            text = text % model_format_dict(model)
    return {candidate for candidate in (text, escape(text)) if candidate in html}


def read(label: Any, language: str) -> str:
    with translation.override(language):
        return str(label)


@pytest.mark.parametrize("language", CHINESE)
def test_every_admin_label_is_translated(personas: Any, client: Client, language: str) -> None:
    one_of_every_admin_model()
    signed_in(client, "root", language)
    untranslated: list[tuple[str, str, str]] = []
    missing: list[tuple[str, str, str]] = []
    opened = set()
    request = client.get(reverse("admin:index")).wsgi_request
    for model, model_admin in admin.site._registry.items():
        for url in page_urls(model, model_admin, request):
            response = client.get(url)
            assert response.status_code == 200, url
            opened.add(model)
            html = response.content.decode()
            for where, label in labels(response):
                shown, english = read(label, language), read(label, "en")
                if shown == english and shown.isascii():  # a non-ASCII text is one Django gave in Chinese
                    untranslated.append((url, where, english))
                elif not shown_on(html, shown, model, language):
                    missing.append((url, where, shown))
    # The English words first: each wants an msgid in cepa.web.admin_labels (or `_()` where it is written).
    assert sorted({english for _url, _where, english in untranslated}) == [], untranslated
    assert missing == []
    assert opened == set(admin.site._registry)


def test_the_english_labels_are_the_ones_django_derives() -> None:
    """The translation keeps the English as it was: a field's label is its name in words, or the
    `verbose_name` it declares; a model's is its class name in words."""
    changed = []
    with translation.override("en"):
        for model in admin.site._registry:
            opts = model._meta
            for field in [*opts.fields, *opts.many_to_many]:
                declared = field._verbose_name  # type: ignore[attr-defined]  # what the model says
                if str(field.verbose_name) != str(declared or field.name.replace("_", " ")):
                    changed.append((opts.label, field.name, str(field.verbose_name)))
            named = opts.original_attrs.get("verbose_name", camel_case_to_spaces(model.__name__))
            if str(opts.verbose_name) != str(named):
                changed.append((opts.label, "", str(opts.verbose_name)))
    assert changed == []


@pytest.mark.parametrize(
    "language,texts",
    [
        (
            "en",
            [
                "Accreditation scopes",
                "Accreditation events",
                "Position",
                "Product type",
                "Hk invested",
                "Order within the accreditation&#x27;s events as given",
            ],
        ),
        ("zh-hant", ["認可範圍", "認可狀態事件", "次序", "產品類別", "港資", "認可事件按原來給出的次序"]),
        ("zh-hans", ["认可范围", "认可状态事件", "次序", "产品类别", "港资", "认可事件按原来给出的次序"]),
    ],
)
def test_a_view_page_in_each_language(personas: Any, client: Client, language: str, texts: list[str]) -> None:
    signed_in(client, "root", language)
    """An accreditation's view page (its inlines, a help text) and an organisation's, read as text."""
    records = [Accreditation.objects.order_by("pk")[0], Organisation.objects.order_by("pk")[0]]
    page = "".join(
        client.get(
            reverse(f"admin:bodies_{record._meta.model_name}_change", args=[quote(record.pk)])
        ).content.decode()
        for record in records
    )
    assert [text for text in texts if text not in page] == []
