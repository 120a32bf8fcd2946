from django.urls import path

from cepa.web.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("records/", views.records, name="records"),
]
