from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("cepa.api.urls")),
    path("", include("cepa.web.urls")),
]

handler500 = "cepa.web.views.server_error"
