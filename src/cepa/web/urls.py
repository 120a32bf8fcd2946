from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from cepa.web import signin, views
from cepa.web.portal import access
from cepa.web.public import certificates, decision_files, enquiry_status, notices, open_data_meta
from cepa.web.public import views as public

urlpatterns = [
    path("", views.home, name="home"),
    path("language/<str:language>/", views.set_language, name="set-language"),
    path("sources/", views.sources, name="sources"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/login/", signin.SignInView.as_view(), name="login"),
    path("accounts/verify/", signin.verify, name="verify-sign-in"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", access.after_sign_in, name="after-sign-in"),
    path("portal/", include("cepa.web.portal.urls")),
    path("workbench/", include("cepa.web.workbench.urls")),
    path("directory/", public.directory_page, name="directory"),
    path("directory/decisions.csv", decision_files.decisions_csv, name="decisions-csv"),
    path("directory/decisions.json", decision_files.decisions_json, name="decisions-json"),
    path("bodies/<path:organisation_id>/", public.body_page, name="body"),
    path("who-can-test/", public.who_can_test, name="who-can-test"),
    path("enquiry/", public.enquiry, name="enquiry"),
    path("enquiry/sent/", public.enquiry_sent, name="enquiry-sent"),
    path("enquiry/status/", enquiry_status.enquiry_status, name="enquiry-status"),
    path("calendar/", public.calendar_page, name="calendar"),
    path("calendar.ics", public.calendar_ics, name="calendar-ics"),
    path("inspectors/", public.inspector_lookup, name="inspectors"),
    path("certificates/", certificates.lookup, name="certificates"),
    re_path(
        r"^certificates/certificate-status\.(?P<extension>csv|json)$",
        certificates.status_download,
        name="certificate-status",
    ),
    re_path(
        r"^certificates/certificate-status\.(?P<extension>csv|json)\.sha256$",
        certificates.status_checksum,
        name="certificate-status-sha256",
    ),
    path("certificates/<str:number>/", certificates.certificate_page, name="certificate"),
    path("certificates/<str:number>/print/", certificates.certificate_print, name="certificate-print"),
    path("notices/", notices.notices_page, name="notices"),
    path("notices/feed.atom", notices.notices_feed, name="notices-feed"),
    re_path(r"^notices/(?P<year>\d{4})-W(?P<week>\d{2})/$", notices.week_page, name="notices-week"),
    path("open-data/", public.open_data, name="open-data"),
    path("open-data/cepa-registry.json", public.open_data_json, name="open-data-json"),
    path("open-data/codes.csv", open_data_meta.codes_csv, name="open-data-codes"),
    path("open-data/datapackage.json", open_data_meta.data_package_json, name="open-data-package"),
    path("open-data/<str:file_name>.csv", public.open_data_csv, name="open-data-csv"),
]
