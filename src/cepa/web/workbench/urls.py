from django.urls import path

from cepa.web.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
]
