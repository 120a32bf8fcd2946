"""Cooperation agreement filings: a Hong Kong body files its agreement with a designated Mainland
certification body; CNCA accepts it (then it is an agreement in force) or returns it with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cepa.accounts import permissions
from cepa.bodies import selectors as bodies
from cepa.bodies.models import Organisation
from cepa.errors import CepaError, ErrorCode, InvalidInput, Refused
from cepa.filings import selectors
from cepa.filings.models import AgreementFiling, FilingStatus
from cepa.filings.services import base, ending, submission
from cepa.web.portal import labels
from cepa.web.portal.access import actor_of, applicant_required
from cepa.web.portal.common import explain, own_organisation, refusal, timeline
from cepa.web.portal.forms import FilingForm, TerminationForm
from cepa.web.public.text import local_name
from cepa.web.templatetags.public import day

# The service's field names → the form's.
FIELDS = {
    "kind": "kind",
    "counterparty": "counterparty",
    "product_types": "product_types",
    "from": "valid_from",
    "until": "valid_until",
}


def next_action(filing: AgreementFiling, own: str) -> str:
    if filing.party_id != own:
        return _("Filed by the Hong Kong party; nothing to do for your organisation.")
    if filing.status == FilingStatus.FILED:
        return _("Nothing to do now: CNCA will review the filing.")
    if filing.status == FilingStatus.RETURNED:
        return _("CNCA returned the filing: correct it and file it again.")
    if filing.status == FilingStatus.ACCEPTED:
        return _("Accepted: the agreement is on the registry. Record its termination here if it ends early.")
    if filing.status == FilingStatus.TERMINATED:
        return _("The agreement is no longer in force from %(date)s.") % {"date": day(filing.terminated_on)}
    return _("The agreement's dates have ended.")


@require_GET
@applicant_required
def filing_list(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    rows = [
        {
            "filing": filing,
            "status": filing.get_status_display(),
            "tag": labels.tag(filing.status),
            "next": next_action(filing, organisation.pk),
            "partner": filing.counterparty if filing.party_id == organisation.pk else filing.party,
        }
        for filing in selectors.filings(request.user)
        .select_related("party", "counterparty")
        .order_by("-filed_at", "-id")
    ]
    return render(
        request,
        "web/portal/filings.html",
        {
            "org": organisation,
            "section": "filings",
            "rows": rows,
            "may_file": permissions.can(request.user, "filings.file", organisation.pk)
            and organisation.seat == "HK",
        },
    )


def _kinds_for(organisation: Organisation) -> list[tuple[str, str]]:
    """The kinds of agreement this body may be the party of (the service checks it again)."""
    allowed = [kind for kind, party_kind in submission.PARTY_KIND.items() if party_kind == organisation.kind]
    return [(str(kind), str(kind.label)) for kind in allowed]


def _counterparties(user: Any) -> list[tuple[str, str]]:
    rows = bodies.organisations(user, kind="certification_body", seat="MAINLAND")
    return sorted(((org.pk, local_name(org).text) for org in rows), key=lambda choice: choice[1])


def _prefill(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """A returned filing's values, to correct and file again."""
    source = request.GET.get("from_filing", "")
    filing = (
        selectors.filings(request.user, party=organisation.pk).filter(pk=source).first() if source else None
    )
    if filing is None:
        return {}
    return {
        "kind": filing.kind,
        "counterparty": filing.counterparty_id,
        "product_types": ", ".join(filing.product_types),
        "valid_from": filing.valid_from.isoformat(),
        "valid_until": filing.valid_until.isoformat() if filing.valid_until else "",
    }


