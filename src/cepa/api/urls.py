"""The API's URLs (mounted at /api/v1/): ninja's, then a JSON 404 for any other path, where Django
would answer with an HTML page."""

from django.urls import path, re_path

from cepa.api.api import api
from cepa.api.errors import not_found_view

urlpatterns = [
    path("", api.urls),
    re_path(r"", not_found_view),
]
