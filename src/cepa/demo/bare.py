"""The bare django-ninja endpoint the HTTP benchmark compares the project with: Django and ninja with no
database, no middleware and one route, `GET /ping` answering `{"ok": true}`.

Served by granian as `cepa.demo.bare:application` (`python -m cepa.bench --http` starts it).
"""

from __future__ import annotations

from typing import Any

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="cepa-bare-benchmark",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        DATABASES={},
        USE_TZ=True,
    )
    django.setup()

from django.core.wsgi import get_wsgi_application
from django.urls import path
from ninja import NinjaAPI

api = NinjaAPI(docs_url=None, openapi_url=None)


@api.get("/ping")
def ping(request: Any) -> dict[str, bool]:
    return {"ok": True}


urlpatterns = [path("", api.urls)]
application = get_wsgi_application()