@require_http_methods(["GET", "POST"])
@applicant_required
def new_filing(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    kinds, counterparties = _kinds_for(organisation), _counterparties(request.user)
    problem = ""
    status = 200
    if request.method == "POST":
        form = FilingForm(request.POST, kinds=kinds, counterparties=counterparties)
        refused = refusal(lambda: base.check_may_file(user=request.user, party=organisation.pk))
        if refused is not None:
            problem, status = explain(refused), refused.status
        elif form.is_valid():
            data = form.cleaned_data
            try:
                filing = submission.file_agreement(
                    actor=actor_of(request),
                    user=request.user,
                    kind=data["kind"],
                    party=organisation.pk,
                    counterparty=data["counterparty"],
                    product_types=data["product_types"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    channel="web",
                )
            except InvalidInput as error:
                for field, message in error.errors.items():
                    form.add_error(FIELDS.get(field), message)
                status = 400
            except Refused as error:
                status = 422
                if error.code == ErrorCode.COUNTERPARTY_NOT_DESIGNATED:
                    partner = dict(counterparties).get(data["counterparty"], data["counterparty"])
                    form.add_error(
                        "product_types",
                        _(
                            "%(body)s is not a designated certification body for %(codes)s on every day from "
                            "%(start)s to %(end)s. Remove these product types or change the dates."
                        )
                        % {
                            "body": partner,
                            "codes": ", ".join(error.failing),
                            "start": day(data["valid_from"]),
                            "end": day(data["valid_until"]) if data["valid_until"] else _("no end date"),
                        },
                    )
                else:
                    problem = _(
                        "Your organisation cannot be the party of this kind of agreement: testing "
                        "agreements are for Hong Kong laboratories, factory inspection and sampling "
                        "agreements for Hong Kong certification bodies."
                    )
            except CepaError as error:
                problem, status = explain(error), error.status
            else:
                messages.success(request, _("Agreement %(id)s filed with CNCA.") % {"id": filing.pk})
                return HttpResponseRedirect(reverse("portal:filing", args=[filing.pk]))
        else:
            status = 400
    else:
        form = FilingForm(kinds=kinds, counterparties=counterparties, initial=_prefill(request, organisation))
    return render(
        request,
        "web/portal/filing_new.html",
        {
            "org": organisation,
            "section": "filings",
            "form": form,
            "problem": problem,
        },
        status=status,
    )


def _own_filing(request: HttpRequest, filing_id: str) -> AgreementFiling:
    found = (
        selectors.filings(request.user).select_related("party", "counterparty").filter(pk=filing_id).first()
    )
    if found is None:
        raise Http404(_("Your organisation has no filing with this reference."))
    return found


def _detail(
    request: HttpRequest,
    filing_id: str,
    *,
    status: int = 200,
    problem: str = "",
    termination_form: TerminationForm | None = None,
) -> HttpResponse:
    organisation = own_organisation(request)
    filing = _own_filing(request, filing_id)
    transitions = list(filing.transitions.order_by("at", "id"))
    agreement = filing.agreement if filing.agreement_id else None
    return render(
        request,
        "web/portal/filing.html",
        {
            "org": organisation,
            "section": "filings",
            "filing": filing,
            "agreement": agreement,
            "status_label": filing.get_status_display(),
            "tag": labels.tag(filing.status),
            "next": next_action(filing, organisation.pk),
            "as_party": filing.party_id == organisation.pk,
            "timeline": timeline(transitions, FilingStatus),
            "may_terminate": filing.status == FilingStatus.ACCEPTED
            and permissions.can(request.user, "filings.terminate", filing),
            "termination_form": termination_form or TerminationForm(),
            "problem": problem,
        },
        status=status,
    )


@require_GET
@applicant_required
def filing(request: HttpRequest, filing_id: str) -> HttpResponse:
    return _detail(request, filing_id)


@require_POST
@applicant_required
def terminate(request: HttpRequest, filing_id: str) -> HttpResponse:
    found = _own_filing(request, filing_id)
    form = TerminationForm(request.POST)
    refused = refusal(
        lambda: base.find_filing(user=request.user, filing_id=found.pk, permission="filings.terminate")
    )
    if refused is not None:
        return _detail(
            request, filing_id, status=refused.status, termination_form=form, problem=explain(refused)
        )
    if not form.is_valid():
        return _detail(request, filing_id, status=400, termination_form=form)
    try:
        ending.terminate_filing(
            actor=actor_of(request),
            user=request.user,
            filing_id=filing_id,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            channel="web",
        )
    except Refused:
        form.add_error("on", _("The date must fall within the agreement's dates."))
        return _detail(request, filing_id, status=422, termination_form=form)
    except CepaError as error:
        return _detail(request, filing_id, status=error.status, termination_form=form, problem=explain(error))
    messages.success(request, _("The termination of agreement %(id)s is recorded.") % {"id": filing_id})
    return HttpResponseRedirect(reverse("portal:filing", args=[filing_id]))
