from django.contrib import admin
from django.urls import include, path, re_path

from cepa.api.api import api
from cepa.api.errors import not_found_view

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", not_found_view),  # any other path under the API: a JSON 404, not an HTML page
    path("", include("cepa.web.urls")),
]
