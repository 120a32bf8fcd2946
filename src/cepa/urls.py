from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("cepa.api.urls")),
    path("", include("cepa.web.urls")),
]

# A busy database is answered 503, not 500, even when met outside a view (cepa.web.busy).
handler500 = "cepa.web.busy.server_error"
