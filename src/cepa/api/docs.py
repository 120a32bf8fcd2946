"""The API's documentation page for people: Swagger UI inside the site's layout, from local files.

Swagger UI's script and stylesheet are those django-ninja ships in its static files (the pinned
django-ninja==1.7.1 bundles swagger-ui 5 as ninja/swagger-ui-bundle.js); with `ninja` in
INSTALLED_APPS staticfiles serves them from this site, so the page works without internet. Swagger UI's
validator badge (an image from validator.swagger.io) is switched off.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class SiteSwagger(Swagger):
    template = "api/docs.html"

    def __init__(self) -> None:
        super().__init__(settings={"validatorUrl": None, "deepLinking": False})

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        base = f"{request.scheme}://{request.get_host()}"
        return render(
            request,
            self.template,
            {
                "swagger_settings": json.dumps(settings).replace("<", "\\u003c"),
                "api": api,
                "base": base,
            },
        )
