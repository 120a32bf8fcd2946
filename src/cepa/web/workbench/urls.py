from django.urls import path

from cepa.web.workbench import (
    accreditations,
    applications,
    certificates,
    decided,
    enquiries,
    filings,
    inspectors,
    objections,
    plans,
    transfers,
    views,
)

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("certificates/affected/", certificates.affected, name="certificates-affected"),
    path("applications/<int:application_id>/", applications.application, name="application"),
    path(
        "applications/<int:application_id>/documents/<int:document_id>/",
        applications.document,
        name="application-document",
    ),
    path("objections/<int:objection_id>/", objections.objection, name="objection"),
    path("filings/<str:filing_id>/", filings.filing, name="filing"),
    path("transfers/<int:transfer_id>/", transfers.transfer, name="transfer"),
    path("enquiries/", enquiries.queue, name="enquiries"),
    path("enquiries/<str:reference>/", enquiries.enquiry, name="enquiry"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.plan_new, name="plan-new"),
    path("plans/<str:plan_id>/", plans.plan, name="plan"),
    path("plans/<str:plan_id>/change/", plans.plan_edit, name="plan-edit"),
    path("decided/", decided.decided, name="decided"),
    path("interest/", decided.interest, name="interest"),
    path("objections/", decided.objections, name="objections"),
    path("accreditations/", accreditations.accreditation_list, name="accreditations"),
    path("accreditations/<path:accreditation_id>/", accreditations.accreditation, name="accreditation"),
    path("inspectors/", inspectors.inspector_list, name="inspectors"),
    path("inspectors/new/", inspectors.inspector_new, name="inspector-new"),
    path("inspectors/<path:inspector_id>/", inspectors.inspector, name="inspector"),
]
