from django.urls import path

from cepa.web.portal import applications, certificates, filings, interest, transfers, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("records/", views.records, name="records"),
    path("documents/", views.documents, name="documents"),
    path("expressions-of-interest/", interest.expressions, name="expressions"),
    path("applications/", applications.applications, name="applications"),
    path("applications/new/", applications.new_application, name="application-new"),
    path("applications/<int:application_id>/", applications.application, name="application"),
    path("applications/<int:application_id>/submit/", applications.submit, name="application-submit"),
    path("applications/<int:application_id>/withdraw/", applications.withdraw, name="application-withdraw"),
    path(
        "applications/<int:application_id>/documents/",
        applications.add_document,
        name="application-documents",
    ),
    path(
        "applications/<int:application_id>/documents/<int:document_id>/",
        applications.document,
        name="application-document",
    ),
    path("filings/", filings.filing_list, name="filings"),
    path("filings/new/", filings.new_filing, name="filing-new"),
    path("filings/<str:filing_id>/", filings.filing, name="filing"),
    path("filings/<str:filing_id>/terminate/", filings.terminate, name="filing-terminate"),
    path("certificates/", certificates.certificate_list, name="certificates"),
    path("certificates/new/", certificates.issue, name="certificate-new"),
    path("certificates/<str:number>/", certificates.certificate, name="certificate"),
    path("test-reports/new/", certificates.record_report, name="report-new"),
    path("factory-inspections/new/", certificates.record_inspection, name="inspection-new"),
    path("transfers/", transfers.transfer_list, name="transfers"),
    path("transfers/new/", transfers.new_transfer, name="transfer-new"),
    path("transfers/<int:transfer_id>/", transfers.transfer, name="transfer"),
]
