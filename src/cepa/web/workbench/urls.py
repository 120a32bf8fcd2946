from django.urls import path

from cepa.web.workbench import applications, certificates, enquiries, filings, objections, transfers, views

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
]
